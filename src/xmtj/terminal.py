"""Rich rendering for the terminal (imported only by the CLI, only when a table is shown)."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from xmtj import fmt, views
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


def bar(rate: Fraction | None, width: int = 8) -> Text:
    """A completion bar: filled share of the annual plan, capped at the bar's width."""
    if rate is None:
        return Text("")
    filled = min(width, int(rate * width))
    style = "green" if rate >= 1 else "cyan"
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def print_status(console: Console, report: StatusReport, inferred: bool) -> None:
    summary = report.summary
    console.print(Text(views.title(summary), style="bold"))
    if inferred:
        console.print(
            Text(
                f"（未指定 --year/--as-of：按有进度数据的最近月份统计，截至{fmt.date_cn(summary.as_of)}）", style="dim"
            )
        )
    for line in views.headline(summary):
        console.print(line)
    console.print()
    table = Table(header_style="bold", caption="金额单位：万元；超欠序时单位：百分点", caption_justify="left")
    if report.by:
        headers, rows = views.table(report)
        for i, header in enumerate(headers):
            short = header.replace("(万元)", "").replace("(百分点)", "")
            table.add_column(short, justify="left" if i == 0 else "right", no_wrap=i != 0)
        for row in rows:
            table.add_row(*row)
    else:
        for header, justify in TERMINAL_COLUMNS:
            wide = header == "项目名称"
            table.add_column(header, justify=justify, no_wrap=not wide, overflow="fold", min_width=16 if wide else None)
        for status in report.rows:
            row = views.project_row(status)
            ident, name, _branch, stage, plan, done, rate, ahead, light = row
            table.add_row(
                ident,
                name,
                stage,
                plan,
                done,
                rate,
                ahead,
                Text(light, style=_LIGHT_STYLE[status.light]),
                bar(status.plan_rate),
            )
    console.print(table)
    if summary.lagging:
        console.print(Text(f"进展缓慢项目（{len(summary.lagging)}个）", style="bold"))
        for s in summary.lagging:
            word = LIGHT_WORDS[s.light or "yellow"]
            # no ASCII space: rich wraps at spaces, and a CJK line has none to spare
            console.print(
                Text.assemble(
                    (f"【{word}】", _LIGHT_STYLE[s.light]),
                    f"{s.project.id}《{s.project.name}》：",
                    "；".join(s.reasons),
                )
            )
