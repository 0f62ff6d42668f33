"""Why a project is lit, as records say it: each reason a typed fact with its figures, and the one sentence
that states it (in ``status``, the 通报's 亮灯 list, a letter and its register alike).

A reason states only what its figures show, with the word their sign calls for: a project is 落后 only when
its lag is positive; a project lit for an overdue problem is told about that problem, not about a lag it
does not have. Lags are differences of the percentages as printed (``fmt.shown_points``), so a reader who
subtracts the printed figures gets the printed difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from xmtj.figures.fmt import date_cn, pct, points
from xmtj.months import Month


def basis_words(basis: str, start: Month | None = None) -> str:
    """The name of what a completion rate is measured against: 时序进度, its own 序时 from the planned
    start month (按计划开工月份（5月）起算的序时进度), or its 月度计划进度."""
    if basis == "monthly_plan":
        return "月度计划进度"
    if basis == "own_schedule" and start is not None:
        return f"按计划开工月份（{start.number}月）起算的序时进度"
    return "时序进度"


def basis_brief(basis: str, start: Month | None = None) -> str:
    """``basis_words`` as a table says it: 时序进度, 序时进度（自5月）, 月度计划进度."""
    if basis == "monthly_plan":
        return "月度计划进度"
    if basis == "own_schedule" and start is not None:
        return f"序时进度（自{start.number}月）"
    return "时序进度"


def gap_words(gap: Fraction) -> str:
    """A completion rate's distance from its basis, with the word its sign calls for: ``超过…`` when ahead,
    ``落后…`` when behind, ``持平`` when the printed figures are equal (``gap`` = rate − basis, 百分点)."""
    if gap > 0:
        return f"超过{points(gap, signed=False)}个百分点"
    if gap < 0:
        return f"落后{points(gap, signed=False)}个百分点"
    return "持平"


@dataclass(frozen=True)
class Behind:
    """Lit because its completion rate is behind its basis by ``lag`` 百分点 (positive)."""

    rate: Fraction
    expected: Fraction
    basis: str  # year, own_schedule, monthly_plan
    start: Month | None
    lag: Fraction

    kind = "behind"

    @property
    def text(self) -> str:
        return (
            f"完成年度计划的{pct(self.rate)}，{basis_words(self.basis, self.start)}为{pct(self.expected)}，"
            f"落后{points(self.lag, signed=False)}个百分点"
        )

    @property
    def brief(self) -> str:
        """As the 通报's 亮灯 list says it: 完成率74.3%，序时进度（自5月）77.2%，落后2.9个百分点."""
        return (
            f"完成率{pct(self.rate)}，{basis_brief(self.basis, self.start)}{pct(self.expected)}，"
            f"落后{points(self.lag, signed=False)}个百分点"
        )


@dataclass(frozen=True)
class NotStarted:
    """Lit because it has not started ``months`` (or ``days``) after its planned start."""

    planned: dt.date
    months: int
    days: int

    kind = "not_started"

    @property
    def delay(self) -> str:
        """``逾期3个月``, ``逾期12天``; nothing on the planned day itself (a month planned: its last day)."""
        if self.months:
            return f"逾期{self.months}个月"
        return f"逾期{self.days}天" if self.days else ""

    @property
    def text(self) -> str:
        # a month planned is said as the month (2022年3月), never as a made-up day
        return f"计划{date_cn(self.planned)}开工，{self.delay or '至今'}未开工"

    @property
    def brief(self) -> str:
        return self.text


@dataclass(frozen=True)
class OverdueIssue:
    """Lit (at least yellow) because a problem of the project is open past its 办结时限."""

    issue: str  # its id
    description: str
    unit: str
    deadline: dt.date
    days: int

    kind = "overdue_issue"

    @property
    def text(self) -> str:
        return f"问题{self.issue}（{self.description}）超过办结时限{self.days}天未办结"

    @property
    def brief(self) -> str:
        return f"问题“{self.description}”超过办结时限{self.days}天"


@dataclass(frozen=True)
class ApprovalWait:
    """Named among a lit project's reasons: an approval 办理中 longer than ``approvals.remind_days``."""

    item: str
    department: str | None
    since: dt.date
    days: int

    kind = "approval_wait"

    @property
    def text(self) -> str:
        where = f"（{self.department}）" if self.department else ""
        return f"{self.item}{where}已办理{self.days}天尚未办结"

    @property
    def brief(self) -> str:
        return f"{self.item}已办理{self.days}天尚未办结"


Reason = Behind | NotStarted | OverdueIssue | ApprovalWait


def texts(reasons: tuple[Reason, ...] | list[Reason]) -> list[str]:
    return [r.text for r in reasons]
