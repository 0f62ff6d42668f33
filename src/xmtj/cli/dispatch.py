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
    fail,
    month_option,
    open_ledger,
    outgoing,
    run_change,
    say,
)
from xmtj.cli.edge import XmtjCommand, XmtjSubGroup
from xmtj.months import Month


def dispatch(
    ctx: typer.Context,
    month: Annotated[Month | None, month_option()] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="只发给这些责任单位（可重复；默认全部）")] = None,
    due: Annotated[dt.date | None, date_option("--due", "交回期限（默认次月5日）")] = None,
    future: FutureOption = False,
    force: Annotated[bool, typer.Option("--force", help="台账有错误时也下发（出错的项目不列入）")] = False,
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

    with changing(ledger) as whole:
        check_month(whole.config, month, whole.today, whole.projects, writes=True, future=future)
        data = outgoing(whole, force, "下发调度表")
        day = due or default_due(month)
        command = ["xmtj", "dispatch", "--month", month.key, "--due", day.isoformat()]
        change, sent = dispatch_change(
            data, month, list(unit or []), day, command + [f"--unit={u}" for u in unit or []]
        )
        for name, count in sent:
            say(f"下发 {name}：{count}个项目")
        run_change(whole, change, message, no_commit)


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
    from xmtj.figures.returns import unit_returns
    from xmtj.ledger.register import dispatched

    data = open_ledger(ledger)
    sent = dispatched(data, month)
    if sent is None:
        fail(f"{month} 没有下发过调度表；先运行 xmtj dispatch --month {month}")
        return
    show(listings.dispatch(month, sent.due, unit_returns(data, month, sent)), output, out)


def dispatch_key(
    new: Annotated[bool, typer.Option("--new", help="换用新密钥（旧密钥保留，仍可验证已下发的表）")] = False,
    ledger: LedgerOption = None,
) -> None:
    """调度表密钥：下发的每张调度表都用本机保存的密钥签名（不在台账中，别人的副本里没有），交回时据以验证。
    换电脑或多人办理时，把显示的文件夹整个复制到另一台电脑的相同位置；请另行备份。

    示例：xmtj dispatch key　　xmtj dispatch key --new
    """
    from xmtj.intake.dispatch import ledger_identity
    from xmtj.intake.keys import current_key, key_folder, keys, new_key

    data = open_ledger(ledger)
    ledger_id = ledger_identity(data.root)
    if new:
        made = new_key(ledger_id)
        say(f"已换用新密钥 {made.key_id}；此后下发的表用它签名，旧密钥仍保留在文件夹中")
    kept = keys(ledger_id)
    if not kept:
        echo(f"本机还没有本台账的调度表密钥；第一次 xmtj dispatch 时自动生成，保存在 {key_folder(ledger_id)}")
        return
    echo(f"当前密钥：{current_key(ledger_id, create=False).key_id}（共{len(kept)}个）")
    echo(f"保存位置：{key_folder(ledger_id)}（仅本人可读写）")
    echo("备份或在另一台电脑上导入调度表：把这个文件夹整个复制到那台电脑的相同位置。")


def register() -> None:
    """``xmtj dispatch`` sends; ``xmtj dispatch status`` shows what came back."""
    import inspect

    from xmtj.cli import SUMMARIES
    from xmtj.cli.common import app

    text = SUMMARIES["dispatch"] + "\n\n" + inspect.cleandoc(dispatch.__doc__ or "")
    sub = typer.Typer(invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None, cls=XmtjSubGroup)
    sub.callback()(dispatch)
    sub.command("status", cls=XmtjCommand)(dispatch_status)
    sub.command("key", cls=XmtjCommand)(dispatch_key)
    app.add_typer(sub, name="dispatch", help=text)


register()
