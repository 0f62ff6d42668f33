"""The monthly briefing (通报), the annual summary and next year's plan: contexts for the templates.

Every figure here is counted from records; the templates only arrange and word them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xmtj.documents.templates import place_words
from xmtj.figures import fmt
from xmtj.figures.metrics import (
    LIGHT_WORDS,
    ProjectStatus,
    Summary,
    group_summaries,
    key_projects,
    statuses_for,
    summarize,
)
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Issue, Letter, Project
from xmtj.ledger.register import briefing_doc_no
from xmtj.ledger.registry import EVENT_KINDS
from xmtj.months import Month, month_end
from xmtj.problems import XmtjError


def _in_month(day: dt.date | None, year: int, month: int) -> bool:
    return day is not None and day.year == year and day.month == month


def _in_year_by(day: dt.date | None, year: int, as_of: dt.date) -> bool:
    return day is not None and day.year == year and day <= as_of


@dataclass(frozen=True)
class IssueCounts:
    """问题协调: raised, resolved and overdue, with 办结率 = resolved / raised."""

    raised: int
    resolved: int
    overdue: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.resolved, self.raised) if self.raised else None


def issue_counts(issues: Iterable[Issue], within: Callable[[dt.date | None], bool], as_of: dt.date) -> IssueCounts:
    """Raised and resolved within the period; overdue: every problem still open past its deadline on ``as_of``."""
    pool = list(issues)
    return IssueCounts(
        raised=sum(1 for i in pool if within(i.raised_on)),
        resolved=sum(1 for i in pool if i.status == "已办结" and within(i.resolved_on)),
        overdue=sum(1 for i in pool if i.is_overdue_on(as_of)),
    )


def _group_rows(groups: list[Summary], with_rank: bool = False) -> list[dict[str, Any]]:
    rows = []
    for rank, g in enumerate(groups, start=1):
        rows.append(
            {
                "key": g.key,
                "projects": g.projects,
                "annual_plan": g.annual_plan,
                "completed_ytd": g.completed_ytd,
                "plan_rate": g.plan_rate,
                "ahead": g.ahead,
                "start_rate": g.start_resume.rate,
                "lights": g.lights,
                "rank": rank if with_rank else None,
            }
        )
    return rows


def _project_row(s: ProjectStatus) -> dict[str, Any]:
    return {
        "id": s.project.id,
        "name": s.project.name,
        "branch": s.project.branch,
        "responsible_unit": s.project.responsible_unit,
        "liaison_leader": s.project.liaison_leader,
        "stage": s.stage,
        "total_investment": s.project.total_investment,
        "annual_plan": s.annual_plan,
        "completed_ytd": s.completed_ytd,
        "plan_rate": s.plan_rate,
        "ahead": -s.lag if s.lag is not None else None,
        "light": LIGHT_WORDS[s.light] if s.light else "—",
        "reasons": "；".join(s.reasons),
    }


def _letter_row(letter: Letter, projects: dict[str, Project], today: dt.date) -> dict[str, Any]:
    from xmtj.documents.letters import feedback_state

    project = projects.get(letter.project)
    return {
        "doc_no": letter.doc_no,
        "date": letter.date,
        "project": letter.project,
        "name": project.name if project else letter.project,
        "recipient": letter.recipient,
        "light": letter.light,
        "feedback_due": letter.feedback_due,
        "feedback": feedback_state(letter, today),
    }


def _summary_context(s: Summary) -> dict[str, Any]:
    return {
        "projects": s.projects,
        "total_investment": s.total_investment,
        "annual_plan": s.annual_plan,
        "completed_ytd": s.completed_ytd,
        "annual_target": s.annual_target,
        "target_rate": s.target_rate,
        "plan_rate": s.plan_rate,
        "time_progress": s.time_progress,
        "ahead": s.ahead,
        "new_start": s.new_start,
        "start_resume": s.start_resume,
        "scheduled_start": s.scheduled_start,
        "completion": s.completion,
        "production": s.production,
        "progress_rate": s.progress_rate,
        "lights": s.lights,
        "slow": len(s.lagging),
    }


def monthly_context(ledger: Ledger, year: int, month: int, date: dt.date | None = None) -> dict[str, Any]:
    """关于Y年1—M月全市（全县）重点项目建设进展情况的通报, figures as of the month's last day."""
    as_of = month_end(year, month)
    lights = ledger.config.lights
    statuses = statuses_for(ledger.projects, ledger.issues, year, as_of, lights)
    summary = summarize(statuses, year, as_of, lights, ledger.config.targets.get(year))
    projects = ledger.project_by_id

    def this_month(day: dt.date | None) -> bool:
        return _in_month(day, year, month)

    def this_year(day: dt.date | None) -> bool:
        return _in_year_by(day, year, as_of)

    def started_in_month(s: ProjectStatus) -> bool:
        return this_month(s.project.actual_start)

    open_problems: dict[str, list[str]] = {}
    for issue in sorted(ledger.issues, key=lambda i: i.id):
        if issue.project and issue.is_open_on(as_of):
            open_problems.setdefault(issue.project, []).append(issue.description)

    return {
        "office": ledger.config.office,
        "city": ledger.config.city,
        "place": place_words(ledger.config),
        "year": year,
        "month": month,
        "as_of": as_of,
        "date": date or as_of,  # 成文日期
        "doc_no": briefing_doc_no(ledger, f"{year:04d}-{month:02d}", (date or as_of).year),
        "span": fmt.months_span(as_of),
        "title": f"关于{year}年{fmt.months_span(as_of)}{place_words(ledger.config)['whole']}重点项目建设进展情况的通报",
        "summary": _summary_context(summary),
        "by_level": _group_rows(group_summaries(statuses, "level", year, as_of, lights)),
        "by_investment_type": _group_rows(group_summaries(statuses, "investment_type", year, as_of, lights)),
        "by_sector": _group_rows(group_summaries(statuses, "sector", year, as_of, lights)),
        "branches": _group_rows(group_summaries(statuses, "branch", year, as_of, lights), with_rank=True),
        "lagging": [_project_row(s) for s in summary.lagging],
        "issues_month": issue_counts(ledger.issues, this_month, as_of),
        "issues_year": issue_counts(ledger.issues, this_year, as_of),
        "overdue_issues": [
            {
                "id": i.id,
                "project": projects[i.project].name if i.project in projects else "—",
                "description": i.description,
                "responsible_unit": i.responsible_unit,
                "deadline": i.deadline,
                "days": i.days_overdue(as_of),
            }
            for i in sorted(ledger.issues, key=lambda i: i.id)
            if i.is_overdue_on(as_of)
        ],
        "letters": [_letter_row(x, projects, as_of) for x in ledger.letters if this_month(x.date)],
        "meetings": dict(Counter(m.kind for m in ledger.meetings if this_month(m.date))),
        "new_starts": [_project_row(s) for s in statuses if started_in_month(s)],
        "completions": [_project_row(s) for s in statuses if this_month(s.project.actual_completion)],
        "productions": [_project_row(s) for s in statuses if this_month(s.project.actual_production)],
        "approvals": _approval_context(ledger, statuses, as_of),
        "dispatch": _dispatch_context(ledger, Month(year, month)),
        "month_total": sum((_month_entry(s)[0] or ZERO for s in statuses), ZERO),  # 当月完成投资, 万元
        "details": [_detail_row(s, open_problems) for s in statuses],
    }


