"""Terminal rendering of ``xmtj status`` (imported by the CLI only, only for the table view).

rich decides whether and how to colour (a terminal, NO_COLOR, the colour system) and prints the
headline. The table body is laid out here, line by line: rich's Table measures and wraps every cell,
which is fine for a county's hundred projects but takes seconds for a province's ten thousand, while
this layout costs a few microseconds a row. CJK characters count as two columns (rich.cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text

from xmtj import views
from xmtj.metrics import LIGHT_WORDS, StatusReport

Justify = Literal["left", "right"]
TERMINAL_COLUMNS: list[tuple[str, Justify]] = [
    ("编号", "left"),
    ("项目名称", "left"),
    ("阶段", "left"),
    ("年度计划", "right"),
    ("累计完成", "right"),
    ("完成率", "right"),
    ("超欠序时", "right"),
    ("亮灯", "left"),
    ("进度", "left"),
]
_LIGHT_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red", None: "dim"}
NAME_WIDTH = 30  # longer names are cut with "…" (the full name is in --format csv/markdown/json)


def bar(rate: Fraction | None, width: int = 8) -> str:
    """A completion bar: filled share of the annual plan, capped at the bar's width."""
    if rate is None:
        return ""
    filled = max(0, min(width, int(rate * width)))
    return "█" * filled + "░" * (width - filled)


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, justify: Justify) -> str:
    gap = " " * (width - cell_len(text))
    return gap + text if justify == "right" else text + gap


_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


class Painter:
    """ANSI codes for a few styles (worked out once each), or nothing when the console does not colour."""

    def __init__(self, console: Console) -> None:
        self.system = _SYSTEMS.get(console.color_system or "") if not console.no_color else None
        self._codes: dict[str, tuple[str, str]] = {}

    def __call__(self, text: str, style: str | None) -> str:
        if self.system is None or not style or not text:
            return text
        if style not in self._codes:
            before, _, after = Style.parse(style).render("\0", color_system=self.system).partition("\0")
            self._codes[style] = (before, after)
        before, after = self._codes[style]
        return before + text + after


def table_lines(
    console: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    justify: Sequence[Justify],
    styles: Sequence[Sequence[str | None]] | None = None,
    caps: dict[int, int] | None = None,
) -> list[str]:
    """A box-drawn table, one string per line, padded by display width."""
    paint = Painter(console)
    caps = dict(caps or {})
    if caps:  # narrow the capped column (the name) so the table fits the terminal
        fixed = sum(
            max([cell_len(h)] + [cell_len(r[i]) for r in rows]) + 3 for i, h in enumerate(headers) if i not in caps
        )
        room = console.width - fixed - 1 - 3 * len(caps)
        caps = {i: max(8, min(cap, room // len(caps))) for i, cap in caps.items()}
    cells = [[_cut(c, caps[i]) if i in caps else c for i, c in enumerate(row)] for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], cell_len(cell))

    def rule(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    lines = [rule("┏", "┳", "┓", "━")]
    head = "┃".join(" " + paint(_pad(h, w, "left"), "bold") + " " for h, w in zip(headers, widths, strict=True))
    lines.append("┃" + head + "┃")
    lines.append(rule("┡", "╇", "┩", "━"))
    for r, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            style = styles[r][i] if styles else None
            parts.append(" " + paint(_pad(cell, widths[i], justify[i]), style) + " ")
        lines.append("│" + "│".join(parts) + "│")
    lines.append(rule("└", "┴", "┘", "─"))
    return lines


def print_status(console: Console, report: StatusReport, chosen: str | None) -> None:
    summary = report.summary
    console.print(Text(views.title(summary), style="bold"))
    if chosen:
        console.print(Text(f"（{chosen}）", style="dim"))
    for line in views.headline(summary):
        console.print(line)
    console.print()
    if report.by:
        headers, rows = views.table(report)
        headers = [h.replace("(万元)", "").replace("(百分点)", "") for h in headers]
        justify: list[Justify] = ["left"]
        justify += ["right"] * (len(headers) - 1)
        lines = table_lines(console, headers, rows, justify)
    else:
        rows, styles = [], []
        for status in report.rows:
            ident, name, _branch, stage, plan, done, rate, ahead, light = views.project_row(status)
            rows.append([ident, name, stage, plan, done, rate, ahead, light, bar(status.plan_rate)])
            light_style = _LIGHT_STYLE[status.light]
            bar_style = "green" if status.plan_rate is not None and status.plan_rate >= 1 else "cyan"
            styles.append([None] * 7 + [light_style, bar_style])
        lines = table_lines(
            console, [h for h, _ in TERMINAL_COLUMNS], rows, [j for _, j in TERMINAL_COLUMNS], styles, {1: NAME_WIDTH}
        )
    console.file.write("\n".join(lines) + "\n")
    console.print(Text("金额单位：万元；超欠序时单位：百分点", style="dim"))
    if summary.lagging:
        console.print(Text(f"进展缓慢项目（{len(summary.lagging)}个）", style="bold"))
        paint = Painter(console)
        out = []
        for s in summary.lagging:
            word = paint(f"【{LIGHT_WORDS[s.light or 'yellow']}】", _LIGHT_STYLE[s.light])
            out.append(f"{word}{s.project.id}《{s.project.name}》：{'；'.join(s.reasons)}")
        console.file.write("\n".join(out) + "\n")
