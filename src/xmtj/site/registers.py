"""The pages of the groups (分指挥部, 责任单位, 包联领导: a list of each, ranked, and a page per value) and of the
registers: 问题 (open first, overdue first; by category and by unit), 手续 (pending by department, days
waiting), 督办 (letters, replies, overdue replies) and 月报交回 (which units reported each month, and how)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from xmtj.documents.letters import feedback_state
from xmtj.documents.narrative import unanswered
from xmtj.figures.approvals import approval_rows, by_department
from xmtj.figures.metrics import ProjectStatus, Summary
from xmtj.figures.returns import unit_returns
from xmtj.figures.sentences import headline
from xmtj.figures.status import group_keys, group_summaries
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Issue, Letter, Project
from xmtj.ledger.register import dispatched
from xmtj.months import Month
from xmtj.site.charts import Bar, ranking_chart
from xmtj.site.context import (
    GROUP_KINDS,
    GROUP_PAGES,
    Page,
    by_light,
    group_path,
    keyed,
    list_pages,
    project_row,
)


@dataclass(frozen=True)
class IssueRow:
    issue: Issue
    project: Project | None
    open: bool
    overdue_days: int


def issue_rows(issues: Sequence[Issue], projects: dict[str, Project], day: dt.date) -> list[IssueRow]:
    """The problems raised by ``day``: open ones first, the longest overdue first; then the resolved."""
    rows = [
        IssueRow(i, projects.get(i.project or ""), i.is_open_on(day), i.days_overdue(day))
        for i in issues
        if i.raised_on <= day
    ]
    return sorted(rows, key=lambda r: (not r.open, -r.overdue_days, r.issue.raised_on, r.issue.id))


def issue_counts(rows: Sequence[IssueRow], key: str) -> list[tuple[str, int, int, int]]:
    """(category or unit, open, of them overdue, resolved), most open first."""
    table: dict[str, list[int]] = {}
    for r in rows:
        name = r.issue.category if key == "category" else r.issue.responsible_unit
        counts = table.setdefault(name, [0, 0, 0])
        counts[0 if r.open else 2] += 1
        counts[1] += 1 if r.open and r.overdue_days else 0
    return sorted(((k, *v) for k, v in table.items()), key=lambda t: (-t[1], -t[2], t[0]))  # type: ignore[misc]


def group_pages(ledger: Ledger, statuses: Sequence[ProjectStatus], s: Summary) -> list[Page]:
    """For each grouping: its list (ranked by 完成率) and one page per value, with its figures, its projects
    and their problems."""
    pages = []
    projects = keyed(statuses)
    for kind, word in GROUP_KINDS.items():
        groups = group_summaries(statuses, kind, s.year, s.as_of, ledger.config.lights)
        chart = None
        if kind == "branch":
            bars = [Bar(g.key, g.plan_rate, group_path(kind, g.key)) for g in groups]
            chart = ranking_chart(f"各{word}完成年度计划情况", bars, s.time_progress, "时序进度")
        listing = {"kind": kind, "word": word, "groups": groups, "chart": chart, "summary": s, "group_path": group_path}
        pages.append(Page(GROUP_PAGES[kind], "groups.html.j2", f"{word}（{len(groups)}个）", listing, kind))
        members: dict[str, list[ProjectStatus]] = {}
        for x in statuses:
            for key in group_keys(x.project, kind):
                members.setdefault(key, []).append(x)
        for g in groups:
            pages += group_value_pages(ledger, kind, g, members[g.key], projects)
    return pages


def group_value_pages(
    ledger: Ledger, kind: str, g: Summary, mine: Sequence[ProjectStatus], projects: dict[str, Project]
) -> list[Page]:
    """One grouping value's page (paged past ``PAGE_ROWS`` projects): its figures, projects and problems (its
    projects', and for a 责任单位 those it is responsible for)."""
    word = GROUP_KINDS[kind]
    ids = {x.project.id for x in mine}
    unit = g.key if kind == "responsible_unit" else None
    issues = issue_rows([i for i in ledger.issues if i.project in ids or i.responsible_unit == unit], projects, g.as_of)
    rows = by_light(project_row(x) for x in mine)
    shared = {"kind": kind, "word": word, "group": g, "list_page": GROUP_PAGES[kind], "headline": headline(g),
              "total": len(rows), "issue_total": len(issues), "issues": issues[:100]}  # fmt: skip
    return list_pages(
        group_path(kind, g.key), rows, "group.html.j2", f"{word}：{g.key}", shared, kind
    )  # problems: page 1


