"""`xmtj log` and `xmtj diff`: the audit trail, field by field."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xmtj.cli import listings
from xmtj.cli.common import (
    AtOption,
    LedgerOption,
    command,
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
