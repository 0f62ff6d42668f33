"""The command line: parse options, call the core, print. The only module that prints or exits.

Heavy imports (pydantic models, rich, tabulate, jinja2) happen inside the commands so that
``xmtj --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from xmtj.loader import Ledger

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="xmtj",
    help="xmtj（项目推进）：重点项目台账的检查、统计、督办与通报。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"


class GroupBy(StrEnum):
    branch = "branch"
    investment_type = "investment_type"
    level = "level"
    sector = "sector"
    liaison_leader = "liaison_leader"
    responsible_unit = "responsible_unit"


LedgerOption = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        envvar="XMTJ_LEDGER",
        help="台账目录（默认：当前目录或上级目录中含 xmtj.yaml 的目录）",
        show_default=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式：table、markdown、json、csv")]


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def fail(message: str, code: int = 1) -> None:
    _console(stderr=True).print(f"[bold red]错误：[/]{message}", markup=True)
    raise typer.Exit(code)


def handles_errors(fn: F) -> F:
    """Turn the core's domain errors into one Chinese line on stderr and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from xmtj.problems import XmtjError

        try:
            return fn(*args, **kwargs)
        except XmtjError as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} 应为日期 YYYY-MM-DD，例如 2021-11-30，现为“{value}”")
    return None  # pragma: no cover


def open_ledger(ledger_dir: Path | None) -> Ledger:
    from xmtj.loader import find_ledger, load_ledger

    return load_ledger(find_ledger(explicit=ledger_dir))


def warn_broken_files(ledger: Ledger) -> None:
    broken = ledger.files_with_errors
    if broken:
        _console(stderr=True).print(
            f"[yellow]注意：{len(broken)} 个文件有错误，未计入统计；请先运行 xmtj check 查看并改正。[/]"
        )


@app.command()
@handles_errors
def check(
    ledger: LedgerOption = None,
    output: FormatOption = OutputFormat.table,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以失败退出")] = False,
) -> None:
    """检查台账中每个文件的每处错误，一次全部列出（文件:行:列: 字段: 说明）。

    有错误时退出码为 1；只有警告时为 0，加 --strict 则为 1。

    示例：xmtj check　　xmtj check --format json
    """
    from xmtj.checks import check_ledger, count_by_severity

    data = open_ledger(ledger)
    problems = check_ledger(data)
    counts = count_by_severity(problems)
    if output is OutputFormat.json:
        from xmtj.views import to_json

        typer.echo(to_json({"problems": [p.as_dict() for p in problems]}))
    elif output in (OutputFormat.csv, OutputFormat.markdown):
        from xmtj.views import to_csv, to_markdown

        headers = ["文件", "行", "列", "字段", "说明", "级别"]
        rows = [
            [
                p.path,
                str(p.line or ""),
                str(p.column or ""),
                p.field,
                p.message,
                "警告" if p.severity == "warning" else "错误",
            ]
            for p in problems
        ]
        if output is OutputFormat.csv:
            typer.echo(to_csv(headers, rows), nl=False)
        else:
            typer.echo(to_markdown(headers, rows))
    else:
        for problem in problems:
            typer.echo(str(problem))
        files = sum(len(getattr(data, k)) for k in ("projects", "issues", "meetings"))
        typer.echo(
            f"已检查：项目{len(data.projects)}个、问题{len(data.issues)}个、活动{len(data.meetings)}个"
            f"（有效文件{files}个）；错误{counts['error']}处，警告{counts['warning']}处。",
            err=bool(problems),
        )
    if counts["error"] or (strict and counts["warning"]):
        raise typer.Exit(1)


@app.command()
@handles_errors
def status(
    ledger: LedgerOption = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="年度（默认：有进度数据的最近月份所在年）")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="统计截至日期 YYYY-MM-DD（默认：有进度数据的最近月份月末）")
    ] = None,
    by: Annotated[
        GroupBy | None,
        typer.Option("--by", help="分组汇总：branch、investment_type、level、sector、liaison_leader、responsible_unit"),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """年度重点项目投资完成、开工投产和亮灯情况。

    完成投资按“1—N月累计”计（截至日期所在月及以前的月度进展）；
    亮灯规则见 README。

    示例：xmtj status　　xmtj status --as-of 2021-11-30 --by branch　　xmtj status --format json
    """
    from xmtj.metrics import resolve_period, status_report

    data = open_ledger(ledger)
    day = parse_date(as_of, "--as-of")
    the_year, the_day, inferred = resolve_period(data.projects, year, day)
    report = status_report(
        data.projects,
        data.issues,
        the_year,
        the_day,
        data.config.lights,
        data.config.targets.get(the_year),
        by.value if by else None,
    )
    warn_broken_files(data)
    from xmtj import views

    if output is OutputFormat.json:
        typer.echo(views.to_json(views.status_json(report)))
    elif output is OutputFormat.csv:
        typer.echo(views.to_csv(*views.table(report)), nl=False)
    elif output is OutputFormat.markdown:
        typer.echo(views.status_markdown(report))
    else:
        from xmtj.terminal import print_status

        print_status(_console(), report, inferred)


def main() -> None:
    """Entry point of the ``xmtj`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
