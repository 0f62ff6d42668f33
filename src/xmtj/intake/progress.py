"""``xmtj import progress``: the units' monthly 月报 into each project's ``progress.<month>``.

A row names its project (编号 or exact name) and gives either the month's figure (当月完成投资, 本月…,
3月完成投资) or the year's cumulative one (1—3月完成投资, 累计完成投资): then the month is the cumulative
minus what is recorded for the earlier months of the year, and a cumulative below that is an error.
A figure already recorded with another value is a correction, applied only when asked (``correct``), so
a sheet sent twice never silently overwrites. 形象进度 goes with the figure; 存在问题 becomes a new
problem record when asked (``issues``). Everything is one ``Change``: one commit for the sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xmtj.changes import yamledit
from xmtj.changes.build import Change, id_prefix, month_guard, new_ids, progress_edit, progress_warnings, text_of
from xmtj.changes.yamlout import record_yaml
from xmtj.figures.fmt import show
from xmtj.figures.schedule import completed_before
from xmtj.intake import cells
from xmtj.intake.columns import PROGRESS_HEADINGS
from xmtj.intake.dispatch import check_locked, check_returned, read_marker, verify_marker
from xmtj.intake.rows import Plan, Projects, Sheet, find_project, open_sheet
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Project, field_names
from xmtj.months import Month
from xmtj.problems import XmtjError


@dataclass(frozen=True)
class Options:
    month: Month
    correct: bool = False  # apply figures that differ from those recorded
    issues: bool = False  # 存在问题 → new problem records
    future: bool = False  # allow a month after the latest reported month + 1, or after today
    strict: bool = False  # warnings (figure above the plan or the total) stop the import
    accept: frozenset[int] = frozenset()  # sheet rows whose figure looks cumulative, accepted as monthly
    accept_all: bool = False
    opening: bool = False  # the figures are 1—N月 totals (期初数), recorded as such, not split into months


@dataclass
class Figure:
    project: Project
    row: int
    amount: Decimal
    text: str | None
    issue: str | None
    dates: dict[str, dt.date]  # 实际开工/竣工/投产 given in the sheet and not yet recorded


def plan_progress(ledger: Ledger, path: Path, sheet_name: str | None, options: Options, command: list[str]) -> Plan:
    """Everything ``import progress`` would do with the file at ``path``."""
    month = options.month
    month_guard(ledger, month, options.future)

    sheet, notes = open_sheet(path, sheet_name, PROGRESS_HEADINGS, ledger.config.import_.columns, "月报")
    marker = read_marker(sheet.table)
    then = verify_marker(ledger, marker, month, path.name) if marker is not None else None
    plan = Plan(notes=notes, verbs=("登记", "更正"))
    columns = sheet.header.columns
    if "amount" not in columns and "cumulative" not in columns:
        raise XmtjError(f"{sheet.table.file}!{sheet.table.sheet}：找不到“当月完成投资”或“1—N月累计完成投资”一列")
    for key in ("amount", "cumulative"):
        column = columns.get(key)
        if column is not None and column.month is not None and column.month != month.number:
            plan.problems.append(
                sheet.problem(sheet.header.row, key, f"这一列是{column.month}月的数，与 --month {month} 不符")
            )
    figures, named, text_only = _read_figures(ledger, sheet, month, options, plan)
    if marker is not None and then is not None:
        figures = check_returned(ledger, then, marker, sheet, figures, plan)
        with_figures = {f.row for f in figures}
        check_locked(then, marker, sheet, [(p, r) for p, r in named if r not in with_figures], plan)
    if plan.errors:
        return plan
    texts: dict[str, str | bytes] = {f.project.path: _edit(ledger, f, month, options.opening) for f in figures}
    raised = [(f.project, f.issue) for f in figures] + text_only
    created = _new_issues(ledger, raised, month, texts, plan) if options.issues else set()
    if texts:
        count = len({f.project.id for f in figures})
        source = f"{marker.unit}调度表" if marker is not None else sheet.table.file
        what = f"期初数 1—{month.number}月" if options.opening else month.key
        subject = f"进度: {what} {count}个项目（{source}）" + (f"，新增问题{len(created)}个" if created else "")
        plan.change = Change(texts, subject, command, created=created)
        if marker is not None:
            plan.change.trailers["Xmtj-Dispatch"] = f"{month.key}/{marker.unit}"
    return plan


def _read_figures(
    ledger: Ledger, sheet: Sheet, month: Month, options: Options, plan: Plan
) -> tuple[list[Figure], list[tuple[Project, int]], list[tuple[Project, str | None]]]:
    """The rows' figures; every row's project (to check a returned sheet's locked cells on each); and the
    problems of rows that give only a 存在问题 (no figure), which are recorded too with ``--issues``."""
    figures: list[Figure] = []
    named: list[tuple[Project, int]] = []
    text_only: list[tuple[Project, str | None]] = []
    seen: dict[str, int] = {}
    skipped = 0
    projects = Projects(ledger)
    for row in sheet.rows:
        errors = len(plan.problems)
        project = find_project(projects, sheet, row, plan.problems)
        if project is None:
            continue
        if project.id in seen:
            first = sheet.table.first_row + seen[project.id]
            plan.problems.append(
                sheet.problem(
                    row,
                    "name" if "name" in sheet.header.columns else "id",
                    f"与第{first}行是同一个项目（{project.id}）",
                )
            )
            continue
        seen[project.id] = row
        named.append((project, row))
        read = _opening if options.opening else _amount
        amount = read(sheet, row, project, month, plan)
        dates = _dates(sheet, row, project, plan)
        text, issue = cells.text(sheet.cell(row, "text")), cells.text(sheet.cell(row, "issue"))
        if amount is None:
            if issue and len(plan.problems) == errors:
                text_only.append((project, issue))
            else:
                skipped += len(plan.problems) == errors
            continue
        figure = Figure(project, row, amount, text, issue, dates)
        if _compare(sheet, figure, month, options, plan):
            figures.append(figure)
        _plausible(sheet, figure, month, options, plan)
        if not options.opening:
            _cumulative_typed(sheet, figure, month, options, plan)
    if skipped:
        plan.notes.append(f"{skipped} 行没有填写完成投资，未导入")
    if text_only:
        done = "已登记为问题" if options.issues else "未登记（加 --issues 登记为问题）"
        plan.notes.append(f"{len(text_only)} 行只有存在问题、没有完成投资：{done}")
    return figures, named, text_only


def _figure_column(sheet: Sheet) -> str:
    """The column a row's figure came from: the month's own, else the cumulative one."""
    return "amount" if "amount" in sheet.header.columns else "cumulative"


DATES = {"actual_start": "实际开工", "actual_completion": "实际竣工", "actual_production": "实际投产"}


def _dates(sheet: Sheet, row: int, project: Project, plan: Plan) -> dict[str, dt.date]:
    """实际开工/竣工/投产 dates the row gives: new ones are recorded; one that differs from the record is
    an error (a recorded milestone is corrected with ``project set``, on purpose, not by a sheet)."""
    found = {}
    for key in DATES:
        try:
            day, partial = cells.date(sheet.cell(row, key))
        except cells.CellError as exc:
            plan.problems.append(sheet.problem(row, key, str(exc)))
            continue
        if day is None:
            continue
        if partial:
            plan.tally("个日期只写了月份，按月份记（当月结束后才算逾期）", sheet.where(row, key).rsplit("!", 1)[-1])
        recorded = getattr(project, key)
        if recorded is None:
            found[key] = day
        elif recorded != day:
            plan.problems.append(
                sheet.problem(
                    row,
                    key,
                    f"{project.id} 已登记{DATES[key]}日期 {recorded}，表中为 {day}；如需更正请用 xmtj project set",
                )
            )
    return found


def _edit(ledger: Ledger, figure: Figure, month: Month, opening: bool = False) -> str:
    """The project's file with the month's figure (and any new milestone dates) set, surgically; with
    ``opening``, as the opening balance of the year's months to ``month``."""

    source, framing = text_of(ledger, figure.project)
    recorded = month.key in figure.project.progress
    since = Month(month.year, 1) if opening and month.number > 1 else None
    source = progress_edit(source, month, figure.amount, figure.text, recorded=recorded, since=since)
    for key, day in figure.dates.items():
        source = yamledit.set_value(source, [key], day, field_names(Project))
    return framing.apply(source)


def _opening(sheet: Sheet, row: int, project: Project, month: Month, plan: Plan) -> Decimal | None:
    """``--opening``: the row's figure (its cumulative column, else its month column) is the 1—N月 total; the
    project may have no figure of its own for those months."""
    key = "cumulative" if "cumulative" in sheet.header.columns else "amount"
    try:
        total = cells.money(sheet.cell(row, key), sheet.factor(key))
    except cells.CellError as exc:
        plan.problems.append(sheet.problem(row, key, str(exc)))
        return None
    first = Month(month.year, 1).key
    recorded = [m for m in project.progress if first <= m <= month.key]
    if total is not None and recorded:
        plan.problems.append(sheet.problem(row, key, f"{project.id} 已有 {'、'.join(recorded)} 的数，期初数只能登记在"
                                                     "没有分月数据的月份上"))  # fmt: skip
        return None
    return total


def _amount(sheet: Sheet, row: int, project: Project, month: Month, plan: Plan) -> Decimal | None:
    try:
        amount = cells.money(sheet.cell(row, "amount"), sheet.factor("amount"))
        if amount is not None:
            return amount
        cumulative = cells.money(sheet.cell(row, "cumulative"), sheet.factor("cumulative"))
    except cells.CellError as exc:
        plan.problems.append(sheet.problem(row, _figure_column(sheet), str(exc)))
        return None
    if cumulative is None:
        return None
    earlier = completed_before(project, month)
    if cumulative < earlier:
        plan.problems.append(
            sheet.problem(
                row,
                "cumulative",
                f"累计{show(cumulative)}万元小于已登记的{month.year}年此前各月合计{show(earlier)}万元（{project.id}）",
            )
        )
        return None
    return cumulative - earlier


def _compare(sheet: Sheet, figure: Figure, month: Month, options: Options, plan: Plan) -> bool:
    """Whether the row changes anything; a different recorded figure is a correction (only with ``correct``)."""
    old = figure.project.progress.get(month.key)
    dates = "".join(f"，{DATES[k]} {d}" for k, d in figure.dates.items())
    if old is None:
        plan.created.append(f"{figure.project.id} {figure.project.name} {month} {show(figure.amount)}万元{dates}")
        return True
    same_text = figure.text is None or figure.text == old.text
    if old.amount == figure.amount and same_text:
        if dates:
            plan.created.append(f"{figure.project.id} {figure.project.name}{dates}")
            return True
        plan.unchanged += 1
        return bool(options.issues and figure.issue)
    if old.amount != figure.amount and not options.correct:
        plan.problems.append(
            sheet.problem(
                figure.row,
                _figure_column(sheet),
                f"{figure.project.id} {month} 已登记{show(old.amount)}万元，表中为{show(figure.amount)}万元；"
                "这是更正，确认无误请加 --correct 重新导入",
            )
        )
        return False
    plan.updated.append(
        f"{figure.project.id} {figure.project.name} {month} {show(old.amount)}→{show(figure.amount)}万元"
    )
    return True


def _plausible(sheet: Sheet, figure: Figure, month: Month, options: Options, plan: Plan) -> None:
    """A month above the year's plan, or a total above the total investment: warnings (errors if strict)."""

    for message in progress_warnings(figure.project, month, figure.amount):
        plan.problems.append(
            sheet.problem(figure.row, _figure_column(sheet), message, "error" if options.strict else "warning")
        )


def _cumulative_typed(sheet: Sheet, figure: Figure, month: Month, options: Options, plan: Plan) -> None:
    """A month's figure that looks like the year's total typed in its place (``疑似填写了累计数``): at least
    the 上月末累计 (when that is above 0), equal to the sheet's own cumulative column, or above what is left
    of the year's plan (when some is left). Refused unless the row is accepted (``--accept ROW``,
    ``--accept-all``); accepted rows are listed."""
    if "amount" not in sheet.header.columns or cells.blank(sheet.cell(figure.row, "amount")):
        return  # the figure came from a cumulative column: the month is its difference
    project, amount = figure.project, figure.amount
    earlier = completed_before(project, month)
    plan_left = project.annual_plan.get(month.year, Decimal(0)) - earlier
    reasons = []
    if month.number > 1 and earlier > 0 and amount >= earlier:
        reasons.append(f"不小于上月末累计{show(earlier)}万元")
    try:
        given = cells.money(sheet.cell(figure.row, "cumulative"), sheet.factor("cumulative"))
    except cells.CellError:
        given = None
    if given is not None and month.number > 1 and amount == given and earlier > 0:
        reasons.append("与表中的累计数相同")
    if plan_left > 0 and amount > plan_left and month.number > 1:
        reasons.append(f"超过全年计划的剩余部分{show(plan_left)}万元")
    if not reasons:
        return
    number = sheet.table.first_row + figure.row
    if options.accept_all or number in options.accept:
        plan.tally("行的当月数疑似累计数，已按 --accept 作为当月数登记", f"第{number}行")
        return
    message = (f"疑似填写了累计数：当月{show(amount)}万元{'，'.join(reasons)}；核实确为当月数的，"
               f"加 --accept {number}（或 --accept-all）重新导入")  # fmt: skip
    plan.problems.append(sheet.problem(figure.row, "amount", message))


def _new_issues(
    ledger: Ledger, raised: list[tuple[Project, str | None]], month: Month, texts: dict[str, str | bytes], plan: Plan
) -> set[str]:
    """Each non-empty 存在问题 as a new problem, unless the project has that problem open already (rows with
    a figure, and rows that give only a problem)."""

    settings = ledger.config.import_
    raised_on = min(month.last_day, ledger.today)
    fresh = new_ids([i.id for i in ledger.issues], id_prefix(ledger, "issues", raised_on.year, {}))
    created: set[str] = set()
    day = raised_on
    for project, issue in raised:
        if not issue:
            continue
        known = any(i.project == project.id and i.description == issue and i.status != "已办结" for i in ledger.issues)
        if known:
            continue
        values: dict[str, Any] = {
            "project": project.id,
            "description": issue,
            "category": settings.issue_category,
            "source": settings.issue_source,
            "raised_on": day,
            "responsible_unit": project.responsible_unit,
            "status": "新增",
        }
        rid = next(fresh)
        rel = f"data/issues/{rid}.yaml"
        texts[rel] = record_yaml("issues", {"id": rid, **values})
        created.add(rel)
        plan.created.append(f"新问题 {rid}（{project.id}）：{issue}")
    return created
