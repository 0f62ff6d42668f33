"""Figures turned into rows, headlines and JSON: shared by every output format, no terminal."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from xmtj.cli.output import markdown_table
from xmtj.figures import fmt
from xmtj.figures.metrics import GROUPINGS, LIGHT_WORDS, ProjectStatus, Rate, StatusReport, Summary
from xmtj.ledger.records import to_plain

PROJECT_HEADERS = [
    "项目编号",
    "项目名称",
    "分指挥部",
    "阶段",
    "年度计划(万元)",
    "累计完成(万元)",
    "完成率",
    "超欠序时(百分点)",
    "亮灯",
]
GROUP_HEADERS = [
    "项目数",
    "年度计划(万元)",
    "累计完成(万元)",
    "完成率",
    "超欠序时(百分点)",
    "开复工率",
    "投产率",
    "红/黄/绿",
]


def rate_text(rate: Rate) -> str:
    return f"{fmt.pct(rate.rate)}（{rate.done}/{rate.planned}）"


def project_row(s: ProjectStatus) -> list[str]:
    ahead = -s.lag if s.lag is not None else None
    return [
        s.project.id,
        s.project.name,
        s.project.branch,
        s.stage,
        fmt.wan(s.annual_plan),
        fmt.wan(s.completed_ytd),
        fmt.pct(s.plan_rate),
        fmt.points(ahead),
        LIGHT_WORDS[s.light] if s.light else "未到期",
    ]


def group_headers(by: str) -> list[str]:
    return [GROUPINGS[by], *GROUP_HEADERS]


def group_row(g: Summary) -> list[str]:
    return [
        g.key,
        str(g.projects),
        fmt.wan(g.annual_plan),
        fmt.wan(g.completed_ytd),
        fmt.pct(g.plan_rate),
        fmt.points(g.ahead),
        fmt.pct(g.start_resume.rate),
        fmt.pct(g.production.rate),
        f"{g.lights['red']}/{g.lights['yellow']}/{g.lights['green']}",
    ]


def table(report: StatusReport) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the status table: one row per project, or per group with ``by``."""
    if report.by:
        return group_headers(report.by), [group_row(g) for g in report.groups]
    return PROJECT_HEADERS, [project_row(s) for s in report.rows]


def title(summary: Summary) -> str:
    return f"{summary.year}年{fmt.months_span(summary.as_of)}重点项目建设情况（截至{fmt.date_cn(summary.as_of)}）"


def headline(summary: Summary) -> list[str]:
    """The headline sentences, in the office's words (亿元)."""
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
    lights = summary.lights
    lines.append(
        f"亮灯：红灯{lights['red']}个，黄灯{lights['yellow']}个，绿灯{lights['green']}个；"
        f"进展缓慢项目{len(summary.lagging)}个。"
    )
    return lines


def lagging_lines(summary: Summary) -> list[tuple[str, str, str, str]]:
    """(light word, id, name, reasons) of each slow project, red first."""
    return [
        (LIGHT_WORDS[s.light or "yellow"], s.project.id, s.project.name, "；".join(s.reasons)) for s in summary.lagging
    ]


def _number(value: Fraction | Decimal | None, places: int = 6) -> int | Decimal | None:
    """A figure for JSON: rounded to ``places`` exactly, never through float."""
    if value is None:
        return None
    return to_plain(fmt.to_decimal(value, places))  # type: ignore[no-any-return]


def _rate_json(rate: Rate, key: str = "started") -> dict[str, Any]:
    return {"planned": rate.planned, key: rate.done, "rate": _number(rate.rate)}


def summary_json(s: Summary) -> dict[str, Any]:
    return {
        "key": s.key,
        "year": s.year,
        "as_of": s.as_of.isoformat(),
        "time_progress": _number(s.time_progress),
        "projects": s.projects,
        "total_investment": _number(s.total_investment, 2),
        "annual_plan": _number(s.annual_plan, 2),
        "annual_target": _number(s.annual_target, 2),
        "completed_ytd": _number(s.completed_ytd, 2),
        "target_rate": _number(s.target_rate),
        "plan_rate": _number(s.plan_rate),
        "ahead_points": _number(s.ahead, 2),
        "new_start": _rate_json(s.new_start),
        "start_resume": _rate_json(s.start_resume),
        "scheduled_start": _rate_json(s.scheduled_start),
        "completion": _rate_json(s.completion, "done"),
        "production": _rate_json(s.production, "done"),
        "progress_rate": _number(s.progress_rate.rate),
        "progress_rate_detail": _rate_json(s.progress_rate, "on_pace"),
        "lights": dict(s.lights),
        "lagging": [
            {
                "id": x.project.id,
                "name": x.project.name,
                "light": x.light,
                "lag_points": _number(x.lag, 2),
                "reasons": list(x.reasons),
            }
            for x in s.lagging
        ],
    }


