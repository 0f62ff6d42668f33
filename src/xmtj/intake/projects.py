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
from xmtj.intake.columns import PROJECT_HEADINGS, SECTION
from xmtj.intake.rows import Plan, Projects, Sheet, open_sheet
from xmtj.ledger.checks import check_ledger, date_order, vocabularies
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Project, as_dict, field_names, with_path
from xmtj.ledger.registry import INVESTMENT_TYPES
from xmtj.ledger.validation import validate

REQUIRED = ("name", "investment_type", "sector", "branch", "responsible_unit", "liaison_leader", "total_investment")
MONEY = ("total_investment", "annual_plan")
DATES = ("planned_start", "planned_completion", "planned_production", "actual_start")
NOT_STORED = ("seq", "id")
MONTH_ONLY = "个日期只写了月份，按月份记（当月结束后才算逾期）"


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
    items = approval_items(ledger, sheet)
    rows = [row for index in sheet.rows if (row := _read_row(sheet, index, plan, items)) is not None]
    filled = sections(ledger, sheet, rows)
    if filled:
        plan.notes.append("按表中的分类行填写：" + "；".join(filled))
    _match(ledger, sheet, rows, plan, year)
    records = _validate(ledger, sheet, rows, plan, year)
    if plan.errors:
        return plan
    texts, created = _texts(ledger, rows, records, year, plan)
    if texts:
        subject = f"导入: {sheet.table.file} 新建{len(plan.created)}个项目，更新{len(plan.updated)}个"
        plan.change = Change(texts, subject, command, created=created)
    return plan


def _read_row(sheet: Sheet, index: int, plan: Plan, items: dict[str, str]) -> Row | None:
    values: dict[str, Any] = {}
    for key in sheet.header.columns:
        raw = sheet.cell(index, key)
        value: Any
        try:
            if key in items:  # a 前期手续 column
                step = cells.approval(raw)
                value = {"item": items[key], **step} if step is not None else None
            elif key.startswith(("monthly_plan.", "monthly_plan_to.")) or key in MONEY:
                value = cells.money(raw, sheet.factor(key))
            elif key in DATES:
                value, partial = cells.date(raw)
                if partial:
                    plan.tally(MONTH_ONLY, f"{sheet.where(index, key).rsplit('!', 1)[-1]}“{cells.text(raw)}”")
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
    return Row(index, values)


def approval_items(ledger: Ledger, sheet: Sheet) -> dict[str, str]:
    """Each 前期手续 column's approval, named as the ledger names it: ``用地`` is ``用地预审`` when that is the
    one item of ``approvals.departments`` it begins (else the heading as written)."""
    known = list(ledger.config.approvals.departments)
    found = {}
    for key in sheet.header.columns:
        if key.startswith("approval."):
            heading = key.removeprefix("approval.")
            starting = [name for name in known if name.startswith(heading)]
            found[key] = heading if heading in known else (starting[0] if len(starting) == 1 else heading)
    return found


# a section row's title (一、产业项目) as the value of a column the rows below it leave empty
_SECTION_WORDS = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部类])"
)


def sections(ledger: Ledger, sheet: Sheet, rows: list[Row]) -> list[str]:
    """Fill 行业 (or 投资类型) from the section row above a row that has none: by ``import.sections`` in
    xmtj.yaml (``一、产业项目: {sector: 产业}``), else by the title without its number and 项目/类 matching a
    value of the vocabulary (产业, 基础设施 …; 政府投资, 社会投资). Returns what was filled, for the summary."""
    config = ledger.config
    vocabularies = {"sector": list(config.sectors), "investment_type": list(INVESTMENT_TYPES)}
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        title = sheet.section_of(row.index)
        if not title:
            continue
        given = config.import_.sections.get(title)
        if given is None:
            plain = SECTION.sub("", title).removesuffix("项目").removesuffix("类")
            given = {key: plain for key, words in vocabularies.items() if plain in words}
        for key, value in given.items():
            if key in ("sector", "investment_type", "branch", "nature", "levels") and key not in row.values:
                row.values[key] = [value] if key == "levels" else value
                counts[(key, value)] = counts.get((key, value), 0) + 1
    names = {
        "sector": "行业",
        "investment_type": "投资类型",
        "branch": "分指挥部",
        "nature": "建设性质",
        "levels": "级别",
    }
    return [f"{names[key]}“{value}”{n}个" for (key, value), n in counts.items()]


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
        elif key.startswith("approval."):  # the approval of that item replaced, or added
            kept = [a for a in record.get("approvals") or [] if a.get("item") != value["item"]]
            old: dict[str, Any] = next((a for a in record.get("approvals") or [] if a.get("item") == value["item"]), {})
            record["approvals"] = [*kept, {**old, **value}]
        elif key.startswith("monthly_plan"):
            record["monthly_plan"] = {**dict(record.get("monthly_plan") or {}), **_monthly(row, year)}
        elif key.startswith("contact."):
            record["contact"] = {**dict(record.get("contact") or {}), key.split(".")[1]: value}
        else:
            record[key] = value
    years = list(record.get("key_years") or [])
    record["key_years"] = years if year in years else sorted([*years, year])
    return record


def _monthly(row: Row, year: int) -> dict[str, Any]:
    """A row's 月度计划: each month's plan (``3月计划``), or from cumulative columns (``1—3月计划``, ``1—6月计划``)
    each one's difference from the one before, at its month — never invented for the months between."""
    plans = {f"{year:04d}-{key[-2:]}": value for key, value in row.values.items() if key.startswith("monthly_plan.")}
    before = 0
    for key in sorted(k for k in row.values if k.startswith("monthly_plan_to.")):
        total = row.values[key]
        plans[f"{year:04d}-{key[-2:]}"] = total - before
        before = total
    return plans


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
