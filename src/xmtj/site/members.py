"""A roll-up ledger's pages (a prefecture's): the 总览 of its members' submitted figures — the total, the
members ranked by 完成率 against 时序进度, 未报送 and 报送有误 named — the list of members, and one page per
member from what it submitted (``xmtj.rollup.report``: the same figures as ``status`` there)."""

from __future__ import annotations

import hashlib
from typing import Any

from xmtj.figures.sentences import headline
from xmtj.rollup.members import MemberRead
from xmtj.rollup.report import MemberFigures, RollupReport
from xmtj.site.charts import Bar, ranking_chart
from xmtj.site.context import Page


def member_path(code: str) -> str:
    """A member's page: its code when it is letters and digits, else a digest of it."""
    safe = code if code.isascii() and code.replace("-", "").replace("_", "").isalnum() else None
    return f"m/{safe or hashlib.sha1(code.encode()).hexdigest()[:12]}.html"


def member_pages(report: RollupReport, city: str) -> list[Page]:
    t = report.total
    bars = [Bar(f"{m.read.member.name}", m.summary.plan_rate, member_path(m.read.member.code)) for m in report.members]
    chart = ranking_chart("各县（市、区）完成年度计划情况", bars, t.time_progress, "时序进度") if bars else None
    values: dict[str, Any] = {
        "report": report,
        "total": t,
        "headline": headline(t, slow_listed=False),
        "chart": chart,
        "member_path": member_path,
        "city": city,
    }
    pages = [
        Page("index.html", "rollup.html.j2", f"{city}重点项目汇总", values, "overview"),
        Page("members.html", "members.html.j2", f"县（市、区）（{len(report.members)}个已报送）", values, "members"),
    ]
    shown: list[tuple[MemberRead, MemberFigures | None, list[str], str]] = [
        (m.read, m, headline(m.summary, slow_listed=False), "已报送") for m in report.members
    ]
    shown += [(read, None, [], read.state) for read in report.missing]
    shown += [(read, None, [], "报送有误") for read in report.invalid]
    for read, m, lines, state in shown:
        values = {"m": m, "read": read, "headline": lines, "state": state}
        pages.append(Page(member_path(read.member.code), "member.html.j2", read.member.name, values, "members"))
    return pages
