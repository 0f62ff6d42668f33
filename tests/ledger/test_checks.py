"""Cross-record checks, each on a ledger written in the test."""

from __future__ import annotations

import pytest

from tests.conftest import LedgerDir, without_key_basics
from xmtj.ledger.checks import check_ledger
from xmtj.ledger.load import load_ledger

ISSUE = """\
id: {id}
project: {project}
description: 施工用电未接通
category: 水电气路
source: 现场督查
raised_on: 2021-05-10
responsible_unit: 供电公司
"""


def found(ledger: LedgerDir) -> list[str]:
    return without_key_basics([str(p) for p in check_ledger(load_ledger(ledger.root))])


def test_clean_ledger_has_no_problems(ledger: LedgerDir) -> None:
    ledger.project("P1")
    assert found(ledger) == []


def test_duplicate_id_and_id_not_file_name(ledger: LedgerDir) -> None:
    ledger.project("P1")
    ledger.write("data/projects/P2.yaml", (ledger.root / "data/projects/P1.yaml").read_text(encoding="utf-8"))
    assert found(ledger) == [
        "data/projects/P1.yaml:1:1: id: 项目编号 P1 重复，另见 data/projects/P2.yaml",
        "data/projects/P2.yaml:1:1: id: 项目编号 P1 重复，已用于 data/projects/P1.yaml",
        "data/projects/P2.yaml:1:1: id: 编号 P1 与文件名 P2 不一致",
    ]


def test_references_point_somewhere(ledger: LedgerDir) -> None:
    ledger.project("HJ2021-001")
    ledger.write("data/issues/W1.yaml", ISSUE.format(id="W1", project="HJ2021-002") + "meeting: DD-9\n")
    ledger.write(
        "data/meetings/DD-1.yaml",
        "id: DD-1\nkind: 调度会\ndate: 2021-05-10\ntitle: 第1次调度会\nprojects: [HJ2021-001, HJ2021-00l]\n",
    )
    assert found(ledger) == [
        "data/issues/W1.yaml:2:1: project: 项目 HJ2021-002 不存在，是否应为“HJ2021-001”？",
        "data/issues/W1.yaml:8:1: meeting: 活动 DD-9 不存在，是否应为“DD-1”？",
        "data/meetings/DD-1.yaml:5:24: projects[1]: 项目 HJ2021-00l 不存在，是否应为“HJ2021-001”？",
    ]


def test_vocabularies_with_did_you_mean(ledger: LedgerDir) -> None:
    ledger.write(
        "data/projects/P1.yaml",
        (ledger.project("P1").read_text(encoding="utf-8"))
        .replace("branch: 甲分指挥部", "branch: 甲分指挥")
        .replace("levels: [市级重点项目]", "levels: [省级重点项目, 县级重点项目]")
        .replace("sector: 产业", "sector: 工业"),
    )
    assert found(ledger) == [
        "data/projects/P1.yaml:3:18: levels[1]: 项目级别“县级重点项目”不在 xmtj.yaml 的 levels 中，是否应为“省级重点项目”？",
        "data/projects/P1.yaml:5:1: sector: 行业“工业”不在 xmtj.yaml 的 sectors 中，是否应为“产业”？",
        "data/projects/P1.yaml:7:1: branch: 分指挥部“甲分指挥”不在 xmtj.yaml 的 branches 中，是否应为“甲分指挥部”？",
    ]


def test_dates_out_of_order(ledger: LedgerDir) -> None:
    ledger.project("P1", "actual_start: 2021-05-01\nactual_completion: 2021-04-01\n")
    ledger.write(
        "data/issues/W1.yaml",
        ISSUE.format(id="W1", project="P1") + "status: 已办结\nresolved_on: 2021-05-01\n",
    )
    assert found(ledger) == [
        "data/issues/W1.yaml:9:1: resolved_on: 办结日期 2021-05-01 早于提出日期 2021-05-10",
        "data/projects/P1.yaml:12:1: actual_completion: 实际竣工日期早于实际开工日期（2021-04-01 早于 2021-05-01）",
    ]


