"""县→市→省: `xmtj submit` (a county tags its month), `xmtj fetch` and `xmtj member` (a prefecture mirrors
its counties), and the roll-up views that `status`, `check` and `report` show at a roll-up ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from xmtj.cli.common import (
    FutureOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    OutputFormat,
    changing,
    command,
    echo,
    fail,
    group,
    month_option,
    open_ledger,
    run_change,
    say,
)
from xmtj.cli.edge import XmtjCommand
from xmtj.months import Month

member_app = group("member")


@command("submit")
def submit(
    month: Annotated[Month, month_option("报送的月份 YYYY-MM")],
    again: Annotated[bool, typer.Option("--again", help="该月已报送时重新报送（报送/月份-2 …），并列出改动")] = False,
    push: Annotated[
        bool, typer.Option("--push", help="把报送标签推送到 xmtj.yaml 中 reporting.remote（默认 origin）")
    ] = False,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    future: FutureOption = False,
) -> None:
    """报送：检查无误后，给当前提交打上“报送/月份”标签（说明中带主要数字），可推送给上级。

    示例：xmtj submit --month 2021-11 --push　　xmtj submit --month 2021-11 --again -m 更正9月数据 --push
    """
    from xmtj.changes.reporting import submit as make
    from xmtj.figures.periods import check_month

    with changing(ledger) as data:
        check_month(data.config, month, data.today, data.projects, writes=True, future=future)
        done = make(data, month, message, again, push)
    for line in done.diff:
        say(f"改动：{line}")
    echo(f"已报送 {done.tag}（提交 {done.commit[:8]}）" + ("，已推送" if done.pushed else "；推送请加 --push"))
    echo(done.figures)


@command("fetch")
def fetch(
    ledger: LedgerOption = None,
    timeout: Annotated[int, typer.Option("--timeout", min=5, max=3600, help="每个成员的时限（秒）")] = 120,
    workers: Annotated[int, typer.Option("--workers", min=1, max=32, help="同时获取的成员数")] = 8,
) -> None:
    """汇总台账：获取每个成员（县市区）的仓库（镜像保存在台账的 .git/xmtj/members/ 中），报告新的报送、
    被改写的报送、未报送和无法连接的成员。

    示例：xmtj fetch　　xmtj fetch --timeout 60
    """
    from xmtj.rollup.members import latest_month
    from xmtj.rollup.mirrors import fetch_all

    data = open_ledger(ledger)
    if not data.config.members:
        fail("这不是汇总台账：xmtj.yaml 中没有 members（用 xmtj member add 添加成员）")
    results = fetch_all(data.root, data.config.members, workers, timeout, _bar())
    for r in results:
        say_fetched(r)
    month = latest_month(data.root, list(data.config.members))
    if month is not None:
        owing = not_submitted(data, month)
        say(f"{month} 未报送：{'、'.join(owing)}" if owing else f"{month} 全部成员均已报送")
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def say_fetched(found: Any) -> None:
    """One member's fetch in a line (and its moved submissions and unreadable tag names, each named)."""
    who = f"{found.member.name}（{found.member.code}）："
    if not found.ok:
        say(who + f"无法获取：{found.reason}", "red")
        return
    say(who + (f"新报送 {'、'.join(found.new_tags)}" if found.new_tags else "无新报送"))
    for tag in found.rewritten:
        say(f"{who}报送被改写：{tag} 已被改指到另一个版本；仍按原先获取的报送计算，请与该成员核实", "red")
    if found.skipped:
        say(f"{who}有无法识别的标签名（未获取）：{'、'.join(found.skipped)}", "yellow")


def not_submitted(data: Any, month: Month) -> list[str]:
    """Members with no submission of ``month`` in their mirror (tags only: nothing is read)."""
    from xmtj.rollup.members import submissions
    from xmtj.rollup.mirrors import current, mirror_of

    owing = []
    for member in data.config.members:
        mirror = mirror_of(data.root, member)
        fresh = mirror.is_dir() and current(mirror, member)
        if not fresh or not submissions(mirror, member.tag, month):
            owing.append(member.name)
    return owing


