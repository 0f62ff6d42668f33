"""`xmtj log` and `xmtj diff`: the audit trail, field by field; `xmtj undo`: one change taken back."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AtOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    changing,
    command,
    run_change,
    say,
)
from xmtj.cli.output import OutputFormat, show


class LogFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[LogFormat, typer.Option("--format", "-f", help="table 或 json")]


@command("log")
def log_command(
    record_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="项目、问题、活动或督办函的编号（不填则为整个台账）")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="从某日（YYYY-MM-DD）或某个版本之后")] = None,
    ledger: LedgerOption = None,
    at: AtOption = None,
    output: FormatOption = LogFormat.table,
) -> None:
    """手工提交的修改也一样读出。在通报发出之后又修改该月数据的，标注“注意”。

    示例：xmtj log HJ2021-001　　xmtj log --since 2021-11-01　　xmtj log --format json
    """
    from xmtj.changes.history import log
    from xmtj.ledger.gitio import tags_by_commit
    from xmtj.ledger.ledger import find_ledger
    from xmtj.ledger.reading import load_config
    from xmtj.ledger.sources import WorkingTree
    from xmtj.rollup.members import tag_for

    root = find_ledger(explicit=ledger)
    config = load_config(WorkingTree(root))[0]
    entries = log(root, record_id, since, at, config.timezone)
    submitted = tags_by_commit(root, tag_for(config.reporting.tag, "*"))
    show(listings.log(entries, record_id, submitted), OutputFormat(output.value))


@command("diff")
def diff_command(
    rev: Annotated[str | None, typer.Argument(metavar="[REV]", help="比较的起点版本（默认最近一次提交）")] = None,
    rev2: Annotated[str | None, typer.Argument(metavar="[REV2]", help="比较的终点版本（默认当前工作区）")] = None,
    ledger: LedgerOption = None,
    output: FormatOption = LogFormat.table,
) -> None:
    """通报发出后又改动该月（或更早月份）数字的，标注“注意”——审计首先要看的就是这些。

    示例：xmtj diff　　xmtj diff HEAD~5　　xmtj diff v2021-10 v2021-11
    """
    from xmtj.changes.history import diff, summarize
    from xmtj.ledger.ledger import find_ledger

    changes = diff(find_ledger(explicit=ledger), rev, rev2)
    show(listings.diff(changes, summarize(changes), rev, rev2), OutputFormat(output.value))


@command("undo")
def undo_command(
    rev: Annotated[str | None, typer.Argument(metavar="[版本]", help="要撤销的那次修改（默认最近一次）")] = None,
    last: Annotated[bool, typer.Option("--last", help="撤销最近一次修改（不写版本时也是如此）")] = False,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """撤销 xmtj 做的一次修改：作为一次新的提交改回去，历史不删除。督办函、通报的登记改为作废（编号不再使用），
    已发出的文件保留；之后又改过同一文件的，不能撤销并说明是哪次修改。

    示例：xmtj undo -m "误发督办函"　　xmtj undo 3f2a9c1d -m "导错了月份"
    """
    from xmtj.changes.undo import undo_change
    from xmtj.cli.output import fail

    if last and rev:
        fail("--last 和版本只能给一个")
    if not message or not message.strip():
        return fail("请用 -m 写明撤销原因（写入提交说明；督办函、通报的作废登记也用它）")
    with changing(ledger) as data:
        command = ["xmtj", "undo", *([rev] if rev else []), "-m", message]
        change, undone = undo_change(data, rev, message, data.today, command)
        say(f"撤销 {undone.commit[:8]}：{undone.subject}")
        for path in undone.voided:
            say(f"登记作废：{path}（编号不再使用）")
        if undone.kept:
            say(f"已发出的文件保留：{'、'.join(undone.kept)}")
        run_change(data, change, message, no_commit)


class Keep(StrEnum):
    mine = "mine"
    theirs = "theirs"


@command("sync")
def sync_command(
    targets: Annotated[
        list[str] | None, typer.Argument(metavar="[编号 字段]...", help="与 --keep 一起：冲突所在的记录编号和字段")
    ] = None,
    keep: Annotated[Keep | None, typer.Option("--keep", help="冲突时保留哪一边：mine 本机，theirs 服务器上")] = None,
    remote: Annotated[
        str | None, typer.Option("--remote", help="服务器（git 远程仓库名，默认 xmtj.yaml 中的设置）")
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """与办公室的服务器同步：取回服务器上的修改，逐字段合并，检查无误后推送本机的修改。

    两边改了同一处的，什么也不合并、不推送（两边的修改都在），列出两边的值和修改人；用 --keep 决定后再运行。

    示例：xmtj sync　　xmtj sync --keep mine HJ2021-001 2021年11月完成投资
    """
    from xmtj.changes.sync import sync
    from xmtj.cli.output import fail

    pairs = list(targets or [])
    if (keep is None) != (not pairs) or len(pairs) % 2:
        return fail(
            "--keep mine|theirs 后面跟冲突所在的“编号 字段”（可以多对），例如 --keep mine HJ2021-001 2021年11月完成投资"
        )
    decided = {(pairs[i], pairs[i + 1]): keep.value for i in range(0, len(pairs), 2)} if keep else {}
    with changing(ledger) as data:

        def verify() -> None:
            from xmtj.ledger.load import load_ledger

            merged = load_ledger(data.root)
            errors = [p for p in merged.problems if p.severity == "error"]
            if errors:
                fail(f"合并后台账有{len(errors)}处错误，未推送（xmtj check 查看；改正后再 xmtj sync）：{errors[0]}")

        synced = sync(data.root, remote or data.config.reporting.remote, decided, verify)
    for line in synced.kept:
        say(f"按 --keep：{line}")
    for path in synced.merged:
        say(f"逐字段合并：{path}")
    say(f"已同步：从服务器取回{synced.pulled}次修改，推送{synced.pushed}次")
