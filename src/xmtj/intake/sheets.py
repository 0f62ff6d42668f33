"""The office's spreadsheets as plain rows: ``.xlsx``, ``.xls``, ``.ods`` (python-calamine) and ``.csv``.

Every cell keeps its place (``Cell.address`` is ``F12``), so that a message can send the clerk to the very
cell: ``台账.xlsx!Sheet1!F12``. A CSV is read as UTF-8 (with or without a BOM) or, failing that, as GBK
(GB 18030, what Excel on a Chinese Windows writes); which one was used is reported, and a byte that is
neither is an error naming its row and column — never a replacement character in a name.

A spreadsheet is a zip of XML that can claim any size: before the reader sees one, ``inspect`` measures it
(``xmtj.intake.bounds``: the zip's parts, the cells a sheet addresses, the repeats an .ods declares), and
the read itself runs in a child process with an address-space limit, so that a reader that asks for
512 GB ends that child, not xmtj: ``无法读取 X.xlsx：表格过大或已损坏`` and exit 1. The sheet read is the
one the workbook opens on (its active, visible sheet) unless ``--sheet`` names another; hidden sheets and
hidden rows are reported.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xmtj.intake.bounds import LIMITS, Layout, inspect
from xmtj.problems import XmtjError, os_words

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
CSV = (".csv",)
MAX_BYTES = 50 * 1024 * 1024  # an office's sheet is a few hundred KB; refuse what cannot be one
MARKER_SHEET = "xmtj"  # a dispatch sheet's very hidden marker (xmtj.intake.dispatch)


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
    notes: tuple[str, ...] = ()  # hidden sheets and rows, which sheet was chosen
    marker: Sequence[Sequence[Any]] | None = None  # the dispatch marker sheet's rows, when there is one
    hidden_rows: frozenset[int] = field(default_factory=frozenset)  # spreadsheet row numbers

    def where(self, row: int, column: int | None = None) -> str:
        """``台账.xlsx!Sheet1!F12`` for ``rows[row][column]`` (``!12`` for a whole row)."""
        number = self.first_row + row
        cell = f"{column_letters(self.first_column + column)}{number}" if column is not None else f"第{number}行"
        return f"{self.file}!{self.sheet}!{cell}"


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The sheet ``sheet`` (default: the one the workbook opens on) of the file at ``path``."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise XmtjError(f"无法读取 {path}：{os_words(exc)}") from None
    if path.is_dir():
        raise XmtjError(f"无法读取 {path}：是一个文件夹")
    if size > MAX_BYTES:
        raise XmtjError(f"{path.name} 有 {size // 1024 // 1024} MB，不像是台账或月报表格（上限 50 MB）")
    if suffix in CSV:
        return _read_csv(path)
    if suffix not in SPREADSHEETS:
        raise XmtjError(f"{path.name}：只能导入 .xlsx、.xls、.ods 或 .csv 文件")
    layout = inspect(path)
    return _read_bounded(path, sheet, layout)


def _read_bounded(path: Path, sheet: str | None, layout: Layout) -> Table:
    """The workbook read in a child process under an address-space limit (see the module doc)."""
    if not hasattr(os, "fork"):  # no fork (Windows): the checks of ``inspect`` are the bound
        return _read_workbook(path, sheet, layout)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send the table (or the error) back, and end
        os.close(reader)
        code = 0
        try:
            _limit_memory()
            try:
                result: Any = _read_workbook(path, sheet, layout)
            except XmtjError as exc:
                result = exc
            with os.fdopen(writer, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as inp:
        data = _read_all(inp, pid)
    _, status = os.waitpid(pid, 0)
    if not data or os.waitstatus_to_exitcode(status) != 0:
        raise XmtjError(f"无法读取 {path.name}：表格过大或已损坏（读取时超出了 {LIMITS.memory_mb} MB 内存或 "
                        f"{LIMITS.seconds} 秒的限制）")  # fmt: skip
    result = pickle.loads(data)  # our own child's answer
    if isinstance(result, XmtjError):
        raise result
    assert isinstance(result, Table)
    return result


def _read_all(stream: Any, pid: int) -> bytes:
    """The child's answer, waiting at most ``LIMITS.seconds``: a reader that loops forever is ended."""
    import select
    import time

    chunks: list[bytes] = []
    deadline = time.monotonic() + LIMITS.seconds
    fd = stream.fileno()
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            os.kill(pid, signal.SIGKILL)
            return b""
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _limit_memory() -> None:
    """The child may grow by ``LIMITS.memory_mb`` beyond what it inherited: a reader's runaway allocation
    fails there (an abort in native code ends only the child)."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        current = 1 << 30
    limit = current + LIMITS.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _read_workbook(path: Path, sheet: str | None, layout: Layout) -> Table:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        visible = {m.name: str(m.visible).endswith("Visible") for m in book.sheets_metadata}
        notes: list[str] = []
        if sheet is not None:
            if sheet not in names:
                shown = "、".join(n for n in names if n != MARKER_SHEET)
                raise XmtjError(f"{path.name} 中没有名为“{sheet}”的工作表；有：{shown}")
            chosen = sheet
        else:
            chosen = _opening_sheet(names, visible, layout.active)
            others = [n for n in names if n != chosen and n != MARKER_SHEET]
            if others:
                notes.append(f"{path.name} 有{len(names) - (MARKER_SHEET in names)}个工作表，读取的是“{chosen}”"
                             f"（打开文件时显示的那个）；其他表用 --sheet 指定")  # fmt: skip
        hidden = [n for n in names if not visible.get(n, True) and n != MARKER_SHEET]
        if hidden:
            notes.append(f"{path.name} 中有隐藏的工作表：{'、'.join(hidden)}（未读取）")
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
        marker = book.get_sheet_by_name(MARKER_SHEET).to_python() if MARKER_SHEET in names else None
    except XmtjError:
        raise
    except Exception as exc:  # the library's own errors: a damaged or mislabelled file
        raise XmtjError(f"{path.name} 无法作为表格读取（文件损坏或不是 {path.suffix} 格式）：{exc}") from None
    hidden_rows = frozenset(layout.hidden_rows.get(chosen, ()))
    if hidden_rows:
        shown = "、".join(str(r) for r in sorted(hidden_rows)[:10]) + ("等" if len(hidden_rows) > 10 else "")
        notes.append(f"{path.name}!{chosen} 有{len(hidden_rows)}行被隐藏（第{shown}行），照常读取，请核对")
    return Table(path.name, chosen, rows, notes=tuple(notes), marker=marker, hidden_rows=hidden_rows)


def _opening_sheet(names: list[str], visible: dict[str, bool], active: int | None) -> str:
    """The sheet a workbook opens on: its active one if visible, else the first visible one."""
    if active is not None and 0 <= active < len(names) and visible.get(names[active], True):
        return names[active]
    shown = [n for n in names if visible.get(n, True) and n != MARKER_SHEET]
    if not shown:
        raise XmtjError("工作簿中没有可见的工作表")
    return shown[0]


def _read_csv(path: Path) -> Table:
    import csv
    import io

    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
        label = "UTF-8（带 BOM）" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError:
        try:
            text, label = data.decode("gb18030"), "GBK"
        except UnicodeDecodeError as exc:
            raise XmtjError(_bad_bytes(path, data, exc)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [list(row) for row in reader]
    except csv.Error as exc:  # a field over the csv module's limit (128 KB), a stray quote …
        where = f"{path.name}!{path.stem}!第{reader.line_num}行"
        raise XmtjError(f"{where}：无法按 CSV 读取（{_csv_words(exc)}）") from None
    return Table(path.name, path.stem, rows, encoding=label)


def _bad_bytes(path: Path, data: bytes, exc: UnicodeDecodeError) -> str:
    """Where the first byte that is neither UTF-8 nor GBK is: row and column, as the clerk counts them."""
    import csv
    import io

    before = data[: exc.start].decode("gb18030", "replace")
    lines = before.split("\n")
    fields = next(csv.reader(io.StringIO(lines[-1])), [""])
    return (
        f"{path.name}!{path.stem}!{column_letters(max(len(fields) - 1, 0))}{len(lines)}：有无法识别的字节"
        f"（0x{data[exc.start]:02X}），文件既不是 UTF-8 也不是 GBK 编码；"
        "请在 Excel 或 WPS 中另存为 UTF-8 的 CSV 或 .xlsx"
    )


def _csv_words(exc: Exception) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return "有一个单元格超过 128 KB"
    return text
