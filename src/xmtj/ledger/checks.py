"""Cross-record checks: each a small named function ``(ledger) -> problems``, kept in one list."""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import PurePosixPath

from xmtj.ledger.ledger import Ledger
from xmtj.ledger.reading import locate_problems
from xmtj.ledger.records import CONTINUING, Letter, Record, Sourced
from xmtj.ledger.register import REGISTER_DIR, doc_number, issued_in_history
from xmtj.ledger.registry import MODELS, RECORD_KINDS, word
from xmtj.ledger.sources import WorkingTree, orphans
from xmtj.months import Month, before, month_key
from xmtj.problems import Problem

Check = Callable[[Ledger], Iterable[Problem]]


def _all_records(ledger: Ledger) -> Iterator[tuple[str, Record]]:
    for kind in RECORD_KINDS:
        for record in getattr(ledger, kind):
            yield kind, record


def _error(record: Sourced, field: str, message: str) -> Problem:
    return Problem(record.path, None, None, field, message, "error")


def _warning(record: Sourced, field: str, message: str) -> Problem:
    return Problem(record.path, None, None, field, message, "warning")


def duplicate_ids(ledger: Ledger) -> Iterator[Problem]:
    """The same id in two files of one kind: both are named (and both left out of every figure)."""
    for kind in RECORD_KINDS:
        seen: dict[str, Record] = {}
        named: set[str] = set()
        for record in getattr(ledger, kind):
            rid = record.id
            if rid in seen:
                first = seen[rid]
                yield _error(record, "id", f"{word(kind)}编号 {rid} 重复，已用于 {first.path}")
                if first.path not in named:
                    named.add(first.path)
                    yield _error(first, "id", f"{word(kind)}编号 {rid} 重复，另见 {record.path}")
            else:
                seen[rid] = record


def id_matches_file_name(ledger: Ledger) -> Iterator[Problem]:
    """A record's id is its file's name."""
    for _, record in _all_records(ledger):
        rid, path = record.id, record.path
        if path.endswith((f"/{rid}.yaml", f"/{rid}.yml")):
            continue  # the usual case, decided without building a path (a province has 60,000 records)
        stem = PurePosixPath(path).stem
        if rid != stem:
            yield _error(record, "id", f"编号 {rid} 与文件名 {stem} 不一致")


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``，是否应为“…”？`` naming the closest choice, or nothing."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f"，是否应为“{close[0]}”？" if close else ""


def references(ledger: Ledger) -> Iterator[Problem]:
    """Problems point at existing projects and meetings; meetings at existing projects."""
    projects, meetings = ledger.project_by_id, ledger.meeting_by_id
    for issue in ledger.issues:
        if issue.project and issue.project not in projects:
            yield _error(issue, "project", f"项目 {issue.project} 不存在{did_you_mean(issue.project, projects)}")
        if issue.meeting and issue.meeting not in meetings:
            yield _error(issue, "meeting", f"活动 {issue.meeting} 不存在{did_you_mean(issue.meeting, meetings)}")
    for meeting in ledger.meetings:
        for i, pid in enumerate(meeting.projects):
            if pid not in projects:
                yield _error(meeting, f"projects[{i}]", f"项目 {pid} 不存在{did_you_mean(pid, projects)}")


def vocabularies(ledger: Ledger) -> Iterator[Problem]:
    """分指挥部, 项目级别 and 行业 come from the lists in xmtj.yaml."""
    config = ledger.config
    vocabularies = (("branch", "branches", "分指挥部"), ("sector", "sectors", "行业"), ("levels", "levels", "项目级别"),
                    ("nature", "natures", "建设性质"))  # fmt: skip
    for project in ledger.projects:
        for name, setting, label in vocabularies:
            allowed: list[str] = getattr(config, setting)
            value = getattr(project, name)
            values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for i, item in values:
                if allowed and item is not None and item not in allowed:
                    field = name if i is None else f"{name}[{i}]"
                    hint = did_you_mean(item, allowed)
                    yield _error(project, field, f"{label}“{item}”不在 xmtj.yaml 的 {setting} 中{hint}")


