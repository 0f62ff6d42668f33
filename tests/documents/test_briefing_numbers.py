"""The 通报's 发文字号 and date, the detail table's month figures, and wording that fits the place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SMALL, Run, git

pytestmark = pytest.mark.usefixtures("git_env")


@pytest.fixture
def small(small_git: Path) -> Path:
    return small_git


def test_a_briefing_is_numbered_once_and_never_reuses_a_number(run: Run, small: Path) -> None:
    shown = run("report", "--month", "2021-10", ledger=small).stdout
    assert "\n测重指办〔2021〕1号\n" in shown  # the next number, shown before it is issued
    out = small / "通报-10.md"
    result = run("report", "--month", "2021-10", "--date", "2021-11-08", "--out", str(out), ledger=small)
    assert result.exit_code == 0, result.output
    assert git(small, "log", "-1", "--format=%s").strip() == "通报: 2021-10 测重指办〔2021〕1号"
    register = (small / "data/briefings/2021-1.yaml").read_text(encoding="utf-8")
    assert (
        "doc_no: 测重指办〔2021〕1号" in register and "period: 2021-10" in register and "file: 通报-10.md" in register
    )
    text = out.read_text(encoding="utf-8")
    assert "测重指办〔2021〕1号" in text and text.rstrip().count("2021年11月8日") >= 1
    november = run("report", "--month", "2021-11", ledger=small).stdout
    assert "\n测重指办〔2021〕2号\n" in november  # the next month: the next number
    again = run("report", "--month", "2021-10", ledger=small).stdout
    assert "\n测重指办〔2021〕1号\n" in again  # the same month keeps the number it was issued under
    early = run("report", "--month", "2021-11", "--date", "2021-11-20", ledger=small)
    assert early.exit_code == 1 and "早于数据截至日期" in early.stderr


def test_the_detail_table_has_the_month_and_not_yet_due_shows_a_dash(run: Run) -> None:
    text = run("report", "--month", "2021-11", ledger=REPO).stdout
    header = next(line for line in text.splitlines() if line.startswith("| 项目编号 |"))
    assert "当月完成（万元）" in header and "形象进度" in header and "未办结问题" in header
    headings = [c.strip() for c in header.strip("|").split("|")]
    row = next(line for line in text.splitlines() if line.startswith("| HJ2021-001 |"))
    cells = dict(zip(headings, [c.strip() for c in row.strip("|").split("|")], strict=True))
    recorded = yaml.safe_load((REPO / "data/projects/HJ2021-001.yaml").read_text(encoding="utf-8"))["progress"]
    november = recorded["2021-11"]
    assert cells["当月完成（万元）"] == str(november["amount"]) and cells["形象进度"] == november["text"]
    assert "11月当月完成投资" in text
    not_due = next(line for line in text.splitlines() if line.startswith("| HJ2021-097 |"))
    due = dict(zip(headings, [c.strip() for c in not_due.strip("|").split("|")], strict=True))
    assert due["超欠序时（百分点）"] == "—" and due["序时进度"] == "—"
    rows = json.loads(run("status", "--format", "json", ledger=REPO).stdout)["rows"]
    assert next(r for r in rows if r["id"] == "HJ2021-097")["lag_points"] is None


def test_the_open_problems_are_attachment_2_and_the_detail_counts_them(run: Run) -> None:
    """附件2 lists every problem open at the month's end (the longest overdue first); the detail table's
    未办结问题 of a project is the number of its rows there, and its 合计 their sum."""
    text = run("report", "--month", "2021-11", ledger=REPO).stdout
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("| 项目编号 |"))
    headings = [c.strip() for c in header.strip("|").split("|")]
    details = [dict(zip(headings, [c.strip() for c in x.strip("|").split("|")], strict=True))
               for x in lines if x.startswith("| HJ2021-") or x.startswith("| 合计 | 100个项目")]  # fmt: skip
    start = lines.index(next(x for x in lines if x.startswith("### 附件2")))
    listed = [[c.strip() for c in x.strip("|").split("|")] for x in lines[start:] if re.match(r"\| \d+ \|", x)]
    issues = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in (REPO / "data/issues").glob("*.yaml")]
    open_ = [i for i in issues if not i.get("resolved_on") or str(i["resolved_on"]) > "2021-11-30"]
    assert len(listed) == len([i for i in open_ if str(i.get("raised_on", "")) <= "2021-11-30"]) > 0
    for row in details[:-1]:
        count = sum(1 for x in listed if x[1] == row["项目名称"])
        assert row["未办结问题"] == (str(count) if count else "—"), row["项目编号"]
    assert details[-1]["未办结问题"] == str(sum(1 for x in listed if x[1] != "—"))
    days = [int(x[6][2:-1]) for x in listed if x[6].startswith("逾期")]
    assert days == sorted(days, reverse=True) and "附件：1." in text


def test_a_county_ledger_says_quan_xian(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "稷山"
    assert run("init", str(root), "--place", "稷山县", "--branch", "开发区分指挥部", "--year", "2021").exit_code == 0
    for name in ("P1", "P2"):
        text = (SMALL / "data/projects" / f"{name}.yaml").read_text(encoding="utf-8")
        text = text.replace("甲分指挥部", "开发区分指挥部").replace("乙分指挥部", "开发区分指挥部")
        text = text.replace("市级重点项目", "稷山县重点项目")
        (root / "data/projects" / f"{name}.yaml").write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "项目")
    report = run("report", "--month", "2021-11", ledger=root)
    assert report.exit_code == 0, report.output
    assert "关于2021年1—11月全县重点项目建设进展情况的通报" in report.stdout and "全市" not in report.stdout
    assert run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=root).exit_code == 0
    letter = next((root / "letters/2021").glob("*.md")).read_text(encoding="utf-8")
    assert "县级层面协调" in letter and "全县重点项目建设进展情况通报" in letter
    assert "市级" not in letter and "全市" not in letter
    demo = run("report", "--month", "2021-11", ledger=REPO).stdout
    assert "全市重点项目建设进展情况的通报" in demo and "全县" not in demo
