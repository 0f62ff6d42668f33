"""`xmtj import projects|progress`: the office's sheets in, checked to the cell, one commit per sheet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xmtj.cli.common import (
    FutureOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    changing,
    echo,
    fail,
    group,
    month_option,
    run_change,
    say,
)
from xmtj.cli.edge import XmtjCommand
from xmtj.months import Month

if TYPE_CHECKING:
    from xmtj.intake.rows import Plan
    from xmtj.ledger.ledger import Ledger

import_app = group("import")

FileArgument = Annotated[Path, typer.Argument(metavar="FILE", help="表格文件：.xlsx、.xls、.ods 或 .csv")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="工作表名称（默认第一个）")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="只列出将新建和修改的内容，不写文件")]


@import_app.command("projects", cls=XmtjCommand)
def import_projects(
    file: FileArgument,
    sheet: SheetOption = None,
    year: Annotated[int | None, typer.Option("--year", "-y", min=1990, max=2100, help="表中计划投资的年度")] = None,
    dry_run: DryRunOption = False,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """导入项目台账：按项目编号（或项目名称）对应已有项目并更新变动的字段，其余新建；一次提交。

    示例：xmtj import projects 2022年重点项目台账.xlsx --year 2022 --dry-run
    """
    from xmtj.intake.projects import plan_projects

    with changing(ledger) as data:
        command = ["xmtj", "import", "projects", file.name] + (["--year", str(year)] if year else [])
        plan = plan_projects(data, file, sheet, year, command)
        finish(data, plan, dry_run, message, no_commit)


@import_app.command("progress", cls=XmtjCommand)
def import_progress(
    file: FileArgument,
    month: Annotated[Month, month_option()],
    sheet: SheetOption = None,
    correct: Annotated[bool, typer.Option("--correct", help="表中数字与已登记的不同时，按表更正")] = False,
    issues: Annotated[bool, typer.Option("--issues", help="把“存在问题”一列登记为新问题")] = False,
    future: FutureOption = False,
    strict: Annotated[bool, typer.Option("--strict", help="超过年度计划或总投资时视为错误")] = False,
    accept: Annotated[
        list[int] | None,
        typer.Option("--accept", metavar="行号", help="疑似累计数的行，核实确为当月数后接受（可重复）"),
    ] = None,
    accept_all: Annotated[bool, typer.Option("--accept-all", help="疑似累计数的行全部按当月数接受")] = False,
    opening: Annotated[
        bool, typer.Option("--opening", help="表中是1—N月的期初合计数（如纸面上的1—2月），按合计登记，不拆到各月")
    ] = False,
    dry_run: DryRunOption = False,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """导入月报：每行一个项目（编号或名称），当月完成投资或1—N月累计完成投资，可带形象进度、存在问题；一次提交。

    示例：xmtj import progress 2022年3月月报.xlsx --month 2022-03 --dry-run
    xmtj import progress 1-2月台账.xlsx --month 2022-02 --opening
    """
    from xmtj.intake.progress import Options, plan_progress

    with changing(ledger) as data:
        flags = [f for f, on in (("--correct", correct), ("--issues", issues), ("--future", future),
                                 ("--accept-all", accept_all), ("--opening", opening)) if on]  # fmt: skip
        flags += [f"--accept={n}" for n in accept or []]
        command = ["xmtj", "import", "progress", file.name, "--month", month.key, *flags]
        options = Options(month, correct=correct, issues=issues, future=future, strict=strict,
                          accept=frozenset(accept or []), accept_all=accept_all, opening=opening)  # fmt: skip
        plan = plan_progress(data, file, sheet, options, command)
        finish(data, plan, dry_run, message, no_commit)


def finish(data: Ledger, plan: Plan, dry_run: bool, message: str | None, no_commit: bool) -> None:
    """Show the plan; stop on errors (exit 1, nothing written); else write and commit it (unless a dry run)."""
    for note in plan.said:
        say(f"说明：{note}")
    for problem in plan.problems:
        say(str(problem), "red" if problem.severity == "error" else "yellow")
    if plan.errors:
        fail(f"表中有 {len(plan.errors)} 处错误，未导入任何内容；改正后重新导入", code=1)
    for line in plan.created:
        echo(f"{plan.verbs[0]} {line}")
    for line in plan.updated:
        echo(f"{plan.verbs[1]} {line}")
    if plan.change is None:
        echo(f"没有需要导入的变动（{plan.unchanged} 行与台账一致）")
        return
    if dry_run:
        echo(f"（试运行，未写入）{plan.change.subject}")
        return
    run_change(data, plan.change, message, no_commit)
