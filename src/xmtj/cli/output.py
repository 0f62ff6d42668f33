"""The output layer: one ``Listing`` per listing, rendered in the format the clerk chose.

A command builds its ``Listing`` (typed columns and rows, the JSON data, a title) once, outside its body
(``xmtj.cli.listings``, ``xmtj.cli.views``), and hands it to ``show``; ``RENDERERS`` has one renderer per
format (pip-audit's pattern), so every listing gets table, Markdown, JSON, CSV and Excel alike — the Excel
one writing the typed values themselves, never parsing text another renderer printed.
Everything the data puts on the screen goes through ``visible`` (no raw control characters) and rich
``Text`` (never read as rich markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typer

from xmtj.figures import fmt
from xmtj.textsafe import CONTROL_RE, visible

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def echo(text: str = "", nl: bool = True, err: bool = False) -> None:
    """Plain output; control characters from the data are shown as escapes, never sent raw."""
    typer.echo(visible(text), nl=nl, err=err)


def say(text: str, style: str = "", err: bool = True) -> None:
    """One line through rich (styled on a terminal), never read as rich markup."""
    from rich.text import Text

    console(stderr=err).print(Text(visible(text), style=style), soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    """``错误：message`` on stderr, and exit ``code``."""
    from rich.text import Text

    console(stderr=True).print(Text.assemble(("错误：", "bold red"), visible(message)), soft_wrap=True)
    raise typer.Exit(code)


Kind = Literal["text", "money", "rate", "points", "count", "date", "light"]
FIGURE_KINDS = ("money", "rate", "points", "count")


@dataclass(frozen=True)
class Column:
    """A listing's column: its heading, the kind of value it holds (how each format shows it), and whether
    it is free text that may wrap on a terminal."""

    heading: str
    kind: Kind = "text"
    wide: bool = False


def cell_text(kind: str, value: Any) -> str:
    """A typed value as the table, Markdown and CSV show it (the office's ways: 1,234 万元 as 1234,
    87.5%, +5.3, 2021-11-30); a missing figure is ``—``."""
    if isinstance(value, str) and kind != "text":  # a word where a figure would be (``未报送``), or nothing
        return value
    shown = _SHOWN.get(kind)
    if shown is not None:
        return shown(value)
    if value is None:
        return ""
    if kind == "date":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value)


# how each kind of figure is written (None is ``—``)
_SHOWN: dict[str, Callable[[Any], str]] = {"money": fmt.wan, "rate": fmt.pct, "points": fmt.points}


@dataclass
class Listing:
    """One listing: its columns and typed rows (built once), the same data for JSON, and how to show it.
    Each format renders the rows its own way (``RENDERERS``); a listing may draw a format itself
    (``drawn``: the status report's terminal table, Markdown and Excel 台账)."""

    columns: Sequence[Column]
    rows: list[list[Any]] | Callable[[], list[list[Any]]]  # or a function giving them (a drawn table needs none)
    data: Any  # what JSON holds; a function giving it, where working it out costs (10,000 rows' figures)
    title: str | None = None
    headline: str | None = None  # a sentence before the table (table and Markdown)
    empty: str | None = None  # said instead of an empty table
    notes: list[str] = field(default_factory=list)  # said on stderr after the table
    drawn: dict[str, Callable[[], str | bytes | None]] = field(default_factory=dict)

    def json_data(self) -> Any:
        return self.data() if callable(self.data) else self.data

    def values(self) -> list[list[Any]]:
        """The typed rows (worked out once, when first asked for)."""
        if callable(self.rows):
            self.rows = self.rows()
        return self.rows

    @property
    def headers(self) -> list[str]:
        return [c.heading for c in self.columns]

    @property
    def right(self) -> tuple[str, ...]:
        """Columns aligned right: the figures."""
        return tuple(c.heading for c in self.columns if c.kind in FIGURE_KINDS)

    @property
    def wide(self) -> tuple[str, ...]:
        return tuple(c.heading for c in self.columns if c.wide)

    @property
    def text_rows(self) -> list[list[str]]:
        """Every row as text, cell by cell by its column's kind."""
        kinds = [c.kind for c in self.columns]
        writers = [_SHOWN.get(kind) for kind in kinds]  # looked up once a column: 10,000 rows
        return [
            [w(v) if w is not None and not isinstance(v, str) else cell_text(k, v)
             for w, k, v in zip(writers, kinds, row, strict=False)]
            for row in self.values()
        ]  # fmt: skip


class OutputFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def _markdown(x: Listing) -> str:
    return (f"{x.headline}\n\n" if x.headline else "") + markdown_table(x.headers, x.text_rows) + "\n"


def _xlsx(x: Listing) -> bytes:
    from xmtj.documents.xlsx import table_workbook

    return table_workbook(x.title, [(c.heading, c.kind, c.wide) for c in x.columns], x.values())


# one renderer per format (pip-audit's pattern): a listing in, its text or bytes out; ``table`` draws on
# the terminal itself (and returns None)
RENDERERS: dict[OutputFormat, Callable[[Listing], str | bytes | None]] = {
    OutputFormat.table: lambda x: _show_table(x),
    OutputFormat.markdown: _markdown,
    OutputFormat.json: lambda x: to_json(x.json_data()) + "\n",
    OutputFormat.csv: lambda x: to_csv(x.headers, x.text_rows),
    OutputFormat.xlsx: _xlsx,
}


# the ledger the command opened: its own files are never an output (``xmtj.changes.outputs``)
LEDGER_ROOT: list[Path] = []


def show(listing: Listing, output: OutputFormat = OutputFormat.table, out: Path | None = None) -> None:
    """The listing in ``output`` format, on the screen or, with ``out``, in that file."""
    if output is OutputFormat.table and out is not None:
        fail("--out 需要同时指定 --format（xlsx、csv、json 或 markdown）")
    if output is OutputFormat.xlsx and out is None:
        fail("--format xlsx 需要用 --out 指定文件，例如 --out 清单.xlsx")
    drawn = listing.drawn.get(output.value)
    content = drawn() if drawn is not None else RENDERERS[output](listing)
    if content is None:
        return
    if out is None:
        echo(content if isinstance(content, str) else content.decode("utf-8"), nl=False)
        return
    from xmtj.changes.outputs import write_out

    data = content.encode("utf-8") if isinstance(content, str) else content
    write_out(out, data, LEDGER_ROOT[-1] if LEDGER_ROOT else None)
    say(f"已写入 {out}")


def _show_table(listing: Listing) -> None:
    """The listing as a table that fits the terminal: key columns (ids, states, dates, figures) keep their
    whole width and are never cut; only free text (``wide``: names, descriptions) wraps. When even that
    cannot fit, each record is shown as a block of ``字段：值`` lines instead — no column is ever dropped."""
    from rich.table import Table
    from rich.text import Text

    if not listing.values() and listing.empty:
        say(listing.empty)
        return
    out = console()
    if listing.headline:
        out.print(Text(visible(listing.headline)))  # wrapped at the terminal's width
    plan = column_plan(listing, out.width)
    if plan is None:
        _show_blocks(listing)
    else:
        table = Table(title=listing.title, header_style="bold", title_justify="left")
        for header, natural in zip(listing.headers, plan, strict=True):
            free = header in listing.wide
            table.add_column(
                _stacked(header),
                justify="right" if header in listing.right else "left",
                overflow="fold",
                no_wrap=not free,
                min_width=None if free else natural,
            )
        for row in listing.text_rows:
            table.add_row(*(Text(visible(cell)) for cell in row))  # data, never rich markup
        out.print(table)
    for note in listing.notes:
        say(note)


def _stacked(header: str) -> str:
    """A heading with its unit on a second line (``总投资\n(万元)``): figures' columns stay narrow."""
    return re.sub(r"(?<=.)([（(])", r"\n\1", header, count=1)


FREE_MIN = 8  # the narrowest a free-text column is made (in cells) before the listing folds into blocks


def column_plan(listing: Listing, width: int) -> list[int] | None:
    """Each column's natural width (cells) if the table fits ``width`` with only the free-text columns
    narrowed (to ``FREE_MIN`` at least); None if it cannot fit (then one block per record)."""
    from rich.cells import cell_len

    natural = []
    rows = listing.text_rows
    for i, header in enumerate(listing.headers):
        cells = [cell_len(visible(row[i])) for row in rows if i < len(row)]
        heading = max(cell_len(line) for line in _stacked(header).split("\n"))
        natural.append(max([heading if header not in listing.wide else 2, *cells, 1]))
    overhead = 3 * len(natural) + 1  # "│ " and " " around every cell, and the last border
    needed = sum(
        min(n, max(FREE_MIN, cell_len(h))) if h in listing.wide else n
        for h, n in zip(listing.headers, natural, strict=True)
    )
    return natural if needed + overhead <= width else None


def _show_blocks(listing: Listing) -> None:
    """One block of ``字段：值`` lines per record, a rule between records (tables too wide to fit)."""
    from rich.cells import cell_len

    if listing.title:
        say(listing.title, err=False)
    label = max((cell_len(h) for h in listing.headers), default=0)
    lines: list[str] = []
    for n, row in enumerate(listing.text_rows):
        lines.append("─" * 20 if n else "")
        for header, cell in zip(listing.headers, row, strict=False):
            pad = " " * (label - cell_len(header))
            lines.append(f"{header}{pad}：{cell}")
    from rich.text import Text

    out = console()
    for i, line in enumerate(lines):
        if i or line:
            out.print(Text(visible(line)), overflow="fold")  # wrapped at the terminal's width


# --- the formats ---------------------------------------------------------------------------------


def to_json(data: Any) -> str:
    """JSON text, strict and exact: Decimals are written as their digits (never through float), no NaN
    or Infinity, and no control character left raw (C1, U+2028/2029, U+FFFE/FFFF escaped as ``\\u0085``;
    json escapes C0 itself). Laid out as ``json.dumps(indent=2)`` lays it out."""
    import json
    from decimal import Decimal

    from xmtj.ledger.records import plain_decimal

    def encode(value: Any, level: int) -> str:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"{value} is not a JSON number")
            return plain_decimal(value)
        if isinstance(value, dict):
            if not value:
                return "{}"
            pad = "  " * (level + 1)
            items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {encode(v, level + 1)}" for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
        if isinstance(value, (list, tuple)):
            if not value:
                return "[]"
            pad = "  " * (level + 1)
            return "[\n" + ",\n".join(pad + encode(v, level + 1) for v in value) + "\n" + "  " * level + "]"
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    return CONTROL_RE.sub(lambda m: f"\\u{ord(m[0]):04x}", encode(data, 0))


_CSV_NUMBER = re.compile(r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?%?$")


def csv_cell(cell: str) -> str:
    """A cell that Excel/WPS will not run as a formula: text starting with = + - @ tab or CR gets a
    leading ``'`` (OWASP's rule); numbers, negative ones included, stay numbers."""
    text = visible(cell)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _CSV_NUMBER.match(text):
        return "'" + text
    return text


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Every CSV the tool writes goes through here (see ``csv_cell``)."""
    import csv
    import io

    out = io.StringIO()
    out.write("\ufeff")  # a BOM: Excel and WPS on a Chinese Windows then read UTF-8, not GBK
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return out.getvalue()


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    from tabulate import tabulate

    from xmtj.figures import fmt

    safe = [[fmt.md(c) for c in row] for row in rows]
    return tabulate(safe, headers=list(headers), tablefmt="github", disable_numparse=True)
