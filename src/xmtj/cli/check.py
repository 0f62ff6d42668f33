"""`xmtj check`: every mistake in every file, at once."""

from __future__ import annotations

from pathlib import Path
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
    say,
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
    authors: Annotated[
        str | None, typer.Option("--authors", help="检查版本范围 A..B 中每个提交的提交人是否有权修改所改内容")
    ] = None,
    git_dir: Annotated[
        Path | None, typer.Option("--git-dir", help="提交所在的 git 仓库（默认台账目录；钩子中为裸仓库）")
    ] = None,
) -> None:
    """有错误时退出码为 1；只有警告时为 0，加 --strict 则为 1。

    --as-of 按哪一天判断反馈期限和问题办结时限（默认今天）。

    --authors 按 xmtj.yaml 的 units 检查范围内每个提交：责任单位只能改本单位项目的进度和日期、本单位问题的办理情况、
    本单位督办函的反馈；其他修改须由办公室人员提交。

    示例：xmtj check　　xmtj check --as-of 2021-11-30　　xmtj check --authors main..unit-branch
    """
    from xmtj.ledger.checks import check_ledger, count_by_severity, summary_line

    data = open_ledger(ledger, at, cache=not no_cache, whole=True)
    if data.config.members:  # a roll-up ledger: every member's submission
        from xmtj.cli.rollup import check_rollup

        return check_rollup(data, as_of, False)
    data.today = as_of or data.today  # deadlines (feedback, problems) judged on this day
    problems = check_ledger(data)
    counts = count_by_severity(problems)
    if output is OutputFormat.table:  # the editor-friendly form: one ``path:line:col: field: message`` a line
        if problems:
            echo("\n".join(str(problem) for problem in problems))  # one write: a province may have thousands
        echo(summary_line(data, counts), err=bool(problems))
    else:
        show(listings.problems(problems), output, out)
    refused = check_authors(authors, git_dir or data.root) if authors else False
    if counts["error"] or refused or (strict and counts["warning"]):
        raise typer.Exit(1)


def check_authors(span: str, repository: Path) -> bool:
    """``--authors``: each violation on its own line; whether there was any."""
    from xmtj.changes.authors import check_authors as violations

    found = violations(repository, span)
    for violation in found:
        say(f"错误：{violation}", "red")
    say(f"提交人检查（{span}）：" + (f"{len(found)}处越权修改" if found else "全部提交均在权限之内"))
    return bool(found)
