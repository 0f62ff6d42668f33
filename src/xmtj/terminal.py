"""Rich rendering for the terminal (imported only by the CLI, only when a table is shown)."""

from __future__ import annotations

from fractions import Fraction

from rich.console import Console
from rich.table import Table
from rich.text import Text

from xmtj import fmt, views
from xmtj.metrics import LIGHT_WORDS, StatusReport

_LIGHT_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red", None: "dim"}


def bar(rate: Fraction | None, width: int = 10) -> Text:
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
            Text(f"（未指定 --year/--as-of：按有进度数据的最近月份统计，截至{fmt.date_cn(summary.as_of)}）", style="dim")
        )
    for line in views.headline(summary):
        console.print(line)
    console.print()
    headers, rows = views.table(report)
    table = Table(show_lines=False, header_style="bold")
    numeric = {"年度计划(万元)", "累计完成(万元)", "完成率", "超欠序时(百分点)", "项目数"}
    for header in headers:
        table.add_column(header, justify="right" if header in numeric else "left", no_wrap=header != "项目名称")
    if not report.by:
        table.add_column("进度", no_wrap=True)
    if report.by:
        for row in rows:
            table.add_row(*row)
    else:
        for status, row in zip(report.rows, rows, strict=True):
            light = Text(row[-1], style=_LIGHT_STYLE[status.light])
            table.add_row(*row[:-1], light, bar(status.plan_rate))
    console.print(table)
    if summary.lagging:
        console.print(Text(f"进展缓慢项目（{len(summary.lagging)}个）", style="bold"))
        for s in summary.lagging:
            word = LIGHT_WORDS[s.light or "yellow"]
            console.print(
                Text.assemble((f"【{word}】", _LIGHT_STYLE[s.light]), f"{s.project.id} {s.project.name}：",
                              "；".join(s.reasons))
            )
