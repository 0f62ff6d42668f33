"""`xmtj remind`, `xmtj report`, `xmtj plan`: the letters and briefings the office sends."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from xmtj.cli.common import (
    AtOption,
    FormatOption,
    LedgerOption,
    MessageOption,
    NoCommitOption,
    OutputFormat,
    app,
    changing,
    echo,
    emit_table,
    fail,
    handles_errors,
    open_ledger,
    parse_date,
    run_change,
    say,
    warn_broken_files,
)

WIDE = ("项目名称", "主送单位", "原因")


class MinLight(StrEnum):
    yellow = "yellow"
    red = "red"


@app.command()
@handles_errors
def remind(
    ledger: LedgerOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="按哪一天的数据判断进展缓慢（默认：有进度数据的最近月份月末）")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="成文日期 YYYY-MM-DD（默认今天）")] = None,
    project: Annotated[list[str] | None, typer.Option("--project", "-p", help="只给这些项目发函（可重复）")] = None,
    min_light: Annotated[
        MinLight, typer.Option("--min-light", help="yellow：黄灯和红灯都发；red：只发红灯")
    ] = MinLight.yellow,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将要发函的项目和原因，不写任何文件")] = False,
    force: Annotated[bool, typer.Option("--force", help="本月已发过函的项目也再发一份")] = False,
    message: MessageOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """给进展缓慢（亮黄灯、红灯）的项目起草督办提醒函，逐份编号登记。

    亮灯规则与 xmtj status 完全相同。每份函写入 letters/<年>/<号>-<项目编号>.md，
    登记到 data/letters/<年>-<号>.yaml；要么全部写成，要么一个文件也不写。
    同一项目同一个月只发一份，除非加 --force。

    示例：xmtj remind --as-of 2021-11-30 --dry-run　　xmtj remind --as-of 2021-11-30 --date 2021-12-14
    """
    from xmtj.documents.letters import letters_change, plan_letters
    from xmtj.figures.metrics import resolve_period

    with changing(ledger) as data:
        warn_broken_files(data)
        day = parse_date(as_of, "--as-of")
        _, the_day, _ = resolve_period(data.projects, None, day, data.today)
        letter_date = parse_date(date, "--date") or data.today
        if letter_date < the_day:
            fail(f"成文日期 {letter_date} 早于数据截至日期 {the_day}")
        drafts, skipped = plan_letters(data, the_day, letter_date, project or [], min_light.value, force)
        for s in skipped:
            say(f"跳过 {s.project_id}：{s.reason}")
        if not drafts:
            say(f"截至{the_day}没有需要发函的项目。")
            return
        headers = ["文号", "项目编号", "项目名称", "主送单位", "亮灯", "原因"]
        rows = [
            [
                d.doc_no,
                d.project_id,
                d.status.project.name,
                d.status.project.responsible_unit,
                "红灯" if d.status.light == "red" else "黄灯",
                "；".join(d.status.reasons),
            ]
            for d in drafts
        ]
        title = f"{'将要' if dry_run else '已'}发督办提醒函{len(drafts)}份（数据截至{the_day}，成文日期{letter_date}）"
        if dry_run:
            emit_table(OutputFormat.table, headers, rows, None, title=title, wide=WIDE)
            say("（--dry-run：未写任何文件）")
            return
        command = ["xmtj", "remind", "--as-of", the_day.isoformat(), "--date", letter_date.isoformat()]
        command += [f"--project={p}" for p in project or []] + (
            ["--min-light=red"] if min_light is MinLight.red else []
        )
        command += ["--force"] if force else []
        change = letters_change(data, drafts, command)
        emit_table(OutputFormat.table, headers, rows, None, title=title, wide=WIDE)
        run_change(data, change, message, no_commit)


MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@app.command()
@handles_errors
def report(
    ledger: LedgerOption = None,
    month: Annotated[str | None, typer.Option("--month", "-m", help="月度通报：YYYY-MM，数据截至该月末")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", min=1990, max=2100, help="年度总结：年份")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="年度总结的统计截至日期（默认该年12月31日）")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="写入文件（默认输出到屏幕）")] = None,
    at: AtOption = None,
    no_commit: NoCommitOption = False,
) -> None:
    """生成月度通报（--month）或年度工作总结数据（--year），Markdown 格式。

    模板为 templates/report.md.j2 和 templates/annual.md.j2；台账目录下的 templates/ 可逐个覆盖。

    示例：xmtj report --month 2021-11 --out 通报-2021-11.md　　xmtj report --year 2021 --as-of 2021-12-14
    """
    from xmtj.documents.briefing import annual_context, monthly_context
    from xmtj.documents.templates import render

    if (month is None) == (year is None):
        fail("请指定 --month YYYY-MM（月度通报）或 --year YYYY（年度总结）之一")
    data = open_ledger(ledger, at)
    warn_broken_files(data)
    if month is not None:
        match = MONTH_RE.match(month)
        if not match:
            fail(f"--month 应为 YYYY-MM，例如 2021-11，现为“{month}”")
            return
        text = render(data.root, "report.md.j2", monthly_context(data, int(match[1]), int(match[2])), data.files)
    else:
        assert year is not None
        day = parse_date(as_of, "--as-of") or dt.date(year, 12, 31)
        text = render(data.root, "annual.md.j2", annual_context(data, year, day), data.files)
    if out is None:
        echo(text, nl=False)
        return
    from xmtj.changes.lock import ledger_lock
    from xmtj.documents.briefing import save_briefing

    with ledger_lock(data.root):  # the briefing may be committed: one change at a time
        saved = save_briefing(data, out, text, month or str(year), commit=not no_commit and at is None)
    say(f"已写入 {out}" + (f"，已提交 {saved.id[:8]}：{saved.subject}" if saved else ""))


@app.command()
@handles_errors
def plan(
    year: Annotated[int, typer.Option("--year", "-y", min=1990, max=2100, help="年度")],
    ledger: LedgerOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """某年度重点项目（含谋划项目）的数量和总投资，按投资类型、行业、级别、“六新”类别分组。

    示例：xmtj plan --year 2022　　xmtj plan --year 2022 --format json
    """
    from xmtj.cli import views
    from xmtj.documents.briefing import PLAN_GROUPS, plan_summary
    from xmtj.figures import fmt

    data = open_ledger(ledger, at)
    warn_broken_files(data)
    summary = plan_summary(data.projects, year)
    by_type = {g.key: g for g in summary.groups["investment_type"]}
    parts = [f"{year}年重点项目{summary.projects}个，总投资{fmt.yi(summary.total_investment)}亿元"]
    parts += [f"{k}项目{g.projects}个、总投资{fmt.yi(g.total_investment)}亿元" for k, g in sorted(by_type.items())]
    headline = parts[0] + ("；其中" + "，".join(parts[1:]) if parts[1:] else "") + "。"
    headers = ["分组", "类别", "项目数", "总投资(万元)", "总投资(亿元)", f"{year}年计划投资(万元)"]
    rows = [
        [
            PLAN_GROUPS[by],
            g.key,
            str(g.projects),
            fmt.wan(g.total_investment),
            fmt.yi(g.total_investment),
            fmt.wan(g.annual_plan),
        ]
        for by, groups in summary.groups.items()
        for g in groups
    ]
    if summary.projects == 0 and output is OutputFormat.table:
        say(f"没有列入{year}年的重点项目（项目文件的 key_years 中没有 {year}）。")
        return
    if output is OutputFormat.json:
        payload: dict[str, Any] = {
            "year": year,
            "projects": summary.projects,
            "total_investment": float(summary.total_investment),
            "annual_plan": float(summary.annual_plan),
            "groups": {
                by: [
                    {
                        "key": g.key,
                        "projects": g.projects,
                        "total_investment": float(g.total_investment),
                        "annual_plan": float(g.annual_plan),
                    }
                    for g in groups
                ]
                for by, groups in summary.groups.items()
            },
        }
        echo(views.to_json(payload))
    elif output is OutputFormat.csv:
        echo(views.to_csv(headers, rows), nl=False)
    elif output is OutputFormat.markdown:
        echo(f"{headline}\n\n{views.to_markdown(headers, rows)}")
    else:
        say(headline, err=False)
        emit_table(output, headers, rows, None, right=tuple(headers[2:]), wide=("类别",))
