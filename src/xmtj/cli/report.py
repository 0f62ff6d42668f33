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
    MessageOption,
    NoCommitOption,
    OutOption,
    OutputFormat,
    changing,
    command,
    date_option,
    echo,
    fail,
    month_option,
    open_ledger,
    open_records,
    outgoing,
    run_change,
    say,
)
from xmtj.cli.output import show
from xmtj.figures.periods import check_month
from xmtj.months import Month


def month_workbook(ledger: Any, at: str | None, month: Month | None, out: Path | None, force: bool) -> None:
    """``report --month M --format xlsx``: the Excel 台账 as of the month's last day."""
    from xmtj.changes.outputs import write_out
    from xmtj.cli.status import ledger_workbook
    from xmtj.figures.status import ledger_status

    if month is None or out is None:
        fail("--format xlsx 用于月度通报：请指定 --month YYYY-MM 和 --out 文件")
        return
    data = outgoing(open_ledger(ledger, at), force, "写出 Excel 台账")
    check_month(data.config, month, data.today, data.projects)
    report, _ = ledger_status(data, month.year, month.last_day)
    write_out(out, ledger_workbook(data, report), data.root)
    say(f"已写入 {out}")


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
    out: Annotated[Path | None, typer.Option("--out", "-o", help="印发：写入文件并登记文号（不加时只显示）")] = None,
    output: Annotated[DocFormat, typer.Option("--format", "-f", help="md 或 docx（Word 公文）")] = DocFormat.md,
    date: Annotated[dt.date | None, date_option("--date", "成文日期（默认：今天在下一个月内时为今天）")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="送审稿：写出文件，文号留空，不登记")] = False,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="作废已印发的通报，以新文号重新印发（须 -m 原因）")
    ] = False,
    at: AtOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
    future: FutureOption = False,
    force: Annotated[bool, typer.Option("--force", help="台账有错误时也印发（出错的记录不计入，并说明）")] = False,
) -> None:
    """--out 即印发：文号登记在 data/briefings/ 中并提交（与其他修改一样遵守 git.commit 设置）；同一个月再次印发时
    给出当初印发的原件。模板为 templates/report.md.j2 和 templates/annual.md.j2，台账目录下的 templates/ 可逐个覆盖；
    --format docx 按 GB/T 9704 公文格式排版（明细表为横排附件），须用 --out 指定文件。

    示例：xmtj report --month 2021-11 --date 2021-12-14 --format docx --out 通报-2021-11.docx
    xmtj report --month 2021-11　　xmtj report --year 2021 --as-of 2021-12-14
    """
    if (month is None) == (year is None):
        fail("请指定 --month YYYY-MM（月度通报）或 --year YYYY（年度总结）之一")
    if output is not DocFormat.md and out is None:
        fail(f"--format {output.value} 需要用 --out 指定文件，例如 --out 通报.{output.value}")
    if output is DocFormat.xlsx:
        return month_workbook(ledger, at, month, out, force)
    if year is not None:
        return annual(ledger, at, year, as_of, output, out)
    assert month is not None
    if out is None or draft or at is not None:
        return preview(ledger, at, month, date, output, out, draft, force)
    with changing(ledger) as whole:
        check_month(whole.config, month, whole.today, whole.projects, writes=True, future=future)
        issue(whole, outgoing(whole, force, "印发通报"), month, date, output, out, reissue, message, no_commit)


def briefer(data: Any, month: Month) -> Any:
    """How this ledger's 通报 of ``month`` is rendered: a county's from its records, a roll-up's from its
    members' submissions."""
    from xmtj.documents.briefing import render_briefing, render_rollup

    if data.config.members:
        from xmtj.cli.rollup import rollup_for

        figures = rollup_for(data, month.last_day, False)
        return lambda ledger, day, doc_no: render_rollup(ledger, figures, day, doc_no)
    return lambda ledger, day, doc_no: render_briefing(ledger, month, day, doc_no)


