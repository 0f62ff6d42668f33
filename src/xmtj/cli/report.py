"""`xmtj report` and `xmtj plan`: the monthly briefing, the annual summary, a year's list."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AtOption,
    FormatOption,
    FutureOption,
    LedgerOption,
    NoCommitOption,
    OutOption,
    OutputFormat,
    command,
    date_option,
    echo,
    fail,
    month_option,
    open_ledger,
    open_records,
    say,
    warn_broken_files,
)
from xmtj.cli.output import show
from xmtj.figures.periods import check_month
from xmtj.months import Month


def month_workbook(ledger: Any, at: str | None, month: Month | None, out: Path | None) -> None:
    """``report --month M --format xlsx``: the Excel 台账 as of the month's last day."""
    from xmtj.cli.status import save_workbook
    from xmtj.figures.metrics import ledger_status

    if month is None or out is None:
        fail("--format xlsx 用于月度通报：请指定 --month YYYY-MM 和 --out 文件")
        return
    data = open_ledger(ledger, at)
    check_month(data.config, month, data.today, data.projects)
    report, _ = ledger_status(data, month.year, month.last_day)
    save_workbook(data, report, out)


def doc_no_of(data: Any, month: Month | None) -> str | None:
    """The 发文字号 a monthly briefing is registered under when it is committed."""
    if month is None:
        return None
    from xmtj.ledger.register import briefing_doc_no

    return briefing_doc_no(data, month.key, month.year)


class DocFormat(StrEnum):
    md = "md"
    docx = "docx"
    xlsx = "xlsx"


@command("report")
def report(
    ledger: LedgerOption = None,
    month: Annotated[Month | None, month_option("月度通报：YYYY-MM，数据截至该月末")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", min=1990, max=2100, help="年度总结：年份")] = None,
    as_of: Annotated[dt.date | None, date_option("--as-of", "年度总结的统计截至日期（默认该年12月31日）")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="写入文件（默认输出到屏幕）")] = None,
    output: Annotated[DocFormat, typer.Option("--format", "-f", help="md 或 docx（Word 公文）")] = DocFormat.md,
    date: Annotated[dt.date | None, date_option("--date", "月度通报的成文日期（默认该月最后一天）")] = None,
    at: AtOption = None,
    no_commit: NoCommitOption = False,
    future: FutureOption = False,
) -> None:
    """模板为 templates/report.md.j2 和 templates/annual.md.j2；台账目录下的 templates/ 可逐个覆盖。
    --format docx 按 GB/T 9704 公文格式排版（明细表为横排附件），须用 --out 指定文件。

    示例：xmtj report --month 2021-11 --out 通报-2021-11.md　　xmtj report --year 2021 --as-of 2021-12-14
    xmtj report --month 2021-11 --format docx --out 通报-2021-11.docx
    """
    from xmtj.documents.briefing import render_briefing

    if (month is None) == (year is None):
        fail("请指定 --month YYYY-MM（月度通报）或 --year YYYY（年度总结）之一")
    if output is not DocFormat.md and out is None:
        fail(f"--format {output.value} 需要用 --out 指定文件，例如 --out 通报.{output.value}")
    if output is DocFormat.xlsx:
        return month_workbook(ledger, at, month, out)
    data = open_ledger(ledger, at)
    warn_broken_files(data)
    if month is not None:
        check_month(data.config, month, data.today, data.projects, writes=out is not None, future=future)
    if data.config.members and month is not None:  # a roll-up ledger: its members' submissions of the month
        from xmtj.cli.rollup import rollup_briefing

        return rollup_briefing(data, month, date, output, out)
    text = render_briefing(data, month, year, as_of, date)
    if out is None:
        echo(text, nl=False)
        return
    save(data, text, month, year, output, out, not no_commit and at is None)


def save(
    data: Any, text: str, month: Month | None, year: int | None, output: DocFormat, out: Path, commit: bool
) -> None:
    """The briefing written (as Markdown or a Word 公文) and, inside the ledger, committed and numbered."""
    from xmtj.changes.briefings import save_briefing
    from xmtj.changes.lock import ledger_lock

    content: str | bytes = text
    if output is DocFormat.docx:
        from xmtj.documents.wordfile import to_docx

        content = to_docx(text, data.config.office, letter_form=False, landscape_attachments=month is not None)
    with ledger_lock(data.root):  # the briefing may be committed: one change at a time
        saved = save_briefing(data, out, content, month.key if month else str(year), commit, doc_no_of(data, month))
    say(f"已写入 {out}" + (f"，已提交 {saved.id[:8]}：{saved.subject}" if saved else ""))


@command("plan")
def plan(
    year: Annotated[int, typer.Option("--year", "-y", min=1990, max=2100, help="年度")],
    ledger: LedgerOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """示例：xmtj plan --year 2022　　xmtj plan --year 2022 --format json"""
    from xmtj.documents.briefing import plan_summary

    data = open_records(ledger, at)
    warn_broken_files(data)
    show(listings.plan(plan_summary(data.projects, year), year), output, out)
