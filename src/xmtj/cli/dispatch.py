"""`xmtj dispatch`: the month's 调度任务 sheets sent to the units, and who has sent them back."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from xmtj.cli.common import (
    FormatOption,
    FutureOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    OutOption,
    OutputFormat,
    changing,
    date_option,
    echo,
    month_option,
    open_ledger,
    run_change,
    say,
)
from xmtj.months import Month


def dispatch(
    ctx: typer.Context,
    month: Annotated[Month | None, month_option()] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="只发给这些责任单位（可重复；默认全部）")] = None,
    due: Annotated[dt.date | None, date_option("--due", "交回期限（默认次月5日）")] = None,
    future: FutureOption = False,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """调度任务下发：给每个责任单位生成本单位项目的月报表 dispatch/<月份>/<单位>.xlsx（台账数据已填好并锁定，
    只需填写当月完成投资、形象进度、存在问题和尚未登记的实际开工/竣工/投产日期），并登记提交。
    交回后用 xmtj import progress 表格 --month 月份 导入；xmtj dispatch status --month 月份 查看谁还没有交。

    示例：xmtj dispatch --month 2022-03 --due 2022-04-05　　xmtj dispatch status --month 2022-03
    """
    if ctx.invoked_subcommand is not None:
        return
    if month is None:
        echo(ctx.get_help())
        raise typer.Exit(2)
    from xmtj.figures.periods import check_month
    from xmtj.intake.dispatch import default_due, dispatch_change

    with changing(ledger) as data:
        check_month(data.config, month, data.today, data.projects, writes=True, future=future)
        day = due or default_due(month)
        command = [
            "xmtj",
            "dispatch",
            "--month",
            month.key,
            "--due",
            day.isoformat(),
            *[f"--unit={u}" for u in unit or []],
        ]
        change, sent = dispatch_change(data, month, list(unit or []), day, command)
        for name, count in sent:
            say(f"下发 {name}：{count}个项目")
        run_change(data, change, message, no_commit)


def dispatch_status(
    month: Annotated[Month, month_option()],
    ledger: LedgerOption = None,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """各责任单位调度表的交回情况：已报送（日期）、未报送、逾期。

    示例：xmtj dispatch status --month 2022-03
    """
    from xmtj.cli import listings
    from xmtj.cli.output import show
    from xmtj.intake.dispatch import dispatch_status as states

    data = open_ledger(ledger)
    due, found = states(data, month)
    show(listings.dispatch(month, due, found), output, out)


def register() -> None:
    """``xmtj dispatch`` sends; ``xmtj dispatch status`` shows what came back."""
    import inspect

    from xmtj.cli import SUMMARIES
    from xmtj.cli.common import app

    text = SUMMARIES["dispatch"] + "\n\n" + inspect.cleandoc(dispatch.__doc__ or "")
    sub = typer.Typer(invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None)
    sub.callback()(dispatch)
    sub.command("status")(dispatch_status)
    app.add_typer(sub, name="dispatch", help=text)


register()
