"""`xmtj report` and `xmtj plan`: the monthly briefing, the annual summary, a year's list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AtOption,
    FormatOption,
    LedgerOption,
    NoCommitOption,
    OutOption,
    OutputFormat,
    command,
    echo,
    fail,
    open_ledger,
    parse_date,
    say,
    warn_broken_files,
)
from xmtj.cli.output import show


@command("report")
def report(
    ledger: LedgerOption = None,
    month: Annotated[str | None, typer.Option("--month", help="月度通报：YYYY-MM，数据截至该月末")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", min=1990, max=2100, help="年度总结：年份")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="年度总结的统计截至日期（默认该年12月31日）")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="写入文件（默认输出到屏幕）")] = None,
    at: AtOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """模板为 templates/report.md.j2 和 templates/annual.md.j2；台账目录下的 templates/ 可逐个覆盖。

    示例：xmtj report --month 2021-11 --out 通报-2021-11.md　　xmtj report --year 2021 --as-of 2021-12-14
    """
    from xmtj.documents.briefing import render_briefing

    if (month is None) == (year is None):
        fail("请指定 --month YYYY-MM（月度通报）或 --year YYYY（年度总结）之一")
    data = open_ledger(ledger, at)
    warn_broken_files(data)
    text = render_briefing(data, month, year, parse_date(as_of, "--as-of"))
    if out is None:
        echo(text, nl=False)
        return
    from xmtj.changes.briefings import save_briefing
    from xmtj.changes.lock import ledger_lock

    with ledger_lock(data.root):  # the briefing may be committed: one change at a time
        saved = save_briefing(data, out, text, month or str(year), commit=not no_commit and at is None)
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

    data = open_ledger(ledger, at)
    warn_broken_files(data)
    show(listings.plan(plan_summary(data.projects, year), year), output, out)