ZERO = Decimal(0)


def _dispatch_context(ledger: Ledger, month: Month) -> dict[str, Any] | None:
    """The month's 调度表: how many units returned theirs, and which have not (None when none was sent)."""
    from xmtj.ledger.register import dispatch_returns, dispatched

    sent = dispatched(ledger, month)
    if sent is None:
        return None
    returned = dispatch_returns(ledger, month)
    return {"due": sent[0], "sent": len(sent[1]), "missing": [u for u, _ in sent[1] if u not in returned]}


def _approval_context(ledger: Ledger, statuses: list[ProjectStatus], as_of: dt.date) -> dict[str, Any]:
    """手续办理: how many key projects wait for how many approvals, which, and how many too long."""
    from xmtj.figures.approvals import approval_rows

    rows = approval_rows(ledger, as_of, pending=True, projects=[s.project for s in statuses])
    limit = ledger.config.approvals.remind_days
    return {
        "projects": len({r.project.id for r in rows}),
        "pending": len(rows),
        "by_item": dict(Counter(r.approval.item for r in rows)),
        "long": sum(1 for r in rows if r.days_waiting is not None and r.days_waiting > limit),
        "limit": limit,
    }


def _month_entry(s: ProjectStatus) -> tuple[Decimal | None, str | None]:
    """当月完成投资 and 形象进度 of the status's month (None, None when nothing is recorded for it)."""
    entry = s.project.progress.get(f"{s.as_of.year:04d}-{s.as_of.month:02d}")
    return (entry.amount, entry.text) if entry is not None else (None, None)