def date_order(ledger: Ledger) -> Iterator[Problem]:
    """Completion and production not before start; resolution not before raising."""
    pairs = (
        ("actual_start", "actual_completion", "实际竣工日期早于实际开工日期"),
        ("actual_start", "actual_production", "实际投产日期早于实际开工日期"),
        ("planned_start", "planned_completion", "计划竣工日期早于计划开工日期"),
        ("planned_start", "planned_production", "计划投产日期早于计划开工日期"),
    )
    for project in ledger.projects:
        for first, later, message in pairs:
            a, b = getattr(project, first), getattr(project, later)
            if a and b and before(b, a):
                yield _error(project, later, f"{message}（{b} 早于 {a}）")
        if project.actual_start is None:
            for name in ("actual_completion", "actual_production"):
                if getattr(project, name):
                    yield _error(project, name, "尚未填写实际开工日期（actual_start），不能先竣工或投产")
    for issue in ledger.issues:
        if issue.resolved_on and issue.resolved_on < issue.raised_on:
            yield _error(issue, "resolved_on", f"办结日期 {issue.resolved_on} 早于提出日期 {issue.raised_on}")
        if issue.deadline and issue.deadline < issue.raised_on:
            yield _error(issue, "deadline", f"办结时限 {issue.deadline} 早于提出日期 {issue.raised_on}")


def nature_and_start(ledger: Ledger) -> Iterator[Problem]:
    """建设性质 and the recorded start agree: a 续建 project started before its first key year (without a
    start recorded it is counted as started then: say so), a 新建 one not."""
    for project in ledger.projects:
        first = min(project.key_years, default=None)
        start = project.actual_start
        if project.nature == CONTINUING:
            if start is None:
                yield _warning(
                    project, "actual_start", "建设性质为续建，但没有实际开工日期：按以前年度已开工计，请补填"
                )
            elif first is not None and start.year >= first:
                yield _warning(
                    project, "nature", f"建设性质为续建，但实际开工日期 {start} 在{first}年（列为重点项目的首年）"
                )
        elif project.nature == "新建" and start is not None and first is not None and start.year < first:
            yield _warning(project, "nature", f"建设性质为新建，但实际开工日期 {start} 早于{first}年，应为续建")


def resolved_issues_have_dates(ledger: Ledger) -> Iterator[Problem]:
    """已办结 needs resolved_on; resolved_on needs 已办结."""
    for issue in ledger.issues:
        if issue.status == "已办结" and issue.resolved_on is None:
            yield _error(issue, "status", "状态为已办结，但没有填写办结日期（resolved_on）")
        if issue.status != "已办结" and issue.resolved_on is not None:
            yield _warning(issue, "resolved_on", f"填写了办结日期，但状态仍为“{issue.status}”")


def progress_plausible(ledger: Ledger) -> Iterator[Problem]:
    """Progress before the start, in a year without a plan, or beyond the total (warnings)."""
    for project in ledger.projects:
        start_month = month_key(project.actual_start) if project.actual_start else None
        total = Decimal(0)
        for month, entry in project.progress.items():
            total += entry.amount
            if entry.amount == 0:
                continue
            if start_month is None:
                yield _warning(project, f"progress.{month}", "项目尚未开工（无 actual_start），却填报了完成投资")
            elif month < start_month:
                yield _warning(project, f"progress.{month}", f"填报月份早于实际开工（{project.actual_start}）")
            year = Month.parse(month).year
            if year not in project.annual_plan:
                yield _warning(project, f"progress.{month}", f"{year}年没有年度计划投资（annual_plan.{year}）")
        if total > project.total_investment:
            yield _warning(
                project,
                "progress",
                f"累计完成投资 {total}万元 超过总投资 {project.total_investment}万元",
            )