def issue_pages(ledger: Ledger, statuses: Sequence[ProjectStatus], day: dt.date) -> list[Page]:
    rows = issue_rows(ledger.issues, keyed(statuses), day)
    values = {
        "by_category": issue_counts(rows, "category"),
        "by_unit": issue_counts(rows, "unit"),
        "open": sum(1 for r in rows if r.open),
        "overdue": sum(1 for r in rows if r.open and r.overdue_days),
        "resolved": sum(1 for r in rows if not r.open),
        "total": len(rows),
    }
    return list_pages("issues.html", rows, "issues.html.j2", f"问题（{len(rows)}个）", values, "issues")


def approval_pages(ledger: Ledger, statuses: Sequence[ProjectStatus], day: dt.date) -> list[Page]:
    rows = approval_rows(ledger, day, projects=[s.project for s in statuses])
    pending = sorted((r for r in rows if r.pending), key=lambda r: (-(r.days_waiting or -1), r.project.id))
    recorded = {r.project.id for r in rows}
    values = {
        "departments": by_department(rows),
        "recorded": len(rows),
        "projects": len(recorded),
        "without": len(statuses) - len(recorded),
        "done": sum(1 for r in rows if r.approval.status == "已办结"),
        "pending_total": len(pending),
    }
    title = f"手续（待办{len(pending)}项）"
    return list_pages("approvals.html", pending, "approvals.html.j2", title, values, "approvals")


def awaiting(letters: Sequence[Letter], day: dt.date) -> list[Letter]:
    """Letters issued by ``day``, not voided, with no reply received by then: overdue first."""
    found = [
        x
        for x in letters
        if x.date <= day
        and (x.voided is None or x.voided.date > day)
        and (x.feedback.received_on is None or x.feedback.received_on > day)
    ]
    return sorted(found, key=lambda x: (not unanswered(x, day), x.feedback_due, x.number))


def letter_pages(ledger: Ledger, statuses: Sequence[ProjectStatus], day: dt.date) -> list[Page]:
    sent = sorted((x for x in ledger.letters if x.date <= day), key=lambda x: (x.date, x.number), reverse=True)
    projects = keyed(statuses)
    rows = [(x, projects.get(x.project), feedback_state(x, day), unanswered(x, day)) for x in sent]
    live = [x for x in sent if x.voided is None or x.voided.date > day]
    waiting = awaiting(sent, day)
    late = sum(1 for x in waiting if unanswered(x, day))
    values = {"issued": len(sent), "voided": len(sent) - len(live), "replied": len(live) - len(waiting),
              "overdue": late, "waiting": len(waiting) - late}  # fmt: skip
    return list_pages("letters.html", rows, "letters.html.j2", f"督办提醒函（{len(sent)}份）", values, "letters")


@dataclass(frozen=True)
class ReturnCell:
    text: str
    css: str  # done part none
    title: str
    day: str = ""  # MM-DD the last figure was recorded (when all are in)


def returns_page(
    ledger: Ledger, statuses: Sequence[ProjectStatus], s: Summary, came: dict[tuple[str, str], tuple[str, str]]
) -> Page:
    """Each unit's figures of each month to the 截至 month: all its key projects' (已报), some, or none, and
    when and by whom the last of them was recorded (``came``: from the history); where a 调度表 was sent for
    the month, its state as ``dispatch status`` gives it (交回日期, 逾期, how)."""
    last = s.as_of.month if s.as_of.year == s.year else 12
    months = [Month(s.year, m) for m in range(1, last + 1)]
    units: dict[str, list[Project]] = {}
    for x in statuses:
        units.setdefault(x.project.responsible_unit, []).append(x.project)
    sent = {m: d for m in months if (d := dispatched(ledger, m)) is not None}
    states = {m: {r.unit: r for r in unit_returns(ledger, m, d)} for m, d in sent.items()}
    table = []
    for unit in sorted(units):
        cells = []
        for m in months:
            own = [p for p in units[unit] if m.key in p.progress]
            n, total = len(own), len(units[unit])
            state = states.get(m, {}).get(unit)
            word = state.state if state else ("已报" if n == total else f"{n}/{total}" if n else "未报")
            how = f"，{'、'.join(state.routes)}" if state and state.routes else ""
            latest = max((came[(p.id, m.key)] for p in own if (p.id, m.key) in came), default=None)
            if n < total:
                latest = None  # when the last figure came is said only once all have
            if latest:
                how += f"；最后一项{latest[0]}由{latest[1]}录入"
            css = "done" if n == total else "part" if n else "none"
            cells.append(
                ReturnCell(word, css, f"{unit} {m.cn}：{n}/{total}个项目有数据{how}", latest[0][5:] if latest else "")
            )
        table.append((unit, len(units[unit]), cells))
    complete = [sum(1 for _, _, cells in table if cells[i].css == "done") for i in range(len(months))]
    values = {
        "months": months,
        "table": table,
        "complete": complete,
        "units": len(table),
        "dispatched": {m.key: d.due for m, d in sent.items()},
    }
    return Page("returns.html", "returns.html.j2", "月报交回情况", values, "returns")