def _detail_row(s: ProjectStatus, open_problems: dict[str, list[str]]) -> dict[str, Any]:
    """A row of the detail table: the project's figures, the month's figure and 形象进度, its open problems."""
    amount, text = _month_entry(s)
    return _project_row(s) | {
        "month_amount": amount,
        "image": text or "—",
        "problems": "；".join(open_problems.get(s.project.id, [])) or "—",
    }


@dataclass(frozen=True)
class PlanGroup:
    key: str
    projects: int
    total_investment: Decimal
    annual_plan: Decimal


@dataclass(frozen=True)
class PlanSummary:
    """A year's key-project list at a glance (谋划): counts and totals, grouped."""

    year: int
    projects: int
    total_investment: Decimal
    annual_plan: Decimal
    groups: dict[str, list[PlanGroup]]


PLAN_GROUPS = {
    "investment_type": "投资类型",
    "sector": "行业",
    "level": "项目级别",
    "six_new": "“六新”类别",
}


def plan_summary(projects: Iterable[Project], year: int) -> PlanSummary:
    chosen = key_projects(projects, year)
    groups: dict[str, list[PlanGroup]] = {}
    for by in PLAN_GROUPS:
        members: dict[str, list[Project]] = defaultdict(list)
        for p in chosen:
            if by == "level":
                keys = list(p.levels) or ["（未定级别）"]
            elif by == "six_new":
                keys = [p.six_new or "未列入“六新”"]
            else:
                keys = [str(getattr(p, by))]
            for k in keys:
                members[k].append(p)
        groups[by] = sorted(
            (
                PlanGroup(
                    k,
                    len(m),
                    sum((p.total_investment for p in m), Decimal(0)),
                    sum((p.annual_plan.get(year, Decimal(0)) for p in m), Decimal(0)),
                )
                for k, m in members.items()
            ),
            key=lambda g: (-g.total_investment, g.key),
        )
    return PlanSummary(
        year=year,
        projects=len(chosen),
        total_investment=sum((p.total_investment for p in chosen), Decimal(0)),
        annual_plan=sum((p.annual_plan.get(year, Decimal(0)) for p in chosen), Decimal(0)),
        groups=groups,
    )


def _data_through(projects: Iterable[Project], year: int, as_of: dt.date) -> str | None:
    """ "1—11月": the span of the latest month of ``year`` with progress recorded, up to ``as_of``."""
    last = f"{as_of.year:04d}-{as_of.month:02d}"
    months = [m for p in projects for m in p.progress if m.startswith(f"{year:04d}-") and m <= last]
    if not months:
        return None
    return fmt.months_span(month_end(year, int(max(months)[5:7])))


