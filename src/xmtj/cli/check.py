"""`xmtj check`: every mistake in every file, at once."""

from __future__ import annotations

from typing import Annotated

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AsOfOption,
    AtOption,
    FormatOption,
    LedgerOption,
    NoCacheOption,
    OutOption,
    OutputFormat,
    command,
    echo,
    open_ledger,
    parse_date,
)
from xmtj.cli.output import show


@command("check")
def check(
    ledger: LedgerOption = None,
    at: AtOption = None,
    no_cache: NoCacheOption = False,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以失败退出")] = False,
    as_of: AsOfOption = None,
) -> None:
    """有错误时退出码为 1；只有警告时为 0，加 --strict 则为 1。

    --as-of 按哪一天判断反馈期限和问题办结时限（默认今天）。

    示例：xmtj check　　xmtj check --as-of 2021-11-30　　xmtj check --format json
    """
    from xmtj.ledger.checks import check_ledger, count_by_severity, summary_line

    data = open_ledger(ledger, at, cache=not no_cache)
    data.today = parse_date(as_of, "--as-of") or data.today  # deadlines (feedback, problems) judged on this day
    problems = check_ledger(data)
    counts = count_by_severity(problems)
    if output is OutputFormat.table:  # the editor-friendly form: one ``path:line:col: field: message`` a line
        if problems:
            echo("\n".join(str(problem) for problem in problems))  # one write: a province may have thousands
        echo(summary_line(data, counts), err=bool(problems))
    else:
        show(listings.problems(problems), output, out)
    if counts["error"] or (strict and counts["warning"]):
        raise typer.Exit(1)
