"""The way in: `xmtj init`, `xmtj import projects|progress`, `xmtj letter reply` — on sheets made as an office
makes them (tests/intake/sheets.py), checked end to end through the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, git
from tests.intake.sheets import HEADINGS, project_rows, project_workbook, write_workbook
from xmtj.months import Month

pytestmark = pytest.mark.usefixtures("git_env")

MONTHLY = ["序号", "项目编号", "项目名称", "1—{m}月累计完成投资", "形象进度", "存在问题", "实际开工时间"]


def new_office(tmp_path: Path, run: Run) -> Path:
    root = tmp_path / "稷山台账"
    result = run(
        "init", str(root), "--place", "稷山县", "--prefix", "JS", "--letter-prefix", "稷重指办督",
        "--branch", "开发区分指挥部", "--branch", "城建分指挥部", "--level", "省级重点项目",
        "--level", "稷山县重点项目", "--year", "2022", "--target", "20000",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root


def monthly(path: Path, month: int, rows: list[list[Any]]) -> Path:
    headings = [h.format(m=month) for h in MONTHLY]
    numbered = [[i + 1, *row] for i, row in enumerate(rows)]
    return write_workbook(path, f"2022年{month}月重点项目月报", "单位：万元", headings, numbered)


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


def head_and_status(root: Path) -> tuple[str, str]:
    return git(root, "rev-parse", "HEAD").strip(), git(root, "status", "--porcelain", "--untracked-files=all")


def test_init_import_three_months_check_and_status(tmp_path: Path, run: Run) -> None:
    root = new_office(tmp_path, run)
    assert run("check", ledger=root).exit_code == 0
    sheet = project_workbook(tmp_path / "台账.xlsx")
    result = run("import", "projects", str(sheet), ledger=root)
    assert result.exit_code == 0, result.output
    assert "1个日期只写了月份，按月份记（当月结束后才算逾期）（G6“2022年4月”）" in result.output
    first = (root / "data/projects/JS2022-001.yaml").read_text(encoding="utf-8")
    assert "total_investment: 5000" in first  # ５０００, full-width digits
    assert "phone: '13800000000'" in first  # a number cell kept as the phone number's text
    assert "planned_completion: 2023-06-30" in first  # 2023/6/30
    assert "levels: [省级重点项目, 稷山县重点项目]" in first  # two levels separated by 、
    third = (root / "data/projects/JS2022-003.yaml").read_text(encoding="utf-8")
    assert "planned_start: 2022-03-15" in third  # an Excel serial (44635)
    assert "planned_completion: 2022-10-31" in third  # 2022年10月31日
    assert "total_investment: 8000.5" in third
    second = (root / "data/projects/JS2022-002.yaml").read_text(encoding="utf-8")
    assert "total_investment: 12000" in second and "2022: 2000" in second  # thousands separators, text
    assert "planned_start: 2022-04\n" in second  # 2022年4月: kept as the month, never the 1st

    names = ["稷山县甲新材料项目", "稷山县乙食品项目", "稷山县丙道路项目"]
    figures = {3: [500, "300", 100], 4: [900, "300", 150], 5: [1400, "８００", 350]}
    starts = ["2022-03-10", "2022年3月", "2022/3/20"]
    for month, cumulative in figures.items():
        rows = [
            [
                None,
                name,
                value,
                "基础施工",
                "用地未办结" if month == 3 and i == 0 else "",
                starts[i] if month == 3 else "",
            ]
            for i, (name, value) in enumerate(zip(names, cumulative, strict=True))
        ]
        book = monthly(tmp_path / f"{month}月.xlsx", month, rows)
        result = run("import", "progress", str(book), "--month", f"2022-{month:02d}", "--issues", ledger=root)
        assert result.exit_code == 0, result.output

    assert run("check", ledger=root).exit_code == 0
    status = json.loads(run("status", "--as-of", "2022-05-31", "--format", "json", ledger=root).stdout)
    # by hand: months 500+400+500, 300+0+500, 100+50+200; plans 3000+2000+1500; target 20000
    assert status["projects"] == 3
    assert Decimal(str(status["total_investment"])) == Decimal("25000.5")
    assert status["annual_plan"] == 6500
    assert status["completed_ytd"] == 1400 + 800 + 350
    assert status["target_rate"] == pytest.approx(2550 / 20000)
    project = (root / "data/projects/JS2022-002.yaml").read_text(encoding="utf-8")
    assert "2022-04: {amount: 0, text: 基础施工}" in project and "actual_start: 2022-03\n" in project
    issue = (root / "data/issues/WT2022-001.yaml").read_text(encoding="utf-8")
    assert "project: JS2022-001" in issue and "description: 用地未办结" in issue and "raised_on: 2022-03-31" in issue
    assert commits(root) == [
        "进度: 2022-05 3个项目（5月.xlsx）",
        "进度: 2022-04 3个项目（4月.xlsx）",
        "进度: 2022-03 3个项目（3月.xlsx），新增问题1个",
        "导入: 台账.xlsx 新建3个项目，更新0个",
        "新建台账: 稷山县重点项目总指挥部办公室",
    ]
    again = run("import", "progress", str(tmp_path / "5月.xlsx"), "--month", "2022-05", ledger=root)
    assert again.exit_code == 0 and "3 行与台账一致" in again.output
    assert len(commits(root)) == 5


def bad_sheet(tmp_path: Path, column: str, value: Any, row: int = 1) -> Path:
    rows = project_rows()
    data = [r for r in rows if isinstance(r[0], int)]
    data[row][HEADINGS.index(column)] = value
    return write_workbook(tmp_path / "台账.xlsx", "2022年重点项目", "单位：万元", HEADINGS, rows)


@pytest.mark.parametrize(
    ("column", "value", "cell", "message"),
    [
        ("总投资\n（万元）", "约5000", "E6", "总投资: 应为数字，现为“约5000”"),
        (
            "分指挥部",
            "开发区分指挥",
            "I6",
            "分指挥部: 分指挥部“开发区分指挥”不在 xmtj.yaml 的 branches 中，是否应为“开发区分指挥部”？",
        ),
        ("项目名称", "稷山县甲新材料项目", "B6", "项目名称: 与第5行重复"),
        ("计划开工时间", "2022-02-30", "G6", "计划开工时间: 日期不存在：“2022-02-30”"),
        ("责任单位", "", "J6", "责任单位: 新项目必须填写"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(
    tmp_path: Path, run: Run, column: str, value: Any, cell: str, message: str
) -> None:
    root = new_office(tmp_path, run)
    before = head_and_status(root)
    result = run("import", "projects", str(bad_sheet(tmp_path, column, value)), ledger=root)
    assert result.exit_code == 1
    assert f"台账.xlsx!Sheet1!{cell}: {message}" in result.stderr, result.stderr
    assert "未导入任何内容" in result.stderr
    assert head_and_status(root) == before
    assert not list((root / "data/projects").glob("*.yaml"))


def imported(tmp_path: Path, run: Run) -> Path:
    root = new_office(tmp_path, run)
    assert run("import", "projects", str(project_workbook(tmp_path / "台账.xlsx")), ledger=root).exit_code == 0
    return root


def test_a_cumulative_below_the_recorded_months_is_refused(tmp_path: Path, run: Run) -> None:
    root = imported(tmp_path, run)
    march = monthly(tmp_path / "3月.xlsx", 3, [["JS2022-001", None, 500, "", "", "2022-03-10"]])
    assert run("import", "progress", str(march), "--month", "2022-03", ledger=root).exit_code == 0
    before = head_and_status(root)
    april = monthly(tmp_path / "4月.xlsx", 4, [["js2022-001", None, 400, "", "", ""]])
    result = run("import", "progress", str(april), "--month", "2022-04", ledger=root)
    assert result.exit_code == 1
    assert "4月.xlsx!Sheet1!D4: 1—4月累计完成投资: 累计400万元小于已登记的2022年此前各月合计500万元" in result.stderr
    assert head_and_status(root) == before


def test_a_resent_sheet_with_another_figure_is_a_correction_only_when_asked(tmp_path: Path, run: Run) -> None:
    root = imported(tmp_path, run)
    march = monthly(tmp_path / "3月.xlsx", 3, [["JS2022-001", None, 500, "", "", "2022-03-10"]])
    assert run("import", "progress", str(march), "--month", "2022-03", ledger=root).exit_code == 0
    resent = monthly(tmp_path / "3月更正.xlsx", 3, [["JS2022-001", None, 520, "", "", ""]])
    before = head_and_status(root)
    refused = run("import", "progress", str(resent), "--month", "2022-03", ledger=root)
    assert refused.exit_code == 1 and "已登记500万元，表中为520万元" in refused.stderr and "--correct" in refused.stderr
    assert head_and_status(root) == before
    fixed = run("import", "progress", str(resent), "--month", "2022-03", "--correct", ledger=root)
    assert fixed.exit_code == 0, fixed.output
    assert "更正 JS2022-001 稷山县甲新材料项目 2022-03 500→520万元" in fixed.stdout
    assert "2022-03: 520" in (root / "data/projects/JS2022-001.yaml").read_text(encoding="utf-8")


def test_reimporting_the_ledger_updates_only_the_changed_values(tmp_path: Path, run: Run) -> None:
    root = imported(tmp_path, run)
    path = root / "data/projects/JS2022-002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sector: 产业", "sector: 产业  # 手写的注释"), "utf-8")
    git(root, "commit", "-qam", "注释")
    rows = project_rows()
    rows[2][4] = "13000"  # 乙: 总投资 12,000 → 13000
    sheet = write_workbook(tmp_path / "台账2.xlsx", "台账", "单位：万元", HEADINGS, rows)
    before = path.read_text(encoding="utf-8")
    result = run("import", "projects", str(sheet), ledger=root)
    assert result.exit_code == 0, result.output
    assert "更新 JS2022-002 稷山县乙食品项目：total_investment 12000→13000" in result.stdout
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("total_investment: 12000", "total_investment: 13000")
    assert commits(root)[0] == "导入: 台账2.xlsx 新建0个项目，更新1个"


def test_a_sheet_in_yi_yuan_and_a_gbk_csv(tmp_path: Path, run: Run) -> None:
    root = new_office(tmp_path, run)
    rows = [r for r in project_rows() if isinstance(r[0], int)]
    for row in rows:
        row[4], row[5] = "0.5", "0.3"  # 亿元
    headings = ["总投资" if h.startswith("总投资") else h for h in HEADINGS]  # the unit row's 亿元 then counts
    lines = [",".join(headings)] + [",".join(str(c) for c in r) for r in rows]
    csv = tmp_path / "台账.csv"
    csv.write_bytes(("单位：亿元\n" + "\n".join(lines) + "\n").encode("gb18030"))
    result = run("import", "projects", str(csv), "--year", "2022", ledger=root)
    assert result.exit_code == 0, result.output
    assert "台账.csv 按 GBK 编码读取" in result.output
    text = (root / "data/projects/JS2022-001.yaml").read_text(encoding="utf-8")
    assert "total_investment: 5000" in text and "2022: 3000" in text


def test_unknown_columns_are_listed_and_the_ledgers_own_names_are_read(tmp_path: Path, run: Run) -> None:
    root = new_office(tmp_path, run)
    config = root / "xmtj.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  columns: {}", "  columns: {项目牵头单位: 责任单位}"), "utf-8"
    )
    git(root, "commit", "-qam", "列名")
    headings = [("项目牵头单位" if h == "责任单位" else h) for h in HEADINGS] + ["是否纳入统计"]
    sheet = write_workbook(tmp_path / "台账.xlsx", "台账", "单位：万元", headings, project_rows())
    result = run("import", "projects", str(sheet), "--dry-run", ledger=root)
    assert result.exit_code == 0, result.output
    assert "以下列不认识，未导入：是否纳入统计" in result.output
    assert "新建 JS2022-003 稷山县丙道路项目" in result.stdout and "试运行" in result.stdout
    assert not list((root / "data/projects").glob("*.yaml"))


def test_letter_reply_by_doc_number_or_register_key(repo_with_pending_letter: Path, run: Run) -> None:
    root = repo_with_pending_letter
    result = run("letter", "reply", "测重指办督[2021]1", "--date", "2021-12-05", "--text", "已整改", ledger=root)
    assert result.exit_code == 0, result.output
    assert "已提交" in result.stdout and commits(root)[0].startswith("函件反馈: 测重指办督〔2021〕1号")
    listed = json.loads(run("letter", "list", "--format", "json", ledger=root).stdout)
    assert listed["letters"][0]["feedback"] == {"received_on": "2021-12-05", "text": "已整改"}
    again = run("letter", "reply", "2021-1", "--date", "2021-12-06", "--text", "x", ledger=root)
    assert again.exit_code == 1 and "已于 2021-12-05 收到反馈" in again.stderr


@pytest.fixture
def repo_with_pending_letter(tmp_path: Path) -> Path:
    import shutil

    from tests.conftest import SMALL

    root = tmp_path / "small"
    shutil.copytree(SMALL, root)
    letter = root / "data/letters/2021-1.yaml"
    text = letter.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("feedback:")]
    letter.write_text("\n".join(kept) + "\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "台账")
    return root


def test_the_clerks_own_git_shows_chinese_file_names(tmp_path: Path, run: Run) -> None:
    """init sets core.quotepath=false: ``git status`` lists 台账.xlsx, not "\\345\\217\\260…"."""
    root = new_office(tmp_path, run)
    assert git(root, "config", "core.quotepath").strip() == "false"
    (root / "台账.xlsx").write_bytes(b"")
    assert "?? 台账.xlsx" in git(root, "status", "--porcelain")


def test_init_refuses_an_existing_ledger(tmp_path: Path, run: Run) -> None:
    root = new_office(tmp_path, run)
    before = (root / "xmtj.yaml").read_bytes()
    result = run("init", str(root), "--place", "别的县")
    assert result.exit_code == 1 and "已经是台账目录" in result.stderr
    assert (root / "xmtj.yaml").read_bytes() == before
    assert commits(root) == ["新建台账: 稷山县重点项目总指挥部办公室"]
    assert "place_level: 县" in before.decode("utf-8")


def test_dates_in_every_form() -> None:
    from xmtj.intake import cells

    assert cells.date("2022-03-15") == (dt.date(2022, 3, 15), False)
    assert cells.date("2022/3/5") == (dt.date(2022, 3, 5), False)
    assert cells.date("2022.3.15") == (dt.date(2022, 3, 15), False)
    assert cells.date("2022年3月15日") == (dt.date(2022, 3, 15), False)
    month, partial = cells.date("２０２２年３月")
    assert partial and type(month).__name__ == "MonthDate" and month.isoformat() == "2022-03"  # the month, not the 1st
    assert cells.date(44635.0) == (dt.date(2022, 3, 15), False)
    with pytest.raises(cells.CellError, match="日期不存在"):
        cells.date("2021-02-29")
    with pytest.raises(cells.CellError, match="应为日期"):
        cells.date(12.5)
    assert cells.money("1,234.5") == Decimal("1234.5")
    assert cells.money("0.35", Decimal(10000)) == Decimal(3500)
    assert cells.money(1234.1) == Decimal("1234.1")
    with pytest.raises(cells.CellError, match="不能为负数"):
        cells.money(-1)
    assert cells.text(13800000000.0) == "13800000000"


def test_editing_gaps_lists_nested_values_any_case_ids(tmp_path: Path, run: Run) -> None:
    root = imported(tmp_path, run)
    result = run("project", "set", "js2022-003", "levels", "省级重点项目", "稷山县重点项目", ledger=root)
    assert result.exit_code == 0, result.output
    assert commits(root)[0] == "项目: JS2022-003 项目级别 [稷山县重点项目]→[省级重点项目, 稷山县重点项目]"
    assert run("project", "set", "JS2022-003", "contact.phone", "0359-5550001", ledger=root).exit_code == 0
    assert run("project", "set", "JS2022-003", "annual_plan.2023", "900", ledger=root).exit_code == 0
    text = (root / "data/projects/JS2022-003.yaml").read_text(encoding="utf-8")
    assert "levels: [省级重点项目, 稷山县重点项目]" in text and "phone: 0359-5550001" in text and "2023: 900" in text
    refused = run("project", "set", "JS2022-003", "name", "甲", "乙", ledger=root)
    assert refused.exit_code == 1 and "只能有一个值" in refused.stderr
    unknown = run("progress", "JS2022-030", "--month", "2022-03", "--amount", "1", ledger=root)
    assert unknown.exit_code == 1 and "项目 JS2022-030 不存在，是否应为“JS2022-003”？" in unknown.stderr
    far = run("progress", "JS2022-003", "--month", "2099-01", "--amount", "1", "--future", ledger=root)
    assert far.exit_code == 1 and "2099 超出本台账的年份范围" in far.stderr
    coming = Month.of(dt.date.today()).next
    early = run("progress", "JS2022-003", "--month", coming.key, "--amount", "1", ledger=root)
    assert early.exit_code == 1 and "还没有到" in early.stderr and "--future" in early.stderr
    over = run("progress", "JS2022-003", "--month", "2022-03", "--amount", "9000", "--strict", ledger=root)
    assert over.exit_code == 1 and "超过2022年计划投资1500万元" in over.stderr
    warned = run("progress", "JS2022-003", "--month", "2022-03", "--amount", "1600", ledger=root)
    assert warned.exit_code == 0 and "超过2022年计划投资1500万元" in warned.stderr


@pytest.mark.parametrize("name", ["ledger.ods", "ledger.xls"])
def test_ods_and_xls_read_as_the_xlsx_does(tmp_path: Path, run: Run, name: str) -> None:
    """The same 台账 saved by LibreOffice as .ods and as Excel 97 .xls (tests/fixtures/sheets, made from
    project_workbook): the same three project files as the .xlsx gives."""
    from tests.conftest import REPO

    expected = imported(tmp_path / "from-xlsx", run)
    root = new_office(tmp_path / "from-other", run)
    result = run("import", "projects", str(REPO / "tests/fixtures/sheets" / name), ledger=root)
    assert result.exit_code == 0, result.output
    for path in sorted((expected / "data/projects").glob("*.yaml")):
        assert (root / "data/projects" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_the_forms_foot_and_notes_are_not_read_as_projects(tmp_path: Path, run: Run) -> None:
    """A 台账 as offices print it ends with 注： and the form's foot (填报单位（盖章）：…、填报人：…、审核人：…):
    those rows hold no project and are passed over, not reported as new projects without a name."""
    root = new_office(tmp_path, run)
    foot = [
        ["注：1.总投资、计划投资单位为万元；2.计划开工时间按月填写。"],
        ["填报单位（盖章）：稷山县项目推进中心", None, None, "填报人：赵某", None, "联系电话：0359-5550000"],
        ["审核人：钱某", None, None, "填报日期：2022年1月10日"],
    ]
    sheet = write_workbook(tmp_path / "台账.xlsx", "2022年稷山县重点项目建设进展情况表", "单位：万元", HEADINGS,
                           [*project_rows(), *foot])  # fmt: skip
    result = run("import", "projects", str(sheet), ledger=root)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "data/projects").glob("*.yaml")) == [
        "JS2022-001.yaml", "JS2022-002.yaml", "JS2022-003.yaml"
    ]  # fmt: skip
    assert "填报人" not in result.output and "审核人" not in result.output


def test_a_sheet_as_a_county_office_keeps_it(tmp_path: Path, run: Run) -> None:
    """The two-row merged header, section rows for 行业, 前期手续 and 月度计划 columns (the committed
    fixture, made by ``sheets.office_ledger``): three projects, no error, each value where it belongs."""
    from tests.conftest import REPO
    from tests.intake.sheets import office_ledger

    fixture = REPO / "tests/fixtures/sheets/office-ledger.xlsx"
    made = office_ledger(tmp_path / "made.xlsx")
    import openpyxl

    def cells(path: Path) -> list[list[Any]]:
        return [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]

    assert cells(fixture) == cells(made)  # the fixture is what the builder makes
    root = new_office(tmp_path, run)
    result = run("import", "projects", str(fixture), ledger=root)
    assert result.exit_code == 0, result.output
    assert "按表中的分类行填写：行业“产业”2个；行业“基础设施”1个" in result.output
    assert "3个日期只写了月份" in result.output  # said once, with the cells
    assert "不认识，未导入：存在问题" in result.output  # the project 台账's problems: for import progress --issues
    first = (root / "data/projects/JS2022-001.yaml").read_text(encoding="utf-8")
    assert "total_investment: 5000" in first and "2022: 3000" in first and "sector: 产业" in first
    assert "item: 立项" in first and "doc_no: 稷发改〔2021〕88号" in first and "date: 2021-12-20" in first
    assert "{item: 用地, status: 已办结}" in first or ("item: 用地" in first and "status: 已办结" in first)
    assert "2022-03: 300" in first and "2022-12: 1200" in first
    third = (root / "data/projects/JS2022-003.yaml").read_text(encoding="utf-8")
    assert "sector: 基础设施" in third and "item: 施工许可" in third and "status: 办理中" in third
    assert "item: 用地" not in third  # 不涉及: no approval recorded
    assert len(list((root / "data/projects").glob("*.yaml"))) == 3
    assert run("check", ledger=root).exit_code == 0


def test_an_opening_balance_is_recorded_as_the_months_it_covers(tmp_path: Path, run: Run) -> None:
    """The office has 1—2月 on paper only: --opening records each project's 1—2月 total at February as an
    opening balance (since 2022-01), never split into invented months; the year's total counts it, the
    month's figure does not, and the 通报 says it; March then imports as usual."""
    root = new_office(tmp_path, run)
    assert run("import", "projects", str(project_workbook(tmp_path / "台账.xlsx")), ledger=root).exit_code == 0
    names = ["稷山县甲新材料项目", "稷山县乙食品项目", "稷山县丙道路项目"]
    february = monthly(
        tmp_path / "1-2月.xlsx", 2, [[None, n, v, "", "", ""] for n, v in zip(names, [500, 0, 120], strict=True)]
    )
    result = run("import", "progress", str(february), "--month", "2022-02", "--opening", ledger=root)
    assert result.exit_code == 0, result.output
    assert commits(root)[0] == "进度: 期初数 1—2月 3个项目（1-2月.xlsx）"
    first = (root / "data/projects/JS2022-001.yaml").read_text(encoding="utf-8")
    assert "2022-02: {amount: 500, since: 2022-01}" in first and "  2022-01:" not in first  # no month invented
    status = json.loads(run("status", "--as-of", "2022-02-28", "--format", "json", ledger=root).stdout)
    assert status["completed_ytd"] == 620
    report = run("report", "--month", "2022-02", "--date", "2022-03-10", "--draft", ledger=root)
    assert report.exit_code == 0, report.output
    assert re.search(
        r"2月当月完成投资0\.00亿元[^。（]*（另有3个项目按期初数登记1—2月合计0\.06亿元，未分月）", report.stdout
    )
    again = run("import", "progress", str(february), "--month", "2022-02", "--opening", ledger=root)
    assert again.exit_code == 1 and "已有 2022-02 的数" in again.stderr
    march = monthly(
        tmp_path / "3月.xlsx", 3, [[None, n, v, "", "", ""] for n, v in zip(names, [900, 300, 200], strict=True)]
    )
    assert run("import", "progress", str(march), "--month", "2022-03", ledger=root).exit_code == 0
    assert "2022-03: 400" in (root / "data/projects/JS2022-001.yaml").read_text(encoding="utf-8")  # 900 − 500
    path = root / "data/projects/JS2022-001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("progress:\n", "progress:\n  2022-01: 100\n"), encoding="utf-8"
    )
    checked = run("check", ledger=root)
    assert checked.exit_code == 1 and "期初数（2022-01—2022-02）已包含 2022-01" in checked.output
