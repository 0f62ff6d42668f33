"""月报交回: which units have reported a month, judged by the ledger's figures, not by how they came.

A unit has reported ``month`` when every one of its key projects of that year has the month's figure
recorded — through its dispatch sheet, the office's consolidated 月报, ``xmtj progress`` or a hand edit
alike; git says when the last of them arrived (and by which route). So the 通报 and ``dispatch status``
agree with the ledger, and a unit whose figures the office typed in is never named as one that did not
report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xmtj.figures.metrics import key_projects
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.register import Dispatch, figure_arrivals
from xmtj.months import Month


@dataclass(frozen=True)
class UnitReturn:
    """One unit's figures of a month: how many of its key projects have them, and when the last came."""

    unit: str
    projects: int
    reported: int
    returned_on: dt.date | None  # when the last figure arrived (git); None until every one has
    routes: tuple[str, ...]  # 调度表, 月报导入, 逐项填报, 手工修改 — how the figures came in
    commit: str | None
    late: bool

    @property
    def complete(self) -> bool:
        return self.reported == self.projects

    @property
    def state(self) -> str:
        if self.complete:
            return "逾期报送" if self.late else "已报送"
        if self.reported:
            return f"部分报送（{self.reported}/{self.projects}）" + ("，已逾期" if self.late else "")
        return "逾期未报送" if self.late else "未报送"


def unit_returns(ledger: Ledger, month: Month, sent: Dispatch) -> list[UnitReturn]:
    """Each unit sent a sheet for ``month``: its state on ``ledger.today`` (see the module doc)."""
    projects = key_projects(ledger.projects, month.year)
    units = [unit for unit, _, _ in sent.units]
    mine = {u: [p for p in projects if p.responsible_unit == u] for u in units}
    paths = {p.id: p.path for u in units for p in mine[u]}
    office = {e.lower() for e in ledger.config.units.office}
    unit_of = {p.id: p.responsible_unit for u in units for p in mine[u]}
    arrived = figure_arrivals(ledger, month, paths, sent.commit, office, unit_of)
    found = []
    for unit in units:
        own = mine[unit]
        reported = [p for p in own if month.key in p.progress]
        complete = len(reported) == len(own)
        times = [arrived[p.id] for p in reported if p.id in arrived]
        last = max(times, key=lambda a: a.day) if times and complete and len(times) == len(own) else None
        returned_on = last.day if last else None
        late = (returned_on > sent.due) if returned_on else (not complete and ledger.today > sent.due)
        routes = tuple(sorted({a.route for a in times}))
        found.append(
            UnitReturn(unit, len(own), len(reported), returned_on, routes, last.commit if last else None, late)
        )
    return found
