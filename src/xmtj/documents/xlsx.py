"""What every Excel file xmtj writes shares — the 台账 (``workbook``), a listing's ``--format xlsx``
(``table_workbook``) and the units' dispatch sheets: one set of styles, number formats by the kind of a
figure, print set-up, and text written as text.

openpyxl takes any string that starts with ``=`` for a formula: a project named ``=HYPERLINK("http://…?"&A1,
"点此查看")`` would become a live link in the office's own 台账, and a 形象进度 of ``=2+3`` a sum. ``put`` writes
every value a sheet gets from the records; a string stays a string (an inline string cell), so that a name
starting with ``=``, ``+``, ``-`` or ``@`` goes out and comes back (a returned dispatch sheet) unchanged.

Figures are written as numbers (a ``Decimal`` exactly, a ratio as a float) with the number format of their
kind, never as the text another renderer printed: a workbook is made from typed rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

# number formats by the kind of a figure
MONEY, DECIMAL, RATE, POINTS, DATE, COUNT = "#,##0", "#,##0.00", "0.0%", "+0.0;-0.0;0.0", "yyyy-mm-dd", "0"
FORMATS = (MONEY, DECIMAL, RATE, POINTS, DATE, COUNT)
FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}  # 亮灯, as offices fill them by hand
LIGHT_FILLS = {"红灯": "red", "黄灯": "yellow", "绿灯": "green", "红": "red", "黄": "yellow", "绿": "green"}
BODY_FONT = "仿宋_GB2312"


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """``sheet``'s cell at (row, column) holding ``value`` — text as text, never a formula."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def figure(value: Fraction | Decimal | int | None) -> Any:
    """A figure as Excel holds it: money exact (Decimal), a ratio as a float; None stays empty."""
    if value is None:
        return None
    return float(value) if isinstance(value, Fraction) else value


def styles(book: Any) -> dict[str, Any]:
    """Fonts, borders and fills; and one named style per kind of cell (text, money, rate …) so that a cell
    is styled by one assignment (setting font, border and format one by one made 10,000 rows take 9 s)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=BODY_FONT, size=11)
    for name, number_format, wrap in (("xmtj-text", "General", True), *((f"xmtj-{f}", f, False) for f in FORMATS)):
        style = NamedStyle(name=name, font=body, border=border, number_format=number_format,
                           alignment=Alignment(vertical="center", wrap_text=wrap))  # fmt: skip
        book.add_named_style(style)
    return {
        "title": Font(name="方正小标宋简体", size=18),
        "bold": Font(name="黑体", size=11),
        "body": body,
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "border": border,
        "fills": {light: PatternFill("solid", start_color=c, end_color=c) for light, c in FILLS.items()},
    }


def title(
    sheet: Any, text: str, width: int, style: dict[str, Any], unit_left: str = "", unit: str = "单位：万元"
) -> None:
    """Row 1 the title merged across the table; row 2 填报单位 on the left, the unit on the right."""
    from openpyxl.styles import Alignment

    put(sheet, 1, 1, text).font = style["title"]
    sheet.cell(1, 1).alignment = style["center"]
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 32
    if unit_left:
        put(sheet, 2, 1, unit_left).font = style["body"]
    if unit:
        cell = put(sheet, 2, width, unit)
        cell.font = style["body"]
        cell.alignment = Alignment(horizontal="right", wrap_text=False)


def header(sheet: Any, row: int, headings: Sequence[tuple[str, float]], style: dict[str, Any]) -> None:
    """The header row (bold, centred, bordered), each column's width; frozen and printed on every page."""
    from openpyxl.utils import get_column_letter

    for column, (name, width) in enumerate(headings, start=1):
        cell = put(sheet, row, column, name)
        cell.font, cell.alignment, cell.border = style["bold"], style["center"], style["border"]
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row + 1, 1)
    sheet.print_title_rows = f"1:{row}"


PAGE_FOOTER = "第 &P 页 共 &N 页"  # Excel's codes: this page, the number of pages


