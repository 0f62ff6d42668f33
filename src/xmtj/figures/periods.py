"""Which period a report is for, and which periods may be asked for at all.

The calendar itself (``Month``, 时序进度, month ends) is ``xmtj.months``; here are the ledger's bounds:
the years a ledger's figures may be for (``years`` in xmtj.yaml: from ``first``, 2000 by default, to the
later of this year and its latest key year, plus ``ahead``, 1 by default), a month not begun yet
(refused to a command that writes, unless ``--future``), and the period a report is for when none was
named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from xmtj.ledger.records import Project
from xmtj.ledger.settings import Config
from xmtj.months import YEARS, Month, year_prefix
from xmtj.problems import XmtjError


class ImpossiblePeriod(XmtjError):
    """A year outside the ledger's range, or a reporting day outside the year reported on."""


def year_bounds(config: Config, today: dt.date, projects: Iterable[Project] = ()) -> tuple[int, int]:
    """The first and last year this ledger's figures may be for."""
    latest = max((y for p in projects for y in p.key_years), default=today.year)
    low, high = config.years.first, max(today.year, latest) + config.years.ahead
    return max(low, YEARS[0]), min(high, YEARS[1])


def check_year(config: Config, year: int, today: dt.date, projects: Iterable[Project] = (), what: str = "年度") -> None:
    low, high = year_bounds(config, today, projects)
    if not low <= year <= high:
        raise ImpossiblePeriod(
            f"{what} {year} 超出本台账的年份范围（{low}—{high} 年；可在 xmtj.yaml 的 years 中调整 first、ahead）"
        )


def check_month(
    config: Config, month: Month, today: dt.date, projects: Iterable[Project] = (), writes: bool = False,
    future: bool = False, option: str = "--month",
) -> Month:  # fmt: skip
    """``month`` if this ledger may have figures for it: its year within ``year_bounds``, and — for a command
    that writes — begun already unless ``future``."""
    check_year(config, month.year, today, projects, f"{option} {month}：年份")
    if writes and not future and month.first_day > today:
        raise ImpossiblePeriod(f"{month.cn}还没有到（今天是{today.isoformat()}）；确需提前填报或生成，请加 --future")
    return month


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
    future one); without a year and without progress, a ledger whose key projects are all of other years
    (the 2022 台账 imported in 2021) is reported for the key year nearest today, and that is said.
    """
    check_period(year, as_of)
    if as_of is not None:
        return (year or as_of.year), as_of, None
    months = [m for p in projects for m in p.progress if year is None or m.startswith(year_prefix(year))]
    if months:
        latest = Month.parse(max(months))
        end = latest.last_day
        return (year or end.year), end, f"未指定 --as-of：按有进度数据的最近月份统计，截至{latest.cn}底"
    today = today or dt.date.today()
    the_year = year or today.year
    said = ""
    key_years = sorted({y for p in projects for y in p.key_years})
    if year is None and key_years and today.year not in key_years:  # a 台账 of another year just imported
        the_year = min(key_years, key=lambda y: (abs(y - today.year), -y))
        years = "、".join(map(str, key_years))
        said = f"台账中没有{today.year}年的重点项目，按{the_year}年统计（重点项目年度：{years}）；"
    day = min(max(today, dt.date(the_year, 1, 1)), dt.date(the_year, 12, 31))
    return the_year, day, f"{said}{the_year}年尚无任何进度数据：按{day.isoformat()}统计"
