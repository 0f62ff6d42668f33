"""What the importers share: the sheet opened and its header found, problems at cells, the import's plan.

A ``Plan`` is everything an import would do — the ``Change`` (every file, one commit), what is created and
updated, notes for the clerk — or the problems that stop it. The command prints it; ``--dry-run`` stops
there; otherwise ``xmtj.changes.apply`` validates and writes it like any other change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xmtj.changes.build import Change
from xmtj.intake.cells import text
from xmtj.intake.columns import FACTORS, Header, find_header, section_title, skipped
from xmtj.intake.sheets import Table, read_table
from xmtj.ledger.checks import did_you_mean
from xmtj.ledger.ledger import Ledger
from xmtj.problems import Problem, XmtjError


@dataclass
class Plan:
    """What an import would do, or why it cannot."""

    change: Change | None = None
    created: list[str] = field(default_factory=list)  # one line per new record
    updated: list[str] = field(default_factory=list)  # one line per changed record, with what changed
    notes: list[str] = field(default_factory=list)  # said before the summary (encoding, month-only dates …)
    problems: list[Problem] = field(default_factory=list)  # errors stop the import; warnings are shown
    unchanged: int = 0
    verbs: tuple[str, str] = ("新建", "更新")  # how ``created`` and ``updated`` lines are introduced
    tallies: dict[str, list[str]] = field(default_factory=dict)  # a kind of note → the cells it is about

    def tally(self, kind: str, cell: str) -> None:
        """One more cell for a note said once for all (``12个日期只写了月份…（G5、G9、…）``)."""
        self.tallies.setdefault(kind, []).append(cell)

    @property
    def said(self) -> list[str]:
        """The notes, each kind of tallied note as one line: how many, and the first cells."""
        shown = 6
        lines = list(self.notes)
        for kind, where in self.tallies.items():
            first = "、".join(where[:shown]) + ("、…" if len(where) > shown else "")
            lines.append(f"{len(where)}{kind}（{first}）")
        return lines

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Sheet:
    """An opened sheet, its header, and the data rows (index into ``table.rows``)."""

    table: Table
    header: Header
    rows: list[int]
    sections: dict[int, str] = field(default_factory=dict)  # a data row → the section row above it (一、产业项目)

    def section_of(self, row: int) -> str | None:
        return self.sections.get(row)

    def cell(self, row: int, key: str) -> Any:
        column = self.header.columns.get(key)
        if column is None:
            return None
        values = self.table.rows[row]
        return values[column.index] if column.index < len(values) else None

    def where(self, row: int, key: str | None = None) -> str:
        column = self.header.columns.get(key) if key else None
        return self.table.where(row, column.index if column is not None else None)

    def factor(self, key: str) -> Any:
        """What an amount in column ``key`` is multiplied by to be 万元: its heading's own unit
        (总投资（亿元）), else the sheet's unit row, else 1."""

        column = self.header.columns.get(key)
        return FACTORS[column.unit] if column is not None and column.unit else self.header.factor

    def label(self, key: str) -> str:
        column = self.header.columns.get(key)
        return column.heading if column is not None else key

    def problem(self, row: int, key: str | None, message: str, severity: str = "error") -> Problem:
        """``台账.xlsx!Sheet1!F12: 总投资: 应为数字…`` (the whole row when the column is missing)."""
        label = self.label(key) if key else ""
        return Problem(self.where(row, key), None, None, label, message, severity)  # type: ignore[arg-type]


def open_sheet(
    path: Path, sheet: str | None, headings: Mapping[str, Sequence[str]], extra: Mapping[str, str], what: str
) -> tuple[Sheet, list[str]]:
    """The sheet with its header and data rows, and notes for the clerk (encoding, unknown columns)."""

    table = read_table(path, sheet)
    header = find_header(table.rows, headings, extra)
    if header is None:
        raise XmtjError(
            f"{table.file}!{table.sheet}：前50行中找不到{what}的表头（至少要有三个认得的列名，如 项目名称、总投资、"
            "责任单位）；如果本单位的列名不同，请在 xmtj.yaml 的 import.columns 中写明对应关系"
        )
    notes = list(table.notes)
    if table.encoding:
        notes.append(f"{table.file} 按 {table.encoding} 编码读取")
    if header.unknown:
        notes.append(
            f"以下列不认识，未导入：{'、'.join(header.unknown)}（如需导入，请在 xmtj.yaml 的 import.columns 中写明）"
        )
    rows, sections, current = [], {}, None
    for i in range(header.row + 1, len(table.rows)):
        title = section_title(table.rows[i], header)
        if title:
            current = title
        elif not skipped(table.rows[i], header):
            rows.append(i)
            if current:
                sections[i] = current
    return Sheet(table, header, rows, sections), notes


class Projects:
    """The ledger's projects by id (any case) and by name, built once for a whole sheet."""

    def __init__(self, ledger: Ledger) -> None:
        self.by_id = ledger.project_by_id
        self.folded = {key.casefold(): p for key, p in self.by_id.items()}
        self.by_name: dict[str, list[Any]] = {}
        for project in ledger.projects:
            self.by_name.setdefault(project.name, []).append(project)

    def get(self, rid: str) -> Any:
        return self.by_id.get(rid) or self.folded.get(rid.casefold())


def find_project(projects: Projects, sheet: Sheet, row: int, problems: list[Problem]) -> Any:
    """The project a row names, by 项目编号 (any case) or else by its exact name; None (and a problem)
    when it names none, or a name that two projects share."""

    rid, name = text(sheet.cell(row, "id")), text(sheet.cell(row, "name"))
    if rid:
        found = projects.get(rid)
        if found is None:
            problems.append(sheet.problem(row, "id", f"项目 {rid} 不存在{did_you_mean(rid, projects.by_id)}"))
        return found
    if name:
        named = projects.by_name.get(name, [])
        if len(named) > 1:
            ids = "、".join(p.id for p in named)
            problems.append(sheet.problem(row, "name", f"有{len(named)}个项目同名（{ids}），请在表中填写项目编号"))
            return None
        if not named:
            hint = did_you_mean(name, list(projects.by_name))
            problems.append(sheet.problem(row, "name", f"没有名为“{name}”的项目{hint}"))
            return None
        return named[0]
    problems.append(sheet.problem(row, None, "这一行既没有项目编号也没有项目名称"))
    return None
