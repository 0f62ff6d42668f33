"""A listing as an Excel workbook (``--format xlsx --out F.xlsx``): real numbers with number formats, dates
as dates, a frozen header repeated on every printed page, the 亮灯 cells filled, widths that fit Chinese.

The figures a listing shows as text (``1,234``, ``87.5%``, ``—``) are turned back into numbers here, by
column: the listing's ``right`` columns are its figures. openpyxl is imported only when a workbook is
written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from xmtj.documents.workbook import FILLS
from xmtj.documents.xlsx import put
from xmtj.figures.metrics import LIGHT_WORDS

_NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?$")
_PERCENT = re.compile(r"^[-+]?\d+(\.\d+)?%$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# the 台账's own fills (xmtj.documents.workbook), by the word a listing shows: 红灯 (or 红 in 红/黄/绿)
LIGHT_FILLS = {word[:n]: FILLS[light] for light, word in LIGHT_WORDS.items() for n in (1, 2)}
MONEY_FORMAT, DECIMAL_FORMAT, RATE_FORMAT, DATE_FORMAT = "#,##0", "#,##0.00", "0.0%", "yyyy-mm-dd"


def cell_value(text: str, figure: bool) -> tuple[Any, str | None]:
    """A listing's cell as what Excel should hold, and its number format."""
    plain = text.strip()
    if _DATE.match(plain):
        try:
            return dt.date.fromisoformat(plain), DATE_FORMAT
        except ValueError:
            return text, None
    if not figure:
        return text, None
    if plain in ("", "—", "-"):
        return None, None
    if _PERCENT.match(plain):
        return Decimal(plain[:-1]) / 100, RATE_FORMAT
    if _NUMBER.match(plain):
        number = Decimal(plain.replace(",", ""))
        return number, MONEY_FORMAT if number == number.to_integral_value() else DECIMAL_FORMAT
    return text, None


FIGURE_WORDS = ("万元", "亿元", "率", "序时", "投资", "金额", "数", "天", "个")


def figure_columns(listing: Any) -> set[str]:
    """The columns that hold figures: the listing's ``right`` ones, else those whose heading names a
    figure (万元, 率, 天数 …) and whose every cell reads as a number (an id or a phone number never does)."""
    found = set(listing.right)
    for i, header in enumerate(listing.headers):
        if header in found or not any(word in header for word in FIGURE_WORDS):
            continue
        cells = [row[i].strip() for row in listing.rows if i < len(row)]
        if all(c in ("", "—", "-") or _NUMBER.match(c) or _PERCENT.match(c) for c in cells):
            found.add(header)
    return found


def _width(texts: list[str]) -> float:
    from wcwidth import wcswidth

    widest = max((max(wcswidth(t), len(t)) for t in texts if t), default=4)
    return float(min(max(widest + 2, 6), 60))


def workbook(listing: Any) -> bytes:
    """A ``xmtj.cli.output.Listing`` as .xlsx bytes: title row (merged), header, rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", listing.title or "清单")[:31] or "清单"
    top = 1
    if listing.title:
        put(sheet, 1, 1, listing.title).font = Font(bold=True, size=14)
        if len(listing.headers) > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(listing.headers))
        top = 2
    for column, header in enumerate(listing.headers, start=1):
        cell = put(sheet, top, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    figures = figure_columns(listing)
    for r, row in enumerate(listing.rows, start=top + 1):
        for column, (header, text) in enumerate(zip(listing.headers, row, strict=False), start=1):
            value, number_format = cell_value(text, header in figures)
            cell = put(sheet, r, column, value)
            if number_format:
                cell.number_format = number_format
            fill = LIGHT_FILLS.get(text.strip()) if "灯" in header else None
            if fill:
                cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
            if header in listing.wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, header in enumerate(listing.headers, start=1):
        texts = [header] + [row[column - 1] for row in listing.rows if column - 1 < len(row)]
        width = _width(texts)
        sheet.column_dimensions[get_column_letter(column)].width = min(width, 40) if header in listing.wide else width
    sheet.freeze_panes = sheet.cell(top + 1, 1)
    sheet.print_title_rows = f"{top}:{top}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
