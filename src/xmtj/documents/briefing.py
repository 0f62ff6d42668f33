"""The monthly briefing (通报), the annual summary and next year's plan: contexts for the templates.

Every figure here is counted from records; the templates only arrange and word them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xmtj.documents.narrative import ORDINALS, letters_context, narrative_context
from xmtj.documents.templates import place_words, render
from xmtj.documents.wordfile import to_docx
from xmtj.figures import fmt
from xmtj.figures.approvals import approval_rows
from xmtj.figures.metrics import (
    LIGHT_WORDS,
    ProjectStatus,
    Summary,
    ledger_statuses,
    summarize,
)
from xmtj.figures.prose import groups_sentence, ranking_sentence, rollup_steps
from xmtj.figures.reasons import ApprovalWait, OverdueIssue
from xmtj.figures.returns import unit_returns
from xmtj.figures.schedule import month_figure, openings
from xmtj.figures.schedule import month_total as total_of_month
from xmtj.figures.sentences import COLUMN_NOTE, approvals_sentence, image_text, lights_sentence
from xmtj.figures.status import group_order, group_summaries
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.load import load_ledger
from xmtj.ledger.records import Briefing, Issue, Project
from xmtj.ledger.register import dispatched, file_at, registered_at
from xmtj.months import Month, month_end, month_key
from xmtj.problems import XmtjError


def _in_month(day: dt.date | None, year: int, month: int) -> bool:
    return day is not None and day.year == year and day.month == month


def within_year(day: dt.date | None, year: int, as_of: dt.date) -> bool:
    return day is not None and day.year == year and day <= as_of


@dataclass(frozen=True)
class IssueCounts:
    """问题协调: raised, resolved and overdue, with 办结率 = resolved / raised."""

    raised: int
    resolved: int
    overdue: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.resolved, self.raised) if self.raised else None


def issue_counts(issues: Iterable[Issue], within: Callable[[dt.date | None], bool], as_of: dt.date) -> IssueCounts:
    """Raised and resolved within the period; overdue: every problem still open past its deadline on ``as_of``."""
    pool = list(issues)
    return IssueCounts(
        raised=sum(1 for i in pool if within(i.raised_on)),
        resolved=sum(1 for i in pool if i.status == "已办结" and within(i.resolved_on)),
        overdue=sum(1 for i in pool if i.is_overdue_on(as_of)),
    )


def _group_rows(groups: list[Summary], with_rank: bool = False) -> list[dict[str, Any]]:
    rows = []
    for rank, g in enumerate(groups, start=1):
        rows.append(
            {
                "key": g.key,
                "projects": g.projects,
                "annual_plan": g.annual_plan,
                "completed_ytd": g.completed_ytd,
                "plan_rate": g.plan_rate,
                "ahead": g.ahead,
                "start_rate": g.start_resume.rate,
                "lights": g.lights,
                "rank": rank if with_rank else None,
            }
        )
    return rows


def _project_row(s: ProjectStatus) -> dict[str, Any]:
    return {
        "id": s.project.id,
        "name": s.project.name,
        "branch": s.project.branch,
        "branch_short": _short_branch(s.project.branch),
        "responsible_unit": s.project.responsible_unit,
        "liaison_leader": s.project.liaison_leader,
        "liaison_name": (s.project.liaison_leader or "—").split("（")[0],  # 刘某某, without the post
        "stage": s.stage,
        "total_investment": s.project.total_investment,
        "annual_plan": s.annual_plan,
        "completed_ytd": s.completed_ytd,
        "plan_rate": s.plan_rate,
        "schedule": s.schedule if s.ahead is not None else None,
        "ahead": s.ahead,
        "monthly": s.monthly if s.ahead is not None else None,
        "monthly_ahead": s.monthly_ahead,
        "light": LIGHT_WORDS[s.light] if s.light else "—",
        # why it is lit (approvals waiting are the 手续 paragraph's)
        "reasons": "；".join(r.brief for r in s.reasons if not isinstance(r, ApprovalWait)),
    }


def _short_branch(branch: str | None) -> str:
    """A 分指挥部 as the detail table's column names it: 工业新区 for 工业新区分指挥部 (its heading says 分指挥部)."""
    if not branch:
        return "—"
    return branch.removesuffix("分指挥部") or branch


