"""Each bad input gives its path, line, column, field and a Chinese message; others still load."""

from __future__ import annotations

import pytest

from tests.conftest import LedgerDir, project_yaml, without_key_basics
from xmtj.ledger.checks import check_ledger
from xmtj.ledger.load import load_ledger

GOOD = project_yaml("P1")


def problems_of(ledger: LedgerDir) -> list[str]:
    return without_key_basics([str(p) for p in check_ledger(load_ledger(ledger.root))])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GOOD + "annual_plan:\n  2021: 一千\n",
            "data/projects/P1.yaml:12:3: annual_plan.2021: 应为数字，现为“一千”",
            id="wrong-type-nested",
        ),
        pytest.param(
            GOOD.replace("total_investment: 5000\n", ""),
            "data/projects/P1.yaml:1:1: total_investment: 缺少必填字段",
            id="missing-required",
        ),
        pytest.param(
            GOOD + "anual_plan: {2021: 100}\n",
            "data/projects/P1.yaml:11:1: anual_plan: 未知字段 anual_plan，是否应为 annual_plan？",
            id="unknown-key",
        ),
        pytest.param(
            GOOD + "total_investment: 6000\n",
            "data/projects/P1.yaml:11:1: total_investment: 字段重复：同一层里出现了两次，只保留一个",
            id="duplicate-key",
        ),
        pytest.param(
            GOOD.replace("name: 项目P1", "name: no"),
            'data/projects/P1.yaml:2:1: name: 应为文本，但 no 被 YAML 读成了布尔值（是/否）；文本请加引号，例如 "no"',
            id="yaml11-no",
        ),
        pytest.param(
            GOOD.replace("name: 项目P1", "name: on"),
            'data/projects/P1.yaml:2:1: name: 应为文本，但 on 被 YAML 读成了布尔值（是/否）；文本请加引号，例如 "on"',
            id="yaml11-on",
        ),
        pytest.param(
            GOOD + "contact: {name: 赵某, phone: 5000000}\n",
            'data/projects/P1.yaml:11:21: contact.phone: 应为文本，但 5000000 被 YAML 读成了整数；文本请加引号，例如 "5000000"',
            id="yaml11-integer",
        ),
        pytest.param(
            GOOD + "planned_start: 2021-02-30\n",
            "data/projects/P1.yaml:11:1: planned_start: 日期“2021-02-30”不存在",
            id="bad-date",
        ),
        pytest.param(
            GOOD + "progress:\n  2021-3: 100\n",
            "data/projects/P1.yaml:12:3: progress.2021-3: 月份应写作 YYYY-MM，例如 2021-03",
            id="bad-month-key",
        ),
        pytest.param(
            GOOD + "progress:\n  2021-03: -100\n",
            "data/projects/P1.yaml:12:3: progress.2021-03.amount: 不能为负数",
            id="negative-money",
        ),
        pytest.param(
            GOOD.replace("investment_type: 社会投资", "investment_type: 民间投资"),
            "data/projects/P1.yaml:4:1: investment_type: 应为以下之一：政府投资、社会投资",
            id="not-in-choices",
        ),
        pytest.param(
            GOOD.replace("id: P1", "id: P 1"),
            "data/projects/P1.yaml:1:1: id: 编号只能由字母、数字、“-”和“_”组成，且不能以“-”开头",
            id="bad-id",
        ),
        pytest.param(
            GOOD + "approvals:\n  - {item: 环评, status: 已办结, date: 2021-13-01}\n",
            "data/projects/P1.yaml:12:29: approvals[0].date: 应为日期（YYYY-MM-DD），现为“2021-13-01”",
            id="list-item-field",
        ),
    ],
)
def test_bad_field(ledger: LedgerDir, text: str, expected: str) -> None:
    ledger.write("data/projects/P1.yaml", text)
    ledger.project("P2")
    loaded = load_ledger(ledger.root)
    assert [p.id for p in loaded.projects] == ["P2"]  # the broken file is left out, the other counted
    assert expected in problems_of(ledger)


def test_syntax_error_points_at_the_line(ledger: LedgerDir) -> None:
    ledger.write("data/projects/P1.yaml", GOOD + "annual_plan: {2021: 100\n")
    ledger.project("P2")
    [problem] = problems_of(ledger)
    assert problem.startswith("data/projects/P1.yaml:12:1: YAML 语法错误")
    assert [p.id for p in load_ledger(ledger.root).projects] == ["P2"]


