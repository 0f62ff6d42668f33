"""`xmtj meeting list|new`: 调度会, 集中开工 and 集中观摩."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AtOption,
    FormatOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    OutOption,
    OutputFormat,
    YearOption,
    changing,
    date_option,
    group,
    open_records,
    run_change,
)
from xmtj.cli.edge import XmtjCommand
from xmtj.cli.output import show
from xmtj.ledger.registry import EVENT_KINDS

meeting_app = group("meeting")

EventKind = StrEnum("EventKind", {kind: kind for kind in EVENT_KINDS})  # type: ignore[misc]  # the record's words


@meeting_app.command("list", cls=XmtjCommand)
def meeting_list(
    ledger: LedgerOption = None,
    at: AtOption = None,
    year: YearOption = None,
    kind: Annotated[EventKind | None, typer.Option("--kind", help="、".join(EVENT_KINDS))] = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """列出调度会、集中开工、集中观摩活动，以及每次活动涉及的项目和提出的问题数。

    示例：xmtj meeting list --year 2021 --kind 调度会
    """
    from xmtj.figures.queries import issues_raised, select_meetings

    data = open_records(ledger, at)
    chosen = select_meetings(data, year, kind.value if kind else None)
    show(listings.meetings(chosen, issues_raised(data)), output, out)


@meeting_app.command("new", cls=XmtjCommand)
def meeting_new(
    kind: Annotated[EventKind, typer.Option("--kind", help="、".join(EVENT_KINDS))],
    date: Annotated[dt.date, date_option("--date", "日期")],
    title: Annotated[str, typer.Option("--title", help="名称")],
    chair: Annotated[str | None, typer.Option("--chair", help="主持")] = None,
    project: Annotated[list[str] | None, typer.Option("--project", "-p", help="涉及项目（可重复）")] = None,
    decision: Annotated[list[str] | None, typer.Option("--decision", help="议定事项（可重复）")] = None,
    meeting_id: Annotated[str | None, typer.Option("--id", help="活动编号（默认按类型续编，如 DD2021-46）")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """登记一次调度会、集中开工或集中观摩。

    示例：xmtj meeting new --kind 调度会 --date 2021-12-14 --title 全市重点项目建设第46次调度会 -p HJ2021-038
    """
    from xmtj.changes.build import new_record_change

    with changing(ledger) as data:
        day = date
        assert day is not None
        values = {
            "kind": kind.value,
            "date": day,
            "title": title,
            "chair": chair,
            "projects": list(project or []),
            "decisions": list(decision or []),
        }
        change = new_record_change(data, "meetings", values, day.year, ["xmtj", "meeting", "new"], meeting_id)
        run_change(data, change, message, no_commit)
