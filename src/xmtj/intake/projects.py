"""``xmtj import projects``: the office's project 台账 (one row a project) into project files.

A row is matched to a project by 项目编号 (any case), else by its exact name; a row that matches none is a
new project, numbered on from the ledger's ids. Every row is read and validated — its cells, the record
it makes, the vocabularies of xmtj.yaml — before anything is written, and every problem is reported at
its cell. Existing projects are edited surgically (only the changed values), new ones written in the
house layout; all of it is one ``Change``, so one commit.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from xmtj.changes import yamledit
from xmtj.changes.build import Change, id_prefix, new_ids, text_of
from xmtj.changes.yamlout import record_yaml
from xmtj.figures.fmt import show
from xmtj.intake import cells
from xmtj.intake.columns import PROJECT_HEADINGS
from xmtj.intake.rows import Plan, Projects, Sheet, open_sheet
from xmtj.ledger.checks import check_ledger, date_order, vocabularies
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Project, as_dict, field_names, with_path
from xmtj.ledger.validation import validate

REQUIRED = ("name", "investment_type", "sector", "branch", "responsible_unit", "liaison_leader", "total_investment")
MONEY = ("total_investment", "annual_plan")
DATES = ("planned_start", "planned_completion", "planned_production", "actual_start")
NOT_STORED = ("seq", "id")


@dataclasses.dataclass
class Row:
    """One data row read: its values by field (``contact.phone`` nested), and the project it matched."""

    index: int
    values: dict[str, Any]
    existing: Project | None = None
    rid: str = ""


def plan_projects(ledger: Ledger, path: Path, sheet_name: str | None, year: int | None, command: list[str]) -> Plan:
    """Everything ``import projects`` would do with the file at ``path``."""
    sheet, notes = open_sheet(path, sheet_name, PROJECT_HEADINGS, ledger.config.import_.columns, "项目台账")
    plan = Plan(notes=notes)
    plan_column = sheet.header.columns.get("annual_plan")
    year = year or (plan_column.year if plan_column and plan_column.year else None) or ledger.today.year
    if plan_column and plan_column.year and plan_column.year != year:
        plan.notes.append(f"“{plan_column.heading}”一列按 --year {year} 记入 {year} 年计划")
    rows = [row for index in sheet.rows if (row := _read_row(sheet, index, plan)) is not None]
    _match(ledger, sheet, rows, plan, year)
    records = _validate(ledger, sheet, rows, plan, year)
    if plan.errors:
        return plan
    texts, created = _texts(ledger, rows, records, year, plan)
    if texts:
        subject = f"导入: {sheet.table.file} 新建{len(plan.created)}个项目，更新{len(plan.updated)}个"
        plan.change = Change(texts, subject, command, created=created)
    return plan


def _read_row(sheet: Sheet, index: int, plan: Plan) -> Row | None:
    values: dict[str, Any] = {}
    month_only = []
    for key in sheet.header.columns:
        raw = sheet.cell(index, key)
        try:
            if key in MONEY:
                value: Any = cells.money(raw, sheet.factor(key))
            elif key in DATES:
                value, partial = cells.date(raw)
                if partial:
                    month_only.append(f"{sheet.where(index, key)}“{cells.text(raw)}”")
            elif key == "levels":
                value = cells.items(raw) or None
            elif key == "nature":
                value = (cells.text(raw) or "").removesuffix("项目") or None  # 续建项目 is 续建
            else:
                value = cells.text(raw)
        except cells.CellError as exc:
            plan.problems.append(sheet.problem(index, key, str(exc)))
            continue
        if value is not None and key != "seq":
            values[key] = value
    if month_only:
        plan.notes.append("只写了月份的日期按月份记（当月结束后才算逾期）：" + "；".join(month_only))
    return Row(index, values)


def _match(ledger: Ledger, sheet: Sheet, rows: list[Row], plan: Plan, year: int) -> None:
    """Each row's project (by id, else by exact name) or its new id; duplicates within the sheet refused."""
    seen: dict[tuple[str, str], int] = {}
    projects = Projects(ledger)
    by_name = projects.by_name
    taken = [p.id for p in ledger.projects]
    for row in rows:
        rid, name = row.values.get("id"), row.values.get("name")
        for key, value in (("id", rid and rid.casefold()), ("name", name)):
            if value and (key, value) in seen:
                first = sheet.table.first_row + seen[(key, value)]
                plan.problems.append(sheet.problem(row.index, key, f"与第{first}行重复"))
            elif value:
                seen[(key, value)] = row.index
        if rid:
            row.existing = projects.get(rid)
            row.rid = row.existing.id if row.existing else rid
        elif name and len(by_name.get(name, [])) > 1:
            ids = "、".join(p.id for p in by_name[name])
            plan.problems.append(
                sheet.problem(
                    row.index, "name", f"台账中有{len(by_name[name])}个项目同名（{ids}），请在表中填写项目编号"
                )
            )
        elif name and name in by_name:
            row.existing = by_name[name][0]
            row.rid = row.existing.id
    fresh = new_ids([*taken, *(row.rid for row in rows if row.rid)], id_prefix(ledger, "projects", year, {}))
    for row in rows:
        if row.existing is None and not row.rid:
            row.rid = next(fresh)