def print_setup(sheet: Any, landscape: bool = True, a3: bool = True) -> None:
    """A3 (or A4) landscape, one page wide, as many pages long as it takes, centred across the page; the
    page number at the foot of every page (第 1 页 共 3 页)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if a3 else sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    for footer in (sheet.oddFooter, sheet.evenFooter):
        footer.center.text = PAGE_FOOTER
        footer.center.font = "宋体"
        footer.center.size = 10


# Row heights. Neither Excel nor LibreOffice grows a row whose height a file sets, and openpyxl cannot ask a
# renderer how tall wrapped text is: without heights, wrapped names and problems overprint the next rows. A
# row's height is worked out from its text: a column ``width`` (Excel's unit, the width of a digit of the
# default font, Calibri 11: 7 px) holds ``width * 7 - 6`` px of text; a CJK character is one em of its font,
# figures and Latin letters half (as 仿宋 and 宋体 draw them); a line is ``LINE_HEIGHT`` times the font size
# (measured on LibreOffice's PDF, whose fallback CJK fonts are taller than 仿宋_GB2312; on an office's own
# fonts the rows have a little room to spare).
LINE_HEIGHT = 1.45
ROW_PADDING = 4.0  # points above and below a cell's text


@functools.lru_cache(maxsize=4096)  # units, leaders and 分指挥部 repeat on every row of a 台账
def lines_needed(text: str, width: float, size: float = 11) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` units wide at ``size`` points."""
    from wcwidth import wcwidth

    em = size * 96 / 72
    room = max(width * 7 - 6, em)
    lines = 0
    for part in text.split("\n"):  # each paragraph filled character by character, as the renderer breaks CJK
        lines, used = lines + 1, 0.0
        if len(part) * em <= room:
            continue
        for ch in part:
            wide = em if wcwidth(ch) == 2 else em / 2
            if used and used + wide > room:
                lines, used = lines + 1, 0.0
            used += wide
    return lines


def row_height(lines: int, size: float = 11) -> float:
    """The height (points) of a row of ``lines`` lines of ``size``-point text."""
    return round(lines * size * LINE_HEIGHT + ROW_PADDING, 1)


def fit_rows(sheet: Any, first: int, last: int, size: float = 11) -> None:
    """Every row from ``first`` to ``last`` as tall as its longest wrapped text (merged cells measured across
    their columns)."""
    from openpyxl.utils import get_column_letter

    widths = {c: sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, sheet.max_column + 1)}
    spans = {(m.min_row, m.min_col): sum(widths.get(c, 8.43) for c in range(m.min_col, m.max_col + 1))
             for m in sheet.merged_cells.ranges}  # fmt: skip
    for row in sheet.iter_rows(min_row=first, max_row=last):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.value:
                width = spans.get((cell.row, cell.column), widths.get(cell.column, 8.43))
                lines = max(lines, lines_needed(cell.value, width, size))
        sheet.row_dimensions[row[0].row].height = row_height(lines, size)


def write_row(sheet: Any, row: int, values: Sequence[Any], formats: Sequence[str | None]) -> None:
    for column, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
        put(sheet, row, column, value).style = f"xmtj-{number_format}" if number_format else "xmtj-text"


# the kinds a listing's columns have (``xmtj.cli.output.Column``) → number format
KIND_FORMATS = {"money": MONEY, "rate": RATE, "points": POINTS, "date": DATE, "count": COUNT}


def cell_value(kind: str, value: Any) -> tuple[Any, str | None]:
    """A typed value of a listing's column as the cell holds it, with its number format."""
    if value is None or value == "":
        return None, None
    if kind == "money":
        number = value if isinstance(value, Decimal) else Decimal(value)
        return number, MONEY if number == number.to_integral_value() else DECIMAL
    if kind == "rate":
        return figure(value), RATE
    if kind == "points":
        return figure(value), POINTS
    if kind == "date" and isinstance(value, dt.date):
        return value, DATE
    if kind == "count":
        return value, COUNT
    return str(value), None


def table_workbook(
    sheet_title: str | None, columns: Sequence[tuple[str, str, bool]], rows: Sequence[Sequence[Any]]
) -> bytes:
    """A listing as .xlsx bytes: title row (merged), the header (frozen, printed on every page), the typed
    rows (``columns``: heading, kind, whether free text that may wrap), 亮灯 cells filled; landscape, one
    page wide."""
    import re

    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", sheet_title or "清单")[:31] or "清单"
    style = styles(book)
    top = 1
    if sheet_title:
        title(sheet, sheet_title, len(columns), style, unit="")
        top = 2
    widths = [_width([heading, *(_shown(kind, row[i]) for row in rows)], wide) for i, (heading, kind, wide)
              in enumerate(columns)]  # fmt: skip
    header(sheet, top, [(heading, width) for (heading, _, _), width in zip(columns, widths, strict=True)], style)
    for r, row in enumerate(rows, start=top + 1):
        for c, ((_, kind, _), value) in enumerate(zip(columns, row, strict=False), start=1):
            shown, number_format = cell_value(kind, value)
            cell = put(sheet, r, c, shown)
            cell.style = f"xmtj-{number_format}" if number_format else "xmtj-text"
            light = LIGHT_FILLS.get(str(value)) if kind == "light" else None
            if light:
                cell.fill = PatternFill("solid", start_color=FILLS[light], end_color=FILLS[light])
    print_setup(sheet, landscape=True, a3=False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(kind: str, value: Any) -> str:
    return "" if value is None else str(value)


def _width(texts: list[str], wide: bool) -> float:
    """A column's width in Excel's units from its longest text (a CJK character counts two)."""
    from wcwidth import wcswidth

    widest = max((max(wcswidth(t), len(t)) for t in texts if t), default=4)
    return float(min(max(widest + 2, 6), 40 if wide else 60))
