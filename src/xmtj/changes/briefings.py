"""Issuing a monthly 通报: its number registered (``data/briefings/<year>-<number>.yaml``) and the document
written, as one ``Change`` through ``apply`` — the same way every other change goes out (the lock, the
settings ``git.commit``/``git.verify``, atomic writes, rollback).

The 发文字号 comes from the register, never from a commit message: the next number of the 成文日期's year
after every number registered there or ever committed to it (a deleted entry keeps its number). A month
issued once keeps its number; issuing it again gives back the document as it went out, from the commit
that registered it, unless ``reissue`` voids the old number (作废, with a reason) and registers a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xmtj.changes.build import Change, void_text
from xmtj.changes.outputs import out_target
from xmtj.changes.yamlout import emit
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Briefing
from xmtj.ledger.register import BRIEFINGS_DIR, doc_number, issued_in_history
from xmtj.months import Month
from xmtj.problems import XmtjError

REGISTER_COMMENTS = {
    "doc_no": "发文字号",
    "period": "通报的月份",
    "date": "成文日期",
    "as_of": "数据截至",
    "file": "保存位置（台账内的相对路径；保存在台账外时为空）",
    "voided": "作废：日期和原因",
}


@dataclass(frozen=True)
class Numbering:
    """The 发文字号 a month's 通报 goes out under, and the entry that registered it (None: not yet issued)."""

    number: int
    doc_no: str
    issued: Briefing | None


def live_briefing(ledger: Ledger, month: Month) -> Briefing | None:
    """The month's 通报 as registered and not voided."""
    return next((b for b in ledger.briefings if b.period == month.key and b.voided is None), None)


def numbering(ledger: Ledger, month: Month, date: dt.date, fresh: bool = False) -> Numbering:
    """The number ``month``'s 通报 has (if issued) or would get on ``date`` (``fresh``: a new one even when
    it was issued — a 重新印发)."""
    issued = live_briefing(ledger, month)
    if issued is not None and not fresh:
        return Numbering(issued.number, issued.doc_no, issued)
    year = date.year
    used = {b.number for b in ledger.briefings if b.year == year}
    used |= issued_in_history(ledger, BRIEFINGS_DIR).get(year, set())
    number = max(used, default=0) + 1
    return Numbering(number, doc_number(ledger.config.briefing_prefix, year, number), None)


def draft_number(ledger: Ledger, date: dt.date) -> str:
    """A draft's 发文字号, its number left blank for the office to fill in (``河重指办〔2021〕　号``)."""
    return f"{ledger.config.briefing_prefix}〔{date.year}〕　号"


def issue_change(
    ledger: Ledger,
    month: Month,
    number: Numbering,
    date: dt.date,
    document: bytes,
    out: Path,
    command: Sequence[str],
    reissue_reason: str | None = None,
) -> tuple[Change, Path | None]:
    """The register entry (and, when the file is saved inside the ledger, the file itself) as one change;
    and the path to write outside the ledger, if that is where it goes. ``reissue_reason``: the month's
    issued entry is voided in the same change."""
    import os

    target, _ = out_target(out, ledger.root)
    root = Path(os.path.abspath(ledger.root))
    inside = target.is_relative_to(root)
    rel = target.relative_to(root).as_posix() if inside else None
    entry = {
        "number": number.number,
        "doc_no": number.doc_no,
        "period": month.key,
        "date": date,
        "as_of": month.last_day,
        "file": rel,
    }
    register = f"{BRIEFINGS_DIR}/{date.year}-{number.number}.yaml"
    texts: dict[str, str | bytes] = {register: emit(entry, REGISTER_COMMENTS)}
    created = {register}
    if rel is not None:
        texts[rel] = document
        if not os.path.lexists(target):
            created.add(rel)
    subject = f"通报: {month.key} {number.doc_no}"
    if reissue_reason is not None:
        old = live_briefing(ledger, month)
        if old is None:
            raise XmtjError(f"{month.cn}的通报尚未印发，无需重新印发")
        texts[old.path] = void_text(ledger, old, ledger.today, reissue_reason)
        subject += f"（重新印发，{old.doc_no}作废）"
    return Change(texts, subject, command, created=created), None if inside else target
