"""What every Excel file xmtj writes shares: text is written as text.

openpyxl takes any string that starts with ``=`` for a formula: a project named ``=HYPERLINK("http://…?"&A1,
"点此查看")`` would become a live link in the office's own 台账, and a 形象进度 of ``=2+3`` a sum. ``put`` writes
every value a sheet gets from the records; a string stays a string (an inline string cell), so that a name
starting with ``=``, ``+``, ``-`` or ``@`` goes out and comes back (a returned dispatch sheet) unchanged.
"""

from __future__ import annotations

from typing import Any


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """``sheet``'s cell at (row, column) holding ``value`` — text as text, never a formula."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell
