"""Where a project stands against its own schedule: money done (1—N月累计), the share of its plan expected
by a day — its monthly plan, its own 序时 from its planned start month, or the year's 时序进度 — whether it
is 续建 or has started, and its stage. Pure functions of (project, year, day); ``metrics`` lights projects
and adds them up from these.
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xmtj.figures.fmt import points_of_tenths, tenths
from xmtj.ledger.records import CONTINUING, Project
from xmtj.months import Month, expected_share_of_year, month_key, year_prefix

ONE = Fraction(1)
ZERO = Decimal(0)
_AMOUNT = operator.attrgetter("amount")


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Fraction | None:
    return quotient(numerator, denominator) if denominator else None


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


def monthly_share(project: Project, year: int, as_of: dt.date) -> Fraction | None:
    """The share of the annual plan the project's monthly plan (月度计划) expects by ``as_of``'s month, or None
    when it has no monthly plan for ``year`` (or no annual plan)."""
    plan = project.annual_plan.get(year)
    prefix = year_prefix(year)
    if not plan or not any(m.startswith(prefix) for m in project.monthly_plan):
        return None
    last = month_key(as_of)
    to_date = sum((v for m, v in project.monthly_plan.items() if m.startswith(prefix) and m <= last), Decimal(0))
    return quotient(to_date, plan)


def own_schedule(project: Project, year: int, as_of: dt.date, basis: str) -> tuple[Fraction, Month | None]:
    """The project's 序时进度 (its own schedule), and the month it counts from (None: the whole year).

    A project planned to start inside ``year`` (after January) is measured from its planned start month:
    the share of its months from then to December that have passed by ``as_of`` (a May start, on 7月31日:
    3 of 8 months). Every other project — and every project when ``lights.basis`` is ``year`` — against the
    year's 时序进度."""
    planned = project.planned_start
    inside = planned is not None and planned.year == year and planned.month > 1
    if basis == "own_schedule" and inside and not continuing(project, year):
        assert planned is not None
        start = Month(year, planned.month)
        return own_share(start, as_of), start
    return expected_share_of_year(year, as_of), None


def own_share(start: Month, as_of: dt.date) -> Fraction:
    """The share of the months from ``start`` to December passed by ``as_of`` (its month's days pro rata)."""
    if as_of.year != start.year:
        return ONE if as_of.year > start.year else Fraction(0)
    if as_of.month < start.number:
        return Fraction(0)
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    return (as_of.month - start.number + Fraction(as_of.day, days)) / (13 - start.number)


def schedule_amount(plan: Decimal, share: Fraction) -> Decimal:
    """按时序应完成: the annual plan times the share of the year (or of its own months) gone, in whole 万元."""
    return Decimal(round(Fraction(plan) * share))


def continuing(project: Project, year: int) -> bool:
    """续建: started before ``year`` — by its recorded start, or, with none recorded, by its 建设性质."""
    start = project.actual_start
    if start is not None:
        return start.year < year
    return project.nature == CONTINUING


def started_by(project: Project, day: dt.date) -> bool:
    """Started on or before ``day``: its recorded start; a 续建 project without one started in an earlier year
    (``check`` warns that its start is missing)."""
    start = project.actual_start
    if start is not None:
        return start <= day
    return project.nature == CONTINUING


def points_ahead(rate: Fraction | None, basis: Fraction) -> Fraction | None:
    """超(+)/欠(−) ``basis``, 百分点: the difference of the two percentages as printed (None without a rate)."""
    return points_of_tenths(tenths(rate) - tenths(basis)) if rate is not None else None


def quotient(numerator: Decimal | int, denominator: Decimal | int) -> Fraction:
    n, d = numerator.as_integer_ratio()
    m, e = denominator.as_integer_ratio()
    return Fraction(n * e, d * m)  # one normalisation instead of three: this runs for every project


def stage_of(project: Project, day: dt.date) -> str:
    """项目阶段 as of ``day``, derived from the dates (a 续建 project with no start recorded is 在建)."""
    if project.actual_production and project.actual_production <= day:
        return "投产"
    if project.actual_completion and project.actual_completion <= day:
        return "竣工"
    if started_by(project, day):
        return "在建"
    return "前期"


def month_figure(project: Project, key: str) -> tuple[Decimal | None, str | None]:
    """The 当月完成投资 and 形象进度 recorded for the month ``key``; an opening balance (期初数, ``since``) is
    no month's figure: (None, its text)."""
    entry = project.progress.get(key)
    if entry is None:
        return None, None
    return (entry.amount if entry.since is None else None), entry.text


def month_total(projects: Iterable[Project], key: str) -> Decimal:
    """The month ``key``'s own figures added up (opening balances, of several months, left out)."""
    return sum((month_figure(p, key)[0] or ZERO for p in projects), ZERO)


def openings(projects: Iterable[Project], key: str) -> dict[str, Any] | None:
    """The opening balances (期初数) recorded at the month ``key``: how many, their months as written
    (``1—2月``), their total; None when there are none."""
    found = [(f"{int(e.since[5:])}—{int(key[5:])}月", e.amount) for p in projects
             if (e := p.progress.get(key)) is not None and e.since is not None]  # fmt: skip
    if not found:
        return None
    return {"count": len(found), "span": "、".join(sorted({m for m, _ in found})), "total": sum(a for _, a in found)}
