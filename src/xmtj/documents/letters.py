"""督办提醒函: choosing the slow projects, numbering, the register, and the letter's context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from xmtj.documents.templates import place_words, render
from xmtj.documents.wordfile import to_docx
from xmtj.figures import fmt
from xmtj.figures.approvals import long_waits
from xmtj.figures.metrics import LIGHT_WORDS, ProjectStatus, statuses_for
from xmtj.figures.periods import resolve_period
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Issue, Letter
from xmtj.ledger.register import REGISTER_DIR, doc_number, file_at, issued_in_history, registered_at
from xmtj.months import months_between
from xmtj.problems import XmtjError

LETTERS_DIR = "letters"


class UnknownProject(XmtjError):
    """A project named on the command line is not in the ledger."""


@dataclass(frozen=True)
class Draft:
    """A letter about to be issued (or, with --dry-run, that would be)."""

    number: int
    doc_no: str
    date: dt.date
    status: ProjectStatus
    feedback_due: dt.date
    open_issues: tuple[Issue, ...]

    @property
    def project_id(self) -> str:
        return self.status.project.id

    @property
    def register_path(self) -> str:
        return f"{REGISTER_DIR}/{self.date.year}-{self.number}.yaml"

    @property
    def letter_path(self) -> str:
        return f"{LETTERS_DIR}/{self.date.year}/{self.number}-{self.project_id}.md"

    @property
    def word_path(self) -> str:
        return self.letter_path.removesuffix(".md") + ".docx"


@dataclass(frozen=True)
class Skipped:
    project_id: str
    reason: str


def next_number(letters: Iterable[Letter], year: int, in_history: Iterable[int] = ()) -> int:
    """The next number of ``year``: one past the highest ever issued (in the register now, or in its
    git history: a letter deleted from the register keeps its number), so no number is ever reused."""
    now = (letter.number for letter in letters if letter.year == year)
    return max((*now, *in_history), default=0) + 1


def plan_letters(
    ledger: Ledger,
    as_of: dt.date,
    date: dt.date,
    project_ids: Sequence[str] = (),
    min_light: str = "yellow",
    force: bool = False,
) -> tuple[list[Draft], list[Skipped]]:
    """The letters to send: slow projects by the same rule that lights them in ``status``."""
    projects = ledger.project_by_id
    unknown = [pid for pid in project_ids if pid not in projects]
    if unknown:
        raise UnknownProject("项目不存在：" + "、".join(unknown))
    statuses = statuses_for(ledger.projects, ledger.issues, as_of.year, as_of, ledger.config.lights)
    slow = [s for s in statuses if s.slow and (min_light == "yellow" or s.light == "red")]
    if project_ids:
        slow = [s for s in slow if s.project.id in set(project_ids)]
    sent_this_month = {
        letter.project: letter
        for letter in ledger.letters
        if (letter.date.year, letter.date.month) == (date.year, date.month)
    }
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    if project_ids:
        lit = {s.project.id for s in slow}
        skipped += [Skipped(pid, "未亮黄灯或红灯，不需发函") for pid in project_ids if pid not in lit]
    number = next_number(ledger.letters, date.year, issued_in_history(ledger).get(date.year, ()))
    issues_by_project: dict[str, list[Issue]] = {}
    for issue in ledger.issues:
        if issue.project and issue.is_open_on(as_of):
            issues_by_project.setdefault(issue.project, []).append(issue)
    for status in slow:
        earlier = sent_this_month.get(status.project.id)
        if earlier is not None and not force:
            skipped.append(
                Skipped(
                    status.project.id,
                    f"本月已发函（{earlier.doc_no}，{fmt.date_cn(earlier.date)}），如需再次发函请加 --force",
                )
            )
            continue
        drafts.append(
            Draft(
                number=number,
                doc_no=doc_number(ledger.config.letter_prefix, date.year, number),
                date=date,
                status=status,
                feedback_due=date + dt.timedelta(days=ledger.config.letters.feedback_days),
                open_issues=tuple(sorted(issues_by_project.get(status.project.id, []), key=lambda i: i.id)),
            )
        )
        number += 1
    return drafts, skipped


def letter_context(ledger: Ledger, draft: Draft) -> dict[str, Any]:
    """What ``letter.md.j2`` is given: the office, the project, its figures and problems."""
    s = draft.status
    project = s.project
    config = ledger.config
    delay_months = None
    if not s.started and project.planned_start is not None:
        delay_months = months_between(project.planned_start, s.as_of)
    return {
        "office": config.office,
        "city": config.city,
        "place": place_words(config),
        "contact": config.contact,
        "doc_no": draft.doc_no,
        "date": draft.date,
        "feedback_due": draft.feedback_due,
        "title": f"关于加快推进{project.name}建设的督办提醒函",
        "recipient": project.responsible_unit,
        "cc": project.liaison_leader,
        "project": project,
        "status": s,
        "light": LIGHT_WORDS[s.light or "yellow"],
        "as_of": s.as_of,
        "started": s.started,
        "delay_months": delay_months,
        "basis": "月度计划进度" if s.monthly_planned else "时序进度",
        "open_issues": [
            {
                "id": issue.id,
                "description": issue.description,
                "category": issue.category,
                "responsible_unit": issue.responsible_unit,
                "deadline": issue.deadline,
                "overdue_days": issue.days_overdue(s.as_of),
            }
            for issue in draft.open_issues
        ],
        "reasons": list(s.reasons),
        "approval_waits": approval_waits(ledger, draft),
    }


def approval_waits(ledger: Ledger, draft: Draft) -> list[str]:
    """The project's approvals in 办理中 longer than ``approvals.remind_days`` on the letter's day."""

    return long_waits(draft.status.project, ledger.config, draft.status.as_of)


def render_letter(ledger: Ledger, draft: Draft) -> str:

    return render(ledger.root, "letter.md.j2", letter_context(ledger, draft), ledger.files)


def letter_docx(ledger: Ledger, markdown: str) -> bytes:
    """The letter as a Word file in the 信函格式 of GB/T 9704, laid out from its Markdown."""

    return to_docx(markdown, ledger.config.office, letter_form=True)


def draft_of(ledger: Ledger, letter: Letter) -> Draft:
    """A registered letter as the draft it was made from: the project's figures as of the letter's day
    (``as_of``), its problems open then. Re-rendering gives the letter that went out, as long as the
    project's records for that period are unchanged (``xmtj log`` shows whether they are)."""
    as_of = letter.as_of or letter.date
    project = ledger.project_by_id.get(letter.project)
    if project is None:
        raise XmtjError(f"{letter.doc_no} 的项目 {letter.project} 已不在台账中，无法重新生成")
    statuses = statuses_for([project], ledger.issues, as_of.year, as_of, ledger.config.lights)
    open_issues = tuple(sorted((i for i in ledger.issues if i.project == project.id and i.is_open_on(as_of)),
                               key=lambda i: i.id))  # fmt: skip
    return Draft(letter.number, letter.doc_no, letter.date, statuses[0], letter.feedback_due, open_issues)


