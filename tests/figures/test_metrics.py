"""Every metric on tiny ledgers whose answers are worked out by hand here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xmtj.figures import fmt
from xmtj.figures.metrics import project_status
from xmtj.figures.periods import resolve_period
from xmtj.figures.schedule import completed_in_year
from xmtj.figures.status import status_report
from xmtj.ledger.records import Issue, Project
from xmtj.ledger.settings import Lights
from xmtj.ledger.validation import validate_record as validate
from xmtj.months import add_months, months_between, time_progress

D = dt.date
LIGHTS = Lights()


def make(pid: str = "P1", **fields: Any) -> Project:
    base: dict[str, Any] = {
        "id": pid,
        "name": f"项目{pid}",
        "investment_type": "社会投资",
        "sector": "产业",
        "key_years": [2021],
        "branch": "甲",
        "responsible_unit": "甲单位",
        "liaison_leader": "张某",
        "total_investment": 10000,
    }
    base.update(fields)
    return validate(Project, base)


def issue(iid: str, project: str, **fields: Any) -> Issue:
    base: dict[str, Any] = {
        "id": iid,
        "project": project,
        "description": "用电未接通",
        "category": "水电气路",
        "source": "现场督查",
        "raised_on": D(2021, 6, 1),
        "responsible_unit": "供电公司",
    }
    base.update(fields)
    return validate(Issue, base)


def test_time_progress_at_month_end_is_months_over_twelve() -> None:
    assert time_progress(D(2021, 11, 30)) == Fraction(11, 12)
    assert fmt.pct(time_progress(D(2021, 11, 30))) == "91.7%"


def test_time_progress_mid_month() -> None:
    # (6 - 1 + 15/30) / 12 = 5.5 / 12
    assert time_progress(D(2021, 6, 15)) == Fraction(11, 24)
    # February of a non-leap year: (1 + 14/28) / 12 = 1/8
    assert time_progress(D(2021, 2, 14)) == Fraction(1, 8)


def test_month_arithmetic() -> None:
    assert add_months(D(2021, 8, 31), 3) == D(2021, 11, 30)
    assert add_months(D(2021, 11, 15), 3) == D(2022, 2, 15)
    assert months_between(D(2021, 4, 1), D(2021, 11, 30)) == 7
    assert months_between(D(2021, 4, 20), D(2021, 6, 19)) == 1
    assert months_between(D(2021, 4, 20), D(2021, 6, 20)) == 2


def test_year_to_date_counts_the_as_of_month_and_nothing_after() -> None:
    p = make(progress={"2020-12": 50, "2021-01": 100, "2021-06": 200, "2021-07": 300})
    assert completed_in_year(p, 2021, D(2021, 6, 1)) == 300
    assert completed_in_year(p, 2021, D(2021, 12, 31)) == 600
    assert completed_in_year(p, 2021, D(2020, 12, 31)) == 0


def started(**fields: Any) -> Project:
    return make(actual_start=D(2021, 1, 10), planned_start=D(2021, 1, 1), annual_plan={2021: 1000}, **fields)


@pytest.mark.parametrize(
    ("done", "light"),
    [
        # at 2021-06-30 the time progress is 50%; lag = 50 − rate
        (410, "green"),  # lag 9 → green
        (400, "yellow"),  # lag exactly 10 → yellow (exact decimals: 0.5 − 0.4 is 10, not 9.99…)
        (200, "yellow"),  # lag exactly 30 → still yellow
        (199, "red"),  # lag 30.1 → red
    ],
)
def test_lag_thresholds_are_exact(done: int, light: str) -> None:
    s = project_status(started(progress={"2021-03": done}), 2021, D(2021, 6, 30), [], LIGHTS)
    assert s.light == light


def test_lag_reason_in_words() -> None:
    s = project_status(started(progress={"2021-05": 420}), 2021, D(2021, 11, 30), [], LIGHTS)
    # 11/12 = 91.67% expected, 42.0% done: 49.7 百分点 behind
    assert s.light == "red"
    assert s.reason_texts == ["完成年度计划的42.0%，时序进度为91.7%，落后49.7个百分点"]


def test_monthly_plan_replaces_time_progress() -> None:
    # plan to date through June: 100 + 100 = 200 of 1000 → expected 20%; done 150 → lag 5 → green
    p = started(monthly_plan={"2021-05": 100, "2021-06": 100, "2021-07": 800}, progress={"2021-06": 150})
    s = project_status(p, 2021, D(2021, 6, 30), [], LIGHTS)
    assert s.expected == Fraction(1, 5)
    assert s.lag == 5
    assert s.light == "green"
    # without the monthly plan the same project is 35 points behind the time progress → red
    s2 = project_status(started(progress={"2021-06": 150}), 2021, D(2021, 6, 30), [], LIGHTS)
    assert s2.light == "red"


def test_monthly_plan_reason_names_the_monthly_plan() -> None:
    p = started(monthly_plan={"2021-06": 500, "2021-12": 500}, progress={"2021-06": 300})
    s = project_status(p, 2021, D(2021, 6, 30), [], LIGHTS)
    assert s.light == "yellow"
    assert s.reason_texts == ["完成年度计划的30.0%，月度计划进度为50.0%，落后20.0个百分点"]


def test_not_started_lights() -> None:
    p = make(planned_start=D(2021, 8, 15), annual_plan={2021: 1000})
    assert project_status(p, 2021, D(2021, 8, 1), [], LIGHTS).light is None  # not yet due
    early = project_status(p, 2021, D(2021, 10, 1), [], LIGHTS)
    assert early.light == "yellow"
    assert early.reason_texts == ["计划2021年8月15日开工，逾期1个月未开工"]
    assert project_status(p, 2021, D(2021, 11, 14), [], LIGHTS).light == "yellow"
    late = project_status(p, 2021, D(2021, 11, 15), [], LIGHTS)  # planned start + 3 months
    assert late.light == "red"
    assert late.reason_texts == ["计划2021年8月15日开工，逾期3个月未开工"]
    days = project_status(p, 2021, D(2021, 8, 20), [], LIGHTS)
    assert days.reason_texts == ["计划2021年8月15日开工，逾期5天未开工"]


def test_completed_is_green_whatever_the_lag() -> None:
    p = started(actual_completion=D(2021, 5, 1), progress={"2021-03": 10})
    assert project_status(p, 2021, D(2021, 11, 30), [], LIGHTS).light == "green"


def test_overdue_problem_turns_green_yellow_and_adds_a_reason() -> None:
    p = started(progress={"2021-06": 1000})
    overdue = issue("W1", "P1", deadline=D(2021, 6, 30))
    s = project_status(p, 2021, D(2021, 7, 1), [overdue], LIGHTS)
    assert s.light == "yellow"
    assert s.reason_texts == ["问题W1（用电未接通）超过办结时限1天未办结"]
    # on the deadline itself it is not yet overdue (deadline < D)
    assert project_status(p, 2021, D(2021, 6, 30), [overdue], LIGHTS).light == "green"
    # resolved before the day: not open, not overdue
    done = issue("W1", "P1", deadline=D(2021, 6, 30), status="已办结", resolved_on=D(2021, 6, 29))
    assert project_status(p, 2021, D(2021, 7, 1), [done], LIGHTS).light == "green"
    # resolved later than the day: it was still open and overdue then
    late = issue("W1", "P1", deadline=D(2021, 6, 30), status="已办结", resolved_on=D(2021, 8, 1))
    assert project_status(p, 2021, D(2021, 7, 1), [late], LIGHTS).light == "yellow"


def test_configurable_thresholds() -> None:
    lights = Lights(yellow_gap=Decimal(5), red_gap=Decimal(20), red_start_months=1)
    s = project_status(started(progress={"2021-03": 420}), 2021, D(2021, 6, 30), [], lights)
    assert s.light == "yellow"  # lag 8 ≥ 5
    p = make(planned_start=D(2021, 5, 1), annual_plan={2021: 1000})
    assert project_status(p, 2021, D(2021, 6, 1), [], lights).light == "red"


def test_status_report_by_hand() -> None:
    """Four projects on 2021-06-30 (time progress 50%), target 1000 万元."""
    projects = [
        # 续建, plan 1000, done 600 → 60%, ahead → green
        make(
            "A",
            actual_start=D(2020, 5, 1),
            planned_start=D(2020, 5, 1),
            annual_plan={2020: 500, 2021: 1000},
            progress={"2020-06": 500, "2021-03": 600},
        ),
        # new start, plan 800, done 200 → 25%, lag 25 → yellow; planned to produce in 2021 and did
        make(
            "B",
            actual_start=D(2021, 2, 1),
            planned_start=D(2021, 2, 1),
            annual_plan={2021: 800},
            progress={"2021-04": 200},
            planned_production=D(2021, 6, 1),
            actual_completion=None,
            actual_production=None,
        ),
        # not started, planned 2021-02-01 → red (≥ 3 months)
        make("C", planned_start=D(2021, 2, 1), annual_plan={2021: 200}, planned_production=D(2021, 12, 1)),
        # not yet due: planned 2021-09-01 → no light
        make("D", planned_start=D(2021, 9, 1), annual_plan={2021: 0}),
        # not a key project of 2021
        make("E", key_years=[2022], planned_start=D(2022, 3, 1)),
    ]
    report = status_report(projects, [], 2021, D(2021, 6, 30), LIGHTS, Decimal(1000), by="branch")
    s = report.summary
    assert s.projects == 4
    assert s.annual_plan == 2000
    assert s.completed_ytd == 800
    assert s.target_rate == Fraction(4, 5)
    assert s.plan_rate == Fraction(2, 5)
    assert s.ahead == -10  # 40% − 50%
    assert (s.new_start.done, s.new_start.planned) == (1, 3)  # B of B, C, D
    assert (s.start_resume.done, s.start_resume.planned) == (2, 4)
    assert (s.scheduled_start.done, s.scheduled_start.planned) == (2, 3)  # D not due yet
    assert (s.production.done, s.production.planned) == (0, 2)
    assert (s.progress_rate.done, s.progress_rate.planned) == (1, 2)  # A on pace, B not
    assert s.lights == {"green": 1, "yellow": 1, "red": 1, "not_due": 1, "unscheduled": 0}  # adding up to 4
    assert [x.project.id for x in s.lagging] == ["C", "B"]  # red first
    assert [g.key for g in report.groups] == ["甲"]
    assert report.groups[0].completed_ytd == 800


def test_resolve_period_defaults_to_the_latest_month_with_progress() -> None:
    projects = [make(progress={"2021-10": 5}), make("Q", progress={"2021-11": 1})]
    today = D(2022, 5, 6)
    assert resolve_period(projects, None, None, today) == (
        2021,
        D(2021, 11, 30),
        "未指定 --as-of：按有进度数据的最近月份统计，截至2021年11月底",
    )
    assert resolve_period(projects, None, D(2021, 6, 3), today) == (2021, D(2021, 6, 3), None)
    assert resolve_period(projects, 2020, None, today) == (
        2020,
        D(2020, 12, 31),
        "2020年尚无任何进度数据：按2020-12-31统计",
    )
    assert resolve_period(projects, 2022, None, today) == (2022, today, "2022年尚无任何进度数据：按2022-05-06统计")
    assert resolve_period(projects, 2023, None, today)[1] == D(2023, 1, 1)


def test_a_ledger_of_another_year_just_imported_is_reported_for_its_year() -> None:
    """The 2022 台账 imported in 2021, no progress yet: status reports 2022 (not 重点项目0个) and says why."""
    projects = [make(key_years=[2022]), make("Q", key_years=[2022])]
    year, day, said = resolve_period(projects, None, None, D(2021, 12, 20))
    assert (year, day) == (2022, D(2022, 1, 1))
    assert (
        said
        == "台账中没有2021年的重点项目，按2022年统计（重点项目年度：2022）；2022年尚无任何进度数据：按2022-01-01统计"
    )
    assert resolve_period(projects, 2021, None, D(2021, 12, 20))[0] == 2021  # a year asked for is the year
    mixed = [make(key_years=[2021]), make("Q", key_years=[2022])]
    assert resolve_period(mixed, None, None, D(2021, 12, 20))[0] == 2021  # this year's projects: this year


def test_formats() -> None:
    assert fmt.yi(Decimal(539400)) == "53.94"
    assert fmt.wan(Decimal("1500.50")) == "1500.5"
    assert fmt.wan(Decimal("46800")) == "46800"
    assert fmt.pct(Fraction(539400, 411800)) == "131.0%"
    assert fmt.points(Fraction(-497, 10)) == "-49.7"
    assert fmt.points(Fraction(1, 20)) == "+0.1"  # 0.05 rounds half up
    assert fmt.ahead_words(Fraction(-2)) == "欠序时2.0个百分点"
    assert fmt.date_cn(D(2021, 12, 4)) == "2021年12月4日"
    assert fmt.months_span(D(2021, 11, 30)) == "1—11月"
    assert [fmt.zh_number(n) for n in (1, 8, 10, 12, 21)] == ["一", "八", "十", "十二", "二十一"]


def _reference(value: Fraction, places: int) -> str:
    """Half away from zero with Decimal at a precision far beyond any figure here."""
    from decimal import ROUND_HALF_UP, localcontext

    with localcontext() as ctx:
        ctx.prec = 200
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


@given(
    numerator=st.integers(-(10**15), 10**15),
    denominator=st.integers(1, 10**12),
    places=st.integers(0, 4),
)
def test_integer_rounding_agrees_with_decimal(numerator: int, denominator: int, places: int) -> None:
    value = Fraction(numerator, denominator)
    assert fmt.rounded(value, places) == _reference(value, places)


@given(amount=st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_amounts_print_as_before(amount: Decimal) -> None:
    two = _reference(Fraction(amount), 2)
    assert fmt.wan(amount) == (two.rstrip("0").rstrip(".") if "." in two else two)
    assert fmt.yi(amount) == _reference(Fraction(amount) / 10000, 2)
    assert fmt.pct(Fraction(amount) / 7) == _reference(Fraction(amount) * 100 / 7, 1) + "%"
