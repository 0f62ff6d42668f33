"""One cell's value as the ledger needs it: an amount, a date, a text, a list.

Offices type figures every way a sheet allows, so the readers here are generous where the meaning is
certain and strict where it is not: ``５０００``, ``1,234.5`` and ``"5000"`` are 5000; ``约5000`` is refused
(``CellError``), never guessed. Dates come as Excel dates, serial numbers, ``2022-03-15``, ``2022/3/15``,
``2022.3.15``, ``2022年3月15日`` or a month only (``2022年3月``: kept as the month, ``xmtj.months.MonthDate``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from xmtj.ledger.fields import MONEY_MAX
from xmtj.months import MonthDate

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－／：　", "0123456789.,-/: ")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIALS = (25000, 80000)  # 1968–2119: a number in a date column outside this is not a date
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(份|底|末)?")
_LARGEST = 1e15  # far beyond any amount (the ledger's limit is 10^12 万元): a figure, not an accident
_LIST = re.compile(r"\s*[、，,；;/\n]\s*")


class CellError(ValueError):
    """The cell cannot be read as what its column holds; the message says why, in Chinese."""


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str | None:
    """A text cell: numbers as typed (a phone number 13800000000, not 1.38E10), dates ISO; None if empty."""
    if blank(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def number(value: Any) -> Decimal | None:
    """An amount: a number cell, or text holding a plain number (full-width digits and thousands
    separators accepted, a trailing 万元 too); None if empty."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"应为数字，现为“{text(value)}”")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("应为数字")
        if abs(value) > _LARGEST:
            raise CellError(f"数字过大（{text(value)}），不像是金额")
        return Decimal(repr(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise CellError(f"应为数字，现为日期或时间“{value}”（单元格格式可能设成了日期）")
    raw = str(value).strip()
    plain = raw.translate(_FULL_WIDTH).replace(" ", "").removesuffix("万元")
    if _THOUSANDS.fullmatch(plain):
        plain = plain.replace(",", "")
    if not _NUMBER.fullmatch(plain) or len(plain) > 40:
        raise CellError(f"应为数字，现为“{raw}”")
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise CellError(f"应为数字，现为“{raw}”") from None


def money(value: Any, factor: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元 (``factor`` 10000 when the sheet is in 亿元); never negative, at most 4 decimals."""
    amount = number(value)
    if amount is None:
        return None
    if amount < 0:
        raise CellError(f"不能为负数，现为“{text(value)}”")
    amount = amount * factor
    if amount > MONEY_MAX:
        raise CellError(f"金额过大（{text(value)}），超过上限 {MONEY_MAX:,} 万元")
    if amount != amount.quantize(Decimal("0.0001")):
        if isinstance(value, float):  # a float's last digits are noise from binary, not the office's
            amount = amount.quantize(Decimal("0.0001"))
        else:
            raise CellError(f"金额最多四位小数（万元），现为“{text(value)}”")
    return amount.normalize() if amount != amount.to_integral_value() else amount.quantize(Decimal(1))


def date(value: Any) -> tuple[dt.date | None, bool]:
    """A date, and whether the cell gave only a month (then a ``MonthDate``: due only once the month ends)."""
    if blank(value):
        return None, False
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and _SERIALS[0] <= value <= _SERIALS[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value)), False
        raise CellError(f"应为日期，现为数字“{text(value)}”")
    raw = str(value).strip()
    plain = raw.translate(_FULL_WIDTH)
    if plain.isdigit() and _SERIALS[0] <= int(plain) <= _SERIALS[1]:  # a serial written out (a CSV from Excel)
        return _EXCEL_EPOCH + dt.timedelta(days=int(plain)), False
    found = _DATE.fullmatch(plain)
    if found:
        year, month, day = (int(x) for x in found.groups())
        try:
            return dt.date(year, month, day), False
        except ValueError:
            raise CellError(f"日期不存在：“{raw}”") from None
    found = _MONTH.fullmatch(plain)
    if found:
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise CellError(f"日期不存在：“{raw}”")
        return MonthDate(year, month), True
    raise CellError(f"应为日期（如 2022-03-15、2022/3/15、2022年3月15日），现为“{raw}”")


def items(value: Any) -> list[str]:
    """A list cell: items separated by 、，, ；; / or line breaks."""
    written = text(value)
    return [item for item in _LIST.split(written) if item] if written else []


# a 前期手续 cell as offices fill it: a state, a date, a 文号, or a date and a 文号
_DONE = ("已办结", "已完成", "已办理", "已批复", "已取得", "已办", "已备案", "已核准", "已审批", "已批", "完成", "办结",
         "√", "✓", "是")  # fmt: skip
_DOING = ("办理中", "在办", "正在办理", "已申报", "已受理", "审批中", "已报送", "已上报", "在审")
_NOT = ("未启动", "未办理", "未办", "未开始", "未批", "未取得", "否", "×", "无")
_NOT_NEEDED = ("不需要", "无需办理", "无需", "不涉及", "不需办理", "—", "-", "/", "／")
_DOC_NO = re.compile(r"\S*〔\d{4}〕\s*\d+\s*号")
_ANY_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")


def approval(value: Any) -> dict[str, Any] | None:
    """A 前期手续 cell: ``{status, date, doc_no}`` (a date or a 文号 alone means 已办结); None when empty or not
    needed (不涉及); a ``CellError`` for words that say none of these."""
    if blank(value):
        return None
    if isinstance(value, dt.date | dt.datetime) or (isinstance(value, int | float) and not isinstance(value, bool)):
        day, _ = date(value)
        return {"status": "已办结", "date": day}
    raw = " ".join(str(value).split()).translate(_FULL_WIDTH)
    if raw in _NOT_NEEDED:
        return None
    found: dict[str, Any] = {}
    doc_no = _DOC_NO.search(raw)
    if doc_no:
        found["doc_no"] = "".join(doc_no[0].split())
        raw = raw.replace(doc_no[0], " ")
    written = _ANY_DATE.search(raw)
    if written:
        found["date"] = date(written[0])[0]
        raw = raw.replace(written[0], " ")
    words = "".join(ch for ch in raw if ch not in "（）()，,；; ")
    if words in _DONE or (not words and found):
        found["status"] = "已办结"
    elif words in _DOING:
        found["status"] = "办理中"
    elif words in _NOT and not found:
        found["status"] = "未办理"
    else:
        raise CellError(f"手续应填 已办结、办理中、未办理，或办结日期、批复文号，现为“{text(value)}”")
    return found
