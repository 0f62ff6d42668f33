"""Which records a listing shows: the filters of ``issue list``, ``meeting list`` and ``letter list``.

Pure functions of the ledger (and a day): the command line passes its options, and any other front
end gets the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Issue, Letter, Meeting
from xmtj.problems import XmtjError


@dataclass(frozen=True)
class IssueFilter:
    """``issue list`` options: open or overdue on ``day``, of one project, of a unit, raised in a year."""

    day: dt.date
    open_only: bool = False
    overdue: bool = False
    project: str | None = None
    unit: str | None = None  # part of the 责任单位's name
    year: int | None = None

    def keeps(self, issue: Issue) -> bool:
        return (
            (not self.open_only or issue.is_open_on(self.day))
            and (not self.overdue or issue.is_overdue_on(self.day))
            and (self.project is None or issue.project == self.project)
            and (self.unit is None or self.unit in issue.responsible_unit)
            and (self.year is None or issue.raised_on.year == self.year)
        )


def select_issues(ledger: Ledger, chosen: IssueFilter) -> list[Issue]:
    """The problems ``chosen`` keeps, by id; an unknown project is an error, not an empty list."""
    if chosen.project and chosen.project not in ledger.project_by_id:
        raise XmtjError(f"项目 {chosen.project} 不存在")
    return [i for i in sorted(ledger.issues, key=lambda i: i.id) if chosen.keeps(i)]


def select_meetings(ledger: Ledger, year: int | None = None, kind: str | None = None) -> list[Meeting]:
    """Meetings of a year and kind, in date order."""
    return [
        m
        for m in sorted(ledger.meetings, key=lambda m: (m.date, m.id))
        if (year is None or m.date.year == year) and (kind is None or m.kind == kind)
    ]


def issues_raised(ledger: Ledger) -> Counter[str]:
    """How many problems each meeting raised, by meeting id."""
    return Counter(i.meeting for i in ledger.issues if i.meeting)


def select_letters(ledger: Ledger, year: int | None = None, pending: bool = False) -> list[Letter]:
    """Registered letters of a year; with ``pending``, those (not voided) whose written feedback has not arrived."""
    chosen = [x for x in ledger.letters if year is None or x.year == year]
    return [x for x in chosen if x.feedback.received_on is None and x.voided is None] if pending else chosen
