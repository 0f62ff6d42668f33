"""The office's spreadsheets as plain rows: ``.xlsx``, ``.xls``, ``.ods`` (python-calamine) and ``.csv``.

Every cell keeps its place (``Cell.address`` is ``F12``), so that a message can send the clerk to the very
cell: ``台账.xlsx!Sheet1!F12``. A CSV is read as UTF-8 (with or without a BOM) or, failing that, as GBK
(GB 18030, what Excel on a Chinese Windows writes); which one was used is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xmtj.problems import XmtjError

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
CSV = (".csv",)
MAX_BYTES = 50 * 1024 * 1024  # an office's sheet is a few hundred KB; refuse what cannot be one


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Table:
    """One sheet: its rows (values as the library gives them, ``""`` for an empty cell), and where it is."""

    file: str  # the file's name as the clerk knows it (台账.xlsx)
    sheet: str  # the sheet's name; for a CSV, the file's stem
    rows: Sequence[Sequence[Any]]
    first_row: int = 1  # the spreadsheet row number of rows[0]
    first_column: int = 0  # the column index of every row's [0]
    encoding: str | None = None  # CSV only: how the bytes were decoded

    def where(self, row: int, column: int | None = None) -> str:
        """``台账.xlsx!Sheet1!F12`` for ``rows[row][column]`` (``!12`` for a whole row)."""
        number = self.first_row + row
        cell = f"{column_letters(self.first_column + column)}{number}" if column is not None else f"第{number}行"
        return f"{self.file}!{self.sheet}!{cell}"


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The sheet ``sheet`` (default: the first) of the file at ``path``."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise XmtjError(f"无法读取 {path}：{exc.strerror}") from None
    if size > MAX_BYTES:
        raise XmtjError(f"{path.name} 有 {size // 1024 // 1024} MB，不像是台账或月报表格（上限 50 MB）")
    if suffix in CSV:
        return _read_csv(path)
    if suffix not in SPREADSHEETS:
        raise XmtjError(f"{path.name}：只能导入 .xlsx、.xls、.ods 或 .csv 文件")
    return _read_workbook(path, sheet)


def _read_workbook(path: Path, sheet: str | None) -> Table:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            raise XmtjError(f"{path.name} 中没有名为“{sheet}”的工作表；有：{'、'.join(names)}")
        chosen = book.get_sheet_by_name(sheet if sheet is not None else names[0])
        rows = chosen.to_python(skip_empty_area=False)
    except XmtjError:
        raise
    except Exception as exc:  # the library's own errors: a damaged or mislabelled file
        raise XmtjError(f"{path.name} 无法作为表格读取（文件损坏或不是 {path.suffix} 格式）：{exc}") from None
    return Table(path.name, chosen.name, rows)


def _read_csv(path: Path) -> Table:
    import csv
    import io

    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
        label = "UTF-8（带 BOM）" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError:
        text, label = data.decode("gb18030", errors="replace"), "GBK"
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    return Table(path.name, path.stem, rows, encoding=label)
