"""The 总览 (``index.html``): the headline figures with the change since last month, completed investment by
month against the annual plan and the 时序 line, the lights, the 分指挥部 ranking, the rates, the open and
overdue problems and the letters awaiting replies — each figure from the function ``status`` and the 通报 use,
each sentence from ``xmtj.figures.prose``/``sentences``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xmtj.documents.narrative import previous_month, unanswered
from xmtj.figures import fmt
from xmtj.figures.metrics import ProjectStatus, Rate, Summary
from xmtj.figures.prose import change, lights_change, month_sentence, ranking_sentence
from xmtj.figures.schedule import completed_in_year, month_total, schedule_amount
from xmtj.figures.sentences import headline, lights_sentence
from xmtj.figures.status import group_summaries
from xmtj.ledger.ledger import Ledger
from xmtj.months import Month, expected_share_of_year, month_end
from xmtj.site.charts import Bar, Series, lights_chart, line_chart, ranking_chart
from xmtj.site.context import GROUP_KINDS, group_path, keyed, project_path, project_row
from xmtj.site.registers import awaiting, issue_rows


@dataclass(frozen=True)
class Figure:
    """A headline figure: ``key`` is its name in ``status --format json`` and ``value`` the figure there."""

    key: str
    label: str
    shown: str
    value: Any
    note: str = ""


def figures(s: Summary, previous_rate: Fraction | None, month_words: str) -> list[Figure]:
    """The headline figures, as ``status`` prints them (亿元, percentages to a tenth)."""
    found = [
        Figure("projects", "重点项目", f"{s.projects}个", s.projects),
        Figure("total_investment", "总投资", f"{fmt.yi(s.total_investment)}亿元", s.total_investment),
        Figure("annual_plan", "年度计划投资", f"{fmt.yi(s.annual_plan)}亿元", s.annual_plan),
        Figure("completed_ytd", "累计完成投资", f"{fmt.yi(s.completed_ytd)}亿元", s.completed_ytd, month_words),
        Figure("plan_rate", "完成年度计划", fmt.pct(s.plan_rate), s.plan_rate, change(s.plan_rate, previous_rate)),
        Figure("time_progress", "时序进度", fmt.pct(s.time_progress), s.time_progress, fmt.ahead_words(s.ahead)),
    ]
    if s.annual_target:
        found.insert(
            4,
            Figure(
                "target_rate", f"占年度目标任务{fmt.yi(s.annual_target)}亿元", fmt.pct(s.target_rate), s.target_rate
            ),
        )
    return found


def monthly_chart(s: Summary, statuses: Sequence[ProjectStatus]) -> Any:
    """Cumulative completed investment at each month's end (the last at the 截至 day) against the annual plan
    and 按时序应完成 (annual plan × the share of the year gone: the basis of every 时序 figure)."""
    months = list(range(1, s.as_of.month + 1)) if s.as_of.year == s.year else list(range(1, 13))
    done, due = [], []
    for m in months:
        day = min(month_end(s.year, m), s.as_of)
        done.append(sum((completed_in_year(x.project, s.year, day) for x in statuses), Decimal(0)))
        due.append(schedule_amount(s.annual_plan, expected_share_of_year(s.year, day)))
    return line_chart(
        f"{s.year}年累计完成投资与时序进度（万元）",
        [f"{m}月" for m in months],
        [
            Series("累计完成", "done", done),
            Series("按时序应完成", "due", due),
            Series("年度计划", "plan", [s.annual_plan] * len(months)),
        ],
    )


LIGHTS = (
    ("红灯", "red", ("red",)),
    ("黄灯", "yellow", ("yellow",)),
    ("绿灯", "green", ("green",)),
    ("未到期", "none", ("not_due", "unscheduled")),
)


def light_counts(s: Summary) -> list[tuple[str, str, int]]:
    """(word, class, count) of 红/黄/绿/未到期: together, every project."""
    return [(word, css, sum(s.lights.get(k, 0) for k in keys)) for word, css, keys in LIGHTS]


LAGGING_SHOWN = 30  # slow projects listed on the 总览 (red first); all of them are on the 项目 pages

RATES = (
    ("新开工率", "new_start"),
    ("开复工率", "start_resume"),
    ("序时开工率", "scheduled_start"),
    ("竣工率", "completion"),
    ("投产率", "production"),
    ("推进率", "progress_rate"),
)


def rates(s: Summary) -> list[tuple[str, str, Rate]]:
    return [(label, key, getattr(s, key)) for label, key in RATES]


def overview(ledger: Ledger, s: Summary, statuses: Sequence[ProjectStatus]) -> dict[str, Any]:
    """The values of the 总览."""
    day = s.as_of
    month = Month.of(day)
    previous = previous_month(ledger, month) if day == month.last_day else None
    branches = group_summaries(statuses, "branch", s.year, day, ledger.config.lights)
    letters = awaiting(ledger.letters, day)
    this_month = month_total([x.project for x in statuses], month.key)
    projects = keyed(statuses)
    still = [r for r in issue_rows(ledger.issues, projects, day) if r.open]
    late = sorted((r for r in still if r.overdue_days), key=lambda r: (-r.overdue_days, r.issue.id))
    return {
        "summary": s,
        "figures": figures(
            s,
            previous.summary.plan_rate if previous else None,
            month_sentence(s, this_month, month, previous) if day == month.last_day else "",
        ),
        "compared_with": previous.source if previous else None,
        "headline": headline(s),
        "lights_sentence": lights_sentence(s.lights, len(s.lagging)),
        "lights_change": lights_change(statuses, previous),
        "lights": light_counts(s),
        "lights_chart": lights_chart(f"亮灯情况（共{s.projects}个项目）", light_counts(s)),
        "monthly_chart": monthly_chart(s, statuses),
        "ranking_sentence": ranking_sentence(branches, "分指挥部", s.time_progress) if branches else "",
        "ranking_chart": ranking_chart(
            "各分指挥部完成年度计划情况",
            [Bar(g.key, g.plan_rate, group_path("branch", g.key)) for g in branches],
            s.time_progress,
            "时序进度",
        ),
        "branches": branches,
        "group_kinds": GROUP_KINDS,
        "rates": rates(s),
        "lagging": [project_row(x) for x in s.lagging[:LAGGING_SHOWN]],
        "lagging_count": len(s.lagging),
        "open_issues": len(still),
        "overdue": late[:10],
        "overdue_count": len(late),
        "issue_categories": Counter(r.issue.category for r in still).most_common(),
        "awaiting": [(x, projects.get(x.project), unanswered(x, day)) for x in letters[:10]],
        "awaiting_count": len(letters),
        "awaiting_overdue": sum(1 for x in letters if unanswered(x, day)),
        "project_path": project_path,
    }
