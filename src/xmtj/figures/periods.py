"""The calendar of the figures: month ends, 时序进度, whole months, and which period a report is for."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable
from fractions import Fraction

from xmtj.figures.fmt import month_cn
from xmtj.ledger.fields import YEARS
from xmtj.ledger.records import Project
from xmtj.problems import XmtjError


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from ``earlier`` to ``later`` (0 if less than one)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day and later != month_end(later.year, later.month):
        months -= 1
    return max(months, 0)


@functools.lru_cache(maxsize=64)
def time_progress(day: dt.date) -> Fraction:
    """时序进度: (m − 1 + d / days_in_month) / 12."""
    days = calendar.monthrange(day.year, day.month)[1]
    return (day.month - 1 + Fraction(day.day, days)) / 12


class ImpossiblePeriod(XmtjError):
    """A year outside the ledger's range, or a reporting day outside the year reported on."""


def check_period(year: int | None, as_of: dt.date | None) -> None:
    """Refuse figures for a period that cannot exist: a year outside 1990–2100, or a day not in the year.

    Every formula here (时序进度, 1—N月累计, lights) counts from the start of the year reported on to
    the reporting day, so that day must lie in that year.
    """
    low, high = YEARS
    if year is not None and not low <= year <= high:
        raise ImpossiblePeriod(f"年度 {year} 无效：应在 {low}—{high} 年之间")
    if as_of is not None and not low <= as_of.year <= high:
        raise ImpossiblePeriod(f"截至日期 {as_of.isoformat()} 无效：应在 {low}—{high} 年之间")
    if year is not None and as_of is not None and as_of.year != year:
        raise ImpossiblePeriod(
            f"截至日期 {as_of.isoformat()} 不在 {year} 年内：{year} 年的统计只能截至该年的某一天"
            f"（例如 --as-of {year}-12-31）"
        )


def resolve_period(
    projects: Iterable[Project], year: int | None, as_of: dt.date | None, today: dt.date | None = None
) -> tuple[int, dt.date, str | None]:
    """The year and day to report on, and how they were chosen when not given (None if given).

    Without either, the latest month with any recorded progress (its last day); with only a
    year, that year's latest such month; with only a day, that day's year. A year without any
    progress yet is reported as of today (the year's last day for a past year, its first for a
    future one).
    """
    check_period(year, as_of)
    if as_of is not None:
        return (year or as_of.year), as_of, None
    months = [m for p in projects for m in p.progress if year is None or m.startswith(f"{year:04d}-")]
    if months:
        latest = max(months)
        end = month_end(int(latest[:4]), int(latest[5:7]))
        return (year or end.year), end, f"未指定 --as-of：按有进度数据的最近月份统计，截至{month_cn(end)}底"
    today = today or dt.date.today()
    the_year = year or today.year
    day = min(max(today, dt.date(the_year, 1, 1)), dt.date(the_year, 12, 31))
    return the_year, day, f"{the_year}年尚无任何进度数据：按{day.isoformat()}统计"
