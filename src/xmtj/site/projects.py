"""The 项目 pages: the table of every key project (paged, sortable and filterable by the page's script, whole
without it) and one page per project — its record, its figures by month against its plan, 形象进度, problems
(open first), letters and replies, approvals, and its history from git, as ``xmtj log ID`` reads it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xmtj.changes.history import LogEntry
from xmtj.documents.letters import feedback_state
from xmtj.figures import fmt
from xmtj.figures.approvals import approval_rows_of
from xmtj.figures.metrics import ProjectStatus
from xmtj.figures.schedule import completed_in_year, month_figure, own_share, schedule_amount
from xmtj.ledger.labels import label
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Issue, Letter, Project
from xmtj.months import Month, expected_share_of_year, month_end
from xmtj.site.charts import Series, line_chart
from xmtj.site.context import Page, ProjectRow, by_light, list_pages, project_path, project_row

RECORD_FIELDS = (
    "owner",
    "content",
    "capacity",
    "location",
    "levels",
    "investment_type",
    "nature",
    "sector",
    "six_new",
    "key_years",
    "branch",
    "responsible_unit",
    "liaison_leader",
    "total_investment",
    "planned_start",
    "planned_completion",
    "planned_production",
    "actual_start",
    "actual_completion",
    "actual_production",
    "remarks",
)


def table_pages(rows: Sequence[ProjectRow], title: str = "重点项目") -> list[Page]:
    """``projects.html`` (and ``projects-2.html`` … past ``PAGE_ROWS``): red first, with the filters' choices."""
    ordered = by_light(rows)
    choices = {
        "light": [w for w in ("红灯", "黄灯", "绿灯", "未到期") if any(r.light_word == w for r in ordered)],
        "branch": sorted({r.branch for r in ordered}),
        "stage": sorted({r.stage for r in ordered}),
        "level": sorted({level for r in ordered for level in r.levels}),
    }
    values = {"choices": choices, "total": len(ordered)}
    return list_pages("projects.html", ordered, "projects.html.j2", f"{title}（{len(ordered)}个）", values, "projects")


@dataclass(frozen=True)
class HistoryItem:
    """One commit as a record's history shows it."""

    date: str
    author: str
    commit: str
    subject: str
    lines: tuple[str, ...]


def histories(entries: Sequence[LogEntry]) -> dict[str, list[HistoryItem]]:
    """The whole ledger's history (``xmtj.changes.history.log``) split by record: each project's commits,
    newest first, with the fields they changed in the office's words."""
    found: dict[str, list[HistoryItem]] = defaultdict(list)
    for entry in entries:
        c = entry.commit
        stamp = c.date[:16].replace("T", " ")
        touched: dict[str, list[str]] = defaultdict(list)
        for status, kinds in (entry.bulk or {}).items():
            for rid in kinds.get("projects", []):
                touched[rid].append(f"{status}项目")
        for f in entry.files:
            if f.kind != "projects":
                continue
            touched[f.record] += f.record_lines() or ["（无字段变化）"]
        for rid, lines in touched.items():
            found[rid].append(HistoryItem(stamp, c.author, c.id[:8], c.subject, tuple(lines)))
    return found


def arrivals(entries: Sequence[LogEntry]) -> dict[tuple[str, str], tuple[str, str]]:
    """(project, month) → (date, author) of the commit that first recorded the month's figure, from the same
    history (newest first, so the last one seen is the first)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for entry in entries:
        for f in entry.files:
            if f.kind != "projects":
                continue
            for change in f.changes:
                name = change.field
                if (
                    name.startswith("progress.")
                    and name.count(".") == 1
                    and change.old is None
                    and change.new is not None
                ):
                    found[(f.record, name[9:])] = (entry.commit.date[:10], entry.commit.author)
    return found


@dataclass(frozen=True)
class MonthRow:
    month: str
    plan: Decimal | None
    amount: Decimal | None
    cumulative: Decimal
    text: str | None


def month_rows(project: Project, year: int, as_of: dt.date) -> list[MonthRow]:
    """Each month of the year to the 截至 day: its plan, its figure (an opening balance said in its text),
    the year's cumulative and the 形象进度."""
    last = as_of.month if as_of.year == year else 12
    rows = []
    for m in range(1, last + 1):
        month = Month(year, m)
        amount, text = month_figure(project, month.key)
        entry = project.progress.get(month.key)
        if entry is not None and entry.since is not None:
            text = f"期初数（{int(entry.since.split('-')[1])}—{m}月累计{fmt.wan(entry.amount)}万元）" + (
                f"；{text}" if text else ""
            )
        cumulative = completed_in_year(project, year, min(month.last_day, as_of))
        rows.append(MonthRow(f"{m}月", project.monthly_plan.get(month.key), amount, cumulative, text))
    return rows