def _bar() -> Any:
    import sys

    if not sys.stderr.isatty():
        return None
    from xmtj.cli.common import LoadProgress

    return LoadProgress()


@member_app.command("add", cls=XmtjCommand)
def member_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="成员名称，如 稷山县")],
    code: Annotated[str, typer.Option("--code", help="编码（大写字母），用于区分各成员的编号，如 JS")],
    url: Annotated[str, typer.Option("--url", help="成员台账仓库的地址（https、ssh、git:// 或本地路径）")],
    branch: Annotated[str, typer.Option("--branch", help="分支")] = "main",
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """添加一个成员（县市区）到汇总台账的 xmtj.yaml，并提交。

    示例：xmtj member add 稷山县 --code JS --url https://git.example.gov.cn/jishan/xmtj.git
    """
    from xmtj.changes.reporting import members_change, with_member

    with changing(ledger) as data:
        members = with_member(data.config.members, name, code, url, branch)
        command_ = ["xmtj", "member", "add", name, "--code", code, "--url", url, "--branch", branch]
        run_change(data, members_change(data, members, f"成员: 添加 {name}（{code}）", command_), message, no_commit)


@member_app.command("remove", cls=XmtjCommand)
def member_remove(
    code: Annotated[str, typer.Argument(metavar="CODE", help="成员编码")],
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """从汇总台账中移除一个成员（其镜像不再读取；以同一编码重新添加、地址不同时，下次 fetch 重新获取）。

    示例：xmtj member remove JS
    """
    from xmtj.changes.reporting import members_change

    with changing(ledger) as data:
        kept = [m for m in data.config.members if m.code != code]
        if len(kept) == len(data.config.members):
            fail(f"没有编码为 {code} 的成员")
        change = members_change(data, kept, f"成员: 移除 {code}", ["xmtj", "member", "remove", code])
        run_change(data, change, message, no_commit)


@member_app.command("list", cls=XmtjCommand)
def member_list(ledger: LedgerOption = None) -> None:
    """列出汇总台账的成员、仓库地址和是否已获取。

    示例：xmtj member list
    """
    from xmtj.cli.output import Column, Listing, show
    from xmtj.rollup.mirrors import current, mirror_of

    data = open_ledger(ledger)

    def state(member: Any) -> str:
        mirror = mirror_of(data.root, member)
        if not mirror.is_dir():
            return "未获取"
        return "已获取" if current(mirror, member) else "地址已改，待重新获取"

    rows = [[m.name, m.code, m.url, m.branch, state(m)] for m in data.config.members]
    columns = [Column("成员"), Column("编码"), Column("仓库", wide=True), Column("分支"), Column("镜像")]
    show(Listing(columns, rows, None, empty="尚无成员"))


# --- what status, check and report show at a roll-up ledger --------------------------------------


def rollup_for(data: Any, as_of: Any, head: bool) -> Any:
    from xmtj.rollup.members import latest_month
    from xmtj.rollup.mirrors import refuse_legacy
    from xmtj.rollup.report import rollup_report

    refuse_legacy(data.root)
    month = Month.of(as_of) if as_of else latest_month(data.root, list(data.config.members))
    if month is None:
        fail("还没有任何成员报送（先运行 xmtj fetch）")
        return None
    return rollup_report(data.root, data.config, month, head)


def show_rollup(data: Any, as_of: Any, head: bool, output: OutputFormat, out: Path | None) -> None:
    """``status`` at a roll-up ledger: the totals, each member ranked, 未报送 and 报送有误."""
    from xmtj.cli.output import show
    from xmtj.cli.views import rollup_listing

    report = rollup_for(data, as_of, head)
    show(rollup_listing(data.config, report), output, out)


def check_rollup(data: Any, as_of: Any, head: bool) -> None:
    """``check`` at a roll-up ledger: every member's submission checked; exit 1 when one has errors."""
    report = rollup_for(data, as_of, head)
    for read in report.invalid:
        for problem in read.problems:
            echo(f"{read.member.name}：{problem}")
    counted, missing = len(report.members), len(report.missing)
    say(f"{report.month}：已报送且无误{counted}个，未报送{missing}个，报送有误{len(report.invalid)}个")
    if report.invalid:
        raise typer.Exit(1)
