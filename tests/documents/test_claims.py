"""Every sentence with a number in every letter and the 通报 — of the demo and of the test ledgers — is read
back and held to ``status --format json``: rates, bases and lags (sign and size), counts that add up, the
light, and no 落后 for a project that is not behind."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, LedgerDir, Run, git
from tests.documents.claims import differences, light_counts, unread_differences, wrong_differences
from xmtj.figures import fmt

pytestmark = pytest.mark.slow  # writes 18 letters and a 通报 of the demo


def status_rows(run: Run, ledger: Path | LedgerDir, as_of: str) -> dict[str, Any]:
    result = run("status", "--as-of", as_of, "--format", "json", ledger=ledger)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def pct(value: Any) -> Fraction:
    return Fraction(fmt.pct(Fraction(str(value)))[:-1])


def check_letter(text: str, row: dict[str, Any]) -> None:
    """A letter against its project's row of ``status --format json`` on the letter's data day."""
    assert wrong_differences(text) == [] and unread_differences(text) == []
    light = {"red": "红灯", "yellow": "黄灯"}[row["light"]]
    assert f"已亮{light}" in text
    found = differences(text)
    if row["plan_rate"] is not None and row["stage"] != "前期":
        assert found, text  # a started project's letter states where it stands
    for d in found:  # the figures are the project's, the difference is the lag with its sign
        assert d.rate == pct(row["plan_rate"]) and d.basis == pct(row["expected"])
        assert -d.said == Fraction(str(row["lag_points"]))
    behind = row["lag_points"] is not None and Fraction(str(row["lag_points"])) > 0
    if not any(r.startswith("完成年度计划") for r in row["reasons"]):  # not lit for its lag
        assert "投资进度落后" not in text and "赶上来" not in text
    if not behind:
        assert "落后" not in text
    for reason in row["reasons"]:
        if "超过办结时限" in reason:
            description = re.search(r"（(.+?)）超过办结时限", reason)
            assert description and description[1] in text
        if "未开工" in reason:
            assert "仍未开工" in text and "尽快开工" in text


def test_every_letter_of_the_demo_says_only_what_its_figures_show(demo_copy: Path, run: Run) -> None:
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", "--force", "--no-commit", ledger=demo_copy)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in status_rows(run, demo_copy, "2021-11-30")["rows"]}
    letters = sorted((demo_copy / "letters" / "2021").glob("*.md"))
    assert len(letters) == sum(1 for r in rows.values() if r["light"] in ("red", "yellow")) == 18
    ahead_but_lit = 0
    for path in letters:
        text = path.read_text(encoding="utf-8")
        project = re.search(r"（项目编号(\S+?)）", text)
        assert project, path
        row = rows[project[1]]
        check_letter(text, row)
        ahead_but_lit += row["lag_points"] is not None and Fraction(str(row["lag_points"])) < 0
    assert ahead_but_lit, "the demo has projects ahead of schedule lit for an overdue problem"


def test_the_demo_briefing_states_the_status_figures(run: Run) -> None:
    text = run("report", "--month", "2021-11", "--date", "2021-12-14", ledger=REPO).stdout
    status = status_rows(run, REPO, "2021-11-30")
    assert wrong_differences(text) == [] and unread_differences(text) == []
    headline = next(d for d in differences(text) if d.text.startswith("完成年度计划的") and "为" not in d.text)
    assert headline.rate == pct(status["plan_rate"]) and headline.basis == pct(status["time_progress"])
    assert headline.said == Fraction(str(status["ahead_points"]))
    [(counts, total)] = light_counts(text)
    lights = status["lights"]
    assert sum(counts) == total == status["projects"] == sum(lights.values())
    assert counts[:3] == [lights["red"], lights["yellow"], lights["green"]]
    assert f"重点项目{status['projects']}个" in text and f"累计完成投资{fmt.yi(status['completed_ytd'])}亿元" in text
    for key in ("new_start", "start_resume", "scheduled_start"):
        rate = status[key]
        assert f"（{rate['started']}/{rate['planned']}）" in text
    # every lit project is listed with its light, and no other (the reasons' differences are checked above,
    # in the list's brief form: 完成率…，序时进度…，落后…)
    listed = {line.split("|")[2].strip(): line.split("|")[1].strip() for line in text.splitlines()
              if line.startswith(("| 红灯 |", "| 黄灯 |"))}  # fmt: skip
    lit = {row["name"]: {"red": "红灯", "yellow": "黄灯"}[row["light"]] for row in status["rows"]
           if row["light"] in ("red", "yellow")}  # fmt: skip
    assert listed == lit and any("序时进度（自" in line for line in text.splitlines())
    assert "均已办结" not in text or "所登记的手续均已办结" in text
    several = sum(1 for p in (REPO / "data/projects").glob("*.yaml") if "levels: [" in p.read_text("utf-8"))
    assert several and "同时属于多个级别" in text


def test_a_briefing_says_nothing_of_approvals_when_none_are_recorded(ledger: LedgerDir, run: Run) -> None:
    ledger.project("P1", "annual_plan: {2021: 1000}\nplanned_start: 2021-03-01\nactual_start: 2021-03-05\n"
                         "progress: {2021-03: 100}\n")  # fmt: skip
    text = run("report", "--month", "2021-03", "--date", "2021-04-10", ledger=ledger).stdout
    assert "手续办理方面，本月未登记手续办理情况。" in text and "均已办结" not in text
    ledger.write(
        "data/issues/W1.yaml",
        """\
        id: W1
        project: P1
        description: 省文物局审批未完成
        category: 手续
        source: 现场督查
        raised_on: 2021-03-10
        responsible_unit: 市文化和旅游局
        deadline: 2021-04-30
        """,
    )
    text = run("report", "--month", "2021-03", "--date", "2021-04-10", ledger=ledger).stdout
    assert "另有手续类问题1个尚未办结" in text and "省文物局审批未完成" in text and "均已办结" not in text


def test_the_checker_catches_what_the_old_letters_said() -> None:
    """The sentences of 河重指办督〔2021〕25号 and 22号 as they went out before: the checker refuses both."""
    old_25 = "完成年度计划的98.4%，时序进度为91.7%，落后6.8个百分点，项目进展缓慢，已亮黄灯。"
    old_22 = "完成年度计划的79.7%，月度计划进度为79.9%，落后0.3个百分点，项目进展缓慢，已亮黄灯。"
    assert wrong_differences(old_25) and wrong_differences(old_22)
    assert unread_differences("完成率98.4%，较序时落后6.8个百分点") != []


def test_a_ledger_in_git_letters_and_briefing_agree_with_status(small_git: Path, run: Run) -> None:
    """The small ledger: its letters and 通报 are held to its status too (another set of projects)."""
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-05", "--force", ledger=small_git)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in status_rows(run, small_git, "2021-11-30")["rows"]}
    for path in sorted((small_git / "letters").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        check_letter(text, rows[re.search(r"（项目编号(\S+?)）", text)[1]])  # type: ignore[index]
    report = run("report", "--month", "2021-11", "--date", "2021-12-06", ledger=small_git).stdout
    assert wrong_differences(report) == [] and unread_differences(report) == []
    assert "作废" not in report
    assert git(small_git, "status", "--porcelain") == ""