def _record(row: Row, year: int) -> dict[str, Any]:
    """The record a row makes: an existing project's fields with the row's non-empty values over them."""
    record: dict[str, Any] = as_dict(row.existing) if row.existing is not None else {"id": row.rid}
    for key, value in row.values.items():
        if key in NOT_STORED:
            continue
        if key == "annual_plan":
            record["annual_plan"] = {**dict(record.get("annual_plan") or {}), year: value}
        elif key.startswith("contact."):
            record["contact"] = {**dict(record.get("contact") or {}), key.split(".")[1]: value}
        else:
            record[key] = value
    years = list(record.get("key_years") or [])
    record["key_years"] = years if year in years else sorted([*years, year])
    return record


def _validate(ledger: Ledger, sheet: Sheet, rows: list[Row], plan: Plan, year: int) -> dict[int, Project]:
    """Each row's record, validated as ``check`` would; problems at the cells that gave the values."""

    records: dict[int, Project] = {}
    by_path: dict[str, Row] = {}
    for row in rows:
        if row.existing is None:
            missing = [key for key in REQUIRED if key not in row.values]
            for key in missing:
                found = key in sheet.header.columns
                message = "新项目必须填写" if found else f"表中没有“{PROJECT_HEADINGS[key][0]}”一列，新项目必须有"
                plan.problems.append(sheet.problem(row.index, key if found else None, message))
            if missing:
                continue
        rel = f"data/projects/{row.rid}.yaml"
        record, problems = validate(Project, _record(row, year), None, rel)
        for problem in problems:
            plan.problems.append(sheet.problem(row.index, _key_of(problem.field, sheet), problem.message))
        if record is not None:
            records[row.index] = with_path(record, rel)
            by_path[rel] = row
    trial = dataclasses.replace(ledger, projects=list(records.values()), problems=[])
    for problem in check_ledger(trial, [vocabularies, date_order]):
        row = by_path[problem.path]
        located = sheet.problem(row.index, _key_of(problem.field, sheet), problem.message, problem.severity)
        plan.problems.append(located)
    return records


def _key_of(field: str, sheet: Sheet) -> str | None:
    """The column a record field came from (``contact.phone``, ``levels[0]`` → levels), if the sheet has it."""
    top = re.split(r"[.\[]", field)[0]
    key = field if top == "contact" else top
    return key if key in sheet.header.columns else None


def _texts(
    ledger: Ledger, rows: list[Row], records: dict[int, Project], year: int, plan: Plan
) -> tuple[dict[str, str | bytes], set[str]]:

    texts: dict[str, str | bytes] = {}
    created: set[str] = set()
    for row in rows:
        record = records[row.index]
        if row.existing is None:
            rel = f"data/projects/{row.rid}.yaml"
            texts[rel] = record_yaml("projects", _record(row, year))
            created.add(rel)
            plan.created.append(f"{row.rid} {record.name}")
            continue
        changed = _changes(row.existing, record)
        if not changed:
            plan.unchanged += 1
            continue
        texts[row.existing.path] = _edit(ledger, row.existing, record, changed)
        shown = "；".join(f"{name} {show(old)}→{show(new)}" for name, old, new in changed)
        plan.updated.append(f"{row.existing.id} {record.name}：{shown}")
    return texts, created


def _changes(old: Project, new: Project) -> list[tuple[str, Any, Any]]:
    """(field path, old, new) for every value the row changes; nested values by their own path."""
    found = []
    before, after = as_dict(old), as_dict(new)
    for name in field_names(Project):
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if isinstance(b, dict) and isinstance(a, dict | type(None)):
            for key, value in b.items():
                if (a or {}).get(key) != value:
                    found.append((f"{name}.{key}", (a or {}).get(key), value))
        else:
            found.append((name, a, b))
    return found


def _edit(ledger: Ledger, project: Project, record: Project, changed: list[tuple[str, Any, Any]]) -> str:

    source, framing = text_of(ledger, project)
    order = field_names(Project)
    for name, _, value in changed:
        parts: list[Any] = [int(p) if p.isdigit() else p for p in name.split(".")]
        source = yamledit.set_value(source, parts, value, order)
    return framing.apply(source)
