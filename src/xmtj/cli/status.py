"""`xmtj status`: the year's figures, lights and slow projects."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from xmtj.cli.common import (
    AtOption,
    FormatOption,
    LedgerOption,
    NoCacheOption,
    OutOption,
    OutputFormat,
    command,
    date_option,
    open_ledger,
    outgoing,
)


class GroupBy(StrEnum):
    branch = "branch"
    investment_type = "investment_type"
    level = "level"
    sector = "sector"
    liaison_leader = "liaison_leader"
    responsible_unit = "responsible_unit"
    member = "member"  # a roll-up ledger: its counties


# --by in the office's words (the field names work too)
GROUP_WORDS = {
    "分指挥部": "branch", "投资类型": "investment_type", "级别": "level", "项目级别": "level", "行业": "sector",
    "包联领导": "liaison_leader", "责任单位": "responsible_unit", "成员": "member", "县市区": "member",
}  # fmt: skip


def group_by(value: str) -> GroupBy:
    """``--by``'s value: a grouping's Chinese name or its field name."""
    word = value.strip()
    try:
        return GroupBy(GROUP_WORDS.get(word, word))
    except ValueError:
        raise typer.BadParameter(f"“{word}”不是可用的分组：{'、'.join(GROUP_WORDS)}") from None


@command("status")
def status(
    ledger: LedgerOption = None,
    at: AtOption = None,
    no_cache: NoCacheOption = False,
    year: Annotated[
        int | None, typer.Option("--year", "-y", min=1990, max=2100, help="年度（默认：有进度数据的最近月份所在年）")
    ] = None,
    as_of: Annotated[dt.date | None, date_option("--as-of", "统计截至日期（默认：有进度数据的最近月份月末）")] = None,
    by: Annotated[
        GroupBy | None,
        typer.Option(
            "--by",
            parser=group_by,
            metavar="<分组>",
            help="分组汇总：分指挥部、投资类型、级别、行业、包联领导、责任单位、成员"
            "（汇总台账）；也可写 branch、investment_type、level、sector、liaison_leader、responsible_unit、member",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
    head: Annotated[bool, typer.Option("--head", help="汇总台账：按各成员分支最新数据（未报送数据）")] = False,
    force: Annotated[bool, typer.Option("--force", help="台账有错误时也写出 Excel 台账（出错的记录不计入）")] = False,
) -> None:
    """完成投资按“1—N月累计”计（截至日期所在月及以前的月度进展）；
    亮灯规则见 README。

    示例：xmtj status　　xmtj status --as-of 2021-11-30 --by 分指挥部　　xmtj status --format json
    """
    from xmtj.cli import views
    from xmtj.cli.output import show
    from xmtj.figures.status import ledger_status

    data = open_ledger(ledger, at, cache=not no_cache)
    if by is GroupBy.member or (data.config.members and by is None):  # a roll-up: its members as submitted
        return rollup_status(data, as_of, head, output, out)
    if data.config.members:  # any other grouping runs across the members' projects (namespaced)
        data = across_members(data, as_of, head)
    report, chosen = ledger_status(data, year, as_of, by.value if by else None)
    listing = views.status_listing(report)
    listing.drawn = {
        "table": lambda: print_status(report, chosen),
        "markdown": lambda: views.status_markdown(report) + "\n",
    }
    if not report.by:  # the 台账 itself; grouped figures are a listing like any other
        listing.drawn["xlsx"] = lambda: ledger_workbook(outgoing(data, force, "写出 Excel 台账"), report)
    show(listing, output, out)


def print_status(report: Any, chosen: str | None) -> None:
    import sys

    from xmtj.cli.terminal import output_for, print_status

    print_status(output_for(sys.stdout), report, chosen)


def ledger_workbook(data: Any, report: Any) -> bytes:
    """The Excel 台账 (``xmtj.documents.workbook``): 台账, 分指挥部排名 with its charts, 问题清单."""
    from xmtj.documents.workbook import ledger_workbook

    return ledger_workbook(data, report)


def rollup_status(data: Any, day: Any, head: bool, output: OutputFormat, out: Path | None) -> None:
    from xmtj.cli.output import fail
    from xmtj.cli.rollup import show_rollup

    if not data.config.members:
        fail("只有汇总台账（xmtj.yaml 中有 members）可以按成员分组（--by member）")
    show_rollup(data, day, head, output, out)


def across_members(data: Any, day: Any, head: bool) -> Any:
    """A roll-up's members' projects as one ledger (namespaced), for grouping across members."""
    from xmtj.months import Month
    from xmtj.rollup.members import merged

    return merged(data.root, data, Month.of(day) if day else None, head)
