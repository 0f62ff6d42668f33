"""`xmtj issue list|show|new|resolve`: the problem ledger (问题台账)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AsOfOption,
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
    today_said,
)
from xmtj.cli.edge import XmtjCommand
from xmtj.cli.output import show
from xmtj.ledger.registry import ISSUE_CATEGORIES, ISSUE_SOURCES

issue_app = group("issue")


@issue_app.command("list", cls=XmtjCommand)
def issue_list(
    ledger: LedgerOption = None,
    at: AtOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="只列未办结的问题")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列逾期未办结的问题")] = False,
    project: Annotated[str | None, typer.Option("--project", "-p", help="只列某个项目的问题（项目编号）")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="只列某责任单位的问题（名称中包含即可）")] = None,
    year: YearOption = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """列出问题台账：所属项目、来源活动、办结时限和逾期天数。

    示例：xmtj issue list --overdue　　xmtj issue list --project HJ2021-038 --format csv
    """
    from xmtj.figures.queries import IssueFilter, select_issues

    data = open_records(ledger, at)
    day = as_of or data.today
    chosen = select_issues(data, IssueFilter(day, open_only, overdue, project, unit, year))
    show(listings.issues(data, chosen, day), output, out)


@issue_app.command("show", cls=XmtjCommand)
def issue_show(
    issue_id: Annotated[str, typer.Argument(metavar="ID", help="问题编号")],
    ledger: LedgerOption = None,
    at: AtOption = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """显示一个问题的全部内容。

    示例：xmtj issue show WT2021-017
    """
    from xmtj.changes.build import find_record
    from xmtj.ledger.records import Issue

    data = open_records(ledger, at)
    found = find_record(data, "issues", issue_id)
    assert isinstance(found, Issue)
    show(listings.issue(data, found, as_of or data.today), output, out)


@issue_app.command("new", cls=XmtjCommand)
def issue_new(
    description: Annotated[str, typer.Option("--description", "-d", help="存在问题")],
    category: Annotated[str, typer.Option("--category", help="、".join(ISSUE_CATEGORIES))],
    source: Annotated[str, typer.Option("--source", help="、".join(ISSUE_SOURCES))],
    unit: Annotated[str, typer.Option("--unit", help="责任单位")],
    project: Annotated[str | None, typer.Option("--project", "-p", help="所属项目编号")] = None,
    meeting: Annotated[str | None, typer.Option("--meeting", help="提出问题的活动编号")] = None,
    raised_on: Annotated[dt.date | None, date_option("--raised-on", "提出日期（默认今天）")] = None,
    deadline: Annotated[dt.date | None, date_option("--deadline", "办结时限")] = None,
    issue_id: Annotated[str | None, typer.Option("--id", help="问题编号（默认 WT<年>-<序号> 续编）")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """登记一个新问题。

    示例：xmtj issue new -p HJ2021-038 -d 施工用电未接通 --category 水电气路 --source 现场督查
    --unit 市供电公司 --deadline 2021-12-20
    """
    from xmtj.changes.build import find_record, new_record_change

    with changing(ledger) as data:
        day = raised_on or today_said(data.today, "提出日期")
        values = {
            "project": find_record(data, "projects", project).id if project else None,
            "description": description,
            "category": category,
            "source": source,
            "meeting": meeting,
            "raised_on": day,
            "responsible_unit": unit,
            "deadline": deadline,
            "status": "新增",
        }
        change = new_record_change(data, "issues", values, day.year, ["xmtj", "issue", "new"], issue_id)
        run_change(data, change, message, no_commit)


@issue_app.command("resolve", cls=XmtjCommand)
def issue_resolve(
    issue_id: Annotated[str, typer.Argument(metavar="ID", help="问题编号")],
    text: Annotated[str, typer.Option("--text", help="办理情况")],
    date: Annotated[dt.date | None, date_option("--date", "办结日期（默认今天）")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """问题办结销号：状态改为已办结，填写办结日期和办理情况。

    示例：xmtj issue resolve WT2021-017 --date 2021-12-10 --text 已协调供电公司接通
    """
    from xmtj.changes.build import resolve_change

    with changing(ledger) as data:
        day = date or today_said(data.today, "办结日期")
        command = ["xmtj", "issue", "resolve", issue_id, "--date", day.isoformat(), "--text", text]
        run_change(data, resolve_change(data, issue_id, day, text, command), message, no_commit)


ISSUE_FIELD_HELP = "字段，中文或英文：问题类别、责任单位、办结时限、问题描述、所属项目 …"


@issue_app.command("set", cls=XmtjCommand)
def issue_set(
    issue_id: Annotated[str, typer.Argument(metavar="ID", help="问题编号")],
    field: Annotated[
        str, typer.Argument(metavar="字段", help="字段，中文或英文：问题类别、责任单位、办结时限、问题描述 …")
    ],
    value: Annotated[str, typer.Argument(metavar="新值", help='新值；空字符串 "" 表示清空')],
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """修改问题的一个字段（类别、责任单位、办结时限、问题描述等），检查后提交；办结请用 issue resolve。

    示例：xmtj issue set WT2021-017 办结时限 2021-12-31　　xmtj issue set WT2021-017 问题类别 用地
    """
    from xmtj.changes.build import set_change
    from xmtj.ledger.labels import field_for

    if (field_for(field, "issues") or field) in ("status", "resolved_on", "resolution"):
        from xmtj.cli.output import fail

        fail("办结用 xmtj issue resolve（同时填写办结日期和办理情况）")
    with changing(ledger) as data:
        command = ["xmtj", "issue", "set", issue_id, field, value]
        run_change(data, set_change(data, "issues", issue_id, field, value, command), message, no_commit)
