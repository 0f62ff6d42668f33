"""Letters, the register, briefings and the plan: golden files, numbering, atomicity, escaping."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import REPO, SMALL, LedgerDir, Run

FIXTURE = SMALL
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("XMTJ_UPDATE_GOLDEN") == "1"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    shutil.copytree(FIXTURE, root)
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table in a Markdown text, as rows of cell texts (header row first)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    out: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in tokens:
        if token.type == "table_open":
            out.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close" and row is not None:
            out[-1].append(row)
            row = None
    return out


def assert_tables_rectangular(markdown: str) -> list[list[list[str]]]:
    found = tables(markdown)
    assert found, "no table"
    for table in found:
        width = len(table[0])
        assert all(len(r) == width for r in table), table
    return found


def compare_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_letter_golden(run: Run, small: Path) -> None:
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small)
    assert result.exit_code == 0, result.output
    assert "letters/2021/2-P1.md" in result.stdout
    letter = (small / "letters/2021/2-P1.md").read_text(encoding="utf-8")
    compare_golden("letter-2-P1.md", letter)
    [table] = assert_tables_rectangular(letter)
    assert table[0] == ["序号", "问题编号", "存在问题", "类别", "责任单位", "办结时限", "逾期天数"]
    # the elements in the order of GB/T 9704 letter form
    marks = [
        "测试市重点项目总指挥部办公室",
        "测重指办督〔2021〕2号",
        "关于加快推进甲化工新材料项目建设的督办提醒函",
        "甲开发区管委会：",
        "一、",
        "二、",
        "三、",
        "书面反馈",
        "联系人：",
        "附件：",
        "2021年12月14日",
        "抄送：",
    ]
    positions = [letter.index(m) for m in marks]
    assert positions == sorted(positions)
    assert "\n测重指办督〔2021〕2号\n" in letter and "<p" not in letter  # no raw HTML
    # GB/T 9704: one attachment is not numbered; the 版记 (抄送, 印发) comes last, after the attachment
    assert "附件：甲化工新材料项目未办结问题清单" in letter and "附件：1." not in letter
    assert letter.index("### 甲化工新材料项目未办结问题清单") < letter.index("抄送：") < letter.index("印发")


def test_register_entry(run: Run, small: Path) -> None:
    run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small)
    text = (small / "data/letters/2021-2.yaml").read_text(encoding="utf-8")
    assert "doc_no: 测重指办督〔2021〕2号" in text
    assert "feedback_due: 2021-12-24" in text
    assert "  - 完成年度计划的42.0%，按计划开工月份（3月）起算的序时进度为90.0%，落后48.0个百分点" in text
    assert "  - 问题W1（施工用电线路尚未接通）超过办结时限20天未办结" in text
    assert "light: 红灯" in text
    assert "  received_on:\n  text:\n" in text
    # the new register still passes the checks (the letters are records)
    assert run("check", ledger=small).exit_code == 0


def test_monthly_briefing_golden(run: Run, small: Path) -> None:
    result = run("report", "--month", "2021-11", ledger=small)
    assert result.exit_code == 0, result.output
    compare_golden("report-2021-11.md", result.stdout)
    found = assert_tables_rectangular(result.stdout)
    ranking = next(t for t in found if t[0][0] == "单位")
    assert ranking[0] == [
        "单位",
        "项目数",
        "年度计划（万元）",
        "累计完成（万元）",
        "完成率",
        "超欠序时（百分点）",
        "开工率",
        "红/黄/绿",
        "名次",
    ]
    assert [r[0] for r in ranking[1:]] == ["乙分指挥部", "甲分指挥部", "合计"]  # 60% before 42%
    assert [r[-1] for r in ranking[1:]] == ["1", "2", "—"]
    assert ranking[-1][1] == str(sum(int(r[1]) for r in ranking[1:-1]))  # the 合计 adds up


def test_report_out_writes_a_file(run: Run, small: Path, tmp_path: Path) -> None:
    out = tmp_path / "通报.md"
    result = run("report", "--month", "2021-11", "--date", "2021-12-14", "--out", str(out), ledger=small)
    assert result.exit_code == 0
    assert "\n# 关于2021年1—11月全市重点项目建设进展情况的通报\n" in out.read_text(encoding="utf-8")


def test_numbering_never_reuses_a_number(run: Run, small: Path) -> None:
    # a gap (number 2 missing) is not refilled: the next is one past the highest
    shutil.copy(small / "data/letters/2021-1.yaml", small / "data/letters/2021-3.yaml")
    p = small / "data/letters/2021-3.yaml"
    p.write_text(
        p.read_text(encoding="utf-8").replace("number: 1", "number: 3").replace("〕1号", "〕3号"), encoding="utf-8"
    )
    out = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", "--dry-run", ledger=small).stdout
    assert "测重指办督〔2021〕4号" in out and "测重指办督〔2021〕5号" in out
    assert "〕2号" not in out
    checked = run("check", ledger=small).stdout
    assert "data/letters/2021-3.yaml:1:1: number: [警告] 2021年督办提醒函编号不连续：缺少第2号" in checked


def test_numbering_starts_at_one_in_a_new_year(run: Run, small: Path) -> None:
    out = run("remind", "--as-of", "2021-11-30", "--date", "2022-01-05", "--dry-run", ledger=small).stdout
    assert "测重指办督〔2022〕1号" in out


def test_duplicate_numbers_after_a_merge_are_flagged(run: Run, small: Path) -> None:
    shutil.copy(small / "data/letters/2021-1.yaml", small / "data/letters/2021-1-other.yaml")
    result = run("check", ledger=small)
    assert result.exit_code == 1
    assert (
        "data/letters/2021-1.yaml:1:1: number: 2021年督办提醒函编号 1 重复，已用于 data/letters/2021-1-other.yaml"
        in result.stdout
    )
    assert "文件名应为 2021-1.yaml（年份-编号），现为 2021-1-other.yaml" in result.stdout


def test_letter_for_unknown_project_and_late_feedback(run: Run, small: Path) -> None:
    p = small / "data/letters/2021-1.yaml"
    p.write_text(
        p.read_text(encoding="utf-8")
        .replace("project: P2", "project: P9")
        .replace("feedback: {received_on: 2021-11-10, text: 已办理施工许可}", "feedback: {}"),
        encoding="utf-8",
    )
    out = run("check", ledger=small).stdout
    assert "data/letters/2021-1.yaml:4:1: project: 项目 P9 不存在" in out
    assert re.search(
        r"data/letters/2021-1.yaml:\d+:1: feedback: \[警告\] 书面反馈已逾期\d+天（期限 2021-11-13），尚未收到", out
    )


def test_once_a_month_unless_forced(run: Run, small: Path) -> None:
    # P2 already had a letter dated 2021-11-03
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-11-30", ledger=small)
    assert "跳过 P2：本月已发函（测重指办督〔2021〕1号，2021年11月3日）" in result.stderr
    assert sorted(os.listdir(small / "letters/2021")) == ["2-P1.docx", "2-P1.md"]
    again = run("remind", "--as-of", "2021-11-30", "--date", "2021-11-30", ledger=small)
    assert "跳过 P1" in again.stderr and "没有需要发函的项目" in again.stderr
    forced = run("remind", "--as-of", "2021-11-30", "--date", "2021-11-30", "--force", ledger=small)
    assert forced.exit_code == 0
    assert sorted(os.listdir(small / "letters/2021")) == [
        f"{n}.{x}" for n in ("2-P1", "3-P1", "4-P2") for x in ("docx", "md")
    ]


def test_dry_run_writes_nothing(run: Run, small: Path) -> None:
    before = tree(small)
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", "--dry-run", ledger=small)
    assert result.exit_code == 0
    assert "P1" in result.stdout and "P2" in result.stdout
    assert "计划2021年6月1日开工，逾期5个月未开工" in result.stdout
    assert tree(small) == before


def test_failure_half_way_leaves_nothing_behind(run: Run, small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xmtj.changes.writer

    real = xmtj.changes.writer._place
    calls = {"n": 0}

    def flaky(staged: xmtj.changes.writer._Staged) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # the second letter, after the first letter and its register entry
            raise OSError(28, "No space left on device", str(staged.path))
        real(staged)

    monkeypatch.setattr(xmtj.changes.writer, "_place", flaky)
    before = tree(small)
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small)
    assert result.exit_code == 1
    assert "写入文件失败（磁盘已满" in result.stderr
    assert "未做任何改动" in result.stderr
    after = {k: v for k, v in tree(small).items()}
    assert after == before  # no letter, no register entry, no temporary file
    # and the numbers were not used up
    monkeypatch.setattr(xmtj.changes.writer, "_place", real)
    out = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small).stdout
    assert "letters/2021/2-P1.md" in out


def test_a_ledger_template_overrides_the_default(run: Run, small: Path) -> None:
    (small / "templates").mkdir()
    (small / "templates/letter.md.j2").write_text(
        "{{ doc_no }}｜{{ project.name }}｜{{ date|date_cn }}\n", encoding="utf-8"
    )
    run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", "--project", "P1", ledger=small)
    assert (small / "letters/2021/2-P1.md").read_text(
        encoding="utf-8"
    ) == "测重指办督〔2021〕2号｜甲化工新材料项目｜2021年12月14日\n"
    # the briefing template was not overridden and still comes from the defaults
    assert "\n# 关于2021年" in run("report", "--month", "2021-11", ledger=small).stdout


def test_a_template_naming_missing_data_is_an_error(run: Run, small: Path) -> None:
    (small / "templates").mkdir()
    (small / "templates/letter.md.j2").write_text("{{ no_such_thing }}\n", encoding="utf-8")
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small)
    assert result.exit_code == 1
    assert "模板 letter.md.j2 用到了不存在的数据" in result.stderr
    assert not (small / "letters").exists()


def test_data_cannot_break_markdown(run: Run, small: Path) -> None:
    p = small / "data/projects/P1.yaml"
    p.write_text(
        p.read_text(encoding="utf-8").replace("name: 甲化工新材料项目", 'name: "甲|乙 *重点* 项目\\n二期"'),
        encoding="utf-8",
    )
    report = run("report", "--month", "2021-11", ledger=small).stdout
    found = assert_tables_rectangular(report)
    details = found[-1]
    assert details[1][1] == "甲|乙 \\*重点\\* 项目 二期"  # the pipe stayed inside its cell
    tokens = MarkdownIt("commonmark").enable("table").parse(report)
    assert not any(t.type == "em_open" for t in tokens)
    run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small)
    letter = (small / "letters/2021/2-P1.md").read_text(encoding="utf-8")
    assert_tables_rectangular(letter)
    assert "## 关于加快推进甲\\|乙 \\*重点\\* 项目 二期建设的督办提醒函" in letter


def test_remind_picks_exactly_the_projects_status_lights(run: Run, tmp_path: Path) -> None:
    status = json.loads(run("status", "--as-of", "2021-11-30", "--format", "json", ledger=REPO).stdout)
    lit = {x["id"] for x in status["lagging"]}
    out = run("remind", "--as-of", "2021-11-30", "--date", "2022-01-04", "--dry-run", ledger=REPO).stdout
    assert set(re.findall(r"HJ2021-\d{3}", out)) == lit
    assert len(lit) == 18
    red_only = run(
        "remind", "--as-of", "2021-11-30", "--date", "2022-01-04", "--dry-run", "--min-light", "red", ledger=REPO
    ).stdout
    assert set(re.findall(r"HJ2021-\d{3}", red_only)) == {x["id"] for x in status["lagging"] if x["light"] == "red"}


def test_remind_unknown_project(run: Run, small: Path) -> None:
    result = run("remind", "--project", "P9", "--dry-run", ledger=small)
    assert result.exit_code == 1
    assert "项目不存在：P9" in result.stderr


def test_annual_report_on_the_demo(run: Run) -> None:
    out = run("report", "--year", "2021", "--as-of", "2021-12-14", ledger=REPO).stdout
    for phrase in (
        "全市共谋划实施重点项目100个",
        "累计完成投资53.94亿元，占年度目标任务41.18亿元的131%",
        "召开重点项目调度会45次，组织集中开工活动5次、集中观摩活动3次",
        "协调解决65个",
        "通过现场督查发现并反馈问题62个",
        "对18个进展缓慢项目下发督办提醒函18份",
        "谋划2022年重点项目189个，总投资610.00亿元，其中政府投资项目105个、总投资110.00亿元，社会投资项目84个、总投资500.00亿元",
    ):
        assert phrase in out, phrase


def test_monthly_briefing_on_the_demo_parses(run: Run) -> None:
    out = run("report", "--month", "2021-11", ledger=REPO).stdout
    assert out.startswith(
        "**河津市重点项目总指挥部办公室**\n\n河重指办〔2021〕1号\n\n# 关于2021年1—11月全市重点项目建设进展情况的通报"
    )
    found = assert_tables_rectangular(out)
    ranking = next(t for t in found if t[0][0] == "单位")
    assert len(ranking) == 1 + 8 + 1 and ranking[-1][0] == "合计"
    lit = next(t for t in found if t[0][:2] == ["亮灯", "项目名称"])
    assert len(lit) == 1 + 18
    detail = next(t for t in found if t[0][0] == "项目编号")
    assert len(detail) == 1 + 100 + 1 and detail[-1][:2] == ["合计", "100个项目"]
    for section in (
        "一、总体情况",
        "二、分类情况",
        "三、分指挥部排名",
        "四、亮灯项目清单",
        "五、问题协调",
        "六、督办情况",
        "七、下步工作",
    ):
        assert f"## {section}" in out


def test_plan_on_the_demo(run: Run) -> None:
    out = run("plan", "--year", "2022", "--format", "markdown", ledger=REPO).stdout
    assert out.startswith(
        "2022年重点项目189个，总投资610.00亿元；其中政府投资项目105个、总投资110.00亿元，社会投资项目84个、总投资500.00亿元。"
    )
    data = json.loads(run("plan", "--year", "2022", "--format", "json", ledger=REPO).stdout)
    assert data["projects"] == 189 and data["total_investment"] == 6_100_000
    by_type = {g["key"]: g for g in data["groups"]["investment_type"]}
    assert (by_type["政府投资"]["projects"], by_type["政府投资"]["total_investment"]) == (105, 1_100_000)
    assert (by_type["社会投资"]["projects"], by_type["社会投资"]["total_investment"]) == (84, 5_000_000)
    assert {"investment_type", "sector", "level", "six_new"} == set(data["groups"])


def test_issue_and_meeting_lists(run: Run, small: Path) -> None:
    data = json.loads(
        run("issue", "list", "--overdue", "--as-of", "2021-11-30", "--format", "json", ledger=small).stdout
    )
    assert [(i["id"], i["project_name"], i["overdue_days"], i["meeting_title"]) for i in data["issues"]] == [
        ("W1", "甲化工新材料项目", 20, "第10次调度会")
    ]
    rows = run("issue", "list", "--project", "P3", "--format", "csv", ledger=small).stdout.splitlines()
    assert rows[0].startswith("\ufeff编号,所属项目,存在问题")
    assert rows[1].startswith("W2,P3 丙供水管网项目,管材供应不及时")
    shown = run("issue", "show", "W1", "--as-of", "2021-11-30", ledger=small).stdout
    assert "推进中（逾期20天）" in shown and "M1 第10次调度会（2021-10-12）" in shown
    assert run("issue", "show", "W9", ledger=small).exit_code == 1
    meetings = json.loads(run("meeting", "list", "--kind", "调度会", "--format", "json", ledger=small).stdout)
    assert [(m["id"], m["issues_raised"]) for m in meetings["meetings"]] == [("M1", 1)]
    demo = json.loads(run("meeting", "list", "--year", "2021", "--format", "json", ledger=REPO).stdout)["meetings"]
    assert len(demo) == 53


def test_letter_list(run: Run, small: Path, ledger: LedgerDir) -> None:
    out = run("letter", "list", "--format", "csv", ledger=small).stdout.splitlines()
    assert (
        out[1] == "测重指办督〔2021〕1号,2021-11-03,P2 乙中学扩建项目,市教育局,红灯,2021-11-13,已反馈（2021年11月10日）"
    )
    run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small)
    pending = json.loads(run("letter", "list", "--pending", "--format", "json", ledger=small).stdout)["letters"]
    assert [x["doc_no"] for x in pending] == ["测重指办督〔2021〕2号", "测重指办督〔2021〕3号"]
    assert all(x["feedback_state"].startswith("逾期未反馈") for x in pending)
