"""The office's ways of writing figures: 万元, 亿元, percentages, 百分点, dates."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from fractions import Fraction

from xmtj.months import day_cn
from xmtj.textsafe import visible

_ZH_DIGITS = "零一二三四五六七八九"
_MARKDOWN_SPECIALS = "\\`*_[]<>|~#"


def rounded(value: Fraction | Decimal | int, places: int) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, exactly, as text: -0.04 -> "-0.0".

    Integer arithmetic on the exact ratio (no decimal context, no precision limit); this formats
    every figure of a 10,000-row table, so it avoids building Decimals.
    """
    return _ratio_text(*value.as_integer_ratio(), places)


def _ratio_text(numerator: int, denominator: int, places: int) -> str:
    scaled, rest = divmod(abs(numerator) * 10**places, denominator)
    if 2 * rest >= denominator:
        scaled += 1
    digits = str(scaled)
    if places:
        digits = digits.rjust(places + 1, "0")
        digits = f"{digits[:-places]}.{digits[-places:]}"
    return "-" + digits if numerator < 0 else digits


def tenths(rate: Fraction) -> int:
    """A rate in tenths of a 百分点 as ``pct`` prints it (one decimal): 0.98365… → 984 (98.4%)."""
    numerator, denominator = rate.as_integer_ratio()
    scaled, rest = divmod(abs(numerator) * 1000, denominator)
    if 2 * rest >= denominator:
        scaled += 1
    return -scaled if numerator < 0 else scaled


@functools.lru_cache(maxsize=4096)
def points_of_tenths(value: int) -> Fraction:
    """Tenths of a 百分点 as a Fraction of 百分点 (the same few hundred values recur: made once each)."""
    return Fraction(value, 10)


def shown_points(rate: Fraction) -> Fraction:
    """A rate in 百分点 as ``pct`` prints it (one decimal): 0.98365… → 98.4. Differences of percentages are
    taken between these, so the printed difference is the difference of the printed figures."""
    return points_of_tenths(tenths(rate))


def to_decimal(value: Fraction | Decimal | int, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals (exactly, from a Fraction)."""
    return Decimal(rounded(value, places))


def wan(amount: Decimal | int | None) -> str:
    """万元 as written in tables: 46800, 1500.5 (no trailing zeros, at most two decimals)."""
    if amount is None:
        return "—"
    numerator, denominator = amount.as_integer_ratio()
    if denominator == 1:
        return str(numerator)
    return rounded(amount, 2).rstrip("0").rstrip(".")


def yi(amount: Decimal | int | None) -> str:
    """亿元 as written in headlines, two decimals: 539400 万元 -> 53.94."""
    if amount is None:
        return "—"
    numerator, denominator = amount.as_integer_ratio()
    return _ratio_text(numerator, denominator * 10000, 2)


def pct(rate: Fraction | None, places: int = 1) -> str:
    """A rate as a percentage: Fraction(131, 100) -> 131.0%."""
    if rate is None:
        return "—"
    numerator, denominator = rate.as_integer_ratio()
    return _ratio_text(numerator * 100, denominator, places) + "%"


def points(value: Fraction | None, signed: bool = True) -> str:
    """百分点 with one decimal: +5.3 / -49.7 (or unsigned)."""
    if value is None:
        return "—"
    text = rounded(value, 1)
    if not signed:
        return text.lstrip("-")
    if text.strip("-") == "0.0":
        return "0.0"
    return text if text.startswith("-") else "+" + text


def ahead_words(value: Fraction | None) -> str:
    """超序时5.3个百分点 / 欠序时2.0个百分点 / 与时序进度持平."""
    if value is None:
        return "—"
    if value == 0 or points(value, signed=False) == "0.0":
        return "与时序进度持平"
    word = "超序时" if value > 0 else "欠序时"
    return f"{word}{points(value, signed=False)}个百分点"


def date_cn(day: dt.date | None) -> str:
    """2021年12月14日 (no padding); a date written as a month as 2022年3月 (``xmtj.months.day_cn``)."""
    return day_cn(day)


def month_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def months_span(day: dt.date) -> str:
    """1—11月 (or 1月 in January)."""
    return "1月" if day.month == 1 else f"1—{day.month}月"


def zh_number(n: int) -> str:
    """Chinese numerals for section numbers up to 99: 1 -> 一, 12 -> 十二."""
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _ZH_DIGITS[tens]
    return head + "十" + (_ZH_DIGITS[ones] if ones else "")


def md(value: object) -> str:
    """Text safe anywhere in Markdown, table cells included: specials escaped, line breaks folded."""
    text = visible(str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\n", " "))
    for ch in _MARKDOWN_SPECIALS:
        text = text.replace(ch, "\\" + ch)
    return text


def show(value: object) -> str:
    """A value as the office reads it in a commit message or a log: empty shows as （空）."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)