def test_tab_indentation_is_explained(ledger: LedgerDir) -> None:
    ledger.write("data/projects/P1.yaml", GOOD + "annual_plan:\n\t2021: 100\n")
    [problem] = problems_of(ledger)
    assert "不能用 Tab 缩进，请改用空格" in problem
    assert problem.startswith("data/projects/P1.yaml:12:1:")


def test_gbk_file_is_recognised(ledger: LedgerDir) -> None:
    ledger.write("data/projects/P1.yaml", GOOD.replace("项目P1", "鹤龙化工").encode("gbk"))
    [problem] = problems_of(ledger)
    assert problem.startswith("data/projects/P1.yaml:2:7: 文件不是 UTF-8 编码，看起来是 GBK")
    assert "iconv -f GBK -t UTF-8" in problem


def test_utf8_bom_is_accepted(ledger: LedgerDir) -> None:
    ledger.write("data/projects/P1.yaml", "\ufeff" + GOOD)
    assert problems_of(ledger) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "data/projects/P1.yaml:1:1: 文件为空"),
        ("# 只有注释\n", "data/projects/P1.yaml:1:1: 文件为空"),
        ("- id: P1\n", "data/projects/P1.yaml:1:1: 文件顶层应为映射（键: 值），实际是列表"),
        ("P1\n", "data/projects/P1.yaml:1:1: 文件顶层应为映射（键: 值），实际是单个值“P1”"),
    ],
)
def test_empty_or_not_a_mapping(ledger: LedgerDir, text: str, expected: str) -> None:
    ledger.write("data/projects/P1.yaml", text)
    assert problems_of(ledger) == [expected]


def test_every_problem_is_reported_at_once(ledger: LedgerDir) -> None:
    ledger.write("data/projects/P1.yaml", GOOD.replace("total_investment: 5000", "total_investment: 很多") + "foo: 1\n")
    ledger.write("data/issues/W1.yaml", "id: W1\ndescription: 缺电\n")
    found = problems_of(ledger)
    assert "data/projects/P1.yaml:10:1: total_investment: 应为数字，现为“很多”" in found
    assert "data/projects/P1.yaml:11:1: foo: 未知字段 foo" in found
    assert "data/issues/W1.yaml:1:1: category: 缺少必填字段" in found
    assert "data/issues/W1.yaml:1:1: raised_on: 缺少必填字段" in found


def test_money_is_exact(ledger: LedgerDir) -> None:
    ledger.project("P1", "annual_plan: {2021: 0.1}\nprogress:\n  2021-01: 0.2\n")
    [p] = load_ledger(ledger.root).projects
    from decimal import Decimal

    assert p.annual_plan[2021] == Decimal("0.1")
    assert p.progress["2021-01"].amount + p.annual_plan[2021] == Decimal("0.3")


def test_bad_config_stops_with_a_clear_error(ledger: LedgerDir) -> None:
    from xmtj.problems import LedgerInvalid

    ledger.write("xmtj.yaml", "office: 甲\ncity: 乙\n")
    with pytest.raises(LedgerInvalid) as excinfo:
        load_ledger(ledger.root)
    assert "xmtj.yaml:1:1: letter_prefix: 缺少必填字段" in str(excinfo.value)


def test_parse_file_reads_whole_files_and_keys_them(tmp_path: object) -> None:
    """The workers' reader: the whole file (however large), its cache key and blob id, or a problem."""
    import os
    from pathlib import Path

    from xmtj.ledger.speed.bulk import parse_file
    from xmtj.ledger.speed.cache import blob_id, key_of

    root = Path(str(tmp_path))
    (root / "data/projects").mkdir(parents=True)
    long_remarks = "很长的备注" * 30_000  # 450 KB: several reads
    path = root / "data/projects/P1.yaml"
    path.write_text(project_yaml("P1") + f"remarks: {long_remarks}\n", encoding="utf-8")
    key, oid, record, problems = parse_file(str(root), "projects", "data/projects/P1.yaml")
    assert problems == () and record is not None
    assert record.remarks == long_remarks and key == key_of(str(path))
    assert oid == blob_id(path.read_bytes()) and len(oid) == 40
    assert blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git's id of the empty blob
    (root / "data/projects/P2.yaml").write_bytes(b"")
    assert parse_file(str(root), "projects", "data/projects/P2.yaml")[3][0].message == "文件为空"
    key, oid, record, problems = parse_file(str(root), "projects", "data/projects/P3.yaml")
    assert key is None and oid is None and record is None and "无法读取" in problems[0].message
    os.chmod(path, 0)
    try:
        if os.geteuid() != 0:  # root reads anything
            assert parse_file(str(root), "projects", "data/projects/P1.yaml")[0] is None
    finally:
        os.chmod(path, 0o644)