def test_nature_agrees_with_the_start_and_months_compare_by_month(ledger: LedgerDir) -> None:
    ledger.project("P1", "nature: 续建\n")  # no start recorded: counted as started before, and warned
    ledger.project("P2", "nature: 续建\nactual_start: 2021-04-01\n")  # started in its first key year
    ledger.project("P3", "nature: 新建\nactual_start: 2019-04-01\n")
    ledger.project("P4", "nature: 扩建\n")
    # a start written as a month and a completion inside that month are in order
    ledger.project("P5", "planned_start: 2021-05\nplanned_completion: 2021-05-20\nactual_start: 2021-05\n"
                         "actual_completion: 2021-05-25\n")  # fmt: skip
    assert found(ledger) == [
        "data/projects/P1.yaml:1:1: actual_start: [警告] 建设性质为续建，但没有实际开工日期：按以前年度已开工计，请补填",
        "data/projects/P2.yaml:11:1: nature: [警告] 建设性质为续建，但实际开工日期 2021-04-01 在2021年（列为重点项目的首年）",
        "data/projects/P3.yaml:11:1: nature: [警告] 建设性质为新建，但实际开工日期 2019-04-01 早于2021年，应为续建",
        "data/projects/P4.yaml:11:1: nature: 建设性质“扩建”不在 xmtj.yaml 的 natures 中，是否应为“改扩建”？",
    ]


def test_resolved_problem_needs_a_date(ledger: LedgerDir) -> None:
    ledger.project("P1")
    ledger.write("data/issues/W1.yaml", ISSUE.format(id="W1", project="P1") + "status: 已办结\n")
    assert found(ledger) == ["data/issues/W1.yaml:8:1: status: 状态为已办结，但没有填写办结日期（resolved_on）"]


def test_progress_warnings(ledger: LedgerDir) -> None:
    ledger.project(
        "P1",
        """\
        actual_start: 2021-03-10
        annual_plan: {2021: 1000}
        progress:
          2021-02: 100
          2021-04: 4000
          2022-01: 1000
        """,
    )
    assert found(ledger) == [
        "data/projects/P1.yaml:13:1: progress: [警告] 累计完成投资 5100万元 超过总投资 5000万元",
        "data/projects/P1.yaml:14:3: progress.2021-02: [警告] 填报月份早于实际开工（2021-03-10）",
        "data/projects/P1.yaml:16:3: progress.2022-01: [警告] 2022年没有年度计划投资（annual_plan.2022）",
    ]


# --- which records the figures count (xmtj.ledger.counting) ---------------------------------------------

BREAKS = {
    "clean": lambda root: None,
    "duplicate id": lambda root: (root / "data/projects/P9.yaml").write_bytes(
        (root / "data/projects/P1.yaml").read_bytes()
    ),
    "id not its file": lambda root: (root / "data/projects/P1.yaml").rename(root / "data/projects/P7.yaml"),
    "problem of no project": lambda root: _replace(root / "data/issues/W1.yaml", "project: P1", "project: P8"),
    "meeting of no project": lambda root: _replace(root / "data/meetings/M1.yaml", "P1", "P8"),
    "problem of no meeting": lambda root: _replace(root / "data/issues/W1.yaml", "meeting: M1", "meeting: M9"),
    "branch outside the list": lambda root: _replace(root / "data/projects/P2.yaml", "乙分指挥部", "丙分指挥部"),
    "completed before started": lambda root: _replace(
        root / "data/projects/P3.yaml", "actual_completion: 2021-11-20", "actual_completion: 2020-09-30"
    ),
    "resolved before raised": lambda root: _replace(
        root / "data/issues/W2.yaml", "resolved_on: 2021-11-15", "resolved_on: 2020-10-20"
    ),
    "resolved without a date": lambda root: _replace(
        root / "data/issues/W2.yaml", "resolved_on: 2021-11-15", "resolved_on:"
    ),
    "letter of no project": lambda root: _replace(root / "data/letters/2021-1.yaml", "project: P2", "project: P8"),
    "letter under another name": lambda root: (root / "data/letters/2021-1.yaml").rename(
        root / "data/letters/2021-5.yaml"
    ),
}


def _replace(path: object, old: str, new: str) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_the_one_pass_agrees_with_the_checks_and_the_cache_with_both(
    case: str, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from pathlib import Path

    from tests.conftest import SMALL
    from xmtj.ledger.counting import counted, error_checks, looks_clean
    from xmtj.ledger.load import counted_ledger

    assert isinstance(tmp_path, Path)
    root = tmp_path / "ledger"
    shutil.copytree(SMALL, root)
    BREAKS[case](root)
    ledger = load_ledger(root)
    errors = [p for check in error_checks() for p in check(ledger) if p.severity == "error"]
    assert looks_clean(ledger) == (not errors), case
    assert (case == "clean") == (not errors)
    plain = counted(ledger)
    for _ in range(2):  # the second from the kept result
        cached = counted_ledger(load_ledger(root))
        assert [r.path for r in cached.projects] == [r.path for r in plain.projects]
        assert [r.path for r in cached.issues] == [r.path for r in plain.issues]
        assert sorted(map(str, cached.problems)) == sorted(map(str, plain.problems))
    bad = {p.path for p in errors}
    assert not {r.path for r in plain.projects + plain.issues + plain.meetings} & bad