def letter_paths(letter: Letter) -> dict[str, str]:
    """Where ``remind`` wrote a letter's documents: ``{"md": letters/2021/3-HJ2021-001.md, "docx": …}``."""
    base = f"{LETTERS_DIR}/{letter.year}/{letter.number}-{letter.project}"
    return {"md": base + ".md", "docx": base + ".docx"}


@dataclass(frozen=True)
class Issued:
    """A registered letter's document as it went out, or — where git does not have it — made again."""

    data: bytes
    path: str  # where remind wrote it (letters/<year>/<n>-<id>.<format>)
    revision: str | None  # the commit that issued it; None: made again from the records


def issued_letter(ledger: Ledger, letter: Letter, form: str) -> Issued:
    """The letter's document (``md`` or ``docx``) exactly as the commit that registered it holds it; failing
    that (outside git, never committed, or that format not written then), made again from the records as
    of the letter's day — which gives the same letter only while the project's records are unchanged."""

    path = letter_paths(letter)[form]
    revision = registered_at(ledger, letter.path)
    if revision is not None:
        found = file_at(ledger, revision, path)
        if found is None and form == "docx":  # only the Markdown was kept: lay it out as it was
            markdown = file_at(ledger, revision, letter_paths(letter)["md"])
            if markdown is not None:
                return Issued(letter_docx(ledger, markdown.decode("utf-8")), path, revision)
        if found is not None:
            return Issued(found, path, revision)
    markdown_text = render_letter(ledger, draft_of(ledger, letter))
    data = letter_docx(ledger, markdown_text) if form == "docx" else markdown_text.encode("utf-8")
    return Issued(data, path, None)


def feedback_state(letter: Letter, today: dt.date) -> str:
    """反馈情况 in words."""
    if letter.feedback.received_on is not None:
        return f"已反馈（{fmt.date_cn(letter.feedback.received_on)}）"
    if letter.feedback_due < today:
        return f"逾期未反馈（{(today - letter.feedback_due).days}天）"
    return "待反馈"


@dataclass(frozen=True)
class Reminders:
    """One ``remind`` run: the data's day, the letters' date, the drafts, and the projects skipped."""

    as_of: dt.date
    date: dt.date
    drafts: list[Draft]
    skipped: list[Skipped]

    def title(self, dry_run: bool) -> str:
        verb = "将要" if dry_run else "已"
        return f"{verb}发督办提醒函{len(self.drafts)}份（数据截至{self.as_of}，成文日期{self.date}）"


def plan_reminders(
    ledger: Ledger,
    as_of: dt.date | None,
    date: dt.date | None,
    project_ids: Sequence[str] = (),
    min_light: str = "yellow",
    force: bool = False,
) -> Reminders:
    """``xmtj remind``: the day judged (the latest month with progress when not given), the letters'
    date (today when not given, never before that day), and the letters to send."""

    _, the_day, _ = resolve_period(ledger.projects, None, as_of, ledger.today)
    letter_date = date or ledger.today
    if letter_date < the_day:
        raise XmtjError(f"成文日期 {letter_date} 早于数据截至日期 {the_day}")
    drafts, skipped = plan_letters(ledger, the_day, letter_date, project_ids, min_light, force)
    return Reminders(the_day, letter_date, drafts, skipped)
