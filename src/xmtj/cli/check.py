"""`xmtj check` and `xmtj status`: the ledger's health and its figures."""

from __future__ import annotations

from typing import Annotated

import typer

from xmtj.cli.common import (
    AtOption,
    FormatOption,
    GroupBy,
    LedgerOption,
    NoCacheOption,
    OutputFormat,
    app,
    echo,
    handles_errors,
    open_ledger,
    parse_date,
    warn_broken_files,
)


@app.command()
@handles_errors
def check(
    ledger: LedgerOption = None,
    at: AtOption = None,
    no_cache: NoCacheOption = False,
    output: FormatOption = OutputFormat.table,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以失败退出")] = False,
) -> None:
    """检查台账中每个文件的每处错误，一次全部列出（文件:行:列: 字段: 说明）。

    有错误时退出码为 1；只有警告时为 0，加 --strict 则为 1。

    示例：xmtj check　　xmtj check --format json
    """
    from xmtj.ledger.checks import check_ledger, count_by_severity

    data = open_ledger(ledger, at, cache=not no_cache)
    problems = check_ledger(data)
    counts = count_by_severity(problems)
    if output is OutputFormat.json:
        from xmtj.cli.views import to_json

        echo(to_json({"problems": [p.as_dict() for p in problems]}))
    elif output in (OutputFormat.csv, OutputFormat.markdown):
        from xmtj.cli.views import to_csv, to_markdown

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
            echo(to_csv(headers, rows), nl=False)
        else:
            echo(to_markdown(headers, rows))
    else:
        for problem in problems:
            echo(str(problem))
        files = sum(len(getattr(data, k)) for k in ("projects", "issues", "meetings", "letters"))
        echo(
            f"已检查：项目{len(data.projects)}个、问题{len(data.issues)}个、活动{len(data.meetings)}个、"
            f"督办提醒函{len(data.letters)}份（有效文件{files}个）；错误{counts['error']}处，警告{counts['warning']}处。",
            err=bool(problems),
        )
    if counts["error"] or (strict and counts["warning"]):
        raise typer.Exit(1)


@app.command()
@handles_errors
def status(
    ledger: LedgerOption = None,
    at: AtOption = None,
    no_cache: NoCacheOption = False,
    year: Annotated[
        int | None, typer.Option("--year", "-y", min=1990, max=2100, help="年度（默认：有进度数据的最近月份所在年）")
    ] = None,
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
    from xmtj.figures.metrics import resolve_period, status_report

    data = open_ledger(ledger, at, cache=not no_cache)
    day = parse_date(as_of, "--as-of")
    the_year, the_day, chosen = resolve_period(data.projects, year, day, data.today)
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
    from xmtj.cli import views

    if output is OutputFormat.json:
        echo(views.to_json(views.status_json(report)))
    elif output is OutputFormat.csv:
        echo(views.to_csv(*views.table(report)), nl=False)
    elif output is OutputFormat.markdown:
        echo(views.status_markdown(report))
    else:
        import sys

        from xmtj.cli.terminal import output_for, print_status

        print_status(output_for(sys.stdout), report, chosen)
