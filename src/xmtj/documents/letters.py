"""督办提醒函: choosing the slow projects, numbering, the register, and the letter's context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from xmtj.documents.templates import place_words, render
from xmtj.documents.wordfile import to_docx
from xmtj.figures import fmt
from xmtj.figures.approvals import waits_of
from xmtj.figures.metrics import LIGHT_WORDS, ProjectStatus, ledger_statuses, statuses_for
from xmtj.figures.periods import resolve_period
from xmtj.figures.reasons import ApprovalWait, NotStarted, OverdueIssue, basis_words, gap_words
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.load import load_ledger
from xmtj.ledger.records import Issue, Letter
from xmtj.ledger.register import REGISTER_DIR, doc_number, file_at, issued_in_history, registered_at
from xmtj.months import Month
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
    statuses = ledger_statuses(ledger, as_of.year, as_of)
    slow = [s for s in statuses if s.slow and (min_light == "yellow" or s.light == "red")]
    if project_ids:
        slow = [s for s in slow if s.project.id in set(project_ids)]
    sent_this_month = {
        letter.project: letter
        for letter in ledger.letters
        if (letter.date.year, letter.date.month) == (date.year, date.month) and letter.voided is None
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
    """What ``letter.md.j2`` is given: the office, the project, its figures and problems, and the letter's
    sentences — its facts and its requirements, chosen by the reasons the project is lit for
    (``letter_facts``, ``letter_requirements``: a project ahead of schedule is never told it is behind)."""
    s = draft.status
    project = s.project
    config = ledger.config
    place = place_words(config)
    open_issues = [
        {
            "id": issue.id,
            "description": issue.description,
            "category": issue.category,
            "responsible_unit": issue.responsible_unit,
            "deadline": issue.deadline,
            "overdue_days": issue.days_overdue(s.as_of),
        }
        for issue in draft.open_issues
    ]
    return {
        "office": config.office,
        "city": config.city,
        "place": place,
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
        "basis": basis_words(s.basis, s.schedule_start),
        "facts": letter_facts(s, draft.open_issues, config.approvals.remind_days),
        "requirements": letter_requirements(s, draft.open_issues, place["tier"]),
        "open_issues": open_issues,
        "reasons": [{"kind": r.kind, "text": r.text} for r in s.reasons],
    }


def letter_facts(s: ProjectStatus, open_issues: Sequence[Issue], remind_days: int) -> list[str]:
    """The letter's paragraphs of facts, each from the records: the project and its money; where it stands
    against its basis (with the word the sign calls for); why it is lit — not started, problems past their
    办结时限, approvals waiting too long — and the light."""
    project = s.project
    year = s.as_of.year
    facts = []
    first = f"{project.name}（项目编号{project.id}）总投资{fmt.wan(project.total_investment)}万元"
    first += f"，{year}年计划投资{fmt.wan(s.annual_plan)}万元。" if s.annual_plan else f"，未登记{year}年计划投资。"
    kinds = {r.kind for r in s.reasons}
    if "not_started" in kinds:
        late = next(r for r in s.reasons if isinstance(r, NotStarted))
        first += (
            f"项目计划于{fmt.date_cn(late.planned)}开工，截至{fmt.date_cn(s.as_of)}仍未开工"
            + (f"，已{late.delay}" if late.delay else "")
            + "。"
        )
    elif s.plan_rate is not None:
        first += (
            f"截至{fmt.date_cn(s.as_of)}，{year}年累计完成投资{fmt.wan(s.completed_ytd)}万元，"
            f"完成年度计划的{fmt.pct(s.plan_rate)}，{basis_words(s.basis, s.schedule_start)}为{fmt.pct(s.expected)}，"
            f"{gap_words(-s.lag if s.lag is not None else Fraction(0))}"
            + ("，投资进度落后。" if "behind" in kinds else "。")
        )
    facts.append(first)
    overdue = [r for r in s.reasons if isinstance(r, OverdueIssue)]
    if overdue:
        cases = "；".join(
            f"“{r.description}”（责任单位{r.unit}，办结时限{fmt.date_cn(r.deadline)}，已超过{r.days}天）"
            for r in overdue
        )
        facts.append(f"项目有{len(overdue)}个问题超过办结时限仍未办结：{cases}。")
    waits = [r for r in s.reasons if isinstance(r, ApprovalWait)]
    if waits:
        cases = "；".join(
            f"{r.item}于{fmt.date_cn(r.since)}报{r.department or '审批部门'}办理，已等待{r.days}天尚未办结"
            for r in waits
        )
        facts.append(f"项目前期手续方面，{cases}，均已超过{remind_days}天。")
    others = [i for i in open_issues if not i.is_overdue_on(s.as_of)]
    if others:
        facts.append(f"此外，项目尚有{len(others)}个问题正在办理、未到办结时限（详见附件）。")
    because = [LIT_FOR[k] for k in ("behind", "not_started", "overdue_issue") if k in kinds]
    facts.append(f"因{'、'.join(because)}，项目已亮{LIGHT_WORDS[s.light or 'yellow']}。")
    return facts


LIT_FOR = {"behind": "投资进度落后", "not_started": "逾期未开工", "overdue_issue": "问题超过办结时限未办结"}


def letter_requirements(s: ProjectStatus, open_issues: Sequence[Issue], tier: str) -> list[str]:
    """What the letter requires, one item per reason the project is lit for (never ``赶上来`` for a project
    that is not behind), then what every letter asks."""
    kinds = {r.kind for r in s.reasons}
    # where to turn for help, said once: with the problems when there are any, else with the first item
    problems = "overdue_issue" in kinds or bool(open_issues)
    escalate = "。" if problems else f"；需{tier}层面协调解决的困难，及时提请包联领导和总指挥部协调。"
    items = []
    if "behind" in kinds:
        items.append("对照年度投资计划倒排工期、挂图作战，加大人员和设备投入，尽快把落后的投资进度赶上来" + escalate)
    if "not_started" in kinds:
        items.append(
            "抓紧办理剩余前期手续，落实开工条件，倒排开工时间节点，确保项目尽快开工建设"
            + ("。" if "behind" in kinds else escalate)
        )
    if "overdue_issue" in kinds:
        items.append(
            "对超过办结时限的问题逐项明确解决措施、责任人和完成时限，尽快办结销号；"
            f"需{tier}层面协调的，及时提请包联领导和总指挥部协调解决。"
        )
    elif open_issues:
        items.append(
            f"对项目存在的问题逐项制定解决措施，明确责任人和完成时限，需{tier}层面协调的及时提请包联领导和总指挥部协调解决。"
        )
    waits = [r for r in s.reasons if isinstance(r, ApprovalWait)]
    if waits:
        departments = "、".join(dict.fromkeys(r.department or "审批部门" for r in waits))
        items.append(f"会同{departments}加快办理{'、'.join(r.item for r in waits)}，明确办结时间。")
    items.append("如实、按时报送项目月度进展和投资完成情况，确保数据真实准确。")
    return [f"{fmt.zh_number(i)}、{text}" for i, text in enumerate(items, start=1)]


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
    statuses = statuses_for([project], ledger.issues, as_of.year, as_of, ledger.config.lights, waits_of(ledger.config))
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
    revision: str | None  # the commit that registered it (None: outside git, or never committed)
    from_file: bool = True  # False: made again — from that commit's records, or (no revision) from today's


def issued_letter(ledger: Ledger, letter: Letter, form: str) -> Issued:
    """The letter's document (``md`` or ``docx``) exactly as the commit that registered it holds it; failing
    that (the register alone was committed), made again from the records and template as that commit left
    them; outside git (or never committed), from the records as they are, as of the letter's data day."""

    path = letter_paths(letter)[form]
    revision = registered_at(ledger, letter.path)
    then = ledger
    if revision is not None:
        found = file_at(ledger, revision, path)
        if found is None and form == "docx":  # only the Markdown was kept: lay it out as it was
            markdown = file_at(ledger, revision, letter_paths(letter)["md"])
            if markdown is not None:
                return Issued(letter_docx(ledger, markdown.decode("utf-8")), path, revision)
        if found is not None:
            return Issued(found, path, revision)
        then = load_ledger(ledger.root, revision)  # its records and template as the registering commit left them
    markdown_text = render_letter(then, draft_of(then, letter))
    data = letter_docx(then, markdown_text) if form == "docx" else markdown_text.encode("utf-8")
    return Issued(data, path, revision, from_file=False)


