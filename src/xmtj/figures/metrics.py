"""How the office counts (docs/domain.md): pure functions of (ledger, year, as-of day).

Ratios are exact ``Fraction``s so that thresholds compare exactly (0.5 − 0.4 is 10 百分点,
not 9.999…); rounding happens only when a figure is shown.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from xmtj.figures.fmt import month_cn, pct, points
from xmtj.figures.periods import resolve_period
from xmtj.ledger.records import Issue, Project
from xmtj.ledger.settings import Lights
from xmtj.months import Month, add_months, expected_share_of_year, month_key, months_between, year_prefix

if TYPE_CHECKING:
    from xmtj.ledger.ledger import Ledger

Light = Literal["green", "yellow", "red"]
LIGHT_WORDS: dict[str, str] = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
HUNDRED = Fraction(100)
ONE = Fraction(1)
ZERO = Decimal(0)
_AMOUNT = operator.attrgetter("amount")


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Fraction | None:
    return _quotient(numerator, denominator) if denominator else None


def completed_amounts(project: Project, year: int, as_of: dt.date) -> tuple[Decimal, Decimal]:
    """(1—N月累计 of ``year``, 累计 since the start), both up to and including ``as_of``'s month."""
    last = month_key(as_of)
    in_year = total = Decimal(0)
    if as_of.year == year:  # the usual case: the year's months are the ones from January to ``last``
        first = Month(year, 1).key
        progress = project.progress
        if progress and min(progress) >= first and max(progress) <= last:  # every entry counts (summed in C)
            total = sum(map(_AMOUNT, progress.values()), ZERO)
            return total, total
        for month, entry in project.progress.items():
            if month <= last:
                total += entry.amount
                if month >= first:
                    in_year += entry.amount
        return in_year, total
    first, year_last = Month(year, 1).key, Month(year, 12).key
    for month, entry in project.progress.items():
        if month <= last:
            total += entry.amount
        if first <= month <= year_last and as_of.year > year:
            in_year += entry.amount
    return in_year, total


def completed_in_year(project: Project, year: int, as_of: dt.date) -> Decimal:
    """1—N月累计: progress entries of ``year`` up to and including ``as_of``'s month."""
    return completed_amounts(project, year, as_of)[0]


def completed_before(project: Project, month: Month) -> Decimal:
    """上月末累计: the progress of ``month``'s year before ``month`` (what a 1—N月 figure is less)."""
    first, key = Month(month.year, 1).key, month.key
    return sum((e.amount for m, e in project.progress.items() if first <= m < key), ZERO)


def expected_share(project: Project, year: int, as_of: dt.date) -> tuple[Fraction, bool]:
    """The share of the annual plan expected by ``as_of``, and whether a monthly plan gave it."""
    plan = project.annual_plan.get(year)
    prefix = year_prefix(year)
    if plan and any(m.startswith(prefix) for m in project.monthly_plan):
        last = month_key(as_of)
        to_date = sum((v for m, v in project.monthly_plan.items() if m.startswith(prefix) and m <= last), Decimal(0))
        return _quotient(to_date, plan), True
    return expected_share_of_year(year, as_of), False


def _quotient(numerator: Decimal | int, denominator: Decimal | int) -> Fraction:
    n, d = numerator.as_integer_ratio()
    m, e = denominator.as_integer_ratio()
    return Fraction(n * e, d * m)  # one normalisation instead of three: this runs for every project


@dataclass(frozen=True)
class Rate:
    """A rate with its numerator and denominator (开工率, 投产率…)."""

    done: int
    planned: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.done, self.planned) if self.planned else None


@dataclass(frozen=True)
class ProjectStatus:
    """One key project of ``year`` as of ``as_of``: stage, money, lag and light."""

    project: Project
    year: int
    as_of: dt.date
    stage: str
    annual_plan: Decimal
    completed_ytd: Decimal
    completed_total: Decimal
    plan_rate: Fraction | None
    expected: Fraction
    monthly_planned: bool
    lag: Fraction | None  # 百分点, positive = behind
    light: Light | None
    reasons: tuple[str, ...]
    overdue_issues: tuple[str, ...]

    @property
    def started(self) -> bool:
        return self.project.actual_start is not None and self.project.actual_start <= self.as_of

    @property
    def completed(self) -> bool:
        return self.project.actual_completion is not None and self.project.actual_completion <= self.as_of

    @property
    def in_production(self) -> bool:
        return self.project.actual_production is not None and self.project.actual_production <= self.as_of

    @property
    def continuing(self) -> bool:
        """续建: started in an earlier year."""
        start = self.project.actual_start
        return start is not None and start.year < self.year

    @property
    def new_start_planned(self) -> bool:
        """Counted among the year's planned new starts: not 续建, planned to start by the year's end."""
        start = self.project.planned_start
        return not self.continuing and start is not None and start.year <= self.year

    @property
    def slow(self) -> bool:
        """进展缓慢: lit yellow or red."""
        return self.light in ("yellow", "red")


