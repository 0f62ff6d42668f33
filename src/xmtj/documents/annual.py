"""The annual summary's figures and a year's list at a glance (谋划): contexts counted from records."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xmtj.documents.briefing import summary_context, within_year
from xmtj.documents.templates import place_words, render
from xmtj.figures.metrics import key_projects, statuses_for, summarize
from xmtj.figures.periods import check_period
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Project
from xmtj.ledger.registry import EVENT_KINDS
from xmtj.months import Month, month_key, year_prefix


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
    last = month_key(as_of)
    months = [m for p in projects for m in p.progress if m.startswith(year_prefix(year)) and m <= last]
    return Month.parse(max(months)).span if months else None


def annual_context(ledger: Ledger, year: int, as_of: dt.date) -> dict[str, Any]:
    """The year's work in the figures the annual summary quotes, all counted from records."""

    check_period(year, as_of)
    lights = ledger.config.lights
    statuses = statuses_for(ledger.projects, ledger.issues, year, as_of, lights)
    summary = summarize(statuses, year, as_of, lights, ledger.config.targets.get(year))

    def this_year(day: dt.date | None) -> bool:
        return within_year(day, year, as_of)

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
        "summary": summary_context(summary),
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


def render_annual(ledger: Ledger, year: int, as_of: dt.date | None = None) -> str:
    """The annual summary of ``year`` as of ``as_of`` (the year's last day when not given)."""

    context = annual_context(ledger, year, as_of or dt.date(year, 12, 31))
    return render(ledger.root, "annual.md.j2", context, ledger.files)