def feedback_state(letter: Letter, today: dt.date) -> str:
    """反馈情况 on ``today`` in words (a reply received later is not yet received); a voided letter 已作废."""
    if letter.voided is not None and letter.voided.date <= today:
        return f"已作废（{fmt.date_cn(letter.voided.date)}，{letter.voided.reason}）"
    if letter.feedback.received_on is not None and letter.feedback.received_on <= today:
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
    unknown = [pid for pid in project_ids if pid not in ledger.project_by_id]
    if unknown:  # a mistyped id is said first
        raise UnknownProject("项目不存在：" + "、".join(unknown))
    today = ledger.today
    if date is None and Month.of(the_day) not in (Month.of(today), Month.of(today).previous):
        suggest = the_day + dt.timedelta(days=1)
        raise XmtjError(
            f"数据截至 {the_day} 不在本月或上月，不能默认以今天（{today}）为成文日期：请用 --date 指定，"
            f"例如 --date {suggest.isoformat()}"
        )
    letter_date = date or today
    if letter_date < the_day:
        raise XmtjError(f"成文日期 {letter_date} 早于数据截至日期 {the_day}")
    latest = max((x for x in ledger.letters if x.year == letter_date.year), key=lambda x: x.date, default=None)
    if latest is not None and letter_date < latest.date and not force:
        raise XmtjError(
            f"成文日期 {letter_date} 早于已发的 {latest.doc_no}（{latest.date}）：文号随成文日期先后编排；"
            "确需补发请加 --force"
        )
    drafts, skipped = plan_letters(ledger, the_day, letter_date, project_ids, min_light, force)
    return Reminders(the_day, letter_date, drafts, skipped)
