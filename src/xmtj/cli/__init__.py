"""Stage 6, the command line: parse options, call the core once, show the result. The only code that
prints or exits.

| module | what it is for |
| --- | --- |
| ``common`` | the app, the options every command shares (``--month``, dates …), opening the ledger (counted, or whole under its lock for changes) |
| ``edge`` | every failure as one Chinese line and an exit code; usage errors translated; a closed pipe ends quietly |
| ``output`` | ``Column``, ``Listing`` (typed rows) and one renderer per format (table, Markdown, JSON, CSV, Excel); safe text on the terminal |
| ``listings``, ``views`` | each listing's rows and JSON (``views``: the status report and its headline) |
| ``terminal`` | the status table laid out for a terminal |
| ``init``, ``intake`` (``import``), ``check``, ``status``, ``issue``, ``meeting``, ``letter`` | command groups |
| ``report``, ``project``, ``history``, ``rollup``, ``dispatch``, ``approvals``, ``server`` (``hook``), ``site`` | command groups |
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any

MODULES = (
    "init",
    "intake",
    "check",
    "status",
    "issue",
    "meeting",
    "letter",
    "report",
    "approvals",
    "dispatch",
    "rollup",
    "project",
    "history",
    "server",
    "site",
)
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "init": ("init",),
    "import": ("intake",),
    "check": ("check",),
    "status": ("status",),
    "issue": ("issue",),
    "meeting": ("meeting",),
    "letter": ("letter",),
    "remind": ("letter",),
    "report": ("report",),
    "plan": ("report",),
    "approvals": ("approvals",),
    "dispatch": ("dispatch",),
    "submit": ("rollup",),
    "fetch": ("rollup",),
    "member": ("rollup",),
    "progress": ("project",),
    "project": ("project",),
    "log": ("history",),
    "diff": ("history",),
    "undo": ("history",),
    "sync": ("history",),
    "hook": ("server",),
    "site": ("site",),
}


# Each command's summary (its docstring's first paragraph), in the order ``xmtj --help`` lists them, so
# that the top-level help needs no command built. tests/test_cli.py checks it against the commands.
SUMMARIES: dict[str, str] = {
    "init": "新建台账：写出带注释的 xmtj.yaml 和目录，初始化 git 并提交。",
    "check": "检查台账中每个文件的每处错误，一次全部列出（文件:行:列: 字段: 说明）。",
    "status": "年度重点项目投资完成、开工投产和亮灯情况。",
    "remind": "给进展缓慢（亮黄灯、红灯）的项目起草督办提醒函，逐份编号登记。",
    "report": "生成月度通报（--month）或年度工作总结数据（--year），Markdown 格式。",
    "plan": "某年度重点项目（含谋划项目）的数量和总投资，按投资类型、行业、级别、“六新”类别分组。",
    "approvals": "项目手续办理情况：哪些项目在等哪项审批、哪个部门、已等多久。",
    "submit": "报送：给某月的数据打上报送标签（可推送给上级）。",
    "fetch": "汇总台账：获取各成员（县市区）的仓库和报送情况。",
    "progress": "填报（或更正）项目某月的当月完成投资，并自动提交到 git。",
    "log": "修改历史：谁在什么时候改了哪条记录的哪个字段，从什么改成什么。",
    "diff": "两个版本之间台账的逐字段差异：新增、删除的记录和改动的字段。",
    "undo": "撤销 xmtj 做的一次修改（作为新的提交改回去；督办函、通报改为作废）。",
    "sync": "与办公室的服务器同步：取回、逐字段合并、检查、推送。",
    "import": "从 Excel/WPS/CSV 表格导入项目台账或月报，全部检查无误后一次提交。",
    "issue": "问题台账：查看问题清单和单个问题。",
    "meeting": "活动台账：调度会、集中开工、集中观摩。",
    "letter": "督办提醒函登记簿。",
    "dispatch": "调度任务下发：给各责任单位生成本月月报表（Excel），并查看交回情况。",
    "member": "汇总台账的成员（县市区）：添加、移除、列出。",
    "project": "项目：新建项目文件、修改单个字段。",
    "hook": "git 服务器钩子：按推送人的身份和台账的权限规则接受或拒绝推送。",
    "site": "生成项目驾驶舱网站：总览、项目、分指挥部、责任单位、包联领导、问题、手续、督办、月报交回，每页都是普通的 HTML 文件，放在共享文件夹或 U 盘里双击即可打开，不联网、不需要服务器和账号。",
}


def summary_group() -> Any:
    """The top-level command group with each command as a summary only: what ``xmtj --help`` shows."""
    from xmtj.cli.common import app
    from xmtj.cli.edge import XmtjCommand, XmtjSubGroup

    group = XmtjSubGroup(name="xmtj", help=app.info.help, no_args_is_help=True, rich_markup_mode=None)
    for name, summary in SUMMARIES.items():
        group.add_command(XmtjCommand(name, help=summary, rich_markup_mode=None))
    return group


def load(modules: Iterable[str] = MODULES) -> Any:
    """Import command modules (each registers its commands on the app) and return the app."""
    for name in modules:
        importlib.import_module(f"xmtj.cli.{name}")
    from xmtj.cli.common import app

    return app


def main() -> None:
    """Entry point of the ``xmtj`` console script."""
    if sys.argv[1:2] == ["--help"] and len(sys.argv) > 2 and not sys.argv[2].startswith("-"):
        sys.argv[1:3] = [sys.argv[2], "--help"]  # ``xmtj --help status`` is ``xmtj status --help``
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    if command is None and all(arg == "--help" for arg in sys.argv[1:]):
        summary_group().main(sys.argv[1:], prog_name="xmtj")
    try:
        load(COMMAND_MODULES.get(command or "", MODULES))()
    except SystemExit as end:
        try:
            sys.stdout.flush()  # here, not at the interpreter's exit, where a closed pipe would print a traceback
        except (BrokenPipeError, ValueError):
            from xmtj.cli.edge import quiet_stdout

            quiet_stdout()
        _quick_exit(end)
        raise


QUICK_EXIT_RECORDS = 3000


def _quick_exit(end: SystemExit) -> None:
    """After a large ledger, end the process without freeing its records one by one.

    Everything the command wrote is flushed first; commands that write files have finished (and
    committed) before this point. Any trouble flushing, and the normal exit path is taken instead.
    """
    from xmtj.cli.common import records_loaded

    if records_loaded() < QUICK_EXIT_RECORDS or not isinstance(end.code, int | None):
        return
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        return
    os._exit(end.code or 0)


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole command line, as tests and other front ends see it
        return load()
    raise AttributeError(name)


__all__ = ["app", "load", "main"]
