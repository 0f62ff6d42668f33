"""督办提醒函 as a change: every letter of a run and its register entry, written all or nothing, one commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xmtj.changes import yamledit
from xmtj.changes.build import Change, RecordNotFound, text_of, void_text
from xmtj.changes.yamlout import emit
from xmtj.documents.letters import Draft, Reminders, letter_docx, render_letter
from xmtj.figures import fmt
from xmtj.figures.metrics import LIGHT_WORDS
from xmtj.ledger.checks import did_you_mean
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Letter, field_names
from xmtj.problems import XmtjError


def _rounded(value: Any, places: int) -> Decimal | None:
    return None if value is None else fmt.to_decimal(value, places)


def register_record(draft: Draft) -> dict[str, Any]:
    """The register entry (data/letters/<year>-<n>.yaml) of a draft: its reasons as the letter says them, and
    the figures it was written from."""
    s = draft.status
    project = s.project
    return {
        "number": draft.number,
        "doc_no": draft.doc_no,
        "date": draft.date,
        "project": project.id,
        "recipient": project.responsible_unit,
        "cc": project.liaison_leader,
        "light": LIGHT_WORDS[s.light or "yellow"],
        "as_of": s.as_of,
        "reasons": s.reason_texts,  # why it is lit, then approvals waiting too long
        "figures": {
            "total_investment": project.total_investment,
            "annual_plan": s.annual_plan,
            "completed_ytd": s.completed_ytd,
            "plan_rate": _rounded(s.plan_rate, 4),
            "expected": _rounded(s.expected, 4),  # on the light's basis (序时进度, or the monthly plan)
            "lag_points": _rounded(s.lag, 1),  # behind it, 百分点, as printed
        },
        "feedback_due": draft.feedback_due,
        "feedback": {"received_on": None, "text": None},
    }


REGISTER_COMMENTS = {
    "doc_no": "发文字号",
    "date": "成文日期",
    "recipient": "主送",
    "cc": "抄送",
    "as_of": "数据截至",
    "figures": "发函时的数据, 万元",
    "feedback_due": "书面反馈期限",
    "feedback": "收到反馈后填写 received_on 和 text",
}


def letters_change(ledger: Ledger, drafts: Sequence[Draft], command: Sequence[str]) -> Change:
    """Every letter and its register entry, as one change (written all or nothing, one commit)."""

    formats = ledger.config.documents.formats
    texts: dict[str, str | bytes] = {}
    for draft in drafts:
        markdown = render_letter(ledger, draft)  # everything rendered before anything is written
        if "md" in formats:
            texts[draft.letter_path] = markdown
        if "docx" in formats:
            texts[draft.word_path] = letter_docx(ledger, markdown)
        record = register_record(draft)
        texts[draft.register_path] = emit(record, REGISTER_COMMENTS, block=("reasons",))
    numbers = [d.number for d in drafts]
    span = f"{drafts[0].doc_no}" if len(drafts) == 1 else f"{drafts[0].doc_no}—{numbers[-1]}号"
    subject = f"督办: {span}（{len(drafts)}份）"
    return Change(texts, subject, command, created=set(texts))


def remind_command(planned: Reminders, project_ids: Sequence[str], min_light: str, force: bool) -> list[str]:
    """The ``Xmtj-Command`` trailer of a ``remind`` run: the command that makes exactly these letters."""
    command = ["xmtj", "remind", "--as-of", planned.as_of.isoformat(), "--date", planned.date.isoformat()]
    command += [f"--project={p}" for p in project_ids] + (["--min-light=red"] if min_light == "red" else [])
    return command + (["--force"] if force else [])


def find_letter(ledger: Ledger, key: str) -> Letter:
    """A registered letter by its 发文字号 (``稷重指办督〔2022〕3号``, brackets typed any way) or its register
    key (``2022-3``)."""
    import re

    wanted = key.strip()
    plain = re.sub(r"[〔\[【（(]\s*(\d{4})\s*[〕\]】）)]", r"〔\1〕", wanted)
    plain = plain if plain.endswith("号") or not plain[-1:].isdigit() else plain + "号"
    for letter in ledger.letters:
        if wanted == letter.register_name or plain == letter.doc_no:
            return letter
    known = [x.doc_no for x in ledger.letters]

    raise RecordNotFound(f"没有登记文号或编号为“{key}”的督办提醒函{did_you_mean(plain, known)}")


def reply_change(ledger: Ledger, key: str, day: dt.date, text: str, command: Sequence[str]) -> Change:
    """``xmtj letter reply``: the unit's written feedback (``feedback.received_on`` and ``text``)."""

    letter = find_letter(ledger, key)
    if letter.feedback.received_on is not None:
        raise XmtjError(
            f"{letter.doc_no} 已于 {letter.feedback.received_on} 收到反馈；如需更正，请直接编辑 {letter.path}"
        )
    if day < letter.date:
        raise XmtjError(f"反馈日期 {day} 早于发函日期 {letter.date}")
    if day > ledger.today:
        raise XmtjError(f"反馈日期 {day} 晚于今天（{ledger.today}）")
    if not text.strip():
        raise XmtjError("--text 不能为空：请填写反馈的主要内容")
    source, framing = text_of(ledger, letter)
    order = field_names(Letter)
    source = yamledit.set_value(source, ["feedback", "received_on"], day, order)
    source = yamledit.set_value(source, ["feedback", "text"], text.strip(), order)
    late = "（逾期）" if day > letter.feedback_due else ""
    subject = f"函件反馈: {letter.doc_no} {letter.project} {day.isoformat()}{late}"
    return Change({letter.path: framing.apply(source)}, subject, command)


def void_change(ledger: Ledger, key: str, day: dt.date, reason: str, command: Sequence[str]) -> Change:
    """``xmtj letter void``: an issued letter withdrawn (作废) — its register entry gets ``voided: {date,
    reason}``; the letter stays in the register and in git, and its number is never given again."""

    letter = find_letter(ledger, key)
    if letter.voided is not None:
        raise XmtjError(f"{letter.doc_no} 已于 {letter.voided.date} 作废（{letter.voided.reason}）")
    if day < letter.date:
        raise XmtjError(f"作废日期 {day} 早于发函日期 {letter.date}")
    if day > ledger.today:
        raise XmtjError(f"作废日期 {day} 晚于今天（{ledger.today}）")
    subject = f"作废: {letter.doc_no} {letter.project}（{reason.strip()}）"
    return Change({letter.path: void_text(ledger, letter, day, reason)}, subject, command)
