"""``xmtj status``'s report: the whole list's summary, its rows and its groups (分指挥部, 级别, 行业 …: ranked,
or in xmtj.yaml's order), for a ledger and a period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from xmtj.figures.approvals import waits_of
from xmtj.figures.metrics import ProjectStatus, Summary, statuses_for, summarize
from xmtj.figures.periods import resolve_period
from xmtj.figures.reasons import ApprovalWait
from xmtj.ledger.records import Issue, Project
from xmtj.ledger.settings import Config, Lights

if TYPE_CHECKING:
    from xmtj.ledger.ledger import Ledger


GROUPINGS: dict[str, str] = {
    "branch": "分指挥部",
    "investment_type": "投资类型",
    "level": "项目级别",
    "sector": "行业",
    "liaison_leader": "包联领导",
    "responsible_unit": "责任单位",
}


def group_keys(project: Project, by: str) -> list[str]:
    if by == "level":
        return list(project.levels) or ["（未定级别）"]
    return [str(getattr(project, by))]


def group_summaries(
    statuses: Sequence[ProjectStatus],
    by: str,
    year: int,
    as_of: dt.date,
    lights: Lights,
    order: Sequence[str] | None = None,
) -> list[Summary]:
    """One summary per group (a project may be in several levels: it is counted in each): best 计划完成率
    first (a ranking), or in ``order`` (the configured list: 项目级别 as xmtj.yaml lists them) with any
    group it does not name after, by name."""
    members: dict[str, list[ProjectStatus]] = defaultdict(list)
    for s in statuses:
        for k in group_keys(s.project, by):
            members[k].append(s)
    groups = [summarize(m, year, as_of, lights, None, k) for k, m in members.items()]
    if order is not None:
        place = {key: i for i, key in enumerate(order)}
        groups.sort(key=lambda g: (place.get(g.key, len(place)), g.key))
    else:
        groups.sort(key=lambda g: (-(g.plan_rate or Fraction(-1)), g.key))
    return groups


@dataclass(frozen=True)
class StatusReport:
    summary: Summary
    rows: tuple[ProjectStatus, ...]
    groups: tuple[Summary, ...]
    by: str | None


def status_report(
    projects: Iterable[Project],
    issues: Iterable[Issue],
    year: int,
    as_of: dt.date,
    lights: Lights,
    target: Decimal | None,
    by: str | None = None,
    waits: Callable[[Project, dt.date], list[ApprovalWait]] | None = None,
    order: Sequence[str] | None = None,
) -> StatusReport:
    """``xmtj status``: the whole list's figures, one row per project, and optional groups (ranked, or in
    ``order``)."""
    statuses = statuses_for(projects, issues, year, as_of, lights, waits)
    summary = summarize(statuses, year, as_of, lights, target)
    groups = group_summaries(statuses, by, year, as_of, lights, order) if by else []
    return StatusReport(summary, tuple(statuses), tuple(groups), by)


def group_order(config: Config, by: str) -> Sequence[str] | None:
    """The order groups are listed in: a vocabulary's own (项目级别, 行业 and 投资类型 as xmtj.yaml lists
    them); None for a ranking (分指挥部, units and leaders by 完成率)."""
    if by == "level":
        return config.levels or None
    if by == "sector":
        return config.sectors or None
    if by == "investment_type":
        return ("政府投资", "社会投资")
    return None


def ledger_status(
    ledger: Ledger, year: int | None, as_of: dt.date | None, by: str | None = None
) -> tuple[StatusReport, str | None]:
    """``xmtj status`` of a ledger: the period (chosen as ``resolve_period`` says when not given), the
    report, and how the period was chosen (None when it was given)."""

    the_year, the_day, chosen = resolve_period(ledger.projects, year, as_of, ledger.today)
    config = ledger.config
    report = status_report(
        ledger.projects, ledger.issues, the_year, the_day, config.lights, config.targets.get(the_year), by,
        waits_of(config), group_order(config, by) if by else None,
    )  # fmt: skip
    return report, chosen
