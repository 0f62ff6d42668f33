"""`xmtj approvals`: the 手续 ledger — which projects wait for which approval, from whom, for how long."""

from __future__ import annotations

from typing import Annotated

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AsOfOption,
    AtOption,
    FormatOption,
    LedgerOption,
    OutOption,
    OutputFormat,
    command,
    open_ledger,
)
from xmtj.cli.output import show


@command("approvals")
def approvals(
    ledger: LedgerOption = None,
    at: AtOption = None,
    pending: Annotated[bool, typer.Option("--pending", help="只列未办结的手续（办理中、未办理）")] = False,
    unit: Annotated[str | None, typer.Option("--unit", help="审批部门（名称中的一段即可）")] = None,
    project: Annotated[str | None, typer.Option("--project", "-p", help="项目编号")] = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """每个项目的前期手续（立项、用地、规划、环评、施工许可等）及办理状态、日期、文号、审批部门和已等待天数，
    并按审批部门汇总待办手续。审批部门取手续记录的 department，否则取 xmtj.yaml 中 approvals.departments 的对应。

    示例：xmtj approvals --pending　　xmtj approvals --unit 自然资源 --format xlsx --out 手续.xlsx
    """
    from xmtj.changes.build import find_record
    from xmtj.figures.approvals import approval_rows, by_department

    data = open_ledger(ledger, at)
    day = as_of or data.today
    project_id = find_record(data, "projects", project).id if project else None
    rows = approval_rows(data, day, pending, unit, project_id)
    show(listings.approvals(rows, by_department(rows), day), output, out)