def summary_context(s: Summary) -> dict[str, Any]:
    return {
        "projects": s.projects,
        "total_investment": s.total_investment,
        "annual_plan": s.annual_plan,
        "completed_ytd": s.completed_ytd,
        "annual_target": s.annual_target,
        "target_rate": s.target_rate,
        "plan_rate": s.plan_rate,
        "time_progress": s.time_progress,
        "ahead": s.ahead,
        "new_start": s.new_start,
        "start_resume": s.start_resume,
        "scheduled_start": s.scheduled_start,
        "completion": s.completion,
        "production": s.production,
        "progress_rate": s.progress_rate,
        "lights": s.lights,
        "slow": len(s.lagging),
    }


def monthly_context(ledger: Ledger, year: int, month: int, date: dt.date, doc_no: str) -> dict[str, Any]:
    """关于Y年1—M月全市（全县）重点项目建设进展情况的通报, figures as of the month's last day; ``doc_no`` is the
    发文字号 the register gives it (``xmtj.changes.briefings``)."""
    as_of = month_end(year, month)
    config = ledger.config
    lights = config.lights
    statuses = ledger_statuses(ledger, year, as_of)
    summary = summarize(statuses, year, as_of, lights, config.targets.get(year))
    projects = ledger.project_by_id

    def this_month(day: dt.date | None) -> bool:
        return _in_month(day, year, month)

    def this_year(day: dt.date | None) -> bool:
        return within_year(day, year, as_of)

    kinds = {
        by: group_summaries(statuses, by, year, as_of, lights, group_order(config, by))
        for by in ("level", "investment_type", "sector")
    }  # by a vocabulary, in xmtj.yaml's order; fmt: skip

    def started_in_month(s: ProjectStatus) -> bool:
        return this_month(s.project.actual_start)

    open_now = sorted((i for i in ledger.issues if i.is_open_on(as_of)), key=lambda i: i.id)
    branch_groups = group_summaries(statuses, "branch", year, as_of, lights)
    letters = letters_context(ledger, Month(year, month), date, projects)
    month_total = total_of_month([s.project for s in statuses], Month(year, month).key)
    prose = narrative_context(ledger, Month(year, month), statuses, summary, branch_groups, month_total, open_now,
                              [i for i in open_now if i.is_overdue_on(as_of)], letters["letters_overdue"])  # fmt: skip
    open_problems: dict[str, list[str]] = {}
    for issue in open_now:
        if issue.project:
            open_problems.setdefault(issue.project, []).append(issue.description)

    return {
        "office": ledger.config.office,
        "city": ledger.config.city,
        "place": place_words(ledger.config),
        "year": year,
        "month": month,
        "as_of": as_of,
        "date": date,  # 成文日期
        "doc_no": doc_no,
        "cc": config.documents.cc,  # 版记: 抄送机关 and 印发机关
        "issuer": config.documents.issuer or config.office,
        "span": fmt.months_span(as_of),
        "title": f"关于{year}年{fmt.months_span(as_of)}{place_words(ledger.config)['whole']}重点项目建设进展情况的通报",
        "summary": summary_context(summary),
        "lights_sentence": lights_sentence(summary.lights, len(summary.lagging)),
        "column_note": COLUMN_NOTE,
        "by_level": _group_rows(kinds["level"]),
        "levels_note": levels_note(statuses),
        "by_investment_type": _group_rows(kinds["investment_type"]),
        "by_sector": _group_rows(kinds["sector"]),
        "groups_sentence": "；".join(
            groups_sentence(caption, kinds[by], summary.time_progress)
            for caption, by in (("按投资类型", "investment_type"), ("按行业", "sector"), ("按项目级别", "level"))
        ),
        "branches": _group_rows(branch_groups, with_rank=True),
        "lagging": [_project_row(s) for s in summary.lagging],
        "issues_month": issue_counts(ledger.issues, this_month, as_of),
        "issues_year": issue_counts(ledger.issues, this_year, as_of),
        **_issue_lists(open_now, summary, projects, as_of),
        **letters,
        **prose,
        "meetings": dict(Counter(m.kind for m in ledger.meetings if this_month(m.date))),
        "new_starts": [_project_row(s) for s in statuses if started_in_month(s)],
        "completions": [_project_row(s) for s in statuses if this_month(s.project.actual_completion)],
        "productions": [_project_row(s) for s in statuses if this_month(s.project.actual_production)],
        "approvals_sentence": _approvals_sentence(ledger, statuses, as_of),
        "dispatch": _dispatch_context(ledger, Month(year, month)),
        "month_total": month_total,
        "openings": openings([s.project for s in statuses], Month(year, month).key),  # 期初数: not in the month
        "details": [_detail_row(s, open_problems) for s in statuses],
    }


