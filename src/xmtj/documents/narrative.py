"""What a monthly 通报 says in prose (``xmtj.figures.prose``), put together for its template: the previous
month it is compared with — the 通报 issued for it, read from the ledger as that 通报's commit left it,
else the ledger's own figures for that month — the sentences and 下步工作 blocks of the month, and its
督办情况 (the letters of its period)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xmtj.documents.letters import feedback_state
from xmtj.figures import fmt
from xmtj.figures.metrics import ProjectStatus, Summary, ledger_statuses, summarize
from xmtj.figures.prose import (
    Previous,
    lights_change,
    milestone_sentence,
    milestones,
    month_sentence,
    next_steps,
    plan_rate_change,
    problems_sentence,
    ranking_sentence,
)
from xmtj.figures.schedule import month_total as total_of_month
from xmtj.figures.sentences import letters_sentence
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.load import load_ledger
from xmtj.ledger.records import Issue, Letter, Project
from xmtj.ledger.register import registered_at
from xmtj.months import Month, month_end
from xmtj.problems import XmtjError

ORDINALS = "一二三四五六七八九十"


def previous_month(ledger: Ledger, month: Month) -> Previous | None:
    """The month before ``month`` in the same year (None for January): as its 通报 went out, when one was
    issued and its commit can be read; else as the ledger has it now."""
    if month.number == 1:
        return None
    last = Month(month.year, month.number - 1)
    issued = [b for b in ledger.briefings if b.period == last.key and b.voided is None]
    source, then = "上月数据", ledger
    if issued:
        revision = registered_at(ledger, issued[-1].path)
        if revision is not None:
            try:
                then, source = load_ledger(ledger.root, revision), f"上月通报（{issued[-1].doc_no}）"
            except XmtjError:
                then = ledger
    day = month_end(last.year, last.number)
    statuses = ledger_statuses(then, last.year, day)
    summary = summarize(statuses, last.year, day, then.config.lights, then.config.targets.get(last.year))
    total = total_of_month([s.project for s in statuses], last.key)
    return Previous(last, summary, statuses, total, source)


def narrative_context(
    ledger: Ledger,
    month: Month,
    statuses: Sequence[ProjectStatus],
    summary: Summary,
    branches: Sequence[Summary],
    month_total: Decimal,
    open_issues: Sequence[Issue],
    overdue: Sequence[Issue],
    letters_overdue: int,
) -> dict[str, Any]:
    """The prose of the month, by the functions that state each fact."""
    previous = previous_month(ledger, month)
    day = month_end(month.year, month.number)
    marks = milestones([s.project for s in statuses], month.year, day)
    steps = next_steps(month, summary, branches, "分指挥部", marks, overdue, letters_overdue)
    return {
        "compared_with": previous.source if previous else None,
        "plan_rate_change": plan_rate_change(summary, previous),
        "month_sentence": month_sentence(summary, month_total, month, previous),
        "lights_change": lights_change(statuses, previous),
        "ranking_sentence": ranking_sentence(branches, "分指挥部", summary.time_progress),
        "milestone_sentence": milestone_sentence(marks, month.year),
        "problems_sentence": problems_sentence(open_issues, ledger.project_by_id, day),
        "next_steps": [{"name": s.name, "ordinal": ORDINALS[i], "facts": s.facts} for i, s in enumerate(steps)],
    }


def _letter_row(letter: Letter, projects: dict[str, Project], today: dt.date) -> dict[str, Any]:

    project = projects.get(letter.project)
    return {
        "doc_no": letter.doc_no,
        "date": letter.date,
        "project": letter.project,
        "name": project.name if project else letter.project,
        "recipient": letter.recipient,
        "light": letter.light,
        "feedback_due": letter.feedback_due,
        "feedback": feedback_state(letter, today),
    }


def letters_context(ledger: Ledger, month: Month, date: dt.date, projects: dict[str, Project]) -> dict[str, Any]:
    """督办情况: the letters issued since the previous 通报's date (or, for the first, since the reported month
    began) up to this one's, the replies received then, and the letters overdue on its date."""
    previous = max(
        (b for b in ledger.briefings if b.voided is None and b.period < month.key and b.date < date),
        key=lambda b: (b.period, b.date),
        default=None,
    )
    start = previous.date + dt.timedelta(days=1) if previous is not None else month.first_day
    if previous is not None:
        since = f"自上期通报（{previous.doc_no}，{fmt.date_cn(previous.date)}）以来"
    else:
        since = f"{fmt.date_cn(start)}至{fmt.date_cn(date)}"

    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= date

    issued = [x for x in ledger.letters if within(x.date)]
    live = [x for x in issued if x.voided is None]
    replies = sum(1 for x in ledger.letters if within(x.feedback.received_on))
    overdue = [x for x in ledger.letters if x.voided is None and x.date <= date and unanswered(x, date)]
    return {
        "letters": [_letter_row(x, projects, date) for x in live],
        "letters_sentence": letters_sentence(
            since, date, live, replies, overdue, len(issued) - len(live), {k: p.name for k, p in projects.items()}
        ),
        "letters_overdue": len(overdue),
    }


def unanswered(letter: Letter, day: dt.date) -> bool:
    """Past its 反馈期限 on ``day`` with no reply received by then."""
    received = letter.feedback.received_on
    return letter.feedback_due < day and (received is None or received > day)
