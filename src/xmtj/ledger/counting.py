"""The ledger as the figures count it: the records of files with errors left out.

A file that cannot be read was never loaded; a file that reads but contradicts another — a duplicated id,
a reference to nothing, a word outside xmtj.yaml's vocabularies, dates out of order — is left out too, so
that a project filed twice is never counted twice and every read command can say, before any figure,
that the figures leave these records out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from xmtj.ledger.ledger import Ledger
from xmtj.ledger.registry import MODELS
from xmtj.months import before
from xmtj.problems import Problem


def error_checks() -> list[Callable[[Ledger], Iterable[Problem]]]:
    """The checks that can find an error (the others only warn): what decides which records are counted.
    ``checks`` (and the YAML reader it needs to locate a problem) is loaded only when ``looks_clean`` finds
    something: a clean ledger's ``status`` never imports it."""
    from xmtj.ledger.checks import (
        briefing_register,
        date_order,
        duplicate_ids,
        id_matches_file_name,
        letter_register,
        references,
        resolved_issues_have_dates,
        vocabularies,
    )

    return [duplicate_ids, id_matches_file_name, references, vocabularies, date_order, resolved_issues_have_dates,
            letter_register, briefing_register]  # fmt: skip


def counted(ledger: Ledger) -> Ledger:
    """The ledger as every figure counts it: without the records of any file that has an error — a file
    that could not be read was never in it; a duplicated id, a reference to nothing, a word outside the
    vocabularies leave their records out too (so a project filed twice is not counted twice). Its
    ``problems`` are the reading's and these errors (not located: ``check`` locates them)."""
    if ledger.counted:
        return ledger  # once: a record left out must not make the references to it errors in turn
    return without(ledger, cross_errors(ledger))


def cross_errors(ledger: Ledger) -> list[Problem]:
    """The errors the cross-record checks find (``error_checks``), not located; none found in one pass
    over the records first (``looks_clean``), the usual case for a ledger of 60,000 records."""
    if looks_clean(ledger):
        return []
    return [p for check in error_checks() for p in check(ledger) if p.severity == "error"]


def without(ledger: Ledger, errors: list[Problem]) -> Ledger:
    """``ledger`` less the records of the files ``errors`` name, marked as counted."""
    import dataclasses

    result = dataclasses.replace(ledger, problems=[*ledger.problems, *errors], counted=True)
    bad = {p.path for p in errors}
    if bad:
        for kind in MODELS:
            setattr(result, kind, [r for r in getattr(ledger, kind) if r.path not in bad])
    return result


def looks_clean(ledger: Ledger) -> bool:
    """True when none of ``error_checks`` can find anything — decided in one pass over each kind (each
    record is touched once: on 60,000 records a pass per check would cost most of a warm ``status``). False
    sends the ledger through the checks themselves, which say what is wrong."""
    config = ledger.config
    branches, sectors, levels = set(config.branches), set(config.sectors), set(config.levels)
    natures = set(config.natures)
    project_ids: set[str] = set()
    for p in ledger.projects:
        if p.id in project_ids or p.path != f"data/projects/{p.id}.yaml":
            return False
        project_ids.add(p.id)
        if (branches and p.branch not in branches) or (sectors and p.sector not in sectors):
            return False
        if natures and p.nature is not None and p.nature not in natures:
            return False
        if levels and not levels.issuperset(p.levels):
            return False
        if not _dates_in_order(p.actual_start, p.actual_completion, p.actual_production):
            return False
        if not _dates_in_order(p.planned_start, p.planned_completion, p.planned_production, missing_ok=True):
            return False
    meeting_ids: set[str] = set()
    for m in ledger.meetings:
        if m.id in meeting_ids or m.path != f"data/meetings/{m.id}.yaml" or not project_ids.issuperset(m.projects):
            return False
        meeting_ids.add(m.id)
    issue_ids: set[str] = set()
    for i in ledger.issues:
        if i.id in issue_ids or i.path != f"data/issues/{i.id}.yaml":
            return False
        issue_ids.add(i.id)
        if (i.project is not None and i.project not in project_ids) or (
            i.meeting is not None and i.meeting not in meeting_ids
        ):
            return False
        raised, resolved, deadline = i.raised_on, i.resolved_on, i.deadline
        if (resolved is not None and resolved < raised) or (deadline is not None and deadline < raised):
            return False
        if i.status == "已办结" and resolved is None:
            return False
    numbers: set[tuple[int, int]] = set()
    for letter in ledger.letters:
        key = (letter.year, letter.number)
        if key in numbers or letter.project not in project_ids:
            return False
        if letter.path not in (f"data/letters/{letter.register_name}.yaml", f"data/letters/{letter.register_name}.yml"):
            return False
        numbers.add(key)
    numbers.clear()
    periods: set[str] = set()
    for briefing in ledger.briefings:
        key = (briefing.year, briefing.number)
        if key in numbers or briefing.path != f"data/briefings/{briefing.register_name}.yaml":
            return False
        numbers.add(key)
        if briefing.voided is None:
            if briefing.period in periods:
                return False
            periods.add(briefing.period)
    return True


def _dates_in_order(start: Any, *later: Any, missing_ok: bool = False) -> bool:
    if start is None:
        return missing_ok or all(day is None for day in later)
    return all(day is None or not before(day, start) for day in later)