ZERO = Decimal(0)


def _issue_lists(
    open_now: list[Issue], summary: Summary, projects: dict[str, Project], as_of: dt.date
) -> dict[str, Any]:
    """Of the problems open at the month's end (``open_now``, by id): the overdue ones (``listed``: named in
    the 亮灯 list already, as a reason its project is lit for) and, for 附件2, all, the longest overdue first."""
    listed = {r.issue for x in summary.lagging for r in x.reasons if isinstance(r, OverdueIssue)}

    def row(i: Issue) -> dict[str, Any]:
        project = projects[i.project].name if i.project in projects else "—"
        state = f"逾期{i.days_overdue(as_of)}天" if i.is_overdue_on(as_of) else "未到期"
        return {"id": i.id, "listed": i.id in listed, "project": project, "description": i.description,
                "category": i.category, "responsible_unit": i.responsible_unit, "deadline": i.deadline,
                "days": i.days_overdue(as_of), "state": state}  # fmt: skip

    longest = sorted(open_now, key=lambda i: -i.days_overdue(as_of))  # stable: by id among equals
    overdue = [row(i) for i in open_now if i.is_overdue_on(as_of)]
    return {"overdue_issues": overdue, "open_issues": [row(i) for i in longest]}


def _dispatch_context(ledger: Ledger, month: Month) -> dict[str, Any] | None:
    """The month's 调度表: how many units were sent one, and which of them lack figures (None when none was
    sent). A unit lacks figures only when one of its projects has no figure for the month, whatever route
    the others came by."""

    sent = dispatched(ledger, month)
    if sent is None:
        return None
    returns = unit_returns(ledger, month, sent)
    return {"due": sent.due, "sent": len(returns), "missing": [r.unit for r in returns if not r.complete]}


def _approvals_sentence(ledger: Ledger, statuses: list[ProjectStatus], as_of: dt.date) -> str:
    """手续办理: the key projects' approvals not yet granted (and those waiting too long), open problems of
    the 手续 category, and how many projects have none recorded (``sentences.approvals_sentence``)."""

    projects = [s.project for s in statuses]
    rows = approval_rows(ledger, as_of, pending=True, projects=projects)
    keys = {p.id for p in projects}
    problems = sorted((i for i in ledger.issues if i.category == "手续" and i.project in keys and i.is_open_on(as_of)),
                      key=lambda i: i.id)  # fmt: skip
    recorded = sum(1 for p in projects if p.approvals)
    names = {p.id: p.name for p in projects}
    return approvals_sentence(len(projects), recorded, rows, ledger.config.approvals.remind_days, problems, names)


def levels_note(statuses: list[ProjectStatus]) -> str:
    """Under the table by level: a project on several levels' lists is counted in each (so the rows add up
    to more than the projects), said with the figures."""
    several = sum(1 for s in statuses if len(s.project.levels) > 1)
    counted = sum(max(len(s.project.levels), 1) for s in statuses)
    if not several:
        return "每个项目只属于一个级别。"
    return (
        f"{several}个项目同时属于多个级别，在所属各级别中分别计数，故各级别项目数合计{counted}个，"
        f"多于重点项目总数{len(statuses)}个。"
    )


def _detail_row(s: ProjectStatus, open_problems: dict[str, list[str]]) -> dict[str, Any]:
    """A row of the detail table: the project's figures, the month's figure and 形象进度, its open problems."""
    amount, text = month_figure(s.project, month_key(s.as_of))
    return _project_row(s) | {
        "month_amount": amount,
        "image": image_text(s, text) or "—",
        "problems": "；".join(open_problems.get(s.project.id, [])) or "—",
        "problem_count": len(open_problems.get(s.project.id, [])) or "—",
    }


