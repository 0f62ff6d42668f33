"""`xmtj remind` and `xmtj letter list`: 督办提醒函 and their register."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AtOption,
    FormatOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    OutOption,
    OutputFormat,
    YearOption,
    changing,
    command,
    date_option,
    echo,
    fail,
    group,
    open_ledger,
    open_records,
    outgoing,
    run_change,
    say,
)
from xmtj.cli.edge import XmtjCommand
from xmtj.cli.output import show

letter_app = group("letter")


class MinLight(StrEnum):
    yellow = "yellow"
    red = "red"


@command("remind")
def remind(
    ledger: LedgerOption = None,
    as_of: Annotated[
        dt.date | None, date_option("--as-of", "按哪一天的数据判断进展缓慢（默认：有进度数据的最近月份月末）")
    ] = None,
    date: Annotated[dt.date | None, date_option("--date", "成文日期（默认今天）")] = None,
    project: Annotated[list[str] | None, typer.Option("--project", "-p", help="只给这些项目发函（可重复）")] = None,
    min_light: Annotated[
        MinLight, typer.Option("--min-light", help="yellow：黄灯和红灯都发；red：只发红灯")
    ] = MinLight.yellow,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将要发函的项目和原因，不写任何文件")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="本月已发过函的项目也再发一份；台账有错误时也发（出错的记录不计入）")
    ] = False,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """亮灯规则与 xmtj status 完全相同。每份函写入 letters/<年>/<号>-<项目编号>.md，
    登记到 data/letters/<年>-<号>.yaml；要么全部写成，要么一个文件也不写。
    同一项目同一个月只发一份，除非加 --force。

    示例：xmtj remind --as-of 2021-11-30 --dry-run　　xmtj remind --as-of 2021-11-30 --date 2021-12-14
    """
    from xmtj.changes.letters import letters_change, remind_command
    from xmtj.documents.letters import plan_reminders

    with changing(ledger) as whole:
        data = outgoing(whole, force, "发督办提醒函")
        planned = plan_reminders(data, as_of, date, project or [], min_light.value, force)
        for s in planned.skipped:
            say(f"跳过 {s.project_id}：{s.reason}")
        if not planned.drafts:
            say(f"截至{planned.as_of}没有需要发函的项目。")
            return
        listing = listings.drafts(planned.drafts, planned.title(dry_run))
        if dry_run:
            show(listing)
            say("（--dry-run：未写任何文件）")
            return
        command = remind_command(planned, project or [], min_light.value, force)
        change = letters_change(data, planned.drafts, command)
        show(listing)
        run_change(whole, change, message, no_commit)


@letter_app.command("list", cls=XmtjCommand)
def letter_list(
    ledger: LedgerOption = None,
    at: AtOption = None,
    year: YearOption = None,
    pending: Annotated[bool, typer.Option("--pending", help="只列尚未收到书面反馈的函")] = False,
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
) -> None:
    """列出已发的督办提醒函及反馈情况。

    示例：xmtj letter list --year 2021　　xmtj letter list --pending
    """
    from xmtj.figures.queries import select_letters

    data = open_records(ledger, at)
    show(listings.letters(data, select_letters(data, year, pending)), output, out)


@letter_app.command("reply", cls=XmtjCommand)
def letter_reply(
    key: Annotated[
        str, typer.Argument(metavar="DOC_NO", help="发文字号（如 河重指办督〔2021〕3号）或登记编号（如 2021-3）")
    ],
    date: Annotated[dt.date, date_option("--date", "收到书面反馈的日期")],
    text: Annotated[str, typer.Option("--text", help="反馈的主要内容")],
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """登记责任单位对督办提醒函的书面反馈（收到日期和内容），检查后自动提交。

    示例：xmtj letter reply 2021-3 --date 2021-05-20 --text 已召开专题会议，倒排工期
    """
    from xmtj.changes.letters import reply_change

    with changing(ledger) as data:
        command = ["xmtj", "letter", "reply", key, "--date", date.isoformat(), "--text", text]
        run_change(data, reply_change(data, key, date, text, command), message, no_commit)


@letter_app.command("void", cls=XmtjCommand)
def letter_void(
    key: Annotated[str, typer.Argument(metavar="DOC_NO", help="发文字号或登记编号（如 2021-3）")],
    reason: Annotated[str, typer.Option("--reason", help="作废原因（必填）")],
    date: Annotated[dt.date | None, date_option("--date", "作废日期（默认今天）")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """作废一份已发的督办提醒函：登记作废日期和原因并提交。函件和登记仍保留，文号不再使用；
    清单、检查和通报都按“作废”计。

    示例：xmtj letter void 河重指办督〔2021〕3号 --reason 数据有误，重新发函
    """
    from xmtj.changes.letters import void_change

    with changing(ledger) as data:
        day = date or data.today
        command = ["xmtj", "letter", "void", key, "--reason", reason, "--date", day.isoformat()]
        run_change(data, void_change(data, key, day, reason, command), message, no_commit)


@letter_app.command("render", cls=XmtjCommand)
def letter_render(
    key: Annotated[str, typer.Argument(metavar="DOC_NO", help="发文字号或登记编号（如 2021-3）")],
    output: Annotated[str, typer.Option("--format", "-f", help="docx（Word 公文）或 md")] = "docx",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="写入文件（默认 letters/ 下原文件名）")] = None,
    ledger: LedgerOption = None,
) -> None:
    """已发的函就是发出时的样子：从登记该函的 git 提交中取出当时的文件，一字不改；不在 git 中时才按发函时的
    截至日期重新生成（并说明）。不加 --out 时，md 显示在屏幕上，docx 恢复到 letters/ 下原来的位置（已存在且
    内容不同时拒绝覆盖）。

    示例：xmtj letter render 河重指办督〔2021〕3号 --format docx　　xmtj letter render 2021-3 --format md --out 函.md
    """
    from xmtj.changes.letters import find_letter
    from xmtj.documents.letters import issued_letter

    if output not in ("docx", "md"):
        fail(f"--format 应为 docx 或 md，现为“{output}”")
    data = open_ledger(ledger)
    letter = find_letter(data, key)
    issued = issued_letter(data, letter, output)
    if issued.revision is None:
        say(f"注意：git 中没有 {letter.doc_no} 发出时的文件，按台账记录重新生成（发函后记录若有改动，会与原件不同）")
    elif not issued.from_file:
        say(f"注意：登记 {letter.doc_no} 的提交（{issued.revision[:10]}）中没有函件文件，按该提交时的台账记录重新生成")
    deliver(data.root, issued, out)


def deliver(root: Path, issued: Any, out: Path | None) -> None:
    """A letter's document to ``--out``, the screen (Markdown), or back where ``remind`` put it (Word)."""
    from xmtj.changes.outputs import write_out

    if out is not None:
        say(f"已写入 {write_out(out, issued.data, root)}")
    elif issued.path.endswith(".md"):
        echo(issued.data.decode("utf-8"), nl=False)
    else:
        target = root / issued.path
        if target.is_file() and not target.is_symlink() and target.read_bytes() == issued.data:
            say(f"{issued.path} 已存在，与发出时一致")
        elif target.exists() or target.is_symlink():
            fail(f"{issued.path} 已存在且与发出时不同（被改动过），未覆盖；请用 --out 另存")
        else:
            from xmtj.changes.writer import FileTransaction

            transaction = FileTransaction(root)
            transaction.create(target, issued.data)
            transaction.commit()
            say(f"已恢复 {issued.path}")
