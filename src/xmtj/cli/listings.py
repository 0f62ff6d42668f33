"""Each listing's rows and JSON, built once from the core's results (``xmtj.cli.output.Listing``).

The status listing is in ``xmtj.cli.views`` (it has its own terminal layout); these are the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xmtj.cli.output import Listing
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
    headers = ["文件", "行", "列", "字段", "说明", "级别"]
    rows = [
        [
            p.path,
            str(p.line or ""),
            str(p.column or ""),
            p.field,
            p.message,
            "警告" if p.severity == "warning" else "错误",
        ]
        for p in found
    ]
    return Listing(headers, rows, {"problems": [p.as_dict() for p in found]})


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
    title = f"问题台账（{len(items)}个，按{day.isoformat()}计）"
    data = {"as_of": day.isoformat(), "issues": items}
    wide = ("所属项目", "存在问题", "来源", "责任单位")
    return Listing(headers, rows, data, title=title, right=("逾期天数",), wide=wide)


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
    return Listing(["字段", "内容"], [[k, v] for k, v in fields], data, wide=("内容",))


def meetings(chosen: Sequence[Meeting], raised: dict[str, int]) -> Listing:
    items = [to_plain(m) | {"issues_raised": raised.get(m.id, 0)} for m in chosen]
    headers = ["编号", "类型", "日期", "名称", "主持", "项目数", "提出问题"]
    rows = [
        [m.id, m.kind, _d(m.date), m.title, m.chair or "—", str(len(m.projects)), str(raised.get(m.id, 0))]
        for m in chosen
    ]
    counts = "，".join(f"{k}{sum(1 for m in chosen if m.kind == k)}次" for k in EVENT_KINDS)
    return Listing(
        headers,
        rows,
        {"meetings": items},
        title=f"活动（{counts}）",
        right=("项目数", "提出问题"),
        wide=("名称", "主持"),
    )


def letters(ledger: Ledger, chosen: Sequence[Letter]) -> Listing:
    from xmtj.documents.letters import feedback_state

    projects = ledger.project_by_id
    headers = ["文号", "成文日期", "项目", "主送单位", "亮灯", "反馈期限", "反馈情况"]
    rows = [
        [
            x.doc_no,
            _d(x.date),
            f"{x.project} {projects[x.project].name}" if x.project in projects else x.project,
            x.recipient,
            x.light,
            _d(x.feedback_due),
            feedback_state(x, ledger.today),
        ]
        for x in chosen
    ]
    items = [to_plain(x) | {"feedback_state": feedback_state(x, ledger.today)} for x in chosen]
    return Listing(
        headers,
        rows,
        {"letters": items},
        title=f"督办提醒函（{len(chosen)}份）",
        wide=("项目", "主送单位", "反馈情况"),
        empty="没有符合条件的督办提醒函。",
    )


def drafts(found: Sequence[Draft], title: str) -> Listing:
    headers = ["文号", "项目编号", "项目名称", "主送单位", "亮灯", "原因"]
    rows = [
        [
            d.doc_no,
            d.project_id,
            d.status.project.name,
            d.status.project.responsible_unit,
            "红灯" if d.status.light == "red" else "黄灯",
            "；".join(d.status.reasons),
        ]
        for d in found
    ]
    return Listing(headers, rows, None, title=title, wide=("项目名称", "主送单位", "原因"))


def plan(summary: PlanSummary, year: int) -> Listing:
    from xmtj.documents.annual import PLAN_GROUPS

    by_type = {g.key: g for g in summary.groups["investment_type"]}
    parts = [f"{year}年重点项目{summary.projects}个，总投资{fmt.yi(summary.total_investment)}亿元"]
    parts += [f"{k}项目{g.projects}个、总投资{fmt.yi(g.total_investment)}亿元" for k, g in sorted(by_type.items())]
    headline = parts[0] + ("；其中" + "，".join(parts[1:]) if parts[1:] else "") + "。"
    headers = ["分组", "类别", "项目数", "总投资(万元)", "总投资(亿元)", f"{year}年计划投资(万元)"]
    rows = [
        [PLAN_GROUPS[by], g.key, str(g.projects), fmt.wan(g.total_investment), fmt.yi(g.total_investment)]
        + [fmt.wan(g.annual_plan)]
        for by, groups in summary.groups.items()
        for g in groups
    ]
    data = {"year": year} | to_plain(summary)
    empty = f"没有列入{year}年的重点项目（项目文件的 key_years 中没有 {year}）。" if not summary.projects else None
    return Listing(headers, rows, data, headline=headline, right=tuple(headers[2:]), wide=("类别",), empty=empty)


def log(entries: Sequence[LogEntry], record_id: str | None, tags: dict[str, list[str]] | None = None) -> Listing:
    """The history; a commit that a month was submitted at (``报送/2021-11``) is marked so."""
    rows = []
    tags = tags or {}
    for entry in entries:
        bulk = entry.bulk_words()
        lines = [bulk] if bulk else []
        for f in entry.files:
            if record_id is None or f.status != "M":
                lines.append(f.words())
            if f.status in "MR":  # a new or deleted file is one line, not a list of its fields
                lines += [("  " if record_id is None else "") + c.words() for c in f.changes]
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
    return Listing(["时间", "作者", "提交", "说明", "变更"], rows, data, title=title, wide=("说明", "变更"))


def diff(changes: Sequence[FileChange], counts: dict[str, int], rev: str | None, rev2: str | None) -> Listing:
    rows = [[c.words(), "\n".join(f.words() for f in c.changes) if c.status in "MR" else "—"] for c in changes]
    title = (
        f"{rev or 'HEAD'} → {rev2 or '工作区'}：新增{counts['added']}个，删除{counts['removed']}个，"
        f"修改{counts['changed']}个文件"
    )
    data = {"from": rev or "HEAD", "to": rev2 or "工作区", "summary": counts, "files": [c.as_dict() for c in changes]}
    notes = [f"注意：{counts['retroactive']}处修改涉及已发出通报的月份数据"] if counts["retroactive"] else []
    return Listing(["文件", "字段变化"], rows, data, title=title, wide=("文件", "字段变化"), notes=notes)


def approvals(rows: Sequence[ApprovalRow], departments: Sequence[DepartmentSummary], day: dt.date) -> Listing:
    """``xmtj approvals``: each approval with its state and wait; the pending ones by department."""
    headers = ["项目编号", "项目名称", "手续", "状态", "日期", "文号", "审批部门", "等待天数"]
    table = [
        [
            r.project.id,
            r.project.name,
            r.approval.item,
            r.approval.status,
            _d(r.approval.date),
            r.approval.doc_no or "",
            r.department or "",
            str(r.days_waiting) if r.days_waiting is not None else "",
        ]
        for r in rows
    ]
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
    return Listing(headers, table, data, title=title, right=("等待天数",), wide=("项目名称",),
                   empty="没有符合条件的手续。", notes=(["按审批部门：", *notes] if notes else []))  # fmt: skip


def dispatch(month: Month, due: dt.date, states: Sequence[UnitReturn]) -> Listing:
    """``dispatch status``: each unit sent a sheet — whether its projects have the month's figures (by
    whatever route they came), when the last arrived, and how."""
    headers = ["责任单位", "项目数", "已填报", "状态", "交回日期", "填报方式"]
    rows = [[s.unit, str(s.projects), str(s.reported), s.state, _d(s.returned_on), "、".join(s.routes)] for s in states]
    data = {"month": month.key, "due": due.isoformat(), "units": [
        {"unit": s.unit, "projects": s.projects, "reported": s.reported, "state": s.state,
         "returned_on": _d(s.returned_on) or None, "routes": list(s.routes), "commit": s.commit, "late": s.late}
        for s in states]}  # fmt: skip
    owing = [s.unit for s in states if not s.complete]
    done = len(states) - len(owing)
    title = f"{month.cn}月报交回情况（交回期限 {due.isoformat()}；已报送{done}个，未报齐{len(owing)}个）"
    return Listing(headers, rows, data, title=title, right=("项目数", "已填报"), wide=("责任单位", "填报方式"))
