"""`xmtj progress` and `xmtj project new|set`: a month's figure, a new project, one field changed.

Each validates before writing, writes atomically, and commits exactly the files it wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import typer

from xmtj.cli import common
from xmtj.cli.common import (
    FormatOption,
    FutureOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    OutputFormat,
    changing,
    command,
    day_or_month_option,
    echo,
    group,
    month_option,
    run_change,
    say,
)
from xmtj.cli.edge import XmtjCommand
from xmtj.months import Month

project_app = group("project")
FIELD_HELP = (
    "字段，中文或英文：实际开工时间（actual_start）、2022年计划投资（annual_plan.2022）、联系电话 …；"
    "xmtj project fields 列出全部"
)


@command("progress")
def progress(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="项目编号")],
    month: Annotated[Month, month_option()],
    amount: Annotated[str, typer.Option("--amount", help="当月完成投资（万元）")],
    text: Annotated[str | None, typer.Option("--text", help="形象进度")] = None,
    future: FutureOption = False,
    strict: Annotated[bool, typer.Option("--strict", help="超过年度计划或总投资时不保存")] = False,
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """示例：xmtj progress HJ2021-001 --month 2021-11 --amount 1200 --text 设备安装
    xmtj progress HJ2021-001 --month 2021-10 --amount 950 -m "按统计局核定数更正"
    """
    from xmtj.changes.build import progress_change

    with changing(ledger) as data:
        command = ["xmtj", "progress", project_id, "--month", month.key, "--amount", amount]
        command += ["--text", text] if text is not None else []
        command += ["--future"] if future else []
        change = progress_change(data, project_id, month, amount, text, command, future=future, strict=strict)
        run_change(data, change, message, no_commit)


@project_app.command("set", cls=XmtjCommand)
def project_set(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="项目编号")],
    field: Annotated[str, typer.Argument(metavar="字段", help=FIELD_HELP)],
    values: Annotated[
        list[str], typer.Argument(metavar="新值...", help='新值；列表可给多个值或用、分隔；空字符串 "" 表示清空')
    ],
    ledger: LedgerOption = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """修改项目的一个字段（只改这一处，文件其余内容和注释原样保留）。

    示例：xmtj project set HJ2021-001 实际开工时间 2021-05-06　　xmtj project set HJ2021-001 2022年计划投资 30000
    xmtj project set HJ2021-001 levels 省级重点项目 河津市重点项目
    """
    from xmtj.changes.build import set_change

    value = values[0] if len(values) == 1 else values  # several values: a list field's items (else refused)
    with changing(ledger) as data:
        command = ["xmtj", "project", "set", project_id, field, *values]
        run_change(data, set_change(data, "projects", project_id, field, value, command), message, no_commit)


@project_app.command("fields", cls=XmtjCommand)
def project_fields(output: FormatOption = OutputFormat.table) -> None:
    """项目文件的全部字段：中文名称和 YAML 中的字段名；project set 两者都接受。

    年度计划写作“2022年计划投资”，月度计划“2022年4月计划投资”，某月完成投资“2022年4月完成投资”。

    示例：xmtj project fields
    """
    from xmtj.cli.output import Column, Listing, show
    from xmtj.ledger.labels import fields_of
    from xmtj.ledger.records import Project, field_names

    rows = [[words, name] for words, name in fields_of("projects", [n for n in field_names(Project) if n != "id"])]
    rows += [["联系人", "contact.name"], ["联系电话", "contact.phone"]]
    show(Listing([Column("字段"), Column("字段名")], rows, {"fields": [dict(zip(("label", "field"), r, strict=True))
                                                              for r in rows]}, title="项目字段"), output)  # fmt: skip


def _ask(label: str, choices: list[str] | None = None, default: str | None = None, many: bool = False) -> str:
    """One answer; with ``choices``, a number or a name (several, separated by 、 or commas, if ``many``)."""
    if choices:
        for i, choice in enumerate(choices, start=1):
            echo(f"  {i}. {choice}", err=True)
        hint = "（填序号或名称，多个用、分隔）" if many else "（填序号或名称）"
        answer = typer.prompt(f"{label}{hint}", default=default or "", show_default=bool(default), err=True)
        picked = [_choice(part, choices) for part in re.split(r"\s*[、，,]\s*", answer) if part] if many else []
        return "、".join(picked) if many else _choice(answer, choices)
    return str(typer.prompt(label, default=default or "", show_default=bool(default), err=True)).strip()


def _choice(answer: str, choices: list[str]) -> str:
    return choices[int(answer) - 1] if answer.isdigit() and 0 < int(answer) <= len(choices) else answer


def _ask_required(label: str, choices: list[str] | None = None, default: str | None = None) -> str:
    """Asked again until answered: a required field is never left for the end to fail on."""
    while True:
        answer = _ask(label, choices, default)
        if answer:
            return answer
        say(f"{label}是必填项，请填写", "yellow")


def _ask_date(label: str) -> dt.date | None:
    """A date (YYYY-MM-DD) or a month (YYYY-MM), asked again until it is one; empty skips it."""
    from xmtj.cli.common import day_or_month_value

    while True:
        answer = _ask(f"{label}（YYYY-MM-DD，或只写月份 YYYY-MM；可留空）")
        if not answer:
            return None
        try:
            return day_or_month_value(answer)
        except typer.BadParameter:
            say(f"“{answer}”不是日期，请写作 2022-03-15 或 2022-03", "yellow")


@project_app.command("new", cls=XmtjCommand)
def project_new(
    ledger: LedgerOption = None,
    project_id: Annotated[str | None, typer.Option("--id", help="项目编号（默认按已有编号续编）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="项目名称")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="建设单位")] = None,
    investment_type: Annotated[str | None, typer.Option("--investment-type", help="政府投资 或 社会投资")] = None,
    nature: Annotated[str | None, typer.Option("--nature", help="建设性质：新建、续建、改扩建…")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="行业（xmtj.yaml 的 sectors）")] = None,
    level: Annotated[list[str] | None, typer.Option("--level", help="项目级别（可重复）")] = None,
    key_year: Annotated[list[int] | None, typer.Option("--key-year", help="列入哪一年的重点项目（可重复）")] = None,
    branch: Annotated[str | None, typer.Option("--branch", help="分指挥部")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="责任单位")] = None,
    leader: Annotated[str | None, typer.Option("--leader", help="包联领导")] = None,
    total: Annotated[str | None, typer.Option("--total", help="总投资（万元）")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="首个重点年度的计划投资（万元）")] = None,
    planned_start: Annotated[
        dt.date | None, day_or_month_option("--planned-start", "计划开工日期，或月份（2022-03：当月内开工）")
    ] = None,
    planned_completion: Annotated[
        dt.date | None, day_or_month_option("--planned-completion", "计划竣工日期或月份")
    ] = None,
    content: Annotated[str | None, typer.Option("--content", help="建设内容")] = None,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """新建项目文件。在终端上缺少的信息会逐项询问（分指挥部、级别、行业从 xmtj.yaml 中选择）。

    示例：xmtj project new --name 某某项目 --investment-type 社会投资 --sector 产业 --key-year 2022
    --branch 经济技术开发区分指挥部 --unit 河津经济技术开发区管委会 --leader 李某某 --total 50000
    """
    from xmtj.changes.build import new_record_change, project_values

    with changing(ledger) as data:
        given: dict[str, Any] = {"name": name, "owner": owner, "investment_type": investment_type, "sector": sector}
        given["nature"] = nature
        given |= {"branch": branch, "responsible_unit": unit, "liaison_leader": leader, "total_investment": total}
        given |= {"content": content, "plan": plan}
        dates = [planned_start, planned_completion]
        levels, years = list(level or []), list(key_year or [])
        if common.stdin_is_terminal():
            levels, years = _ask_missing(given, levels, years, data.config, dates)
        values, year = project_values(given, levels, years, given.pop("plan"), *dates)
        change = new_record_change(data, "projects", values, year, ["xmtj", "project", "new"], project_id)
        run_change(data, change, message, no_commit)


def _ask_missing(
    given: dict[str, Any], levels: list[str], years: list[int], config: Any, dates: list[dt.date | None]
) -> tuple[list[str], list[int]]:
    """On a terminal: every field a project needs to be counted, each not given asked for (choices from
    xmtj.yaml); a required one is asked again until answered."""
    from xmtj.changes.build import PROJECT_QUESTIONS
    from xmtj.ledger.registry import INVESTMENT_TYPES

    for question in PROJECT_QUESTIONS:
        if given.get(question.field) is None:
            source = question.choices
            choices = list(INVESTMENT_TYPES) if source == "investment_type" else getattr(config, source or "", None)
            ask = _ask_required if question.required else _ask
            given[question.field] = ask(question.label, choices or None) or None
    if not levels and config.levels:
        levels = [x for x in _ask("项目级别", config.levels, many=True).split("、") if x]
    if not years:
        years = [int(_ask_required("列入哪一年的重点项目", default=str(dt.date.today().year + 1)))]
    if given.get("plan") is None:
        given["plan"] = _ask(f"{min(years)}年计划投资（万元，可留空）") or None
    for i, label in enumerate(("计划开工日期", "计划竣工日期")):
        dates[i] = dates[i] or _ask_date(label)
    return levels, years