def project_chart(s: ProjectStatus, rows: Sequence[MonthRow]) -> Any:
    """The project's cumulative completion against its monthly plan's cumulative (when it has one) and its
    按时序应完成 (annual plan × its 序时进度 at each month's end)."""
    if not s.annual_plan and not any(r.cumulative for r in rows):
        return None
    year = s.year
    days = [min(month_end(year, m), s.as_of) for m in range(1, len(rows) + 1)]
    series = [Series("累计完成", "done", [r.cumulative for r in rows])]
    if s.project.monthly_plan:
        planned, total = [], Decimal(0)
        for m in range(1, len(rows) + 1):
            total += s.project.monthly_plan.get(Month(year, m).key, Decimal(0))
            planned.append(total)
        series.append(Series("月度计划累计", "due", planned))
    else:  # its 序时: the year's, or its own from its planned start month
        start = s.schedule_start
        shares = [own_share(start, d) if start else expected_share_of_year(year, d) for d in days]
        series.append(Series("按时序应完成", "due", [schedule_amount(s.annual_plan, share) for share in shares]))
    series.append(Series("年度计划", "plan", [s.annual_plan] * len(rows)))
    return line_chart(f"{s.project.name}：累计完成投资（万元）", [r.month for r in rows], series)


def record_fields(project: Project) -> list[tuple[str, str]]:
    """The record's fields, by their labels, as written (empty ones left out)."""
    out = []
    for name in RECORD_FIELDS:
        value = getattr(project, name)
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        elif isinstance(value, dt.date):
            value = fmt.date_cn(value)
        elif isinstance(value, Decimal):
            value = f"{fmt.wan(value)}万元"
        out.append((label(name), str(value)))
    if project.annual_plan:
        plans = "；".join(f"{y}年{fmt.wan(a)}万元" for y, a in sorted(project.annual_plan.items()))
        out.append((label("annual_plan"), plans))
    if project.contact is not None and (project.contact.name or project.contact.phone):
        out.append((label("contact"), " ".join(x for x in (project.contact.name, project.contact.phone) if x)))
    return out


def project_pages(
    ledger: Ledger, statuses: Sequence[ProjectStatus], history: dict[str, list[HistoryItem]] | None
) -> list[Page]:
    """One page per key project."""
    issues: dict[str, list[Issue]] = defaultdict(list)
    for i in ledger.issues:
        if i.project:
            issues[i.project].append(i)
    letters: dict[str, list[Letter]] = defaultdict(list)
    for x in ledger.letters:
        letters[x.project].append(x)
    pages = []

    def values(s: ProjectStatus) -> Callable[[], dict[str, Any]]:
        def made() -> dict[str, Any]:  # when the page is rendered: a 10,000-project site never holds them all
            p, day = s.project, s.as_of
            rows = month_rows(p, s.year, day)
            mine = sorted((i for i in issues[p.id] if i.raised_on <= day), key=lambda i: (not i.is_open_on(day), i.id))
            sent = sorted((x for x in letters[p.id] if x.date <= day), key=lambda x: (x.date, x.number))
            return {
                "s": s,
                "row": project_row(s),
                "record": record_fields(p),
                "months": rows,
                "chart": project_chart(s, rows),
                "issues": [(i, i.is_open_on(day), i.days_overdue(day)) for i in mine],
                "letters": [(x, feedback_state(x, day)) for x in sent],
                "approvals": approval_rows_of(p, ledger.config, day),
                "history": history.get(p.id, []) if history is not None else None,
            }

        return made

    for s in statuses:
        p = s.project
        pages.append(Page(project_path(p.id), "project.html.j2", f"{p.id} {p.name}", values(s), "projects"))
    return pages


def rows_of(statuses: Sequence[ProjectStatus]) -> list[ProjectRow]:
    return [project_row(s) for s in statuses]
