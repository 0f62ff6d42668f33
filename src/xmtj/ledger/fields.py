"""What a field's value must be: the annotated types of the records, checked by pydantic's core.

Each marker here (``Pattern``, ``Between``, ``NonNegative`` …) tells pydantic how to validate a field
when a file is read; none imports pydantic until then. Failures carry the office's words
(``PATTERN_WORDS``, ``YEAR_WORDS``; ``xmtj.ledger.validation`` turns pydantic's errors into them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from xmtj.months import YEARS, BadMonth, written_month  # one bound for every year: records, options, periods
from xmtj.textsafe import INVISIBLE_RE

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_-]*$"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
OFFSET_PATTERN = r"^[+-](0[0-9]|1[0-4]):[0-5][0-9]$"
PREFIX_PATTERN = r"^[A-Z]{1,8}$"
# what a failed pattern or bound means, in the office's words (the loader turns pydantic's errors into these)
PATTERN_WORDS = {
    ID_PATTERN: "编号只能由字母、数字、“-”和“_”组成，且不能以“-”开头",
    MONTH_PATTERN: "月份应写作 YYYY-MM，例如 2021-03",
    PREFIX_PATTERN: "编号前缀应为 1—8 个大写字母，例如 JS",
    OFFSET_PATTERN: '时区应写作与 UTC 的时差，例如 "+08:00"（北京时间）',
}
YEAR_WORDS = "年份应为四位数字，例如 2021"
CONFIG = {"extra": "forbid", "str_strip_whitespace": True}  # pydantic's settings for every record


def fail(kind: str, message: str) -> Exception:
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(f"xmtj_{kind}", message)


class Check:
    """Annotation marker: run ``fn`` on the raw value before pydantic's own validation."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.fn, handler(source))


class Pattern:
    """Annotation marker: text matching a regular expression, checked in pydantic's Rust core."""

    def __init__(self, regex: str) -> None:
        self.regex = regex

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.str_schema(pattern=self.regex, strip_whitespace=True)


class Between:
    """Annotation marker: an integer within bounds (years)."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(ge=self.low, le=self.high)


MONEY_MAX = Decimal(10) ** 12  # 万元: a trillion 万元, far above any county's, province's or nation's figure
MONEY_PLACES = 4  # 万元 to the yuan


class NonNegative:
    """Annotation marker: a finite number that is not negative (money), bounded, at most 4 decimals."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.decimal_schema(ge=Decimal(0), le=MONEY_MAX, decimal_places=MONEY_PLACES, allow_inf_nan=False)


class Bounded:
    """Annotation marker: a finite number within ±bound (ratios and thresholds)."""

    def __init__(self, low: Decimal, high: Decimal) -> None:
        self.low, self.high = low, high

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.decimal_schema(ge=self.low, le=self.high, allow_inf_nan=False)


_PLAIN_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


class NotANumber(ValueError):
    """Text that is not a number in the plain form the office writes; the message says why, in Chinese."""


def parse_number(text: str) -> Decimal:
    """A number typed as text (a command-line value, a quoted YAML value): plain decimal digits only.

    Hex, octal, base 60, ``1_000``, exponents, ``inf``/``nan`` and thousands separators are refused,
    as are full-width digits (typed with a Chinese input method): the message shows the plain form.
    """
    raw = text.strip()
    if _PLAIN_NUMBER.match(raw):
        return Decimal(raw)
    if any("０" <= ch <= "９" for ch in raw):
        plain = raw.translate(_FULL_WIDTH)
        hint = f"；请改为半角数字 {plain}" if _PLAIN_NUMBER.match(plain) else ""
        raise NotANumber(f"应为半角数字，现为全角“{raw}”{hint}")
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", raw):
        raise NotANumber(f"应为数字，现为“{raw}”；请去掉千分位逗号，写作 {raw.replace(',', '')}")
    if not re.match(r"^[-+.0-9]", raw):
        raise NotANumber(f"应为数字，现为“{raw}”")
    raise NotANumber(
        f"应为普通数字（如 1200 或 1200.5），现为“{raw}”；十六进制、八进制、六十进制（1:20）、"
        "科学计数法（1e5）等写法不能用于金额和数字字段"
    )


def _number(value: Any) -> Any:
    """Before pydantic's own check of a number field: text must be a plain decimal number."""
    if isinstance(value, bool):
        raise fail("number", "应为数字，现为是/否值")
    if isinstance(value, str):
        try:
            return parse_number(value)
        except NotANumber as exc:
            raise fail("number", str(exc)) from None
    return value


class AtLeastOne:
    """Annotation marker: an integer of 1 or more."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(ge=1)


def not_empty(value: Any) -> Any:
    if isinstance(value, list) and not value:
        raise fail("empty", "不能为空")
    return value


def progress_entry(value: Any) -> Any:
    if isinstance(value, (int, Decimal, float, str)) and not isinstance(value, bool):
        return {"amount": value}
    return value


class DayOrMonth:
    """Annotation marker: a date (``2022-03-15``), or a month as the office writes one (``2022-03``,
    ``2022年3月``), kept as a month (``xmtj.months.MonthDate``: "during that month", never a made-up 1st)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(day_or_month)


def day_or_month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise fail("date", "应为日期，不要带时间")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DAY.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise fail("date", f"日期“{text}”不存在") from None
        try:
            month = written_month(text)
        except BadMonth:
            raise fail("date", f"月份“{text}”不存在") from None
        if month is not None:
            return month
    raise fail("date", "应为日期（YYYY-MM-DD）或月份（YYYY-MM，如 2022-03）")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
RecordId = Annotated[str, Pattern(ID_PATTERN)]
Month = Annotated[str, Pattern(MONTH_PATTERN)]
Year = Annotated[int, Between(*YEARS)]
Money = Annotated[Decimal, NonNegative(), Check(_number)]
Points = Annotated[Decimal, Bounded(Decimal(0), Decimal(100)), Check(_number)]  # 百分点 thresholds
Figure = Annotated[Decimal, Bounded(-MONEY_MAX, MONEY_MAX), Check(_number)]  # a figure kept in a letter
DayOrMonthDate = Annotated[dt.date, DayOrMonth()]  # a schedule date: 计划开工 2022年3月 stays a month
Text = str  # control characters are refused by the readers (ledger.encoding, ledger.yamlio), escapes too


def _no_invisible(value: Any) -> Any:

    found = INVISIBLE_RE.search(value) if isinstance(value, str) else None
    if found:
        raise fail(
            "invisible",
            f"含有看不见的字符 U+{ord(found[0]):04X}（双向控制或零宽字符），会让名称看起来像别的名称；请删去",
        )
    return value


Name = Annotated[str, Check(_no_invisible)]  # ids, names and units: what a reader must be able to tell apart


class After:
    """Annotation marker: run ``fn`` on the validated value (checks across fields)."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.fn, handler(source))
