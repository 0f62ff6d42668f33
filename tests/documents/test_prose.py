"""The 通报 in prose, checked against the figures it states (issue 24): the named leaders and trailers are
the first and last three of ``status --by branch``; 较上月 is the difference of the two months' figures; the
提前/未按计划 counts are those the records give; a 下步工作 block is there exactly when its condition holds.
On the demo and on the small ledger (other facts)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, SMALL, Run


def shown(rate: float) -> Decimal:
    """A rate as the documents print it (one decimal of a percentage)."""
    return Decimal(str(rate * 100)).quantize(Decimal("0.1"))


CASES: dict[Path, dict[str, Any]] = {}  # each ledger's report and figures, made once per test run


@pytest.fixture(params=[REPO, SMALL], ids=["demo", "small"])
def case(request: pytest.FixtureRequest, run: Run) -> dict[str, Any]:
    root: Path = request.param
    if root not in CASES:
        CASES[root] = made(root, run)
    return CASES[root]


def made(root: Path, run: Run) -> dict[str, Any]:
    month = "2021-11"
    report = run("report", "--month", month, "--date", "2021-12-14", "--draft", ledger=root)
    assert report.exit_code == 0, report.output
    now = json.loads(run("status", "--as-of", "2021-11-30", "--format", "json", ledger=root).stdout)
    then = json.loads(run("status", "--as-of", "2021-10-31", "--format", "json", ledger=root).stdout)
    by = json.loads(run("status", "--as-of", "2021-11-30", "--by", "branch", "--format", "json", ledger=root).stdout)
    projects = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "data/projects").glob("*.yaml"))]
    return {"root": root, "text": report.stdout, "now": now, "then": then, "by": by, "projects": projects}


def test_the_leaders_and_trailers_named_are_the_rankings_ends(case: dict[str, Any]) -> None:
    groups = case["by"]["groups"]
    ranked = sorted(groups, key=lambda g: -(g["plan_rate"] or -1))
    text = case["text"]
    sentence = next(line for line in text.splitlines() if "按年度计划完成率，各分指挥部中" in line)
    if len(ranked) >= 6:
        top = re.search(r"排名前三位的是(.*?)；", sentence)
        bottom = re.search(r"排名后三位的是(.*?)。", sentence)
    else:
        top = re.search(r"排名靠前的是(.*?)；", sentence)
        bottom = re.search(r"排名靠后的是(.*?)。", sentence)
    assert top and bottom, sentence
    named_top = re.findall(r"([^、（]+)（([\d.]+)%）", top[1])
    named_bottom = re.findall(r"([^、（]+)（([\d.]+)%）", bottom[1])
    k = min(3, len(ranked) // 2)
    assert [n for n, _ in named_top][:k] == [g["key"] for g in ranked[:k]]
    assert {n for n, _ in named_bottom} >= {g["key"] for g in ranked[-k:]}
    for name, rate in named_top + named_bottom:
        group = next(g for g in groups if g["key"] == name)
        assert Decimal(rate) == shown(group["plan_rate"])
    behind = [g["key"] for g in groups if shown(g["plan_rate"]) < shown(case["now"]["time_progress"])]
    if behind:
        assert "低于时序进度" in sentence and all(name in sentence for name in behind)
    else:
        assert "均不低于时序进度" in sentence
    for g in groups:  # every group with red lights named with their count, and only those
        red = g["lights"].get("red", 0)
        assert (f"{g['key']}（{red}个）" in sentence) == bool(red)


def test_the_change_since_last_month_is_the_difference_of_the_two_months(case: dict[str, Any]) -> None:
    now, then = case["now"], case["then"]
    diff = shown(now["plan_rate"]) - shown(then["plan_rate"])
    said = re.search(r"完成年度计划的([\d.]+)%，较上月(提高|下降)([\d.]+)个百分点", case["text"])
    if diff == 0:
        assert "完成年度计划的" in case["text"] and "与上月持平" in case["text"]
        return
    assert said, case["text"][:600]
    assert Decimal(said[1]) == shown(now["plan_rate"])
    assert (said[2] == "提高") == (diff > 0) and Decimal(said[3]) == abs(diff)
    month = Decimal(str(now["completed_ytd"])) - Decimal(str(then["completed_ytd"]))
    amount = re.search(r"11月当月完成投资([\d.]+)亿元", case["text"])
    assert amount and Decimal(amount[1]) == (month / 10000).quantize(Decimal("0.01"))


def month_of(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text[:7]


def test_early_and_late_milestones_are_counted_from_the_records(case: dict[str, Any]) -> None:
    """提前开工: started in a month before the planned one; 未按计划开工: planned for a month that has ended by
    30 November and not started by then — counted here from the YAML, independently of xmtj."""
    text = case["text"]
    for word, planned_key, actual_key in (("开工", "planned_start", "actual_start"),
                                          ("竣工", "planned_completion", "actual_completion"),
                                          ("投产", "planned_production", "actual_production")):  # fmt: skip
        planned = [
            p for p in case["projects"] if month_of(p.get(planned_key)) and month_of(p[planned_key])[:4] == "2021"
        ]
        done = [p for p in planned if month_of(p.get(actual_key)) and month_of(p[actual_key]) <= "2021-11"]
        early = [p for p in done if month_of(p[actual_key]) < month_of(p[planned_key])]
        late = [p for p in planned if p not in done and month_of(p[planned_key]) < "2021-11"]
        said_early = re.search(rf"提前{word}(\d+)个", text)
        said_late = re.search(rf"未按计划{word}(\d+)个", text)
        assert (int(said_early[1]) if said_early else 0) == len(early), word
        assert (int(said_late[1]) if said_late else 0) == len(late), word
        for p in late[:2]:
            assert p["name"] in text


def test_a_next_step_is_written_exactly_when_its_condition_holds(case: dict[str, Any]) -> None:
    now, text = case["now"], case["text"]
    steps = text.split("## 七、下步工作", 1)[1].split("附件", 1)[0]
    late_start = re.search(r"未按计划开工(\d+)个", text)
    behind = [g for g in case["by"]["groups"] if shown(g["plan_rate"]) < shown(now["time_progress"])]
    overdue = re.search(r"截至月底逾期未办结(\d+)个", text)
    conditions = {
        "加快项目开工": bool(late_start),
        "加快投资进度": bool(behind or now["lights"]["red"] or now["lights"]["yellow"]),
        "推动竣工投产": bool(re.search(r"未按计划(竣工|投产)\d+个", text)),
        "强化问题销号": bool(overdue and int(overdue[1])),
        "跟踪督办落实": "逾期未反馈" in text.split("## 六、督办情况", 1)[1].split("## 七", 1)[0],
        "年度": True,  # November: 全力冲刺 (plan not yet done) or 巩固年度成果 (done)
    }
    for words, holds in conditions.items():
        assert (words in steps) == holds, (words, steps)
    plan_done = Decimal(str(now["completed_ytd"])) >= Decimal(str(now["annual_plan"]))
    assert ("巩固年度成果" in steps) == plan_done and ("全力冲刺年度目标" in steps) == (not plan_done)
    ordinals = re.findall(r"　　([一二三四五六七八九十])是", steps)
    assert ordinals == list("一二三四五六七八九十")[: len(ordinals)] and ordinals


def test_letters_past_their_deadline_are_named_by_unit(small_git: Path, run: Run) -> None:
    """督办情况 names the units whose letters are past their 反馈期限 without a reply, and counts them as the
    register does."""
    sent = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-05", ledger=small_git)
    assert sent.exit_code == 0, sent.output
    pending = json.loads(run("letter", "list", "--pending", "--format", "json", ledger=small_git).stdout)["letters"]
    report = run("report", "--month", "2021-11", "--date", "2021-12-28", "--draft", ledger=small_git)
    assert report.exit_code == 0, report.output
    letters = {
        x["number"]: x
        for x in json.loads(run("letter", "list", "--format", "json", ledger=small_git).stdout)["letters"]
    }
    overdue = [x for x in letters.values() if x["feedback_due"] < "2021-12-28"
               and not x["feedback_state"].startswith(("已反馈", "已作废"))]  # fmt: skip
    said = re.search(r"逾期未反馈(\d+)份（([^）]*)）", report.stdout)
    assert said and int(said[1]) == len(overdue) and pending, report.stdout
    for letter in overdue:
        assert letter["recipient"] in said[2]
    issued = sorted(
        (x for x in letters.values() if "2021-11-01" <= x["date"] <= "2021-12-28"), key=lambda x: x["number"]
    )
    span = f"{issued[0]['doc_no']}至{issued[-1]['number']}号" if len(issued) > 1 else issued[0]["doc_no"]
    assert f"共下发督办提醒函{len(issued)}份" in report.stdout and span in report.stdout
