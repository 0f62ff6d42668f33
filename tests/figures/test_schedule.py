"""A project is measured by its own schedule: a May start from May, a 续建 project never 未开工, a month
planned is late only after the month; every printed difference is the difference of the printed figures."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from tests.figures.test_metrics import make
from xmtj.figures import fmt
from xmtj.figures.metrics import project_status, summarize
from xmtj.figures.reasons import Behind, NotStarted
from xmtj.figures.sentences import lights_sentence
from xmtj.figures.status import status_report
from xmtj.ledger.settings import Lights
from xmtj.ledger.validation import validate_record as validate
from xmtj.months import MonthDate, written_month

D = dt.date
OWN, YEAR_BASIS = Lights(), validate(Lights, {"basis": "year"})


def may_start(**fields: Any) -> Any:
    """Planned for May, started 5月20日; 100 of a 1,000 plan done in May."""
    values: dict[str, Any] = {"planned_start": D(2021, 5, 10), "actual_start": D(2021, 5, 20),
                              "annual_plan": {2021: 1000}, "progress": {"2021-05": 100}}  # fmt: skip
    return make(**(values | fields))


def test_a_may_start_is_measured_from_may_and_is_green_while_on_its_pace() -> None:
    s = project_status(may_start(), 2021, D(2021, 5, 31), [], OWN)
    assert s.schedule == Fraction(1, 8) and s.schedule_start is not None and s.schedule_start.number == 5
    assert s.basis == "own_schedule" and s.lag == Fraction(25, 10) and s.light == "green"  # 12.5 − 10.0
    assert s.ahead == Fraction(-25, 10)  # 超欠序时 against its own 序时: −2.5
    # the year's 时序进度 (the office may choose it) would light it red: 41.7 − 10.0 = 31.7
    flat = project_status(may_start(), 2021, D(2021, 5, 31), [], YEAR_BASIS)
    assert flat.schedule == Fraction(5, 12) and flat.lag == Fraction(317, 10) and flat.light == "red"
    # on 7月31日 a May start is 3 of its 8 months in (docs/domain.md's example): 37.5%
    assert project_status(may_start(), 2021, D(2021, 7, 31), [], OWN).schedule == Fraction(3, 8)


def test_a_may_start_behind_its_own_pace_says_so_by_name() -> None:
    s = project_status(may_start(progress={"2021-05": 10, "2021-06": 10}), 2021, D(2021, 7, 31), [], OWN)
    assert s.light == "red" and s.lag == Fraction(355, 10)  # 37.5 − 2.0
    (reason,) = s.reasons
    assert isinstance(reason, Behind)
    assert reason.text == "完成年度计划的2.0%，按计划开工月份（5月）起算的序时进度为37.5%，落后35.5个百分点"


def test_a_january_start_a_continuing_project_and_a_monthly_plan_keep_their_own_bases() -> None:
    january = make(planned_start=D(2021, 1, 10), actual_start=D(2021, 1, 12), annual_plan={2021: 1200},
                   progress={"2021-01": 100})  # fmt: skip
    assert project_status(january, 2021, D(2021, 3, 31), [], OWN).schedule_start is None  # the year's 时序进度
    continuing = make(planned_start=D(2021, 5, 1), actual_start=D(2020, 6, 1), annual_plan={2021: 1200})
    assert project_status(continuing, 2021, D(2021, 6, 30), [], OWN).schedule == Fraction(1, 2)
    monthly = may_start(monthly_plan={"2021-05": 400, "2021-06": 600})
    s = project_status(monthly, 2021, D(2021, 5, 31), [], OWN)
    assert s.basis == "monthly_plan" and s.expected == Fraction(4, 10) and s.lag == 30 and s.light == "yellow"
    assert s.schedule == Fraction(1, 8) and s.ahead == Fraction(-25, 10)  # 超欠序时 stays against the 序时
    assert s.monthly_ahead == -30 and "月度计划进度为40.0%" in s.reason_texts[0]


def test_a_continuing_project_without_a_start_is_never_late_to_start() -> None:
    p = make(nature="续建", planned_start=D(2020, 3, 1), annual_plan={2021: 1000}, progress={"2021-03": 450})
    s = project_status(p, 2021, D(2021, 6, 30), [], OWN)
    assert s.started and s.continuing and s.stage == "在建" and s.light == "green"
    assert not any(isinstance(r, NotStarted) for r in s.reasons)
    report = status_report([p], [], 2021, D(2021, 6, 30), OWN, None)
    assert report.summary.start_resume.done == 1 and report.summary.new_start.planned == 0  # 新开工率: 新建 only
    new = make("P2", nature="新建", planned_start=D(2021, 3, 1), annual_plan={2021: 1000})
    both = status_report([p, new], [], 2021, D(2021, 6, 30), OWN, None).summary
    assert (both.new_start.done, both.new_start.planned) == (0, 1)
    assert (both.start_resume.done, both.start_resume.planned) == (1, 2)


def test_a_month_planned_is_late_only_after_the_month_and_is_said_as_the_month() -> None:
    p = make(planned_start="2021-03", annual_plan={2021: 1000})
    assert p.planned_start == MonthDate(2021, 3) and p.planned_start.isoformat() == "2021-03"
    assert project_status(p, 2021, D(2021, 3, 20), [], OWN).light is None  # March has not ended
    late = project_status(p, 2021, D(2021, 4, 30), [], OWN)
    assert late.light == "yellow" and late.reason_texts == ["计划2021年3月开工，逾期1个月未开工"]
    assert project_status(p, 2021, D(2021, 6, 29), [], OWN).light == "yellow"
    assert project_status(p, 2021, D(2021, 6, 30), [], OWN).light == "red"  # three months after March ended
    day = make(planned_start=D(2021, 3, 1), annual_plan={2021: 1000})
    assert project_status(day, 2021, D(2021, 3, 20), [], OWN).reason_texts == ["计划2021年3月1日开工，逾期19天未开工"]


@pytest.mark.parametrize("text", ["2022-03", "2022年3月", "2022.3", "２０２２年３月份", "2022-3"])
def test_a_month_is_read_as_offices_write_it(text: str) -> None:
    assert written_month(text) == MonthDate(2022, 3)
    assert make(planned_start=text).planned_start == MonthDate(2022, 3)


def test_a_month_date_stays_a_month_through_the_cache_and_arithmetic() -> None:
    month = MonthDate(2022, 3)
    assert pickle.loads(pickle.dumps(month)) == month and type(pickle.loads(pickle.dumps(month))) is MonthDate
    assert type(month + dt.timedelta(days=1)) is dt.date and month + dt.timedelta(days=1) == D(2022, 4, 1)
    assert fmt.date_cn(month) == "2022年3月" and str(month) == "2022-03"
    with pytest.raises(Exception, match=r"日期|月份"):
        make(planned_start="2022-13")


@pytest.mark.parametrize(
    ("done", "monthly", "rate", "basis", "lag"),
    [
        (7966, 7994, "79.7%", "79.9%", "+0.2"),  # letter 22: unrounded 79.94 − 79.66 is 0.28 (“0.3”); printed, 0.2
        (9837, None, "98.4%", "91.7%", "-6.7"),  # letter 25: ahead, never “落后”
        (4255, 6024, "42.6%", "60.2%", "+17.6"),  # letter 26: unrounded 17.69 (“17.7”); printed, 17.6
    ],
)
def test_a_printed_difference_is_the_difference_of_the_printed_figures(
    done: int, monthly: int | None, rate: str, basis: str, lag: str
) -> None:
    fields: dict[str, Any] = {
        "actual_start": D(2020, 1, 1),
        "annual_plan": {2021: 10000},
        "progress": {"2021-11": done},
    }
    if monthly is not None:
        fields["monthly_plan"] = {"2021-06": monthly, "2021-12": 10000 - monthly}
    s = project_status(make(**fields), 2021, D(2021, 11, 30), [], OWN)
    assert (fmt.pct(s.plan_rate), fmt.pct(s.expected), fmt.points(s.lag)) == (rate, basis, lag)
    assert Fraction(fmt.points(s.lag)) == Fraction(basis[:-1]) - Fraction(rate[:-1])
    assert (s.light == "green") == (Fraction(lag) < 10)


def test_lights_add_up_to_the_projects_counted_and_the_sentence_says_the_total() -> None:
    projects = [
        may_start(progress={"2021-05": 100, "2021-06": 150, "2021-07": 100}),  # 35.0% of its 37.5%: green
        make("P2", planned_start=D(2021, 3, 1), annual_plan={2021: 1000}),  # red: not started for months
        make("P3", planned_start=D(2021, 12, 1), annual_plan={2021: 1000}),  # not yet due
        make("P4", annual_plan={2021: 1000}),  # no planned start recorded
    ]
    statuses = [project_status(p, 2021, D(2021, 7, 31), [], OWN) for p in projects]
    s = summarize(statuses, 2021, D(2021, 7, 31), OWN)
    assert s.lights == {"red": 1, "yellow": 0, "green": 1, "not_due": 1, "unscheduled": 1}
    assert sum(s.lights.values()) == s.projects == 4
    assert lights_sentence(s.lights, len(s.lagging)) == (
        "亮灯：红灯1个，黄灯0个，绿灯1个，未到计划开工时间（不亮灯）1个，未登记计划开工时间（不亮灯）1个，共4个；"
        "进展缓慢（亮红灯、黄灯）项目1个。"
    )


def test_the_headline_difference_is_of_the_printed_rates() -> None:
    """100.39% against 91.67%: printed 100.4% and 91.7%, so 超序时8.7 — the printed figures' difference."""
    p = make(actual_start=D(2020, 1, 1), annual_plan={2021: 10000}, progress={"2021-11": Decimal("10039")})
    s = summarize([project_status(p, 2021, D(2021, 11, 30), [], OWN)], 2021, D(2021, 11, 30), OWN)
    assert fmt.ahead_words(s.ahead) == "超序时8.7个百分点"
    assert s.ahead == Fraction(fmt.pct(s.plan_rate)[:-1]) - Fraction(fmt.pct(s.time_progress)[:-1])
