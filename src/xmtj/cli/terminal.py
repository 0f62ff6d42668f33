"""Terminal rendering of ``xmtj status`` (imported by the CLI only, only for the table view).

On a terminal, rich prints the headline (wrapped to the window) and says whether and how to colour
(NO_COLOR, TERM=dumb, the colour system). Piped or redirected, the same text is written plain and rich
is never imported. The table body is laid out here, line by line: rich's Table measures and wraps every
cell, which is fine for a county's hundred projects but takes seconds for a province's ten thousand,
while this layout costs a few microseconds a row. East Asian wide characters count as two columns.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, Literal, Protocol, TextIO

from xmtj.cli import views
from xmtj.figures.metrics import LIGHT_WORDS
from xmtj.figures.sentences import COLUMN_NOTE, headline
from xmtj.figures.status import StatusReport
from xmtj.textsafe import visible

Justify = Literal["left", "right"]
TERMINAL_COLUMNS: list[tuple[str, Justify]] = [
    ("编号", "left"),
    ("项目名称", "left"),
    ("阶段", "left"),
    ("年度计划", "right"),
    ("累计完成", "right"),
    ("完成率", "right"),
    ("序时进度", "right"),
    ("超欠序时", "right"),
    ("超欠月度计划", "right"),  # only when some project has a monthly plan
    ("亮灯", "left"),
    ("进度", "left"),
]
_LIGHT_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red", None: "dim"}
BAR_WIDTH = 140  # a terminal narrower than this shows no completion bar (the names need the room)
NAME_WIDTH = 30  # longer names are cut with "…" (the full name is in --format csv/markdown/json)


def bar(rate: Fraction | None, width: int = 8) -> str:
    """A completion bar: filled share of the annual plan, capped at the bar's width."""
    if rate is None:
        return ""
    filled = max(0, min(width, rate.numerator * width // rate.denominator))
    return "█" * filled + "░" * (width - filled)


# East Asian wide and full-width blocks (CJK, kana, hangul, CJK punctuation, full-width forms)
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def cell_len(text: str) -> int:
    """Display width: two columns for East Asian wide and full-width characters."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


_CHAR_WIDTHS: dict[str, int] = {}


def _char_width(ch: str) -> int:
    width = _CHAR_WIDTHS.get(ch)
    if width is None:
        width = _CHAR_WIDTHS[ch] = cell_len(ch)
    return width


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in "…" if anything was cut."""
    if cell_len(text) <= width:
        return text
    used = 0
    for index, ch in enumerate(text):
        used += _char_width(ch)
        if used > width - 1:
            return text[:index] + "…"
    return text  # not reached: the text is wider than ``width``


def _pad(text: str, width: int, justify: Justify) -> str:
    gap = " " * (width - cell_len(text))
    return gap + text if justify == "right" else text + gap


_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


class Output(Protocol):
    """Where status is printed: its width, whether it colours, and a way to print a styled line."""

    width: int
    colour: bool
    file: TextIO

    def line(self, text: str = "", style: str | None = None) -> None: ...


class PlainOutput:
    """A pipe or a file: no colour, no wrapping."""

    colour = False

    def __init__(self, file: TextIO | None = None, width: int | None = None) -> None:
        self.file = file or sys.stdout
        self.width = width or shutil.get_terminal_size((100, 24)).columns

    def line(self, text: str = "", style: str | None = None) -> None:
        self.file.write(visible(text) + "\n")


class RichOutput:
    """A terminal, through rich: wrapped lines, colour as the terminal allows."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.file = console.file
        self.width = console.width
        self.colour = console.color_system is not None and not console.no_color

    def line(self, text: str = "", style: str | None = None) -> None:
        from rich.text import Text

        self.console.print(Text(visible(text), style=style or ""))


def output_for(stream: TextIO) -> Output:
    """rich on a terminal (unless TERM=dumb), plain text anywhere else."""
    if stream.isatty() and os.environ.get("TERM") != "dumb":
        from rich.console import Console

        return RichOutput(Console(file=stream, highlight=False))
    return PlainOutput(stream)


class Painter:
    """ANSI codes for a few styles, or nothing when the output does not colour."""

    def __init__(self, out: Output) -> None:
        self.on = out.colour

    def __call__(self, text: str, style: str | None) -> str:
        if not self.on or not style or not text:
            return text
        codes = ";".join(_SGR[word] for word in style.split())
        return f"\x1b[{codes}m{text}\x1b[0m"


def table_lines(
    out: Output,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    justify: Sequence[Justify],
    styles: Sequence[Sequence[str | None]] | None = None,
    caps: dict[int, int] | None = None,
) -> list[str]:
    """A box-drawn table, one string per line, padded by display width.

    Worked column by column (measure, cut, pad), so that each step is one pass over a column: a
    province's status has 10,000 rows.
    """
    paint = Painter(out)
    measure = functools.lru_cache(maxsize=None)(cell_len)  # stages, lights and figures repeat
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in headers]
    lens = [list(map(measure, column)) for column in columns]  # measured once: widths, fitting and padding
    if caps:  # narrow the capped column (the name) so the table fits the terminal
        fixed = sum(max([cell_len(h), *lens[i]]) + 3 for i, h in enumerate(headers) if i not in caps)
        room = out.width - fixed - 1 - 3 * len(caps)
        for i, cap in caps.items():
            limit = max(8, min(cap, room // len(caps)))
            column, column_lens = columns[i], lens[i]
            for r, n in enumerate(column_lens):
                if n > limit:
                    column[r] = _cut(column[r], limit)
                    column_lens[r] = cell_len(column[r])
    widths = [max([cell_len(h), *column_lens]) for h, column_lens in zip(headers, lens, strict=True)]

    def rule(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    lines = [rule("┏", "┳", "┓", "━")]
    head = "┃".join(" " + paint(_pad(h, w, "left"), "bold") + " " for h, w in zip(headers, widths, strict=True))
    lines.append("┃" + head + "┃")
    lines.append(rule("┡", "╇", "┩", "━"))
    padded = []
    for column, column_lens, width, how in zip(columns, lens, widths, justify, strict=True):
        if how == "right":
            padded.append([" " * (width - n) + cell for cell, n in zip(column, column_lens, strict=True)])
        else:
            padded.append([cell + " " * (width - n) for cell, n in zip(column, column_lens, strict=True)])
    body: Iterable[tuple[str, ...]] = zip(*padded, strict=True)
    if paint.on and styles:
        body = (
            tuple(paint(part, style) for part, style in zip(parts, row_styles, strict=True))
            for parts, row_styles in zip(body, styles, strict=True)
        )
    lines.extend("│ " + " │ ".join(parts) + " │" for parts in body)
    lines.append(rule("└", "┴", "┘", "─"))
    return lines


def print_status(out: Output, report: StatusReport, chosen: str | None) -> None:
    summary = report.summary
    out.line(views.title(summary), "bold")
    if chosen:
        out.line(f"（{chosen}）", "dim")
    for text in headline(summary):
        out.line(text)
    out.line()
    if report.by:
        listing = views.status_listing(report)
        rows = listing.text_rows
        headers = [h.replace("(万元)", "").replace("(百分点)", "") for h in listing.headers]
        justify: list[Justify] = ["left"]
        justify += ["right"] * (len(headers) - 1)
        lines = table_lines(out, headers, rows, justify)
    else:
        monthly = any(status.monthly is not None for status in report.rows)
        # the bar only where the names keep room beside it; 超欠月度计划 only where some project has a monthly plan
        dropped = {"超欠月度计划"} if not monthly else set()
        if out.width < BAR_WIDTH:
            dropped.add("进度")
        keep = [i for i, (h, _) in enumerate(TERMINAL_COLUMNS) if h not in dropped]
        rows = []
        for status in report.rows:
            ident, name, _branch, stage, plan, done, rate, schedule, ahead, _monthly, mahead, light = views.project_row(
                status
            )
            row = [ident, name, stage, plan, done, rate, schedule, ahead, mahead, light, bar(status.plan_rate)]
            rows.append([row[i] for i in keep])
        styles = None
        if out.colour:
            styles = []
            light_at = [TERMINAL_COLUMNS[i][0] for i in keep].index("亮灯")
            for s in report.rows:
                full = s.plan_rate is not None and s.plan_rate >= 1
                row_styles: list[str | None] = [None] * len(keep)
                row_styles[light_at] = _LIGHT_STYLE[s.light]
                if light_at + 1 < len(keep):
                    row_styles[light_at + 1] = "green" if full else "cyan"
                styles.append(row_styles)
        columns = [TERMINAL_COLUMNS[i] for i in keep]
        lines = table_lines(out, [h for h, _ in columns], rows, [j for _, j in columns], styles, {1: NAME_WIDTH})
    out.file.write("\n".join(lines) + "\n")
    out.line("金额单位：万元；超欠序时、超欠月度计划单位：百分点", "dim")
    if not report.by:
        out.line(COLUMN_NOTE, "dim")
    if summary.lagging:
        out.line(f"进展缓慢项目（{len(summary.lagging)}个）", "bold")
        paint = Painter(out)
        found = []
        for s in summary.lagging:
            word = paint(f"【{LIGHT_WORDS[s.light or 'yellow']}】", _LIGHT_STYLE[s.light])
            found.append(f"{word}{s.project.id}《{s.project.name}》：{'；'.join(s.reason_texts)}")
        out.file.write("\n".join(found) + "\n")
