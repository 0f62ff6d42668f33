"""How the office counts (docs/domain.md): pure functions of (ledger, year, as-of day).

Ratios are exact ``Fraction``s (0.5 − 0.4 is 10 百分点, not 9.999…). A difference of two percentages — a
lag, 超欠序时 — is the difference of the two as printed (``fmt.shown_points``: 98.4% − 91.7% is 6.7, never
the 6.8 of the unrounded figures), so the light, the lag and the figures a reader sees always agree.
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

from xmtj.figures.approvals import waits_of
from xmtj.figures.fmt import points_of_tenths, tenths
from xmtj.figures.reasons import ApprovalWait, Behind, NotStarted, OverdueIssue, Reason
from xmtj.figures.schedule import (
    completed_amounts,
    continuing,
    monthly_share,
    own_schedule,
    points_ahead,
    quotient,
    ratio,
    stage_of,
    started_by,
)
from xmtj.ledger.records import Issue, Project
from xmtj.ledger.settings import Lights
from xmtj.months import Month, add_months, expected_share_of_year, months_between

if TYPE_CHECKING:
    from xmtj.ledger.ledger import Ledger

Light = Literal["green", "yellow", "red"]
LIGHT_WORDS: dict[str, str] = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
LIGHT_KEYS = ("red", "yellow", "green", "not_due", "unscheduled")  # a summary's counts: together, every project
HUNDRED = Fraction(100)
ONE = Fraction(1)
ZERO = Decimal(0)
_AMOUNT = operator.attrgetter("amount")


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
    """One key project of ``year`` as of ``as_of``: stage, money, lag and light.

    Three percentages, three meanings, never mixed in one column: ``plan_rate`` (完成年度计划), ``schedule``
    (its 序时进度: the year's, or its own from its planned start month — ``schedule_start``) and, for a
    project with a monthly plan, ``monthly`` (月度计划进度). ``ahead`` is 超欠序时 (``plan_rate`` −
    ``schedule``), ``monthly_ahead`` 超欠月度计划; the light is judged by ``lag`` against ``expected``: the
    monthly plan when there is one, else the 序时进度 (``basis`` names which). Every difference is of the
    percentages as printed (``fmt.shown_points``)."""

    project: Project
    year: int
    as_of: dt.date
    stage: str
    annual_plan: Decimal
    completed_ytd: Decimal
    completed_total: Decimal
    plan_rate: Fraction | None
    schedule: Fraction
    schedule_start: Month | None  # the planned start month its own 序时 counts from; None: the whole year
    monthly: Fraction | None
    lag: Fraction | None  # 百分点 behind ``expected`` (positive = behind); None: no plan, or not yet due
    light: Light | None
    reasons: tuple[Reason, ...]
    overdue_issues: tuple[str, ...]
    started: bool
    ahead: Fraction | None  # 超欠序时, 百分点 (positive = ahead) of the printed figures; None when not yet due
    monthly_ahead: Fraction | None  # 超欠月度计划, 百分点 (None without a monthly plan)

    @property
    def basis(self) -> str:
        """What the light is judged against: ``monthly_plan``, ``own_schedule`` or ``year``."""
        if self.monthly is not None:
            return "monthly_plan"
        return "own_schedule" if self.schedule_start is not None else "year"

    @property
    def expected(self) -> Fraction:
        """The share of the annual plan expected by ``as_of`` on the light's basis."""
        return self.monthly if self.monthly is not None else self.schedule

    @property
    def monthly_planned(self) -> bool:
        return self.monthly is not None

    @property
    def reason_texts(self) -> list[str]:
        return [r.text for r in self.reasons]

    @property
    def completed(self) -> bool:
        return self.project.actual_completion is not None and self.project.actual_completion <= self.as_of

    @property
    def in_production(self) -> bool:
        return self.project.actual_production is not None and self.project.actual_production <= self.as_of

    @property
    def continuing(self) -> bool:
        """续建: started in an earlier year (or, with no start recorded, 建设性质 续建)."""
        return continuing(self.project, self.year)

    @property
    def new_start_planned(self) -> bool:
        """Counted among the year's planned new starts (新开工率): not 续建, planned to start by the year's end."""
        start = self.project.planned_start
        return not self.continuing and start is not None and start.year <= self.year

    @property
    def slow(self) -> bool:
        """进展缓慢: lit yellow or red."""
        return self.light in ("yellow", "red")


def _below(value: Fraction, bound: Decimal, inclusive: bool = False) -> bool:
    """``value < bound`` (``<=`` if inclusive), exactly, by cross-multiplying: no Fraction arithmetic."""
    n, d = bound.as_integer_ratio()
    left, right = value.numerator * d, n * value.denominator
    return left <= right if inclusive else left < right


def project_status(
    project: Project,
    year: int,
    as_of: dt.date,
    issues: Sequence[Issue],
    lights: Lights,
    waits: Callable[[Project, dt.date], list[ApprovalWait]] | None = None,
) -> ProjectStatus:
    """The one rule that lights a project (docs/domain.md, 亮灯); ``status``, ``remind`` and the 通报 use it.

    ``waits`` gives a project's approvals waiting too long (named among a lit project's reasons; they do
    not light it). It runs for every project of a province's list, so the ratios are built once each from
    integers and the thresholds are compared by cross-multiplying (all exact).
    """
    plan = project.annual_plan.get(year, ZERO)
    done, done_total = completed_amounts(project, year, as_of)
    schedule, start_month = own_schedule(project, year, as_of, lights.basis)
    monthly = monthly_share(project, year, as_of) if project.monthly_plan else None
    expected = monthly if monthly is not None else schedule
    plan_rate = lag = ahead = monthly_ahead = None
    lag_tenths = 0
    if plan:
        plan_rate = quotient(done, plan)
        rate_tenths = tenths(plan_rate)  # the printed figures, and their differences
        lag_tenths = tenths(expected) - rate_tenths
        lag = points_of_tenths(lag_tenths)
        ahead = points_of_tenths(rate_tenths - tenths(schedule))
        if monthly is not None:
            monthly_ahead = points_of_tenths(rate_tenths - tenths(monthly))
    reasons: list[Reason] = []
    light: Light | None
    started = started_by(project, as_of)
    done_on = project.actual_completion
    if done_on is not None and done_on <= as_of:
        light = "green"
    elif not started:
        planned = project.planned_start
        if planned is None or planned > as_of:  # a month planned (MonthDate) is due once the month has ended
            light = None
            lag = ahead = monthly_ahead = None  # 未到期: not yet due, so not behind (— everywhere, null in JSON)
        else:
            late = months_between(planned, as_of)
            red = as_of >= add_months(planned, lights.red_start_months)
            light = "red" if red else "yellow"
            reasons.append(NotStarted(planned, late, (as_of - planned).days))
    elif lag is None:
        light = "green"
    else:
        if lag_tenths < lights.yellow_gap * 10:
            light = "green"
        else:
            light = "yellow" if lag_tenths <= lights.red_gap * 10 else "red"
        if light != "green":
            assert plan_rate is not None
            basis = "monthly_plan" if monthly is not None else ("own_schedule" if start_month else "year")
            reasons.append(Behind(plan_rate, expected, basis, start_month, lag))
    overdue = tuple(sorted((i for i in issues if i.is_overdue_on(as_of)), key=_ID)) if issues else ()
    if overdue and light is not None:
        if light == "green":
            light = "yellow"
        reasons.extend(
            OverdueIssue(i.id, i.description, i.responsible_unit, i.deadline, i.days_overdue(as_of))  # type: ignore[arg-type]
            for i in overdue
        )
    if waits is not None and light in ("yellow", "red"):
        reasons.extend(waits(project, as_of))
    return ProjectStatus(
        project=project,
        year=year,
        as_of=as_of,
        stage=stage_of(project, as_of),
        annual_plan=plan,
        completed_ytd=done,
        completed_total=done_total,
        plan_rate=plan_rate,
        schedule=schedule,
        schedule_start=start_month,
        monthly=monthly,
        lag=lag,
        light=light,
        reasons=tuple(reasons),
        overdue_issues=tuple(i.id for i in overdue),
        started=started,
        ahead=ahead,
        monthly_ahead=monthly_ahead,
    )


_ID = operator.attrgetter("id")


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
    ahead: Fraction | None  # 超(+)/欠(−)序时, 百分点 (of the printed percentages)
    new_start: Rate
    start_resume: Rate
    scheduled_start: Rate
    completion: Rate
    production: Rate
    progress_rate: Rate
    lights: dict[str, int]  # red, yellow, green, not_due and unscheduled (未到期): together, ``projects``
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
    # they add up to the projects counted: 未到期 is not started and not yet due to (not_due), or with no
    # planned start recorded (unscheduled)
    colours = {"green": 0, "yellow": 0, "red": 0, "not_due": 0, "unscheduled": 0}
    for s in statuses:
        colours[s.light or ("not_due" if s.project.planned_start is not None else "unscheduled")] += 1
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
        ahead=points_ahead(plan_rate, tp),
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


def key_projects(projects: Iterable[Project], year: int) -> list[Project]:
    """The key projects of ``year`` (those whose ``key_years`` include it), by id."""
    return sorted((p for p in projects if year in p.key_years), key=lambda p: p.id)


def statuses_for(
    projects: Iterable[Project],
    issues: Iterable[Issue],
    year: int,
    as_of: dt.date,
    lights: Lights,
    waits: Callable[[Project, dt.date], list[ApprovalWait]] | None = None,
) -> list[ProjectStatus]:
    """Every key project of ``year`` as of ``as_of`` (``waits``: see ``project_status``)."""
    by_project: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:  # only overdue ones can change a light
        if issue.project and issue.is_overdue_on(as_of):
            by_project[issue.project].append(issue)
    none: list[Issue] = []
    return [
        project_status(p, year, as_of, by_project.get(p.id, none), lights, waits) for p in key_projects(projects, year)
    ]


def ledger_statuses(ledger: Ledger, year: int, as_of: dt.date) -> list[ProjectStatus]:
    """``statuses_for`` a whole ledger: its projects, problems, 亮灯 settings and approvals' waits."""
    config = ledger.config
    return statuses_for(ledger.projects, ledger.issues, year, as_of, config.lights, waits_of(config))
