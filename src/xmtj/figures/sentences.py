"""The sentences that state the figures: each built from the records by one function here, and used alike
by ``status``, the 通报, the letters and the pages, so that one fact is said one way everywhere.

Nothing is said that the records do not show: counts are said with what they add up to (红 + 黄 + 绿 +
未到期 = the projects counted), a difference with the word its sign calls for, and where nothing is
recorded the sentence says so (``本月未登记手续办理情况``), never that all is done.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from xmtj.figures import fmt
from xmtj.figures.approvals import ApprovalRow
from xmtj.figures.fmt import date_cn
from xmtj.figures.metrics import LIGHT_KEYS, ProjectStatus, Rate, Summary
from xmtj.ledger.records import Issue, Letter

# what a status table's columns mean, said under every one (one meaning per column)
COLUMN_NOTE = (
    "序时进度：计划年内开工的项目自计划开工月份起算，其余为全年时序进度；超欠序时＝完成率－序时进度。"
    "有月度计划的项目按月度计划进度亮灯（超欠月度计划＝完成率－月度计划进度）。差值按显示的百分比相减。"
)


def image_text(status: ProjectStatus, text: str | None) -> str | None:
    """形象进度 as recorded for the month; for a completed project with none recorded, 已竣工 / 已投产."""
    if text:
        return text
    if status.stage == "投产":
        return "已投产"
    if status.stage == "竣工":
        return "已竣工"
    return None


def rate_text(rate: Rate) -> str:
    """``87.5%（63/72）``: a rate with what it counts."""
    return f"{fmt.pct(rate.rate)}（{rate.done}/{rate.planned}）"


def lights_sentence(lights: Mapping[str, int], slow: int | None = None) -> str:
    """``亮灯：红灯7个，黄灯11个，绿灯78个，未到计划开工时间（不亮灯）4个，共100个；进展缓慢（亮红灯、黄灯）项目
    18个。`` — the counts add up to the total said."""
    counts = [lights.get(key, 0) for key in LIGHT_KEYS]
    red, yellow, green, not_due, unscheduled = counts
    parts = [f"红灯{red}个", f"黄灯{yellow}个", f"绿灯{green}个"]
    if not_due:
        parts.append(f"未到计划开工时间（不亮灯）{not_due}个")
    if unscheduled:
        parts.append(f"未登记计划开工时间（不亮灯）{unscheduled}个")
    text = "亮灯：" + "，".join(parts) + f"，共{sum(counts)}个"
    if slow is not None:
        text += f"；进展缓慢（亮红灯、黄灯）项目{slow}个"
    return text + "。"


def headline(summary: Summary, slow_listed: bool = True) -> list[str]:
    """The headline sentences of a set of key projects, in the office's words (亿元); the number of slow
    projects only where the summary lists them (a roll-up's sums do not: ``slow_listed=False``)."""
    lines = [
        f"重点项目{summary.projects}个，总投资{fmt.yi(summary.total_investment)}亿元，"
        f"年度计划投资{fmt.yi(summary.annual_plan)}亿元。",
    ]
    done = f"累计完成投资{fmt.yi(summary.completed_ytd)}亿元"
    if summary.annual_target:
        done += f"，占年度目标任务{fmt.yi(summary.annual_target)}亿元的{fmt.pct(summary.target_rate)}"
    done += (
        f"；完成年度计划的{fmt.pct(summary.plan_rate)}，时序进度{fmt.pct(summary.time_progress)}，"
        f"{fmt.ahead_words(summary.ahead)}。"
    )
    lines.append(done)
    lines.append(
        f"新开工率{rate_text(summary.new_start)}，开复工率{rate_text(summary.start_resume)}，"
        f"序时开工率{rate_text(summary.scheduled_start)}；"
        f"竣工率{rate_text(summary.completion)}，投产率{rate_text(summary.production)}；"
        f"推进率{rate_text(summary.progress_rate)}。"
    )
    lines.append(lights_sentence(summary.lights, len(summary.lagging) if slow_listed else None))
    return lines


def approvals_sentence(
    projects: int,
    recorded: int,
    pending: Sequence[ApprovalRow],
    limit: int,
    problems: Sequence[Issue],
    names: Mapping[str, str],
) -> str:
    """手续办理, from what is recorded: the approvals not yet granted (by item, and those waiting longer
    than ``limit`` days, the longest named), open problems of the 手续 category, and how many of the
    ``projects`` have any approval recorded (``recorded``). With nothing recorded it says so — never that
    every approval is done."""
    if not recorded and not problems:
        return "手续办理方面，本月未登记手续办理情况。"
    parts = []
    if pending:
        by_item = Counter(r.approval.item for r in pending)
        items = "、".join(f"{item}{n}项" for item, n in by_item.items())
        text = f"{len({r.project.id for r in pending})}个项目{len(pending)}项前期手续尚未办结（{items}）"
        long = sorted((r for r in pending if r.days_waiting is not None and r.days_waiting > limit),
                      key=lambda r: (-(r.days_waiting or 0), r.project.id))  # fmt: skip
        if long:  # the two projects waiting longest, each with its items
            by_project: dict[str, list[ApprovalRow]] = {}
            for r in long:
                by_project.setdefault(r.project.id, []).append(r)
            shown = list(by_project.values())[:2]
            named = "，".join(
                rows[0].project.name + "、".join(f"{r.approval.item}{r.days_waiting}天" for r in rows) for rows in shown
            )
            if len(by_project) > len(shown):
                named = f"最长的是{named}等"
            text += f"，其中已办理超过{limit}天的{len(long)}项（{named}）"
        parts.append(text)
    elif recorded:
        parts.append(f"已登记前期手续的{recorded}个项目，所登记的手续均已办结")
    if recorded < projects:
        parts.append(f"{projects - recorded}个项目未登记手续办理情况")
    if problems:
        cases = "、".join(f"{names.get(i.project or '', '')}“{i.description}”" for i in problems[:2])
        parts.append(f"另有手续类问题{len(problems)}个尚未办结（{cases}{'等' if len(problems) > 2 else ''}）")
    return "手续办理方面，" + "；".join(parts) + "。"


def letters_sentence(
    since: str,
    end: dt.date,
    issued: Sequence[Letter],
    replies: int,
    overdue: Sequence[Letter],
    voided: int,
    names: Mapping[str, str] | None = None,
) -> str:
    """督办情况 of a 通报: the letters issued in its period (``since``: 自上期通报（…）以来, or 2021年11月1日至
    2021年12月14日), by light, with their numbers (a run 2号至5号) and projects (``names``: id → name), the
    replies received in that time, the letters voided, and the letters past their 反馈期限 without a reply
    on ``end``, with the units they went to."""
    if not issued:
        text = f"{since}，未下发督办提醒函"
    else:
        red = sum(1 for x in issued if x.light == "红灯")
        text = f"{since}，共下发督办提醒函{len(issued)}份（红灯项目{red}份、黄灯项目{len(issued) - red}份"
        ordered = sorted(issued, key=lambda x: x.number)
        numbers = [x.number for x in ordered]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) > 1:
            text += f"，{ordered[0].doc_no}至{numbers[-1]}号"
        elif len(numbers) == 1:
            text += f"，{ordered[0].doc_no}"
        projects = [(names or {}).get(x.project, x.project) for x in ordered]
        text += f"；涉及{'、'.join(projects[:2])}{'等' if len(projects) > 2 else ''}）" if names else "）"
    text += f"；收到书面反馈{replies}份"
    if voided:
        text += f"；作废{voided}份"
    if overdue:
        units = Counter(x.recipient for x in overdue)
        whom = "、".join(f"{u}{n}份" if n > 1 else u for u, n in units.most_common(3))
        text += f"；截至{date_cn(end)}，逾期未反馈{len(overdue)}份（{whom}{'等' if len(units) > 3 else ''}）"
    return text + "。"
