"""How large a spreadsheet may be, measured before any reader sees it.

An .xlsx or .ods is a zip of XML: five kilobytes can declare a cell at XFD1048576 (a reader that sizes its
grid from that asks for 512 GB and aborts the process) or a row repeated a million times. ``inspect``
reads the zip's directory and scans each sheet's XML (bounded, in chunks) for what it really addresses,
and refuses what no office sheet needs. What it cannot see is caught by the child process the read runs
in (``xmtj.intake.sheets``): an address-space limit and a time limit.

Limits (documented in the manual; ``LIMITS``): 100 MB uncompressed in all and per part, 200,000 rows and
200 columns addressed by any sheet, 1,500 MB of memory and 60 seconds for the read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xmtj.problems import XmtjError


@dataclass(frozen=True)
class Limits:
    uncompressed_mb: int = 100
    part_mb: int = 100
    rows: int = 200_000
    columns: int = 200
    memory_mb: int = 1500
    seconds: int = 60


LIMITS = Limits()


@dataclass
class Layout:
    """What the zip says of its sheets: which one opens first (index), and the hidden rows of each."""

    active: int | None = None
    hidden_rows: dict[str, list[int]] = field(default_factory=dict)


class TooLarge(XmtjError):
    """A spreadsheet beyond the limits (or not the zip it claims to be)."""


def inspect(path: Path) -> Layout:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        return Layout()  # .xls (BIFF): its size was checked; the child's limits are its bound
    try:
        with zipfile.ZipFile(path) as archive:
            _sizes(path, archive)
            return _xlsx(path, archive) if suffix != ".ods" else _ods(path, archive)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
        raise TooLarge(f"无法读取 {path.name}：文件损坏或不是 {path.suffix} 格式（{type(exc).__name__}）") from None


def _sizes(path: Path, archive: zipfile.ZipFile) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > LIMITS.part_mb << 20:
            raise TooLarge(f"无法读取 {path.name}：表格过大（其中 {info.filename} 解压后超过 {LIMITS.part_mb} MB）")
    if total > LIMITS.uncompressed_mb << 20:
        raise TooLarge(f"无法读取 {path.name}：表格过大（解压后超过 {LIMITS.uncompressed_mb} MB）")


def _chunks(archive: zipfile.ZipFile, name: str, size: int = 1 << 20) -> Iterator[str]:
    """A part's text in pieces that never split a tag (each piece ends at a ``>``)."""
    rest = ""
    with archive.open(name) as stream:
        while block := stream.read(size):
            text = rest + block.decode("utf-8", "replace")
            cut = text.rfind(">") + 1
            rest = text[cut:]
            yield text[:cut]
    if rest:
        yield rest


def _letters(column: str) -> int:
    number = 0
    for ch in column:
        number = number * 26 + ord(ch) - 64
    return number


_CELL_REF = re.compile(r'<c\b[^>]*?\br="([A-Z]{1,4})(\d{1,8})"')
_DIMENSION = re.compile(r'<dimension\b[^>]*?\bref="(?:[A-Z]+\d+:)?([A-Z]{1,4})(\d{1,8})"')
_HIDDEN_ROW = re.compile(
    r'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
_SHEET = re.compile(
    r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"|<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"'
)
_RELATION = re.compile(
    r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"'
)
_ACTIVE_TAB = re.compile(r'<workbookView\b[^>]*?\bactiveTab="(\d+)"')


def _xlsx(path: Path, archive: zipfile.ZipFile) -> Layout:
    import html

    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {m[0] or m[3]: (m[1] or m[2]) for m in _RELATION.findall(relations)}
    layout = Layout()
    active = _ACTIVE_TAB.search(workbook)
    layout.active = int(active[1]) if active else 0
    names = set(archive.namelist())
    for match in _SHEET.findall(workbook):
        name, rid = html.unescape(match[0] or match[3]), match[1] or match[2]
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part not in names:
            continue
        rows = columns = 0
        hidden: list[int] = []
        for text in _chunks(archive, part):
            for found in _DIMENSION.findall(text):
                rows, columns = max(rows, int(found[1])), max(columns, _letters(found[0]))
            for letters, number in _CELL_REF.findall(text):
                rows, columns = max(rows, int(number)), max(columns, _letters(letters))
            hidden += [int(a or b) for a, b in _HIDDEN_ROW.findall(text)]
            _within(path, name, rows, columns)
        if hidden:
            layout.hidden_rows[name] = hidden
    return layout


def _within(path: Path, sheet: str, rows: int, columns: int) -> None:
    if rows > LIMITS.rows or columns > LIMITS.columns:
        raise TooLarge(
            f"无法读取 {path.name}：表格过大（工作表“{sheet}”用到了第 {rows} 行、第 {columns} 列，"
            f"上限为 {LIMITS.rows} 行、{LIMITS.columns} 列）；请删去多余的行列后另存再导入"
        )


_ODS_TAG = re.compile(r"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ODS_NAME = re.compile(r'table:name="([^"]*)"')
_ODS_ROWS = re.compile(r'table:number-rows-repeated="(\d+)"')
_ODS_COLUMNS = re.compile(r'table:number-columns-repeated="(\d+)"')
_ODS_ACTIVE = re.compile(r'config:name="ActiveTable"[^>]*>([^<]*)<')


def _ods(path: Path, archive: zipfile.ZipFile) -> Layout:
    """Rows and columns an .ods fills, its repeats counted (a repeated empty row is free; a repeated cell
    with a value is as many cells as it says), and its hidden rows."""
    import html

    layout = Layout()
    tables: list[str] = []
    table, row, rows, columns, row_repeat, column = "", 0, 0, 0, 1, 0
    row_filled = False
    for text in _chunks(archive, "content.xml"):
        for closing, tag, attrs, empty in _ODS_TAG.findall(text):
            if tag == "table" and not closing:
                table = html.unescape(m[1]) if (m := _ODS_NAME.search(attrs)) else ""
                tables.append(table)
                row = rows = columns = 0
            elif tag == "table-row" and not closing:
                row_repeat = int(m[1]) if (m := _ODS_ROWS.search(attrs)) else 1
                column, row_filled = 0, False
                if "table:visibility=" in attrs and 'visibility="visible"' not in attrs:
                    layout.hidden_rows.setdefault(table, []).extend(range(row + 1, row + 1 + min(row_repeat, 1000)))
                if empty:
                    row += row_repeat
            elif tag == "table-row" and closing:
                if row_filled:
                    rows = row + row_repeat
                row += row_repeat
                _within(path, table, rows, columns)
            elif tag in ("table-cell", "covered-table-cell") and not closing:
                repeat = int(m[1]) if (m := _ODS_COLUMNS.search(attrs)) else 1
                if not empty or "office:value-type" in attrs:
                    row_filled = True
                    columns = max(columns, column + repeat)
                column += repeat
    if "settings.xml" in archive.namelist():
        found = _ODS_ACTIVE.search(archive.read("settings.xml").decode("utf-8", "replace"))
        if found and html.unescape(found[1]) in tables:
            layout.active = tables.index(html.unescape(found[1]))
    return layout