def stage_of(project: Project, day: dt.date) -> str:
    """项目阶段 as of ``day``, derived from the dates."""
    if project.actual_production and project.actual_production <= day:
        return "投产"
    if project.actual_completion and project.actual_completion <= day:
        return "竣工"
    if project.actual_start and project.actual_start <= day:
        return "在建"
    return "前期"


def _below(value: Fraction, bound: Decimal, inclusive: bool = False) -> bool:
    """``value < bound`` (``<=`` if inclusive), exactly, by cross-multiplying: no Fraction arithmetic."""
    n, d = bound.as_integer_ratio()
    left, right = value.numerator * d, n * value.denominator
    return left <= right if inclusive else left < right


def project_status(
    project: Project, year: int, as_of: dt.date, issues: Sequence[Issue], lights: Lights
) -> ProjectStatus:
    """The one rule that lights a project (docs/domain.md, 亮灯); ``status`` and ``remind`` both use it.

    It runs for every project of a province's list, so the ratios are built once each from
    integers and the thresholds are compared by cross-multiplying (all exact).
    """
    plan = project.annual_plan.get(year, ZERO)
    done, done_total = completed_amounts(project, year, as_of)
    if project.monthly_plan:
        expected, monthly = expected_share(project, year, as_of)
    else:
        expected, monthly = expected_share_of_year(year, as_of), False
    plan_rate = lag = None
    if plan:
        plan_rate = _quotient(done, plan)
        a, b, c, d = expected.numerator, expected.denominator, plan_rate.numerator, plan_rate.denominator
        lag = Fraction(100 * (a * d - c * b), b * d)  # (expected − plan_rate) × 100
    reasons: list[str] = []
    light: Light | None
    start, done_on = project.actual_start, project.actual_completion
    if done_on is not None and done_on <= as_of:
        light = "green"
    elif start is None or start > as_of:
        planned = project.planned_start
        if planned is None or planned > as_of:
            light = None
            lag = None  # 未到期: not yet due to start, so not behind (— in every output, null in JSON)
        else:
            late = months_between(planned, as_of)
            red = as_of >= add_months(planned, lights.red_start_months)
            light = "red" if red else "yellow"
            delay = f"逾期{late}个月" if late else f"逾期{(as_of - planned).days}天"
            reasons.append(f"计划{month_cn(planned)}开工，{delay}未开工")
    elif lag is None:
        light = "green"
    else:
        if _below(lag, lights.yellow_gap):
            light = "green"
        else:
            light = "yellow" if _below(lag, lights.red_gap, inclusive=True) else "red"
        if light != "green":
            basis = "月度计划进度" if monthly else "时序进度"
            assert plan_rate is not None
            reasons.append(f"完成年度计划的{pct(plan_rate)}，低于{basis}{points(lag, signed=False)}个百分点")
    overdue = tuple(sorted(i.id for i in issues if i.is_overdue_on(as_of))) if issues else ()
    if overdue and light is not None:
        if light == "green":
            light = "yellow"
        reasons.extend(f"问题{iid}逾期未办结" for iid in overdue)
    return ProjectStatus(
        project=project,
        year=year,
        as_of=as_of,
        stage=stage_of(project, as_of),
        annual_plan=plan,
        completed_ytd=done,
        completed_total=done_total,
        plan_rate=plan_rate,
        expected=expected,
        monthly_planned=monthly,
        lag=lag,
        light=light,
        reasons=tuple(reasons),
        overdue_issues=overdue,
    )


@dataclass(frozen=True)
class Summary:
    """The figures of a set of key projects (the whole list, or one group)."""

    key: str
    year: int
    as_of: dt.date
    time_progress: Fraction
    projects: int
    total_investment: Decimal
    annual_plan: Decimal
    completed_ytd: Decimal
    annual_target: Decimal | None
    target_rate: Fraction | None
    plan_rate: Fraction | None
    ahead: Fraction | None  # 超(+)/欠(−)序时, 百分点
    new_start: Rate
    start_resume: Rate
    scheduled_start: Rate
    completion: Rate
    production: Rate
    progress_rate: Rate
    lights: dict[str, int]
    lagging: tuple[ProjectStatus, ...] = field(default=())