def opening_balances(ledger: Ledger) -> Iterator[Problem]:
    """An opening balance (``since``) covers earlier months of its own year, and no month it covers has a
    figure of its own (it would be counted twice)."""
    for project in ledger.projects:
        for month, entry in project.progress.items():
            if entry.since is None:
                continue
            if not (entry.since < month and entry.since[:4] == month[:4]):
                yield _error(project, f"progress.{month}.since", f"期初数的起始月份 {entry.since} 应是 {month[:4]} 年 "
                             f"{month} 之前的月份")  # fmt: skip
                continue
            twice = [m for m in project.progress if entry.since <= m < month]
            if twice:
                yield _error(project, f"progress.{month}", f"期初数（{entry.since}—{month}）已包含 {'、'.join(twice)}，"
                             "这些月份不能再单独填报")  # fmt: skip


def key_project_basics(ledger: Ledger) -> Iterator[Problem]:
    """A key project of year Y is counted against its plan for Y and its planned start: warn when either
    is missing (the roll-up would count it with a plan of nothing, and never light it for a late start)."""
    for project in ledger.projects:
        for year in project.key_years:
            if year not in project.annual_plan:
                yield _warning(project, "annual_plan", f"列为{year}年重点项目，但没有{year}年的年度计划投资")
        if project.planned_start is None and project.actual_start is None:
            yield _warning(project, "planned_start", "重点项目没有计划开工日期：无法判断是否按期开工")


def problems_overdue(ledger: Ledger) -> Iterator[Problem]:
    """Problems still open past their 办结时限 on the day checked (``check --as-of``; default today)."""
    for issue in ledger.issues:
        days = issue.days_overdue(ledger.today)
        if days:
            yield _warning(issue, "deadline", f"办结时限 {issue.deadline} 已过{days}天，问题仍未办结")


def letter_register(ledger: Ledger) -> Iterator[Problem]:
    """The 督办提醒函 register: file names, duplicate numbers, gaps, unknown projects, late feedback."""
    projects = ledger.project_by_id
    by_year: dict[int, dict[int, Letter]] = defaultdict(dict)
    for letter in ledger.letters:
        stem = PurePosixPath(letter.path).stem
        if stem != letter.register_name:
            yield _error(letter, "number", f"文件名应为 {letter.register_name}.yaml（年份-编号），现为 {stem}.yaml")
        numbers = by_year[letter.year]
        if letter.number in numbers:
            yield _error(
                letter,
                "number",
                f"{letter.year}年督办提醒函编号 {letter.number} 重复，已用于 {numbers[letter.number].path}"
                "（常见于合并了两个分支各自发出的函），请重新编号其中一份并更正文号",
            )
        else:
            numbers[letter.number] = letter
        if letter.project not in projects:
            yield _error(letter, "project", f"项目 {letter.project} 不存在{did_you_mean(letter.project, projects)}")
        if letter.voided is None and letter.feedback_overdue_on(ledger.today):
            late = (ledger.today - letter.feedback_due).days
            yield _warning(letter, "feedback", f"书面反馈已逾期{late}天（期限 {letter.feedback_due}），尚未收到")
    for year, numbers in sorted(by_year.items()):
        ordered = [numbers[n] for n in sorted(numbers)]
        for earlier, later in itertools.pairwise(ordered):
            if later.date < earlier.date:
                message = f"成文日期 {later.date} 早于上一号（{earlier.doc_no}）的 {earlier.date}：文号应随日期先后编排"
                yield _warning(later, "date", message)
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            last = numbers[max(numbers)]
            shown = "、".join(str(n) for n in missing[:10]) + ("等" if len(missing) > 10 else "")
            yield _warning(last, "number", f"{year}年督办提醒函编号不连续：缺少第{shown}号")