def annual_context(ledger: Ledger, year: int, as_of: dt.date) -> dict[str, Any]:
    """The year's work in the figures the annual summary quotes, all counted from records."""
    from xmtj.figures.periods import check_period

    check_period(year, as_of)
    lights = ledger.config.lights
    statuses = statuses_for(ledger.projects, ledger.issues, year, as_of, lights)
    summary = summarize(statuses, year, as_of, lights, ledger.config.targets.get(year))

    def this_year(day: dt.date | None) -> bool:
        return _in_year_by(day, year, as_of)

    letters = [x for x in ledger.letters if this_year(x.date)]
    raised = [i for i in ledger.issues if this_year(i.raised_on)]
    next_plan = plan_summary(ledger.projects, year + 1)
    return {
        "office": ledger.config.office,
        "city": ledger.config.city,
        "place": place_words(ledger.config),
        "year": year,
        "as_of": as_of,
        "data_through": _data_through(ledger.projects, year, as_of),
        "summary": _summary_context(summary),
        "meetings": {
            kind: sum(1 for m in ledger.meetings if m.kind == kind and this_year(m.date)) for kind in EVENT_KINDS
        },
        "issues_raised": len(raised),
        "issues_resolved": sum(1 for i in ledger.issues if i.status == "已办结" and this_year(i.resolved_on)),
        "issues_on_site": sum(1 for i in raised if i.source == "现场督查"),
        "issues_by_source": dict(Counter(i.source for i in raised)),
        "letters": len(letters),
        "letter_projects": len({x.project for x in letters}),
        "next_year": year + 1,
        "next_plan": next_plan if next_plan.projects else None,
        "next_by_type": {g.key: g for g in next_plan.groups["investment_type"]},
    }


def render_briefing(
    ledger: Ledger, month: Month | None, year: int | None, as_of: dt.date | None = None, date: dt.date | None = None
) -> str:
    """The monthly briefing of ``month`` (YYYY-MM), or the annual summary of ``year`` as of ``as_of``
    (the year's last day when not given), from the ledger's templates."""
    from xmtj.documents.templates import render

    if month is not None:
        context = monthly_context(ledger, month.year, month.number, date)
        if date is not None and date < context["as_of"]:
            raise XmtjError(f"成文日期 {date} 早于数据截至日期 {context['as_of']}")
        return render(ledger.root, "report.md.j2", context, ledger.files)
    assert year is not None
    context = annual_context(ledger, year, as_of or dt.date(year, 12, 31))
    return render(ledger.root, "annual.md.j2", context, ledger.files)


def rollup_context(ledger: Ledger, report: Any, date: dt.date | None = None) -> dict[str, Any]:
    """The context of ``rollup.md.j2``: a roll-up's totals, its members ranked, 未报送 and 报送有误."""
    as_of = report.as_of
    words = place_words(ledger.config)
    return {
        "office": ledger.config.office,
        "place": words,
        "year": report.year,
        "span": fmt.months_span(as_of),
        "month_cn": f"{report.year}年{fmt.months_span(as_of)}",
        "date": date or as_of,
        "doc_no": briefing_doc_no(ledger, report.month.key, (date or as_of).year),
        "title": f"关于{report.year}年{fmt.months_span(as_of)}{words['whole']}重点项目建设进展情况的通报",
        "total": _summary_context(report.total),
        "target_source": report.target_source,
        "head": report.head,
        "members": [
            {"name": m.read.member.name, "s": _summary_context(m.summary), "rank": m.rank} for m in report.members
        ],
        "missing": [r.member.name for r in report.missing],
        "invalid": [{"name": r.member.name, "problems": [str(p) for p in r.problems[:5]]} for r in report.invalid],
    }


def render_rollup(ledger: Ledger, report: Any, date: dt.date | None = None) -> str:
    from xmtj.documents.templates import render

    return render(ledger.root, "rollup.md.j2", rollup_context(ledger, report, date), ledger.files)