def summarize(
    statuses: Sequence[ProjectStatus],
    year: int,
    as_of: dt.date,
    lights: Lights,
    target: Decimal | None = None,
    key: str = "全部",
) -> Summary:
    plan = sum((s.annual_plan for s in statuses), Decimal(0))
    done = sum((s.completed_ytd for s in statuses), Decimal(0))
    tp = expected_share_of_year(year, as_of)
    plan_rate = ratio(done, plan)
    started = [s.started for s in statuses]  # asked four times below: worked out once

    def count(pred: Callable[[ProjectStatus], bool], among: Iterable[ProjectStatus]) -> Rate:
        pool = list(among)
        return Rate(sum(1 for s in pool if pred(s)), len(pool))

    def count_started(picked: Iterable[bool]) -> Rate:
        flags = [flag for flag, pick in zip(started, picked, strict=True) if pick]
        return Rate(sum(flags), len(flags))

    def planned_by(name: str) -> list[ProjectStatus]:
        return [s for s in statuses if (d := getattr(s.project, name)) is not None and d.year == year]

    def on_pace(s: ProjectStatus) -> bool:
        return s.lag is None or _below(s.lag, lights.yellow_gap)

    under_way = [s for s, go in zip(statuses, started, strict=True) if go and not s.completed and s.annual_plan > 0]
    colours = {"green": 0, "yellow": 0, "red": 0}
    for s in statuses:
        if s.light:
            colours[s.light] += 1
    return Summary(
        key=key,
        year=year,
        as_of=as_of,
        time_progress=tp,
        projects=len(statuses),
        total_investment=sum((s.project.total_investment for s in statuses), Decimal(0)),
        annual_plan=plan,
        completed_ytd=done,
        annual_target=target,
        target_rate=ratio(done, target) if target else None,
        plan_rate=plan_rate,
        ahead=(plan_rate - tp) * HUNDRED if plan_rate is not None else None,
        new_start=count_started(s.new_start_planned for s in statuses),
        start_resume=count_started(True for _ in statuses),
        scheduled_start=count_started(
            s.project.planned_start is not None and s.project.planned_start <= as_of for s in statuses
        ),
        completion=count(lambda s: s.completed, planned_by("planned_completion")),
        production=count(lambda s: s.in_production, planned_by("planned_production")),
        progress_rate=count(on_pace, under_way),
        lights=colours,
        lagging=tuple(sorted((s for s in statuses if s.slow), key=_lag_order)),
    )


def _lag_order(s: ProjectStatus) -> tuple[int, float, str]:
    # a float key: ordering needs no exactness, and comparing Fractions made this sort the slowest step
    return (0 if s.light == "red" else 1, -float(s.lag or 0), s.project.id)


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
    statuses: Sequence[ProjectStatus], by: str, year: int, as_of: dt.date, lights: Lights
) -> list[Summary]:
    """One summary per group, best 计划完成率 first (a project may be in several levels)."""
    members: dict[str, list[ProjectStatus]] = defaultdict(list)
    for s in statuses:
        for k in group_keys(s.project, by):
            members[k].append(s)
    groups = [summarize(m, year, as_of, lights, None, k) for k, m in members.items()]
    groups.sort(key=lambda g: (-(g.plan_rate or Fraction(-1)), g.key))
    return groups


@dataclass(frozen=True)
class StatusReport:
    summary: Summary
    rows: tuple[ProjectStatus, ...]
    groups: tuple[Summary, ...]
    by: str | None


def key_projects(projects: Iterable[Project], year: int) -> list[Project]:
    """The key projects of ``year`` (those whose ``key_years`` include it), by id."""
    return sorted((p for p in projects if year in p.key_years), key=lambda p: p.id)


def statuses_for(
    projects: Iterable[Project], issues: Iterable[Issue], year: int, as_of: dt.date, lights: Lights
) -> list[ProjectStatus]:
    by_project: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:  # only overdue ones can change a light
        if issue.project and issue.is_overdue_on(as_of):
            by_project[issue.project].append(issue)
    none: list[Issue] = []
    return [project_status(p, year, as_of, by_project.get(p.id, none), lights) for p in key_projects(projects, year)]


def status_report(
    projects: Iterable[Project],
    issues: Iterable[Issue],
    year: int,
    as_of: dt.date,
    lights: Lights,
    target: Decimal | None,
    by: str | None = None,
) -> StatusReport:
    """``xmtj status``: the whole list's figures, one row per project, and optional groups."""
    statuses = statuses_for(projects, issues, year, as_of, lights)
    summary = summarize(statuses, year, as_of, lights, target)
    groups = group_summaries(statuses, by, year, as_of, lights) if by else []
    return StatusReport(summary, tuple(statuses), tuple(groups), by)


def ledger_status(
    ledger: Ledger, year: int | None, as_of: dt.date | None, by: str | None = None
) -> tuple[StatusReport, str | None]:
    """``xmtj status`` of a ledger: the period (chosen as ``resolve_period`` says when not given), the
    report, and how the period was chosen (None when it was given)."""

    the_year, the_day, chosen = resolve_period(ledger.projects, year, as_of, ledger.today)
    config = ledger.config
    report = status_report(
        ledger.projects, ledger.issues, the_year, the_day, config.lights, config.targets.get(the_year), by
    )
    return report, chosen
