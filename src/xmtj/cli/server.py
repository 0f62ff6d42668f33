"""`xmtj hook pre-receive`: the git server's hook, refusing what the ledger's rules refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xmtj.cli.common import group, say
from xmtj.cli.edge import XmtjCommand

hook_app = group("hook")


@hook_app.command("pre-receive", cls=XmtjCommand)
def pre_receive(
    git_dir: Annotated[
        Path | None, typer.Option("--git-dir", help="服务器上的裸仓库（默认：git 运行钩子时的当前目录）")
    ] = None,
) -> None:
    """服务器钩子：git 在接受推送前运行它（contrib/pre-receive 调用本命令）。逐个检查推送的分支和标签：推送人的身份
    取自服务器（Gitea、GitLab，或 SSH 密钥的 XMTJ_PUSHER），不取自提交；单位只能改本单位的数据、只能推送本单位人员的
    提交、不能推送报送标签；主分支不能删除、不能强制推送；超过大小上限的文件整个推送被拒绝。

    示例：cp contrib/pre-receive /srv/git/稷山台账.git/hooks/pre-receive（git 推送时自动运行 xmtj hook pre-receive）
    """
    import os
    import sys

    from xmtj.changes.hook import run_hook

    repository = git_dir or Path(os.environ.get("GIT_DIR") or ".")
    refusals = run_hook(repository.resolve(), sys.stdin.read())
    for line in refusals:
        say(f"xmtj：{line}", "red")
    if refusals:
        say("xmtj：推送被拒绝（见上面的原因）；改正后重新提交再推送", "red")
        raise typer.Exit(1)
