"""Commands that change the ledger: progress, project new/set, issue new/resolve, meeting new.

Each validates before writing, writes atomically, and commits exactly the files it wrote.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Annotated, Any

import typer

from xmtj.cli.common import (
    LedgerOption,
    MessageOption,
    NoCommitOption,
    app,
    changing,
    echo,
    fail,
    handles_errors,
    parse_date,
    run_change,
)
from xmtj.cli.issue import EventKind, issue_app, meeting_app

project_app = typer.Typer(help="项目：新建项目文件、修改单个字段。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(project_app, name="project")

EVENT_PREFIX = {"调度会": "DD", "集中开工": "KG", "集中观摩": "GM"}


def _money(raw: str, option: str) -> Decimal:
    from xmtj.ledger.fields import NotANumber, parse_number

    try:
        return parse_number(raw)
    except NotANumber as exc:
        fail(f"{option} {exc}")
        raise


@app.command()
@handles_errors
def progress(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="项目编号")],
    month: Annotated[str, typer.Option("--month", help="月份 YYYY-MM")],
    amount: Annotated[str, typer.Option("--amount", help="当月完成投资（万元）")],
    text: Annotated[str | None, typer.Option("--text", help="形象进度")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """填报（或更正）项目某月的当月完成投资，并自动提交到 git。

    示例：xmtj progress HJ2021-001 --month 2021-11 --amount 1200 --text 设备安装
    xmtj progress HJ2021-001 --month 2021-10 --amount 950 -m "按统计局核定数更正"
    """
    from xmtj.changes.build import progress_change

    with changing(ledger) as data:
        value = _money(amount, "--amount")
        command = ["xmtj", "progress", project_id, "--month", month, "--amount", amount]
        command += ["--text", text] if text is not None else []
        run_change(data, progress_change(data, project_id, month, value, text, command), message, no_commit)


@project_app.command("set")
@handles_errors
def project_set(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="项目编号")],
    field: Annotated[
        str, typer.Argument(metavar="FIELD", help="字段，如 actual_start、annual_plan.2022、contact.phone")
    ],
    value: Annotated[str, typer.Argument(metavar="VALUE", help='新值；空字符串 "" 表示清空')],
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """修改项目的一个字段（只改这一处，文件其余内容和注释原样保留）。

    示例：xmtj project set HJ2021-001 actual_start 2021-05-06　　xmtj project set HJ2021-001 annual_plan.2022 30000
    """
    from xmtj.changes.build import set_change

    with changing(ledger) as data:
        command = ["xmtj", "project", "set", project_id, field, value]
        run_change(data, set_change(data, "projects", project_id, field, value, command), message, no_commit)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _ask(label: str, choices: list[str] | None = None, default: str | None = None) -> str:
    if choices:
        for i, choice in enumerate(choices, start=1):
            echo(f"  {i}. {choice}", err=True)
        answer = typer.prompt(f"{label}（填序号或名称）", default=default or "", show_default=bool(default), err=True)
        return choices[int(answer) - 1] if answer.isdigit() and 0 < int(answer) <= len(choices) else answer
    return str(typer.prompt(label, default=default or "", show_default=bool(default), err=True))


@project_app.command("new")
@handles_errors
def project_new(
    ledger: LedgerOption = None,
    project_id: Annotated[str | None, typer.Option("--id", help="项目编号（默认按已有编号续编）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="项目名称")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="建设单位")] = None,
    investment_type: Annotated[str | None, typer.Option("--investment-type", help="政府投资 或 社会投资")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="行业（xmtj.yaml 的 sectors）")] = None,
    level: Annotated[list[str] | None, typer.Option("--level", help="项目级别（可重复）")] = None,
    key_year: Annotated[list[int] | None, typer.Option("--key-year", help="列入哪一年的重点项目（可重复）")] = None,
    branch: Annotated[str | None, typer.Option("--branch", help="分指挥部")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="责任单位")] = None,
    leader: Annotated[str | None, typer.Option("--leader", help="包联领导")] = None,
    total: Annotated[str | None, typer.Option("--total", help="总投资（万元）")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="首个重点年度的计划投资（万元）")] = None,
    planned_start: Annotated[str | None, typer.Option("--planned-start", help="计划开工日期")] = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """新建项目文件。在终端上缺少的信息会逐项询问（分指挥部、级别、行业从 xmtj.yaml 中选择）。

    示例：xmtj project new --name 某某项目 --investment-type 社会投资 --sector 产业 --key-year 2022
    --branch 经济技术开发区分指挥部 --unit 河津经济技术开发区管委会 --leader 李某某 --total 50000
    """
    from xmtj.changes.build import new_record_change, next_id

    with changing(ledger) as data:
        config = data.config
        interactive = stdin_is_terminal()
        answers: dict[str, Any] = {
            "name": name,
            "owner": owner,
            "investment_type": investment_type,
            "sector": sector,
            "branch": branch,
            "responsible_unit": unit,
            "liaison_leader": leader,
            "total_investment": total,
        }
        choices = {
            "investment_type": ["政府投资", "社会投资"],
            "sector": config.sectors or None,
            "branch": config.branches or None,
        }
        labels = {
            "name": "项目名称",
            "owner": "建设单位",
            "investment_type": "投资类型",
            "sector": "行业",
            "branch": "分指挥部",
            "responsible_unit": "责任单位",
            "liaison_leader": "包联领导",
            "total_investment": "总投资（万元）",
        }
        levels = list(level or [])
        years = list(key_year or [])
        if interactive:
            for key, current in answers.items():
                if current is None:
                    answers[key] = _ask(labels[key], choices.get(key)) or None
            if not levels and config.levels:
                levels = [_ask("项目级别", config.levels)]
            if not years:
                years = [int(_ask("列入哪一年的重点项目", default=str(dt.date.today().year + 1)))]
        missing = [
            labels[k]
            for k in (
                "name",
                "investment_type",
                "sector",
                "branch",
                "responsible_unit",
                "liaison_leader",
                "total_investment",
            )
            if not answers[k]
        ]
        if not years:
            missing.append("重点年度（--key-year）")
        if missing:
            fail("缺少：" + "、".join(missing) + "（请用相应选项给出，或在终端上运行以逐项填写）")
        first_year = min(years)
        prefix = _project_prefix([p.id for p in data.projects]) + f"{first_year}-"
        rid = project_id or next_id([p.id for p in data.projects], prefix)
        record: dict[str, Any] = {
            "id": rid,
            **{k: v for k, v in answers.items() if k != "total_investment"},
            "levels": levels,
            "key_years": sorted(years),
            "total_investment": _money(str(answers["total_investment"]), "--total"),
            "annual_plan": {first_year: _money(plan, "--plan")} if plan else {},
            "planned_start": parse_date(planned_start, "--planned-start"),
        }
        command = ["xmtj", "project", "new", "--id", rid]
        change = new_record_change(data, "projects", record, f"新建项目: {rid} {record['name']}", command)
        run_change(data, change, message, no_commit)


def _project_prefix(ids: list[str]) -> str:
    """The letters most project ids start with (HJ in HJ2021-001), or XM."""
    import re
    from collections import Counter

    heads = Counter(m[0] for rid in ids if (m := re.match(r"[A-Za-z]+", rid)))
    return heads.most_common(1)[0][0] if heads else "XM"


@issue_app.command("new")
@handles_errors
def issue_new(
    description: Annotated[str, typer.Option("--description", "-d", help="存在问题")],
    category: Annotated[str, typer.Option("--category", help="用地、资金、手续、水电气路、征地拆迁、其他")],
    source: Annotated[str, typer.Option("--source", help="调度会、现场督查、集中观摩、企业反映、包联领导")],
    unit: Annotated[str, typer.Option("--unit", help="责任单位")],
    project: Annotated[str | None, typer.Option("--project", "-p", help="所属项目编号")] = None,
    meeting: Annotated[str | None, typer.Option("--meeting", help="提出问题的活动编号")] = None,
    raised_on: Annotated[str | None, typer.Option("--raised-on", help="提出日期（默认今天）")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="办结时限")] = None,
    issue_id: Annotated[str | None, typer.Option("--id", help="问题编号（默认 WT<年>-<序号> 续编）")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """登记一个新问题。

    示例：xmtj issue new -p HJ2021-038 -d 施工用电未接通 --category 水电气路 --source 现场督查
    --unit 市供电公司 --deadline 2021-12-20
    """
    from xmtj.changes.build import new_record_change, next_id

    with changing(ledger) as data:
        day = parse_date(raised_on, "--raised-on") or data.today
        rid = issue_id or next_id([i.id for i in data.issues], f"WT{day.year}-")
        record = {
            "id": rid,
            "project": project,
            "description": description,
            "category": category,
            "source": source,
            "meeting": meeting,
            "raised_on": day,
            "responsible_unit": unit,
            "deadline": parse_date(deadline, "--deadline"),
            "status": "新增",
        }
        subject = f"新增问题: {rid}" + (f" ({project})" if project else "")
        command = ["xmtj", "issue", "new", "--id", rid]
        run_change(data, new_record_change(data, "issues", record, subject, command), message, no_commit)


@issue_app.command("resolve")
@handles_errors
def issue_resolve(
    issue_id: Annotated[str, typer.Argument(metavar="ID", help="问题编号")],
    text: Annotated[str, typer.Option("--text", help="办理情况")],
    date: Annotated[str | None, typer.Option("--date", help="办结日期（默认今天）")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """问题办结销号：状态改为已办结，填写办结日期和办理情况。

    示例：xmtj issue resolve WT2021-017 --date 2021-12-10 --text 已协调供电公司接通
    """
    from xmtj.changes.build import resolve_change

    with changing(ledger) as data:
        day = parse_date(date, "--date") or data.today
        command = ["xmtj", "issue", "resolve", issue_id, "--date", day.isoformat(), "--text", text]
        run_change(data, resolve_change(data, issue_id, day, text, command), message, no_commit)


@meeting_app.command("new")
@handles_errors
def meeting_new(
    kind: Annotated[EventKind, typer.Option("--kind", help="调度会、集中开工或集中观摩")],
    date: Annotated[str, typer.Option("--date", help="日期")],
    title: Annotated[str, typer.Option("--title", help="名称")],
    chair: Annotated[str | None, typer.Option("--chair", help="主持")] = None,
    project: Annotated[list[str] | None, typer.Option("--project", "-p", help="涉及项目（可重复）")] = None,
    decision: Annotated[list[str] | None, typer.Option("--decision", help="议定事项（可重复）")] = None,
    meeting_id: Annotated[str | None, typer.Option("--id", help="活动编号（默认按类型续编，如 DD2021-46）")] = None,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """登记一次调度会、集中开工或集中观摩。

    示例：xmtj meeting new --kind 调度会 --date 2021-12-14 --title 全市重点项目建设第46次调度会 -p HJ2021-038
    """
    from xmtj.changes.build import new_record_change, next_id

    with changing(ledger) as data:
        day = parse_date(date, "--date")
        assert day is not None
        prefix = f"{EVENT_PREFIX[kind.value]}{day.year}-"
        rid = meeting_id or next_id([m.id for m in data.meetings], prefix)
        record = {
            "id": rid,
            "kind": kind.value,
            "date": day,
            "title": title,
            "chair": chair,
            "projects": list(project or []),
            "decisions": list(decision or []),
        }
        command = ["xmtj", "meeting", "new", "--id", rid]
        run_change(
            data, new_record_change(data, "meetings", record, f"新建活动: {rid} {title}", command), message, no_commit
        )