def render_briefing(ledger: Ledger, month: Month, date: dt.date | None = None, doc_no: str = "") -> str:
    """The monthly 通报 of ``month`` from the ledger's template, dated ``date`` (the month's last day when not
    given), numbered ``doc_no``."""

    day = date or month.last_day
    if day < month.last_day:
        raise XmtjError(f"成文日期 {day} 早于数据截至日期 {month.last_day}")
    context = monthly_context(ledger, month.year, month.number, day, doc_no)
    return render(ledger.root, "report.md.j2", context, ledger.files)


def rollup_context(ledger: Ledger, report: Any, date: dt.date | None = None, doc_no: str = "") -> dict[str, Any]:
    """The context of ``rollup.md.j2``: a roll-up's totals, its members ranked, 未报送 and 报送有误."""
    as_of = report.as_of
    words = place_words(ledger.config)
    ranked = [dataclasses.replace(m.summary, key=m.read.member.name) for m in report.members]
    missing = [r.member.name for r in report.missing]
    steps = rollup_steps(report.month, report.total, ranked, missing)
    return {
        "office": ledger.config.office,
        "place": words,
        "year": report.year,
        "span": fmt.months_span(as_of),
        "month_cn": f"{report.year}年{fmt.months_span(as_of)}",
        "date": date or as_of,
        "doc_no": doc_no,
        "title": f"关于{report.year}年{fmt.months_span(as_of)}{words['whole']}重点项目建设进展情况的通报",
        "total": summary_context(report.total),
        "lights_sentence": lights_sentence(report.total.lights),
        "target_source": report.target_source,
        "head": report.head,
        "members": [
            {"name": m.read.member.name, "s": summary_context(m.summary), "rank": m.rank} for m in report.members
        ],
        "missing": missing,
        "ranking_sentence": ranking_sentence(ranked, "县（市、区）", report.total.time_progress),
        "next_steps": [{"name": x.name, "ordinal": ORDINALS[i], "facts": x.facts} for i, x in enumerate(steps)],
        "invalid": [{"name": r.member.name, "problems": [str(p) for p in r.problems[:5]]} for r in report.invalid],
    }


def render_rollup(ledger: Ledger, report: Any, date: dt.date | None = None, doc_no: str = "") -> str:

    return render(ledger.root, "rollup.md.j2", rollup_context(ledger, report, date, doc_no), ledger.files)


def briefing_date(month: Month, given: dt.date | None, today: dt.date, issuing: bool) -> dt.date:
    """The 成文日期 of ``month``'s 通报: ``given``; else today, when today falls in the month after it (when
    通报 are written); else — for a preview — the month's last day, while issuing one asks for ``--date``."""
    if given is not None:
        if given < month.last_day:
            raise XmtjError(f"成文日期 {given} 早于数据截至日期 {month.last_day}")
        return given
    if Month.of(today) == month.next:
        return today
    if issuing:
        raise XmtjError(
            f"今天（{today.isoformat()}）不在{month.next.cn}，无法默认成文日期：请用 --date 指定，"
            f"例如 --date {month.next.first_day.replace(day=min(10, month.next.last_day.day)).isoformat()}"
        )
    return month.last_day


Briefer = Callable[[Ledger, dt.date, str], str]  # (ledger, 成文日期, 发文字号) → the 通报's Markdown


def as_issued(ledger: Ledger, issued: Briefing, form: str, render: Briefer) -> tuple[bytes, bool]:
    """An issued 通报 (``form``: md or docx) as it went out: the file the registering commit saved, or the
    document rendered from the ledger as that commit left it; and whether it came from git (False: made
    from the records as they are now, under its registered number and date)."""

    revision = registered_at(ledger, issued.path)
    if revision is not None and issued.file and issued.file.endswith(f".{form}"):
        found = file_at(ledger, revision, issued.file)
        if found is not None:
            return found, True
    then = load_ledger(ledger.root, revision) if revision is not None else ledger
    text = render(then, issued.date, issued.doc_no)
    return (to_word(ledger, text) if form == "docx" else text.encode("utf-8")), revision is not None


def to_word(ledger: Ledger, markdown: str) -> bytes:
    """A 通报's Markdown as a Word 公文 (文件格式; the detail table a landscape attachment)."""

    return to_docx(markdown, ledger.config.office, letter_form=False, landscape_attachments=True)
