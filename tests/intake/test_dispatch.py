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
    return next(c.column for c in sheet[3] if c.value == heading)


def fill(root: Path, unit: str, out: Path, values: dict[str, Any], unprotect: dict[str, Any] | None = None) -> Path:
    """The unit's sheet with its first project's input cells filled (and, removing the protection, some
    locked cells changed)."""
    book = sheet_of(root, unit)
    sheet = book["调度任务"]
    for heading, value in values.items():
        sheet.cell(4, column(sheet, heading), value)
    if unprotect:
        sheet.protection.sheet = False
        for heading, value in unprotect.items():
            sheet.cell(4, column(sheet, heading), value)
    book.save(out)
    return out


def test_the_sheets_are_locked_validated_and_marked(ledger: Path) -> None:
    from xmtj.intake.dispatch import read_marker, verify_marker
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
    marker = read_marker(ledger / "dispatch/2021-12" / f"{JIA}.xlsx")
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
