"""Charts as inline SVG, computed here: no chart library in the browser, nothing fetched.

Each chart is a ``<figure>`` whose ``<svg>`` has a ``viewBox`` (it scales to its column, a phone's too), a
``role="img"`` with an ``aria-label`` saying what it shows, text labels for its axes and lines, and a
``<title>`` on every mark with the exact figure — what a reader's pointer or a screen reader finds.
Colours come from the stylesheet by class (the page's Content-Security-Policy allows no inline style).
Every piece of text is escaped here, control and bidi characters shown as escapes (``textsafe.visible``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup, escape

from xmtj.figures import fmt
from xmtj.textsafe import visible

Number = Decimal | Fraction | int


def text(value: object) -> Markup:
    """Any value as SVG/HTML text: escaped, invisible characters shown."""
    return escape(visible(str(value)))


@dataclass(frozen=True)
class Series:
    """One line of a line chart: its name, a CSS class (its colour and dash), and a value per category
    (None: no point there)."""

    name: str
    css: str
    values: Sequence[Number | None]
    unit: str = "万元"


def _nice_top(top: float) -> tuple[float, float]:
    """An axis top at or above ``top`` and its tick step (1, 2, 2.5 or 5 times a power of ten): 4 ticks."""
    if top <= 0:
        return 1.0, 0.25
    power = 10 ** math.floor(math.log10(top / 4))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power * 4 >= top)
    return step * 4, step


def _tick(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:g}"


def line_chart(caption: str, categories: Sequence[str], series: Sequence[Series], unit: str = "万元") -> Markup:
    """Lines over categories (months): y axis from 0 with ticks, each line named in a legend and valued at its
    last point, a ``<title>`` per point."""
    width, height, left, right, top, bottom = 600, 290, 66, 70, 28, 56
    inner_w, inner_h = width - left - right, height - top - bottom
    values = [float(v) for s in series for v in s.values if v is not None]
    axis_top, step = _nice_top(max(values, default=0))
    n = max(len(categories), 1)

    def x(i: int) -> float:
        return left + (inner_w * (i + 0.5) / n)

    def y(v: Number) -> float:
        return top + inner_h - inner_h * float(v) / axis_top

    parts = [_svg_open(width, height, caption)]
    tick = 0.0
    while tick <= axis_top + step / 2:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(Decimal(str(tick))):.1f}" '
            f'y2="{y(Decimal(str(tick))):.1f}"/><text class="tick" x="{left - 6}" '
            f'y="{y(Decimal(str(tick))) + 4:.1f}" text-anchor="end">{_tick(tick)}</text>'
        )
        tick += step
    for i, name in enumerate(categories):
        parts.append(
            f'<text class="tick" x="{x(i):.1f}" y="{height - bottom + 18}" text-anchor="middle">{text(name)}</text>'
        )
    parts.append(f'<text class="unit" x="{left - 6}" y="{top - 14}" text-anchor="end">{text(unit)}</text>')
    ends: list[tuple[float, float, str, str]] = []
    for row, s in enumerate(series):
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        if not points:
            continue
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
        parts.append(f'<polyline class="line {text(s.css)}" points="{path}"/>')
        for i, v in points:
            label = f"{categories[i]} {s.name}：{_figure(v, s.unit)}"
            parts.append(
                f'<circle class="dot {text(s.css)}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5">'
                f"<title>{text(label)}</title></circle>"
            )
        i, v = points[-1]
        ends.append((y(v) + 4, x(i) + 8, s.css, _figure(v, "")))
        ly = height - 22
        lx = left + row * 160
        parts.append(
            f'<line class="line {text(s.css)}" x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}"/>'
            f'<text class="legend" x="{lx + 30}" y="{ly + 4}">{text(s.name)}</text>'
        )
    ends.sort()
    placed: list[float] = []
    for ey, ex, css, shown in ends:  # end labels never on top of each other: at least a line apart
        if placed:
            ey = max(ey, placed[-1] + 15)
        placed.append(ey)
        parts.append(f'<text class="end {text(css)}" x="{ex:.1f}" y="{ey:.1f}">{text(shown)}</text>')
    parts.append("</svg>")
    return _figure_of(parts, caption)


@dataclass(frozen=True)
class Bar:
    """One bar of a ranking: its label, its rate (None: no plan), the page it links to (a path of ours)."""

    label: str
    rate: Fraction | None
    href: str | None = None
    note: str = ""


def ranking_chart(caption: str, bars: Sequence[Bar], reference: Fraction, reference_name: str) -> Markup:
    """Horizontal bars of 完成率, best first as given, against a vertical line at ``reference`` (时序进度):
    bars below it drawn in the warning colour; each bar labelled with its rate."""
    row, left, right, top = 30, 150, 70, 26
    width = 600
    height = top + row * max(len(bars), 1) + 10
    scale_top = max([float(b.rate) for b in bars if b.rate is not None] + [float(reference), 1.0])
    inner = width - left - right

    def x(v: Fraction) -> float:
        return left + inner * float(v) / scale_top

    parts = [_svg_open(width, height, caption)]
    for i, b in enumerate(bars):
        y = top + i * row
        shown = fmt.pct(b.rate) if b.rate is not None else "无年度计划"
        below = b.rate is not None and fmt.shown_points(b.rate) < fmt.shown_points(reference)
        label = f"{b.label}：完成率{shown}" + (f"，{b.note}" if b.note else "")
        name = f'<text class="label" x="{left - 8}" y="{y + 17}" text-anchor="end">{text(_short(b.label))}</text>'
        if b.href:
            name = f'<a href="{text(b.href)}">{name}</a>'
        parts.append(name)
        if b.rate is not None:
            css = "bar below" if below else "bar"
            parts.append(
                f'<rect class="{css}" x="{left}" y="{y + 4}" width="{max(x(b.rate) - left, 1):.1f}" '
                f'height="{row - 10}"><title>{text(label)}</title></rect>'
            )
            parts.append(f'<text class="value" x="{x(b.rate) + 6:.1f}" y="{y + 17}">{text(shown)}</text>')
        else:
            parts.append(
                f'<text class="value" x="{left + 6}" y="{y + 17}"><title>{text(label)}</title>{text(shown)}</text>'
            )
    rx = x(reference)
    parts.append(
        f'<line class="reference" x1="{rx:.1f}" x2="{rx:.1f}" y1="{top - 6}" y2="{height - 6}">'
        f"<title>{text(reference_name)}{fmt.pct(reference)}</title></line>"
        f'<text class="reference-label" x="{rx:.1f}" y="{top - 10}" text-anchor="middle">'
        f"{text(reference_name)}{fmt.pct(reference)}</text>"
    )
    parts.append("</svg>")
    return _figure_of(parts, caption)


def lights_chart(caption: str, counts: Sequence[tuple[str, str, int]]) -> Markup:
    """One bar split by light (word, CSS class, count), each part's count written on it when it fits."""
    width, height, left = 600, 54, 0
    total = sum(n for _, _, n in counts) or 1
    parts = [_svg_open(width, height, caption)]
    at = float(left)
    for word, css, n in counts:
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect class="light {text(css)}" x="{at:.1f}" y="4" width="{w:.1f}" height="34">'
            f"<title>{text(word)}{n}个</title></rect>"
        )
        shown = f"{word} {n}" if w >= 46 else str(n) if w >= 14 else ""  # what fits on the part
        if shown:
            parts.append(
                f'<text class="on-light {text(css)}" x="{at + w / 2:.1f}" y="27" text-anchor="middle">'
                f"{text(shown)}</text>"
            )
        at += w
    parts.append("</svg>")
    return _figure_of(parts, caption)


def _short(label: str, limit: int = 10) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _figure(value: Number, unit: str) -> str:
    if isinstance(value, Fraction):
        return fmt.pct(value)
    return f"{fmt.wan(Decimal(value))}{unit}"


def _svg_open(width: int, height: int, caption: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{text(caption)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{text(caption)}</title>'
    )


def _figure_of(parts: list[str], caption: str) -> Markup:
    return Markup(f'<figure class="chart-box">{"".join(parts)}<figcaption>{text(caption)}</figcaption></figure>')