def content_of(data: Any, text: str, output: DocFormat) -> bytes:
    from xmtj.documents.briefing import to_word

    return to_word(data, text) if output is DocFormat.docx else text.encode("utf-8")


def preview(
    ledger: Any, at: str | None, month: Month, date: dt.date | None, output: DocFormat, out: Path | None,
    draft: bool, force: bool,
) -> None:  # fmt: skip
    """The 通报 on the screen, as a 送审稿 (number blank) or as read at ``--at``: nothing registered."""
    from xmtj.changes.briefings import draft_number, numbering
    from xmtj.documents.briefing import briefing_date

    data = open_ledger(ledger, at)
    if out is not None:
        data = outgoing(data, force, "写出通报")
    check_month(data.config, month, data.today, data.projects)
    day = briefing_date(month, date, data.today, issuing=False)
    number = numbering(data, month, day)
    if number.issued is not None and date is None:
        day = number.issued.date  # an issued month is shown as it went out
    doc_no = draft_number(data, day) if draft else number.doc_no
    text = briefer(data, month)(data, day, doc_no)
    if out is None:
        echo(text, nl=False)
        return
    from xmtj.changes.outputs import write_out

    write_out(out, content_of(data, text, output), data.root)
    say(f"已写入 {out}（{'送审稿，文号留空，未登记' if draft else f'按版本 {at} 生成，未登记'}）")


def issue(
    whole: Any, data: Any, month: Month, date: dt.date | None, output: DocFormat, out: Path, reissue: bool,
    why: str | None, no_commit: bool,
) -> None:  # fmt: skip
    """印发: the number registered and the document written as one change — or, for a month issued already,
    the document as it went out."""
    from xmtj.changes.briefings import issue_change, live_briefing, numbering
    from xmtj.changes.outputs import write_out
    from xmtj.documents.briefing import as_issued, briefing_date

    render = briefer(data, month)
    if reissue and not (why or "").strip():
        fail("--reissue 须用 -m 写明原因（例如 -m 更正9月数据）")
    issued = live_briefing(data, month) if not reissue else None
    day = issued.date if issued is not None else briefing_date(month, date, data.today, issuing=True)
    number = numbering(data, month, day, fresh=reissue)
    if number.issued is not None:
        content, from_git = as_issued(data, number.issued, output.value, render)
        write_out(out, content, data.root)
        how = "印发时的原件" if from_git else "登记的文号和日期（git 中无原件，按现有记录生成）"
        say(f"{month.cn}的通报已于{number.issued.date.isoformat()}印发（{number.doc_no}），按{how}写入 {out}")
        return
    content = content_of(data, render(data, day, number.doc_no), output)
    command = ["xmtj", "report", "--month", month.key, "--date", day.isoformat(), "--format", output.value]
    change, outside = issue_change(data, month, number, day, content, out, command, why if reissue else None)
    run_change(whole, change, why, no_commit)
    if outside is not None:  # saved outside the ledger: after the register (a failed write is simply run again)
        say(f"已写入 {write_out(outside, content, data.root)}（{number.doc_no}）")


def annual(ledger: Any, at: str | None, year: int, as_of: dt.date | None, output: DocFormat, out: Path | None) -> None:
    """The annual summary (not numbered): on the screen or written to ``--out``."""
    from xmtj.documents.annual import render_annual

    data = open_ledger(ledger, at)
    text = render_annual(data, year, as_of)
    if out is None:
        echo(text, nl=False)
        return
    from xmtj.changes.outputs import write_out

    write_out(out, content_of(data, text, output), data.root)
    say(f"已写入 {out}")


@command("plan")
def plan(
    year: Annotated[int, typer.Option("--year", "-y", min=1990, max=2100, help="年度")],
    ledger: LedgerOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """示例：xmtj plan --year 2022　　xmtj plan --year 2022 --format json"""
    from xmtj.documents.annual import plan_summary

    data = open_records(ledger, at)
    show(listings.plan(plan_summary(data.projects, year), year), output, out)
