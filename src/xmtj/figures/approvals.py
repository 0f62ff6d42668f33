"""The 手续 ledger: which projects wait for which approval (立项, 用地, 规划, 环评, 施工许可 …), from which
department, for how long — ``xmtj approvals``, the briefing's 手续办理 paragraph and the letters.

An approval 办理中 with a date has been waiting since that day (受理); one 未办理 has not been filed.
Its department is the approval's own ``department``, else the one ``approvals.departments`` of
xmtj.yaml names for its item.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from xmtj.figures.reasons import ApprovalWait
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Approval, Project
from xmtj.ledger.settings import Config

PENDING = ("办理中", "未办理")


@dataclass(frozen=True)
class ApprovalRow:
    project: Project
    approval: Approval
    department: str | None
    days_waiting: int | None  # 办理中 with a date: days since it was filed, on the day asked

    @property
    def pending(self) -> bool:
        return self.approval.status in PENDING


def department_of(approval: Approval, config: Config) -> str | None:
    return approval.department or config.approvals.departments.get(approval.item)


def approval_rows(
    ledger: Ledger,
    day: dt.date,
    pending: bool = False,
    unit: str | None = None,
    project_id: str | None = None,
    projects: Iterable[Project] | None = None,
) -> list[ApprovalRow]:
    """Every approval of every project (or of ``projects``), with its department and days waiting on ``day``;
    only the pending ones, those of a department (part of its name) or of one project, when asked."""
    rows = []
    for project in projects if projects is not None else sorted(ledger.projects, key=lambda p: p.id):
        if project_id is not None and project.id != project_id:
            continue
        for row in approval_rows_of(project, ledger.config, day):
            if pending and not row.pending:
                continue
            if unit is not None and unit not in (row.department or ""):
                continue
            rows.append(row)
    return rows


@dataclass(frozen=True)
class DepartmentSummary:
    department: str
    pending: int
    projects: int
    longest: int | None  # the longest wait, days
    items: dict[str, int]


def by_department(rows: Iterable[ApprovalRow]) -> list[DepartmentSummary]:
    """The pending approvals per department, most first."""
    groups: dict[str, list[ApprovalRow]] = {}
    for row in rows:
        if row.pending:
            groups.setdefault(row.department or "（未指定部门）", []).append(row)
    summaries = [
        DepartmentSummary(
            department,
            len(members),
            len({r.project.id for r in members}),
            max((r.days_waiting for r in members if r.days_waiting is not None), default=None),
            dict(Counter(r.approval.item for r in members)),
        )
        for department, members in groups.items()
    ]
    return sorted(summaries, key=lambda s: (-s.pending, s.department))


def long_waits(project: Project, config: Config, day: dt.date) -> list[ApprovalWait]:
    """The project's approvals 办理中 longer than ``approvals.remind_days`` on ``day``."""
    found = []
    for row in approval_rows_of(project, config, day):
        if row.days_waiting is not None and row.days_waiting > config.approvals.remind_days:
            assert row.approval.date is not None  # a wait is counted from the day it was filed
            found.append(ApprovalWait(row.approval.item, row.department, row.approval.date, row.days_waiting))
    return found


def waits_of(config: Config) -> Callable[[Project, dt.date], list[ApprovalWait]]:
    """``long_waits`` under ``config``: what names a lit project's approvals among its reasons."""
    return functools.partial(_waits, config)


def _waits(config: Config, project: Project, day: dt.date) -> list[ApprovalWait]:
    return long_waits(project, config, day) if project.approvals else []


def approval_rows_of(project: Project, config: Config, day: dt.date) -> list[ApprovalRow]:
    """One project's approvals with their departments and days waiting on ``day``."""
    rows = []
    for approval in project.approvals:
        waiting = None
        if approval.status == "办理中" and approval.date is not None and approval.date <= day:
            waiting = (day - approval.date).days
        rows.append(ApprovalRow(project, approval, department_of(approval, config), waiting))
    return rows