def status_json(report: StatusReport) -> dict[str, Any]:
    data = summary_json(report.summary)
    data.pop("key")
    data["by"] = report.by
    data["groups"] = [summary_json(g) for g in report.groups]
    data["rows"] = [
        {
            "id": s.project.id,
            "name": s.project.name,
            "branch": s.project.branch,
            "stage": s.stage,
            "annual_plan": _number(s.annual_plan, 2),
            "completed_ytd": _number(s.completed_ytd, 2),
            "plan_rate": _number(s.plan_rate),
            "expected": _number(s.expected),
            "lag_points": _number(s.lag, 2),
            "light": s.light,
            "reasons": list(s.reasons),
        }
        for s in report.rows
    ]
    return data


def status_markdown(report: StatusReport) -> str:
    summary = report.summary
    parts = [f"## {title(summary)}", "", *[f"- {line}" for line in headline(summary)], ""]
    headers, rows = table(report)
    parts += [markdown_table(headers, rows), ""]
    if summary.lagging:
        parts += [f"### 进展缓慢项目（{len(summary.lagging)}个）", ""]
        parts += markdown_table(
            ["亮灯", "项目编号", "项目名称", "原因"], [list(x) for x in lagging_lines(summary)]
        ).splitlines()
        parts.append("")
    return "\n".join(parts)


def rollup_listing(config: Any, report: Any) -> Any:
    """A roll-up's figures: the headline, each member ranked (县（市、区）排名), 未报送 and 报送有误."""
    from xmtj.cli.output import Listing

    t = report.total
    headers = ["县（市、区）", "编码", "项目数", "年度计划(万元)", "累计完成(万元)", "完成率", "超欠序时", "开工率",
               "红/黄/绿", "名次", "报送"]  # fmt: skip
    rows = [
        [m.read.member.name, m.read.member.code, str(m.summary.projects), fmt.wan(m.summary.annual_plan),
         fmt.wan(m.summary.completed_ytd), fmt.pct(m.summary.plan_rate), fmt.points(m.summary.ahead),
         fmt.pct(m.summary.start_resume.rate),
         f"{m.summary.lights['red']}/{m.summary.lights['yellow']}/{m.summary.lights['green']}", str(m.rank),
         (m.read.tag or m.read.state) + ("（报送被改写）" if m.read.rewritten else "")]
        for m in report.members
    ]  # fmt: skip
    rows += [[r.member.name, r.member.code, "", "", "", "", "", "", "", "", r.state] for r in report.missing]
    rows += [[r.member.name, r.member.code, "", "", "", "", "", "", "", "", "报送有误"] for r in report.invalid]
    headline = (
        f"{report.year}年{fmt.months_span(report.as_of)}{config.city}重点项目汇总：成员{len(config.members)}个，"
        f"已报送{len(report.members)}个，未报送{len(report.missing)}个，报送有误{len(report.invalid)}个。"
        f"重点项目{t.projects}个，年度计划投资{fmt.yi(t.annual_plan)}亿元，累计完成{fmt.yi(t.completed_ytd)}亿元，"
        f"完成年度计划的{fmt.pct(t.plan_rate)}"
        + (f"，占年度目标任务（{report.target_source}）{fmt.yi(t.annual_target)}亿元的{fmt.pct(t.target_rate)}"
           if t.annual_target else "")
        + ("。（按各成员分支最新数据，未报送数据）" if report.head else "。")
    )  # fmt: skip

    def figures(s: Any) -> dict[str, Any]:
        found = summary_json(s)  # the very figures each member's own ``status --format json`` gives
        found.pop("key")
        found.pop("lagging", None)  # a member's slow projects: in its own status (the roll-up keeps figures)
        return found

    data = {
        "month": report.month.key, "as_of": report.as_of.isoformat(), "head": report.head,
        "target_source": report.target_source, "total": figures(t),
        "members": [{"name": m.read.member.name, "code": m.read.member.code, "tag": m.read.tag,
                     "revision": m.read.revision, "rank": m.rank, "rewritten": list(m.read.rewritten)}
                    | figures(m.summary) for m in report.members],
        "not_submitted": [{"name": r.member.name, "code": r.member.code, "state": r.state} for r in report.missing],
        "invalid": [{"name": r.member.name, "code": r.member.code, "tag": r.tag,
                     "problems": [p.as_dict() for p in r.problems]} for r in report.invalid],
    }  # fmt: skip
    right = ("项目数", "年度计划(万元)", "累计完成(万元)", "完成率", "超欠序时", "开工率", "名次")
    return Listing(headers, rows, data, title="县（市、区）排名", right=right, headline=headline)
