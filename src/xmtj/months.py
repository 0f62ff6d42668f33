"""The calendar of the office's figures: ``Month`` (a reporting month, parsed once), month ends, whole
months, 时序进度 and the share of a year expected by a day.

A month reaches xmtj as text (``--month 2021-11``, a progress key in a record, a tag ``报送/2021-11``);
``Month.parse`` is the one place that text becomes a month, strictly: exactly ``YYYY-MM``, the month
1–12, the year within ``YEARS`` — never ``2021-13``, ``0001-01``, ``9999-12`` or ``2021-11`` with a line
break after it. Everything else carries the ``Month`` and asks it for its days and its words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from xmtj.problems import XmtjError
from xmtj.textsafe import visible

YEARS = (1990, 2100)  # the widest years any figure may be for (xmtj.yaml ``years`` narrows them)
_MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})")


class BadMonth(XmtjError, ValueError):
    """Text that is not a month in the form ``YYYY-MM``, or a month outside the years allowed."""


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month of the office's figures (``2021-11``)."""

    year: int
    number: int  # 1–12

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 12:
            raise BadMonth(f"月份应为 1—12，现为 {self.number}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2021-11`` → Month(2021, 11); anything else (``2021-13``, ``2021-1``, ``2021-11\\n``) refused."""
        found = _MONTH_TEXT.fullmatch(text) if isinstance(text, str) else None
        if found is None or text != text.strip():
            raise BadMonth(f"月份应写成 YYYY-MM，例如 2021-11，现为“{_shown(text)}”")
        year, number = int(found[1]), int(found[2])
        if not 1 <= number <= 12:
            raise BadMonth(f"月份“{text}”不存在：月份应为 01—12")
        low, high = YEARS
        if not low <= year <= high:
            raise BadMonth(f"月份“{text}”的年份应在 {low}—{high} 之间")
        return cls(year, number)

    @classmethod
    def maybe(cls, text: str) -> Month | None:
        """``parse``, or None for text that is not a month (a tag name, a key in someone else's file)."""
        try:
            return cls.parse(text)
        except BadMonth:
            return None

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def key(self) -> str:
        """``2021-11``: how records and tags write a month."""
        return f"{self.year:04d}-{self.number:02d}"

    def __str__(self) -> str:
        return self.key

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.number, 1)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.year, self.number)

    def plus(self, months: int) -> Month:
        year, index = divmod(self.year * 12 + self.number - 1 + months, 12)
        return Month(year, index + 1)

    @property
    def previous(self) -> Month:
        return self.plus(-1)

    @property
    def next(self) -> Month:
        return self.plus(1)

    @property
    def earlier_in_year(self) -> list[Month]:
        """The months of the same year before this one (January … the previous month)."""
        return [Month(self.year, n) for n in range(1, self.number)]

    @property
    def year_to_date(self) -> list[Month]:
        """January … this month."""
        return [Month(self.year, n) for n in range(1, self.number + 1)]

    @property
    def cn(self) -> str:
        """``2021年11月``."""
        return f"{self.year}年{self.number}月"

    @property
    def span(self) -> str:
        """``1—11月`` (``1月`` for January): the months a year-to-date figure covers."""
        return "1月" if self.number == 1 else f"1—{self.number}月"

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and day.year == self.year and day.month == self.number


class MonthDate(dt.date):
    """A date the office wrote as a month (计划开工 ``2022年3月``, ``2022-03``): "during that month".

    It compares as its month's last day, so it is due — and late — only once the month has ended, and it is
    shown as the month (``2022年3月``; ``isoformat`` gives ``2022-03``, how the ledger writes it), never as
    a made-up 1st. Arithmetic on it gives plain dates."""

    __slots__ = ()

    def __new__(cls, year: int, month: int) -> MonthDate:
        if not 1 <= month <= 12:
            raise BadMonth(f"月份“{year}年{month}月”不存在")
        return super().__new__(cls, year, month, calendar.monthrange(year, month)[1])

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"MonthDate({self.year}, {self.month})"

    def __reduce__(self) -> tuple[type[MonthDate], tuple[int, int]]:
        return (MonthDate, (self.year, self.month))

    def as_date(self) -> dt.date:
        """The month's last day, as a plain date."""
        return dt.date(self.year, self.month, self.day)

    def __add__(self, other: dt.timedelta) -> dt.date:  # type: ignore[override]
        return self.as_date() + other

    __radd__ = __add__  # type: ignore[assignment]

    def __sub__(self, other: object) -> Any:
        return self.as_date() - other  # type: ignore[operator]

    def replace(self, year: int | None = None, month: int | None = None, day: int | None = None) -> dt.date:  # type: ignore[override]
        return self.as_date().replace(year or self.year, month or self.month, day or self.day)


def before(day: dt.date, other: dt.date) -> bool:
    """``day`` is earlier than ``other``; a date written as a month by its month (计划开工 2022年5月 and
    计划竣工 2022年5月20日 are not out of order)."""
    if isinstance(day, MonthDate) or isinstance(other, MonthDate):
        return (day.year, day.month) < (other.year, other.month)
    return day < other


# how offices write a month: 2022-03, 2022-3, 2022.3, 2022/3, 2022年3月, 2022年3月份 (full-width digits too)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／　", "0123456789.-/ ")
MONTH_WRITTEN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?)?")


def written_month(text: str) -> MonthDate | None:
    """A month as an office writes one (``2022年3月``, ``2022-03``, ``2022.3``), or None if ``text`` is not
    one; a month that does not exist (``2022年13月``) is refused (``BadMonth``)."""
    found = MONTH_WRITTEN.fullmatch(text.translate(_FULL_WIDTH).strip())
    if found is None:
        return None
    return MonthDate(int(found[1]), int(found[2]))


def day_cn(day: dt.date | None) -> str:
    """``2021年12月14日``; a month-only date as ``2022年3月``; ``—`` for none."""
    if day is None:
        return "—"
    if isinstance(day, MonthDate):
        return f"{day.year}年{day.month}月"
    return f"{day.year}年{day.month}月{day.day}日"


def _shown(text: object) -> str:

    return visible(str(text))


def month_key(day: dt.date) -> str:
    """``2021-11`` of a day: the progress key its month's figure is recorded under."""
    return f"{day.year:04d}-{day.month:02d}"


def year_prefix(year: int) -> str:
    """``2021-``: what every month key of ``year`` starts with (records key their months as text)."""
    return f"{year:04d}-"


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


ONE, NONE = Fraction(1), Fraction(0)


def expected_share_of_year(year: int, as_of: dt.date) -> Fraction:
    """The share of ``year`` passed by ``as_of``: its 时序进度 within the year, all of it once the year is
    over, none of it before the year begins."""
    if as_of.year == year:
        return time_progress(as_of)
    return ONE if as_of.year > year else NONE
