"""The 通报 in prose: what changed since last month, who leads and who trails, what started early or late,
what blocks, what comes next — each sentence built here from the records by one function, and tested
against the figures it states (``tests/documents/test_prose.py``).

Differences are of the percentages as printed (``fmt.shown_points``), so that a reader who subtracts the
two printed figures gets the printed difference; a count is said with the names it counts (the first few,
then 等); where nothing happened the sentence says so, never more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from xmtj.figures import fmt
from xmtj.figures.metrics import LIGHT_WORDS, ProjectStatus, Summary
from xmtj.ledger.records import Issue, Project
from xmtj.months import Month, before, month_key

NAMED = 3  # names said before 等


def names(items: Sequence[str], limit: int = NAMED) -> str:
    """``甲、乙、丙等`` — the first ``limit`` names, and 等 when there are more."""
    return "、".join(items[:limit]) + ("等" if len(items) > limit else "")


def below(rate: Fraction | None, time_progress: Fraction) -> bool:
    """A 完成率 below 时序进度, as printed."""
    return rate is not None and fmt.shown_points(rate) < fmt.shown_points(time_progress)


def change(now: Fraction | None, then: Fraction | None, unit: str = "个百分点") -> str:
    """``较上月提高3.2个百分点`` / ``下降`` / ``与上月持平``, from the printed percentages."""
    if now is None or then is None:
        return ""
    diff = fmt.shown_points(now) - fmt.shown_points(then)
    if diff == 0:
        return "与上月持平"
    return f"较上月{'提高' if diff > 0 else '下降'}{fmt.points(abs(diff), signed=False)}{unit}"


@dataclass(frozen=True)
class Previous:
    """The month a 通报 is compared with: its figures, and where they come from (the 通报 issued for it,
    as the ledger stood when it was registered, or the ledger's figures for that month)."""

    month: Month
    summary: Summary
    statuses: Sequence[ProjectStatus]
    month_total: Decimal
    source: str  # 上月通报（河重指办〔2021〕10号） or 上月数据


def plan_rate_change(s: Summary, previous: Previous | None) -> str:
    """``完成年度计划的102.3%，较上月提高9.3个百分点`` (the change left out without a previous month)."""
    text = f"完成年度计划的{fmt.pct(s.plan_rate)}"
    said = change(s.plan_rate, previous.summary.plan_rate) if previous is not None else ""
    return text + (f"，{said}" if said else "")


def month_sentence(s: Summary, month_total: Decimal, month: Month, previous: Previous | None) -> str:
    """``11月当月完成投资8.53亿元，占年度计划的16.2%，较上月增加0.49亿元`` (亿元 as printed, differences of the
    printed figures)."""
    text = f"{month.number}月当月完成投资{fmt.yi(month_total)}亿元"
    if s.annual_plan:
        text += f"，占年度计划的{fmt.pct(Fraction(month_total) / Fraction(s.annual_plan))}"
    if previous is not None:
        diff = Decimal(fmt.yi(month_total)) - Decimal(fmt.yi(previous.month_total))
        text += "，与上月持平" if diff == 0 else f"，较上月{'增加' if diff > 0 else '减少'}{abs(diff):.2f}亿元"
    return text


def lights_change(now: Sequence[ProjectStatus], previous: Previous | None) -> str:
    """新亮灯, 升级 (黄→红), 降级 (红→黄) and 摘灯 since the previous month, each with its projects."""
    if previous is None:
        return ""
    was = {s.project.id: s.light for s in previous.statuses}
    lit = ("red", "yellow")
    new = {key: [s.project.name for s in now if s.light == key and was.get(s.project.id) not in lit] for key in lit}
    up = [s.project.name for s in now if s.light == "red" and was.get(s.project.id) == "yellow"]
    down = [s.project.name for s in now if s.light == "yellow" and was.get(s.project.id) == "red"]
    off = [s.project.name for s in now if s.light not in lit and was.get(s.project.id) in lit]
    parts = [f"新亮{LIGHT_WORDS[k]}{len(v)}个（{names(v, 2)}）" for k, v in new.items() if v]
    parts += [f"由黄灯升为红灯{len(up)}个（{names(up, 2)}）"] if up else []
    parts += [f"由红灯降为黄灯{len(down)}个（{names(down, 2)}）"] if down else []
    parts += [f"摘灯{len(off)}个（{names(off, 2)}）"] if off else []
    return ("与上月相比，" + "，".join(parts) + "。") if parts else "亮灯项目与上月相同。"


def ranked(groups: Sequence[Summary], count: int) -> tuple[list[Summary], list[Summary]]:
    """The first and the last ``count`` groups by 完成率 as printed, ties at the edge taken in whole; with
    fewer than twice ``count`` groups, the first and last halves."""
    shown = [(g, fmt.pct(g.plan_rate)) for g in groups if g.plan_rate is not None]
    k = min(count, len(shown) // 2)
    if not k:
        return [], []
    rates = [g.plan_rate or Fraction(0) for g, _ in shown]
    cut_top = fmt.shown_points(rates[k - 1])
    top = [g for g, _ in shown if fmt.shown_points(g.plan_rate or Fraction(0)) >= cut_top]
    cut_bottom = fmt.shown_points(rates[-k])
    bottom = [g for g, _ in shown if fmt.shown_points(g.plan_rate or Fraction(0)) <= cut_bottom and g not in top]
    return top, bottom


def ranking_sentence(groups: Sequence[Summary], noun: str, time_progress: Fraction) -> str:
    """``按年度计划完成率，各分指挥部中排名前三位的是…；排名后三位的是…。完成率低于时序进度（91.7%）的有…；
    有红灯项目的有…。``"""
    if len(groups) < 2:
        return ""
    top, bottom = ranked(groups, 3)

    def listed(items: Sequence[Summary]) -> str:
        return "、".join(f"{g.key}（{fmt.pct(g.plan_rate)}）" for g in items)

    text = f"按年度计划完成率，各{noun}中排名靠前的是{listed(top)}；排名靠后的是{listed(bottom)}。"
    if len(top) == 3 and len(bottom) == 3:
        text = f"按年度计划完成率，各{noun}中排名前三位的是{listed(top)}；排名后三位的是{listed(bottom)}。"
    behind = [g.key for g in groups if below(g.plan_rate, time_progress)]
    if behind:
        text += f"完成率低于时序进度（{fmt.pct(time_progress)}）的有{'、'.join(behind)}{len(behind)}个{noun}"
    else:
        text += f"各{noun}完成率均不低于时序进度（{fmt.pct(time_progress)}）"
    red = [f"{g.key}（{g.lights['red']}个）" for g in groups if g.lights.get("red")]
    text += f"；有红灯项目的是{'、'.join(red)}。" if red else "；各" + noun + "均无红灯项目。"
    return text


@dataclass(frozen=True)
class Milestone:
    """One kind of milestone (开工, 竣工, 投产) of a year: planned in the year, done, early, late."""

    word: str
    planned: list[Project]
    done: list[Project]
    early: list[Project]  # done in an earlier month than planned
    late: list[Project]  # planned for a month now past, not done by the day


MILESTONES = (("开工", "planned_start", "actual_start"), ("竣工", "planned_completion", "actual_completion"),
              ("投产", "planned_production", "actual_production"))  # fmt: skip


def milestones(projects: Iterable[Project], year: int, as_of: dt.date) -> list[Milestone]:
    """Each milestone counted from the records: planned in ``year``; done by ``as_of`` (of those, early:
    in a month before the planned one); late: its planned month ended by ``as_of`` and not done."""
    found = []
    this = Month.of(as_of).key
    pool = list(projects)
    for word, plan_field, done_field in MILESTONES:
        planned = [p for p in pool if (d := getattr(p, plan_field)) is not None and d.year == year]
        done = [p for p in planned if (a := getattr(p, done_field)) is not None and not before(as_of, a)]
        early = [p for p in done if month_key(getattr(p, done_field)) < month_key(getattr(p, plan_field))]
        late = [p for p in planned if p not in done and month_key(getattr(p, plan_field)) < this]
        found.append(Milestone(word, planned, done, early, late))
    return found


def milestone_sentence(items: Sequence[Milestone], year: int) -> str:
    """``{year}年提前开工12个（…），未按计划开工5个（…）；提前竣工3个（…）……`` — of the milestones planned in
    the year, those done before their planned month and those whose month has passed undone, named."""
    parts = []
    for m in items:
        said = []
        if m.early:
            said.append(f"提前{m.word}{len(m.early)}个（{names([p.name for p in m.early], 2)}）")
        if m.late:
            said.append(f"未按计划{m.word}{len(m.late)}个（{names([p.name for p in m.late], 2)}）")
        if m.planned and not said:
            said.append(f"计划{m.word}{len(m.planned)}个，无逾期未{m.word}")
        if said:
            parts.append("，".join(said))
    if not parts:
        return f"{year}年重点项目未登记计划开工、竣工、投产时间。"
    return f"{year}年计划开工、竣工、投产的项目中，" + "；".join(parts) + "。"


def groups_sentence(caption: str, groups: Sequence[Summary], time_progress: Fraction) -> str:
    """``按投资类型，政府投资32个、完成105.2%，社会投资68个、完成100.7%`` and those below 时序进度 named."""
    listed = "，".join(f"{g.key}{g.projects}个、完成{fmt.pct(g.plan_rate)}" for g in groups)
    behind = [g.key for g in groups if below(g.plan_rate, time_progress)]
    text = f"{caption}，{listed}"
    if behind:
        text += f"，其中{'、'.join(behind)}低于时序进度"
    return text


def problems_sentence(open_issues: Sequence[Issue], projects: dict[str, Project], as_of: dt.date) -> str:
    """``截至月底未办结问题X个，主要集中在用地（a个）、资金（b个）…；办理时间最长的是…（已N天）…。``"""
    if not open_issues:
        return "截至月底，没有未办结的问题。"
    by_category = Counter(i.category for i in open_issues).most_common()
    spread = "、".join(f"{c}（{n}个）" for c, n in by_category[:4])
    text = f"截至月底未办结问题{len(open_issues)}个，" + (
        f"均为{by_category[0][0]}问题" if len(by_category) == 1 else f"主要集中在{spread}"
    )
    if len(by_category) > 4:
        text += "等方面"
    oldest = sorted(open_issues, key=lambda i: (i.raised_on, i.id))[:1]
    cases = "、".join(
        f"{projects[i.project].name if i.project in projects else '（未关联项目）'}“{i.description}”"
        f"（已{(as_of - i.raised_on).days}天）"
        for i in oldest
    )
    return text + f"；办理时间最长的是{cases}。"


@dataclass(frozen=True)
class Step:
    """A block of 下步工作 that fits the month: its name (a macro of ``templates/next_steps.md.j2``) and the
    facts its text may say."""

    name: str
    facts: dict[str, object]


def next_steps(
    month: Month,
    summary: Summary,
    groups: Sequence[Summary],
    noun: str,
    marks: Sequence[Milestone],
    overdue: Sequence[Issue],
    letters_overdue: int,
) -> list[Step]:
    """The 下步工作 blocks whose conditions hold this month, in the order a 通报 gives them; each block's
    condition is stated here and nowhere else (``tests/documents/test_prose.py`` checks both ways)."""
    steps = []
    late = {m.word: m.late for m in marks}
    if late.get("开工"):
        steps.append(Step("start", {"count": len(late["开工"]), "names": names([p.name for p in late["开工"]])}))
    behind = [g.key for g in groups if below(g.plan_rate, summary.time_progress)]
    red, yellow = summary.lights.get("red", 0), summary.lights.get("yellow", 0)
    if behind or red or yellow:
        steps.append(Step("catch_up", {"groups": "、".join(behind), "noun": noun, "red": red, "yellow": yellow}))
    finishing = late.get("竣工", []) + [p for p in late.get("投产", []) if p not in late.get("竣工", [])]
    if finishing:
        steps.append(Step("finish", {"count": len(finishing), "names": names([p.name for p in finishing])}))
    if overdue:
        units = sorted({i.responsible_unit for i in overdue})
        steps.append(Step("problems", {"count": len(overdue), "units": names(units)}))
    if letters_overdue:
        steps.append(Step("letters", {"count": letters_overdue}))
    if month.number >= 10 and summary.annual_plan > summary.completed_ytd:
        left = summary.annual_plan - summary.completed_ytd
        steps.append(Step("year_end", {"months": 12 - month.number, "left": fmt.yi(left)}))
    elif month.number >= 10:
        steps.append(Step("year_end_done", {"months": 12 - month.number}))
    if not steps:
        steps.append(Step("keep", {}))
    return steps


def rollup_steps(month: Month, total: Summary, members: Sequence[Summary], missing: Sequence[str]) -> list[Step]:
    """下步工作 of a roll-up's 通报: members that did not report, those below 时序进度, the year's end."""
    steps = (
        [Step("reporting", {"count": len(missing), "names": "、".join(missing), "month": month.cn})] if missing else []
    )
    found = next_steps(month, total, members, "县（市、区）", [], [], 0)
    return steps + [s for s in found if s.name != "keep" or not steps]
