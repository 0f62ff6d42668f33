"""Each listing's rows and JSON, built once from the core's results (``xmtj.cli.output.Listing``).

The status listing is in ``xmtj.cli.views`` (it has its own terminal layout); these are the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xmtj.cli.output import Column, Listing
from xmtj.figures import fmt
from xmtj.ledger.records import to_plain
from xmtj.ledger.registry import EVENT_KINDS

if TYPE_CHECKING:
    from xmtj.changes.history import FileChange, LogEntry
    from xmtj.documents.annual import PlanSummary
    from xmtj.documents.letters import Draft
    from xmtj.figures.approvals import ApprovalRow, DepartmentSummary
    from xmtj.figures.returns import UnitReturn
    from xmtj.ledger.ledger import Ledger
    from xmtj.ledger.records import Issue, Letter, Meeting
    from xmtj.months import Month
    from xmtj.problems import Problem


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def problems(found: Sequence[Problem]) -> Listing:
    columns = [Column("文件"), Column("行", "count"), Column("列", "count"), Column("字段"), Column("说明", wide=True),
               Column("级别")]  # fmt: skip
    rows = [
        [p.path, p.line, p.column, p.field, p.message, "警告" if p.severity == "warning" else "错误"] for p in found
    ]
    return Listing(columns, rows, {"problems": [p.as_dict() for p in found]})


def issues(ledger: Ledger, chosen: Sequence[Issue], day: dt.date) -> Listing:
    projects, meetings = ledger.project_by_id, ledger.meeting_by_id
    items: list[dict[str, Any]] = [
        to_plain(i)
        | {
            "project_name": projects[i.project].name if i.project in projects else None,
            "meeting_title": meetings[i.meeting].title if i.meeting in meetings else None,
            "overdue_days": i.days_overdue(day),
        }
        for i in chosen
    ]
    columns = [Column("编号"), Column("所属项目", wide=True), Column("存在问题", wide=True), Column("类别"),
               Column("来源", wide=True), Column("提出日期", "date"), Column("责任单位", wide=True),
               Column("办结时限", "date"), Column("状态"), Column("逾期天数", "count")]  # fmt: skip
    rows = [
        [
            i.id,
            f"{i.project} {x['project_name'] or ''}".strip() if i.project else "—",
            i.description,
            i.category,
            i.source + (f"（{x['meeting_title']}）" if x["meeting_title"] else ""),
            i.raised_on,
            i.responsible_unit,
            i.deadline or "—",
            i.status,
            x["overdue_days"] or None,
        ]
        for i, x in zip(chosen, items, strict=True)
    ]
    title = f"问题台账（{len(items)}个，按{day.isoformat()}计）"
    data = {"as_of": day.isoformat(), "issues": items}
    return Listing(columns, rows, data, title=title)


def issue(ledger: Ledger, found: Issue, day: dt.date) -> Listing:
    project = ledger.project_by_id.get(found.project or "")
    meeting = ledger.meeting_by_id.get(found.meeting or "")
    overdue = found.days_overdue(day)
    fields = [
        ("问题编号", found.id),
        ("所属项目", f"{found.project} {project.name}" if project else (found.project or "—")),
        ("存在问题", found.description),
        ("类别", found.category),
        ("来源", found.source),
        ("提出活动", f"{meeting.id} {meeting.title}（{meeting.date}）" if meeting else (found.meeting or "—")),
        ("提出日期", _d(found.raised_on)),
        ("责任单位", found.responsible_unit),
        ("办结时限", _d(found.deadline) or "—"),
        ("状态", found.status + (f"（逾期{overdue}天）" if overdue else "")),
        ("办结日期", _d(found.resolved_on) or "—"),
        ("办理情况", found.resolution or "—"),
        ("文件", found.path),
    ]
    data = to_plain(found) | {"overdue_days": overdue, "path": found.path}
    return Listing([Column("字段"), Column("内容", wide=True)], [[k, v] for k, v in fields], data)


def meetings(chosen: Sequence[Meeting], raised: dict[str, int]) -> Listing:
    items = [to_plain(m) | {"issues_raised": raised.get(m.id, 0)} for m in chosen]
    columns = [Column("编号"), Column("类型"), Column("日期", "date"), Column("名称", wide=True),
               Column("主持", wide=True), Column("项目数", "count"), Column("提出问题", "count")]  # fmt: skip
    rows = [[m.id, m.kind, m.date, m.title, m.chair or "—", len(m.projects), raised.get(m.id, 0)] for m in chosen]
    counts = "，".join(f"{k}{sum(1 for m in chosen if m.kind == k)}次" for k in EVENT_KINDS)
    return Listing(columns, rows, {"meetings": items}, title=f"活动（{counts}）")


def letters(ledger: Ledger, chosen: Sequence[Letter]) -> Listing:
    from xmtj.documents.letters import feedback_state

    projects = ledger.project_by_id
    columns = [Column("文号"), Column("成文日期", "date"), Column("项目", wide=True), Column("主送单位", wide=True),
               Column("亮灯", "light"), Column("反馈期限", "date"), Column("反馈情况", wide=True)]  # fmt: skip
    rows = [
        [
            x.doc_no,
            x.date,
            f"{x.project} {projects[x.project].name}" if x.project in projects else x.project,
            x.recipient,
            x.light,
            x.feedback_due,
            feedback_state(x, ledger.today),
        ]
        for x in chosen
    ]
    items = [to_plain(x) | {"feedback_state": feedback_state(x, ledger.today)} for x in chosen]
    title = f"督办提醒函（{len(chosen)}份）"
    return Listing(columns, rows, {"letters": items}, title=title, empty="没有符合条件的督办提醒函。")


def drafts(found: Sequence[Draft], title: str) -> Listing:
    columns = [Column("文号"), Column("项目编号"), Column("项目名称", wide=True), Column("主送单位", wide=True),
               Column("亮灯", "light"), Column("原因", wide=True)]  # fmt: skip
    rows = [
        [
            d.doc_no,
            d.project_id,
            d.status.project.name,
            d.status.project.responsible_unit,
            "红灯" if d.status.light == "red" else "黄灯",
            "；".join(d.status.reason_texts),
        ]
        for d in found
    ]
    return Listing(columns, rows, None, title=title)


def plan(summary: PlanSummary, year: int) -> Listing:
    from xmtj.documents.annual import PLAN_GROUPS

    by_type = {g.key: g for g in summary.groups["investment_type"]}
    parts = [f"{year}年重点项目{summary.projects}个，总投资{fmt.yi(summary.total_investment)}亿元"]
    parts += [f"{k}项目{g.projects}个、总投资{fmt.yi(g.total_investment)}亿元" for k, g in sorted(by_type.items())]
    headline = parts[0] + ("；其中" + "，".join(parts[1:]) if parts[1:] else "") + "。"
    columns = [Column("分组"), Column("类别", wide=True), Column("项目数", "count"), Column("总投资(万元)", "money"),
               Column("总投资(亿元)", "count"), Column(f"{year}年计划投资(万元)", "money")]  # fmt: skip
    rows = [
        [PLAN_GROUPS[by], g.key, g.projects, g.total_investment, fmt.yi(g.total_investment), g.annual_plan]
        for by, groups in summary.groups.items()
        for g in groups
    ]
    data = {"year": year} | to_plain(summary)
    empty = f"没有列入{year}年的重点项目（项目文件的 key_years 中没有 {year}）。" if not summary.projects else None
    return Listing(columns, rows, data, headline=headline, empty=empty)


def log(entries: Sequence[LogEntry], record_id: str | None, tags: dict[str, list[str]] | None = None) -> Listing:
    """The history; a commit that a month was submitted at (``报送/2021-11``) is marked so."""
    rows = []
    tags = tags or {}
    for entry in entries:
        bulk = entry.bulk_words()
        lines = [bulk] if bulk else []
        for f in entry.files:
            if record_id is not None:
                lines += f.record_lines()
                continue
            lines.append(f.words())
            if f.status in "MR":  # a new or deleted file is one line, not a list of its fields
                lines += ["  " + c.words(f.kind) for c in f.changes]
        commit = entry.commit
        rows.append(
            [
                commit.date[:16].replace("T", " "),
                commit.author,
                commit.id[:8],
                commit.subject + "".join(f"〔{t}〕" for t in tags.get(commit.id, [])),
            ]
            + ["\n".join(lines) or "（无字段变化）"]
        )
    title = f"{record_id or '整个台账'}的修改历史（{len(entries)}次提交）"
    data = {"record": record_id, "entries": [e.as_dict() | {"submitted": tags.get(e.commit.id, [])} for e in entries]}
    columns = [Column("时间"), Column("作者"), Column("提交"), Column("说明", wide=True), Column("变更", wide=True)]
    return Listing(columns, rows, data, title=title)


def diff(changes: Sequence[FileChange], counts: dict[str, int], rev: str | None, rev2: str | None) -> Listing:
    rows = [[c.words(), "\n".join(f.words(c.kind) for f in c.changes) if c.status in "MR" else "—"] for c in changes]
    title = (
        f"{rev or 'HEAD'} → {rev2 or '工作区'}：新增{counts['added']}个，删除{counts['removed']}个，"
        f"修改{counts['changed']}个文件"
    )
    data = {"from": rev or "HEAD", "to": rev2 or "工作区", "summary": counts, "files": [c.as_dict() for c in changes]}
    notes = [f"注意：{counts['retroactive']}处修改涉及已发出通报的月份数据"] if counts["retroactive"] else []
    return Listing([Column("文件", wide=True), Column("字段变化", wide=True)], rows, data, title=title, notes=notes)


def approvals(rows: Sequence[ApprovalRow], departments: Sequence[DepartmentSummary], day: dt.date) -> Listing:
    """``xmtj approvals``: each approval with its state and wait; the pending ones by department."""
    columns = [Column("项目编号"), Column("项目名称", wide=True), Column("手续"), Column("状态"),
               Column("日期", "date"), Column("文号"), Column("审批部门"), Column("等待天数", "count")]  # fmt: skip
    table = [
        [r.project.id, r.project.name, r.approval.item, r.approval.status, r.approval.date, r.approval.doc_no or "",
         r.department or "", r.days_waiting]
        for r in rows
    ]  # fmt: skip
    data = {
        "as_of": day.isoformat(),
        "approvals": [
            {"project": r.project.id, "project_name": r.project.name}
            | to_plain(r.approval)
            | {"department": r.department, "days_waiting": r.days_waiting}
            for r in rows
        ],
        "by_department": [to_plain(d) for d in departments],
    }
    notes = [
        f"{d.department}：待办{d.pending}项（{d.projects}个项目；"
        + "、".join(f"{item}{n}项" for item, n in d.items.items())
        + (f"；最长已等待{d.longest}天）" if d.longest is not None else "）")
        for d in departments
    ]
    title = f"项目手续办理情况（截至{day.isoformat()}，{len(rows)}项）"
    return Listing(columns, table, data, title=title, empty="没有符合条件的手续。",
                   notes=(["按审批部门：", *notes] if notes else []))  # fmt: skip


def dispatch(month: Month, due: dt.date, states: Sequence[UnitReturn]) -> Listing:
    """``dispatch status``: each unit sent a sheet — whether its projects have the month's figures (by
    whatever route they came), when the last arrived, and how."""
    columns = [Column("责任单位", wide=True), Column("项目数", "count"), Column("已填报", "count"), Column("状态"),
               Column("交回日期", "date"), Column("填报方式", wide=True)]  # fmt: skip
    rows = [[s.unit, s.projects, s.reported, s.state, s.returned_on, "、".join(s.routes)] for s in states]
    data = {"month": month.key, "due": due.isoformat(), "units": [
        {"unit": s.unit, "projects": s.projects, "reported": s.reported, "state": s.state,
         "returned_on": _d(s.returned_on) or None, "routes": list(s.routes), "commit": s.commit, "late": s.late}
        for s in states]}  # fmt: skip
    owing = [s.unit for s in states if not s.complete]
    done = len(states) - len(owing)
    title = f"{month.cn}月报交回情况（交回期限 {due.isoformat()}；已报送{done}个，未报齐{len(owing)}个）"
    return Listing(columns, rows, data, title=title)