def briefing_register(ledger: Ledger) -> Iterator[Problem]:
    """The 通报 register: file names, one number once a year, one live 通报 a month."""
    numbers: dict[tuple[int, int], Sourced] = {}
    months: dict[str, Sourced] = {}
    for briefing in ledger.briefings:
        stem = PurePosixPath(briefing.path).stem
        if stem != briefing.register_name:
            yield _error(briefing, "number", f"文件名应为 {briefing.register_name}.yaml（年份-编号），现为 {stem}.yaml")
        key = (briefing.year, briefing.number)
        if key in numbers:
            yield _error(
                briefing, "number", f"{briefing.year}年通报编号 {briefing.number} 重复，已用于 {numbers[key].path}"
            )
        numbers.setdefault(key, briefing)
        if briefing.voided is None:
            if briefing.period in months:
                yield _error(
                    briefing,
                    "period",
                    f"{briefing.period} 的通报已登记于 {months[briefing.period].path}；重新印发须先作废原通报",
                )
            months.setdefault(briefing.period, briefing)


def removed_letters(ledger: Ledger) -> Iterator[Problem]:
    """Letters registered once and later deleted from the register (their numbers are never reused)."""

    present = {(letter.year, letter.number) for letter in ledger.letters}
    for year, numbers in sorted(issued_in_history(ledger).items()):
        for number in sorted(numbers):
            if (year, number) not in present:
                doc_no = doc_number(ledger.config.letter_prefix, year, number)
                yield Problem(
                    f"{REGISTER_DIR}/{year}-{number}.yaml",
                    None,
                    None,
                    "number",
                    f"督办提醒函 {doc_no} 曾经登记，后来从登记簿中删除（见 git 历史）；该编号不会再次使用",
                    "warning",
                )


def leftover_temp_files(ledger: Ledger) -> Iterator[Problem]:
    """Temporary files of a write that was killed half way (the record itself was not changed)."""

    source = ledger.files
    if not isinstance(source, WorkingTree):
        return
    found = list(source.leftovers)  # the data folders', seen while they were listed
    letters = ledger.root / "letters"  # the documents' folders are small: listed here
    if letters.is_dir() and not letters.is_symlink():
        for folder in [letters, *(p for p in letters.iterdir() if p.is_dir() and not p.is_symlink())]:
            found += [path.relative_to(ledger.root).as_posix() for path in orphans(folder)]
    for rel in sorted(set(found)):
        yield Problem(
            rel,
            None,
            None,
            "",
            "上次写入被中断时留下的临时文件，记录本身未受影响；可以删除（下次修改台账时会自动清理）",
            "warning",
        )


CHECKS: list[Check] = [
    duplicate_ids,
    id_matches_file_name,
    references,
    vocabularies,
    date_order,
    nature_and_start,
    resolved_issues_have_dates,
    progress_plausible,
    opening_balances,
    key_project_basics,
    problems_overdue,
    letter_register,
    briefing_register,
    removed_letters,
    leftover_temp_files,
]


def check_ledger(ledger: Ledger, checks: Iterable[Check] | None = None) -> list[Problem]:
    """Every problem: those found while loading plus those of the cross-record checks, sorted."""
    found: list[Problem] = list(ledger.problems)
    cross: list[Problem] = []
    for check in CHECKS if checks is None else checks:
        cross.extend(check(ledger))
    found.extend(locate_problems(ledger.files, cross))
    return sorted(found, key=lambda p: p.sort_key)


def count_by_severity(problems: Iterable[Problem]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for p in problems:
        counts[p.severity] += 1
    return {"error": counts["error"], "warning": counts["warning"]}


def summary_line(ledger: Ledger, counts: dict[str, int]) -> str:
    """``check``'s closing line: what was read, and how many errors and warnings."""
    files = sum(len(getattr(ledger, k)) for k in MODELS)
    return (
        f"已检查：项目{len(ledger.projects)}个、问题{len(ledger.issues)}个、活动{len(ledger.meetings)}个、"
        f"督办提醒函{len(ledger.letters)}份（有效文件{files}个）；错误{counts['error']}处，警告{counts['warning']}处。"
    )
