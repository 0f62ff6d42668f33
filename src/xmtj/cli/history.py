"""`xmtj log` and `xmtj diff`: the audit trail, field by field."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xmtj.cli.common import (
    AtOption,
    LedgerOption,
    OutputFormat,
    app,
    echo,
    emit_table,
    handles_errors,
    say,
)


class LogFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("log")
@handles_errors
def log_command(
    record_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="项目、问题、活动或督办函的编号（不填则为整个台账）")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="从某日（YYYY-MM-DD）或某个版本之后")] = None,
    ledger: LedgerOption = None,
    at: AtOption = None,
    output: Annotated[LogFormat, typer.Option("--format", "-f", help="table 或 json")] = LogFormat.table,
) -> None:
    """修改历史：谁在什么时候改了哪条记录的哪个字段，从什么改成什么。

    手工提交的修改也一样读出。在通报发出之后又修改该月数据的，标注“注意”。

    示例：xmtj log HJ2021-001　　xmtj log --since 2021-11-01　　xmtj log --format json
    """
    from xmtj.changes.history import log
    from xmtj.cli.views import to_json
    from xmtj.ledger.ledger import find_ledger

    root = find_ledger(explicit=ledger)
    from xmtj.ledger.reading import load_config
    from xmtj.ledger.sources import WorkingTree

    offset = load_config(WorkingTree(root))[0].timezone
    entries = log(root, record_id, since, at, offset)
    if output is LogFormat.json:
        echo(to_json({"record": record_id, "entries": [e.as_dict() for e in entries]}))
        return
    rows = []
    for entry in entries:
        lines = []
        for f in entry.files:
            if record_id is None or f.status != "M":
                lines.append(f.words())
            if f.status in "MR":  # a new or deleted file is one line, not a list of its fields
                lines += [("  " if record_id is None else "") + c.words() for c in f.changes]
        rows.append(
            [
                entry.commit.date[:16].replace("T", " "),
                entry.commit.author,
                entry.commit.id[:8],
                entry.commit.subject,
                "\n".join(lines) or "（无字段变化）",
            ]
        )
    title = f"{record_id or '整个台账'}的修改历史（{len(entries)}次提交）"
    emit_table(
        OutputFormat.table, ["时间", "作者", "提交", "说明", "变更"], rows, None, title=title, wide=("说明", "变更")
    )


@app.command("diff")
@handles_errors
def diff_command(
    rev: Annotated[str | None, typer.Argument(metavar="[REV]", help="比较的起点版本（默认最近一次提交）")] = None,
    rev2: Annotated[str | None, typer.Argument(metavar="[REV2]", help="比较的终点版本（默认当前工作区）")] = None,
    ledger: LedgerOption = None,
    output: Annotated[LogFormat, typer.Option("--format", "-f", help="table 或 json")] = LogFormat.table,
) -> None:
    """两个版本之间台账的逐字段差异：新增、删除的记录和改动的字段。

    通报发出后又改动该月（或更早月份）数字的，标注“注意”——审计首先要看的就是这些。

    示例：xmtj diff　　xmtj diff HEAD~5　　xmtj diff v2021-10 v2021-11
    """
    from xmtj.changes.history import diff, summarize
    from xmtj.cli.views import to_json
    from xmtj.ledger.ledger import find_ledger

    root = find_ledger(explicit=ledger)
    changes = diff(root, rev, rev2)
    counts = summarize(changes)
    if output is LogFormat.json:
        echo(
            to_json(
                {
                    "from": rev or "HEAD",
                    "to": rev2 or "工作区",
                    "summary": counts,
                    "files": [c.as_dict() for c in changes],
                }
            )
        )
        return
    rows = [[c.words(), "\n".join(f.words() for f in c.changes) if c.status in "MR" else "—"] for c in changes]
    title = (
        f"{rev or 'HEAD'} → {rev2 or '工作区'}：新增{counts['added']}个，删除{counts['removed']}个，"
        f"修改{counts['changed']}个文件"
    )
    emit_table(OutputFormat.table, ["文件", "字段变化"], rows, None, title=title, wide=("文件", "字段变化"))
    if counts["retroactive"]:
        say(f"[bold yellow]注意：{counts['retroactive']}处修改涉及已发出通报的月份数据[/]")
