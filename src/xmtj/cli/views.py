"""Figures turned into rows, headlines and JSON: shared by every output format, no terminal."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from xmtj.cli.output import Column, Listing, cell_text, markdown_table
from xmtj.figures import fmt
from xmtj.figures.metrics import LIGHT_WORDS, ProjectStatus, Rate, Summary
from xmtj.figures.sentences import COLUMN_NOTE, headline
from xmtj.figures.status import GROUPINGS, StatusReport
from xmtj.ledger.records import to_plain

PROJECT_COLUMNS = [
    Column("项目编号"),
    Column("项目名称", wide=True),
    Column("分指挥部"),
    Column("阶段"),
    Column("年度计划(万元)", "money"),
    Column("累计完成(万元)", "money"),
    Column("完成率", "rate"),
    Column("序时进度", "rate"),
    Column("超欠序时(百分点)", "points"),
    Column("月度计划进度", "rate"),
    Column("超欠月度计划(百分点)", "points"),
    Column("亮灯", "light"),
]
GROUP_COLUMNS = [
    Column("项目数", "count"),
    Column("年度计划(万元)", "money"),
    Column("累计完成(万元)", "money"),
    Column("完成率", "rate"),
    Column("超欠序时(百分点)", "points"),
    Column("开复工率", "rate"),
    Column("投产率", "rate"),
    Column("红/黄/绿"),
]


def light_word(light: str | None) -> str:
    return LIGHT_WORDS[light] if light else "未到期"


def project_values(s: ProjectStatus) -> list[Any]:
    """A project's row of the status table, typed (``PROJECT_COLUMNS``)."""
    ahead = s.ahead  # None: not yet due to start, no 序时 to be measured against
    due = ahead is not None
    return [s.project.id, s.project.name, s.project.branch, s.stage, s.annual_plan, s.completed_ytd, s.plan_rate,
            s.schedule if due else None, ahead, s.monthly if due else None, s.monthly_ahead,
            light_word(s.light)]  # fmt: skip


def project_row(s: ProjectStatus) -> list[str]:
    """The same row as the terminal shows it."""
    return [cell_text(c.kind, v) for c, v in zip(PROJECT_COLUMNS, project_values(s), strict=True)]


def lights_text(lights: Any) -> str:
    return f"{lights['red']}/{lights['yellow']}/{lights['green']}"


def group_values(g: Summary) -> list[Any]:
    return [g.key, g.projects, g.annual_plan, g.completed_ytd, g.plan_rate, g.ahead, g.start_resume.rate,
            g.production.rate, lights_text(g.lights)]  # fmt: skip


def status_listing(report: StatusReport) -> Listing:
    """``xmtj status`` as a listing: one row per project, or per group with ``by`` (its terminal table,
    Markdown and Excel 台账 drawn by the command); rows and JSON worked out only for a format that needs
    them."""
    if report.by:
        columns = [Column(GROUPINGS[report.by]), *GROUP_COLUMNS]
        return Listing(columns, [group_values(g) for g in report.groups], lambda: status_json(report),
                       title=title(report.summary))  # fmt: skip
    rows = lambda: [project_values(s) for s in report.rows]  # noqa: E731
    return Listing(PROJECT_COLUMNS, rows, lambda: status_json(report), title=title(report.summary))


def title(summary: Summary) -> str:
    return f"{summary.year}年{fmt.months_span(summary.as_of)}重点项目建设情况（截至{fmt.date_cn(summary.as_of)}）"


def lagging_lines(summary: Summary) -> list[tuple[str, str, str, str]]:
    """(light word, id, name, reasons) of each slow project, red first."""
    return [
        (LIGHT_WORDS[s.light or "yellow"], s.project.id, s.project.name, "；".join(s.reason_texts))
        for s in summary.lagging
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
                "basis": x.basis,
                "reasons": x.reason_texts,
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
            "schedule": _number(s.schedule),
            "schedule_from": s.schedule_start.key if s.schedule_start else None,
            "ahead_points": _number(s.ahead, 2),
            "monthly_expected": _number(s.monthly),
            "monthly_ahead_points": _number(s.monthly_ahead, 2),
            "basis": s.basis,
            "expected": _number(s.expected),
            "lag_points": _number(s.lag, 2),
            "light": s.light,
            "nature": s.project.nature,
            "continuing": s.continuing,
            "reasons": s.reason_texts,
        }
        for s in report.rows
    ]
    return data


def status_markdown(report: StatusReport) -> str:
    summary = report.summary
    parts = [f"## {title(summary)}", "", *[f"- {line}" for line in headline(summary)], ""]
    listing = status_listing(report)
    parts += [markdown_table(listing.headers, listing.text_rows), ""]
    if not report.by:
        parts += [f"注：{COLUMN_NOTE}", ""]
    if summary.lagging:
        parts += [f"### 进展缓慢项目（{len(summary.lagging)}个）", ""]
        parts += markdown_table(
            ["亮灯", "项目编号", "项目名称", "原因"], [list(x) for x in lagging_lines(summary)]
        ).splitlines()
        parts.append("")
    return "\n".join(parts)


def rollup_listing(config: Any, report: Any) -> Listing:
    """A roll-up's figures: the headline, each member ranked (县（市、区）排名), 未报送 and 报送有误."""
    t = report.total
    columns = [Column("县（市、区）"), Column("编码"), Column("项目数", "count"), Column("年度计划(万元)", "money"),
               Column("累计完成(万元)", "money"), Column("完成率", "rate"), Column("超欠序时", "points"),
               Column("开工率", "rate"), Column("红/黄/绿"), Column("名次", "count"), Column("报送")]  # fmt: skip
    rows: list[list[Any]] = [
        [m.read.member.name, m.read.member.code, m.summary.projects, m.summary.annual_plan, m.summary.completed_ytd,
         m.summary.plan_rate, m.summary.ahead, m.summary.start_resume.rate, lights_text(m.summary.lights), m.rank,
         (m.read.tag or m.read.state) + ("（报送被改写）" if m.read.rewritten else "")]
        for m in report.members
    ]  # fmt: skip
    blank = [""] * 8  # no figures: not submitted, or submitted in error
    rows += [[r.member.name, r.member.code, *blank, r.state] for r in report.missing]
    rows += [[r.member.name, r.member.code, *blank, "报送有误"] for r in report.invalid]
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
    return Listing(columns, rows, data, title="县（市、区）排名", headline=headline)
