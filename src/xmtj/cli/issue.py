"""`xmtj issue …`, `xmtj meeting list`, `xmtj letter list`: the problem, meeting and letter ledgers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

import typer

from xmtj.cli.common import (
    AtOption,
    FormatOption,
    LedgerOption,
    OutputFormat,
    app,
    emit_table,
    fail,
    handles_errors,
    open_ledger,
    parse_date,
    say,
)

issue_app = typer.Typer(help="问题台账：查看问题清单和单个问题。", no_args_is_help=True, rich_markup_mode=None)
meeting_app = typer.Typer(help="活动台账：调度会、集中开工、集中观摩。", no_args_is_help=True, rich_markup_mode=None)
letter_app = typer.Typer(help="督办提醒函登记簿。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(issue_app, name="issue")
app.add_typer(meeting_app, name="meeting")
app.add_typer(letter_app, name="letter")


class EventKind(StrEnum):
    dispatch = "调度会"
    groundbreaking = "集中开工"
    tour = "集中观摩"


AsOfOption = Annotated[str | None, typer.Option("--as-of", help="按哪一天判断未办结、逾期（默认今天）YYYY-MM-DD")]
YearOption = Annotated[int | None, typer.Option("--year", "-y", min=1990, max=2100, help="年度")]


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


@issue_app.command("list")
@handles_errors
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
) -> None:
    """列出问题台账：所属项目、来源活动、办结时限和逾期天数。

    示例：xmtj issue list --overdue　　xmtj issue list --project HJ2021-038 --format csv
    """
    data = open_ledger(ledger, at)
    day = parse_date(as_of, "--as-of") or data.today
    projects, meetings = data.project_by_id, data.meeting_by_id
    if project and project not in projects:
        fail(f"项目 {project} 不存在")
    chosen = [
        i
        for i in sorted(data.issues, key=lambda i: i.id)
        if (not open_only or i.is_open_on(day))
        and (not overdue or i.is_overdue_on(day))
        and (project is None or i.project == project)
        and (unit is None or unit in i.responsible_unit)
        and (year is None or i.raised_on.year == year)
    ]
    items: list[dict[str, Any]] = []
    for i in chosen:
        items.append(
            {
                "id": i.id,
                "project": i.project,
                "project_name": projects[i.project].name if i.project in projects else None,
                "description": i.description,
                "category": i.category,
                "source": i.source,
                "meeting": i.meeting,
                "meeting_title": meetings[i.meeting].title if i.meeting in meetings else None,
                "raised_on": _d(i.raised_on),
                "responsible_unit": i.responsible_unit,
                "deadline": _d(i.deadline),
                "status": i.status,
                "resolved_on": _d(i.resolved_on),
                "overdue_days": i.days_overdue(day),
            }
        )
    headers = ["编号", "所属项目", "存在问题", "类别", "来源", "提出日期", "责任单位", "办结时限", "状态", "逾期天数"]
    rows = [
        [
            x["id"],
            f"{x['project']} {x['project_name'] or ''}".strip() if x["project"] else "—",
            x["description"],
            x["category"],
            x["source"] + (f"（{x['meeting_title']}）" if x["meeting_title"] else ""),
            x["raised_on"],
            x["responsible_unit"],
            x["deadline"] or "—",
            x["status"],
            str(x["overdue_days"]) if x["overdue_days"] else "",
        ]
        for x in items
    ]
    emit_table(
        output,
        headers,
        rows,
        {"as_of": day.isoformat(), "issues": items},
        title=f"问题台账（{len(items)}个，按{day.isoformat()}计）",
        right=("逾期天数",),
    )


@issue_app.command("show")
@handles_errors
def issue_show(
    issue_id: Annotated[str, typer.Argument(metavar="ID", help="问题编号")],
    ledger: LedgerOption = None,
    at: AtOption = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """显示一个问题的全部内容。

    示例：xmtj issue show WT2021-017
    """
    data = open_ledger(ledger, at)
    day = parse_date(as_of, "--as-of") or data.today
    issue = data.issue_by_id.get(issue_id)
    if issue is None:
        fail(f"问题 {issue_id} 不存在")
        return
    project = data.project_by_id.get(issue.project or "")
    meeting = data.meeting_by_id.get(issue.meeting or "")
    overdue = issue.days_overdue(day)
    fields = [
        ("问题编号", issue.id),
        ("所属项目", f"{issue.project} {project.name}" if project else (issue.project or "—")),
        ("存在问题", issue.description),
        ("类别", issue.category),
        ("来源", issue.source),
        ("提出活动", f"{meeting.id} {meeting.title}（{meeting.date}）" if meeting else (issue.meeting or "—")),
        ("提出日期", _d(issue.raised_on)),
        ("责任单位", issue.responsible_unit),
        ("办结时限", _d(issue.deadline) or "—"),
        ("状态", issue.status + (f"（逾期{overdue}天）" if overdue else "")),
        ("办结日期", _d(issue.resolved_on) or "—"),
        ("办理情况", issue.resolution or "—"),
        ("文件", issue.path),
    ]
    from xmtj.ledger.records import as_dict

    data_out = as_dict(issue, json=True) | {"overdue_days": overdue, "path": issue.path}
    emit_table(output, ["字段", "内容"], [[k, v] for k, v in fields], data_out, wide=("内容",))


@meeting_app.command("list")
@handles_errors
def meeting_list(
    ledger: LedgerOption = None,
    at: AtOption = None,
    year: YearOption = None,
    kind: Annotated[EventKind | None, typer.Option("--kind", help="调度会、集中开工或集中观摩")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """列出调度会、集中开工、集中观摩活动，以及每次活动涉及的项目和提出的问题数。

    示例：xmtj meeting list --year 2021 --kind 调度会
    """
    data = open_ledger(ledger, at)
    raised: dict[str, int] = {}
    for i in data.issues:
        if i.meeting:
            raised[i.meeting] = raised.get(i.meeting, 0) + 1
    chosen = [
        m
        for m in sorted(data.meetings, key=lambda m: (m.date, m.id))
        if (year is None or m.date.year == year) and (kind is None or m.kind == kind.value)
    ]
    from xmtj.ledger.records import as_dict

    items = [as_dict(m, json=True) | {"issues_raised": raised.get(m.id, 0)} for m in chosen]
    headers = ["编号", "类型", "日期", "名称", "主持", "项目数", "提出问题"]
    rows = [
        [m.id, m.kind, _d(m.date), m.title, m.chair or "—", str(len(m.projects)), str(raised.get(m.id, 0))]
        for m in chosen
    ]
    counts = "，".join(f"{k}{sum(1 for m in chosen if m.kind == k)}次" for k in ("调度会", "集中开工", "集中观摩"))
    emit_table(
        output,
        headers,
        rows,
        {"meetings": items},
        title=f"活动（{counts}）",
        right=("项目数", "提出问题"),
        wide=("名称", "主持"),
    )


@letter_app.command("list")
@handles_errors
def letter_list(
    ledger: LedgerOption = None,
    at: AtOption = None,
    year: YearOption = None,
    pending: Annotated[bool, typer.Option("--pending", help="只列尚未收到书面反馈的函")] = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """列出已发的督办提醒函及反馈情况。

    示例：xmtj letter list --year 2021　　xmtj letter list --pending
    """
    from xmtj.documents.letters import feedback_state

    data = open_ledger(ledger, at)
    projects = data.project_by_id
    chosen = [
        x for x in data.letters if (year is None or x.year == year) and (not pending or x.feedback.received_on is None)
    ]
    headers = ["文号", "成文日期", "项目", "主送单位", "亮灯", "反馈期限", "反馈情况"]
    rows = [
        [
            x.doc_no,
            _d(x.date),
            f"{x.project} {projects[x.project].name}" if x.project in projects else x.project,
            x.recipient,
            x.light,
            _d(x.feedback_due),
            feedback_state(x, data.today),
        ]
        for x in chosen
    ]
    from xmtj.ledger.records import as_dict

    items = [as_dict(x, json=True) | {"feedback_state": feedback_state(x, data.today)} for x in chosen]
    emit_table(
        output,
        headers,
        rows,
        {"letters": items},
        title=f"督办提醒函（{len(chosen)}份）",
        wide=("项目", "主送单位", "反馈情况"),
    )
    if not chosen and output is OutputFormat.table:
        say("没有符合条件的督办提醒函。")
