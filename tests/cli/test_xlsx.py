"""Listings as Excel workbooks (`--format xlsx --out`): real numbers equal to the JSON, formats, lights."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from tests.conftest import REPO, Run


def test_status_as_the_excel_ledger_holds_the_json_figures(tmp_path: Path, run: Run) -> None:
    import zipfile

    import openpyxl

    out = tmp_path / "台账.xlsx"
    result = run("status", "--format", "xlsx", "--out", str(out), ledger=REPO)
    assert result.exit_code == 0, result.output
    status = json.loads(run("status", "--format", "json", ledger=REPO).stdout)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["台账", "分指挥部", "问题清单"]
    sheet = book["台账"]
    assert sheet["A1"].value == "2021年河津市重点项目建设进展情况表（1—11月）" and "A1:R1" in sheet.merged_cells
    assert sheet["R2"].value == "单位：万元"
    headers = [c.value for c in sheet[3]]
    assert headers == ["序号", "编号", "项目名称", "建设单位", "总投资", "年度计划", "当月完成", "累计完成", "完成率",
                       "序时进度", "超欠序时", "超欠月度计划", "形象进度", "存在问题", "责任单位", "包联领导", "分指挥部",
                       "亮灯"]  # fmt: skip
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$1:$3"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A3) and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    by_id = {r["id"]: r for r in status["rows"]}
    body = list(sheet.iter_rows(min_row=4, max_row=3 + len(by_id)))
    for cells in body:
        row = by_id[cells[1].value]
        assert Decimal(str(cells[5].value)) == Decimal(str(row["annual_plan"]))
        assert Decimal(str(cells[7].value)) == Decimal(str(row["completed_ytd"]))
        assert cells[7].number_format == "#,##0" and cells[8].number_format == "0.0%"
        if row["plan_rate"] is not None:
            assert abs(cells[8].value - row["plan_rate"]) < 1e-6
        if row["ahead_points"] is None:
            assert cells[9].value is None and cells[10].value is None  # not yet due: no 序时, no lag
        else:
            assert abs(cells[9].value - row["schedule"]) < 1e-6 and abs(cells[10].value - row["ahead_points"]) < 0.01
        if row["monthly_ahead_points"] is not None:
            assert abs(cells[11].value - row["monthly_ahead_points"]) < 0.01
    total = [c.value for c in sheet[4 + len(by_id)]]
    assert total[0] == "合计" and Decimal(str(total[7])) == Decimal(str(status["completed_ytd"]))
    red = next(c for c in body if c[17].value == "红灯")[17]
    assert red.fill.fgColor.rgb.endswith("FFC7CE")
    ranking = book["分指挥部"]
    assert ranking["A3"].value == "分指挥部" and ranking.max_row > 12
    charts = [n for n in zipfile.ZipFile(out).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2  # native charts, not pictures
    problems = book["问题清单"]
    assert problems["A3"].value == "编号" and problems.max_row > 3
    for each in book.worksheets:  # every sheet numbers its printed pages
        assert each.oddFooter.center.text == "第 &P 页 共 &N 页"
    # every row as tall as its longest wrapped text, by the same measure as lines_needed
    from xmtj.documents.xlsx import lines_needed, row_height

    widths = {c: sheet.column_dimensions[chr(64 + c)].width for c in range(1, 19)}
    for cells in body:
        lines = max(lines_needed(c.value, widths[c.column]) for c in cells if isinstance(c.value, str))
        assert sheet.row_dimensions[cells[0].row].height == row_height(lines)
    assert any(sheet.row_dimensions[c[0].row].height > row_height(1) for c in body)
    # the month table's plan line is the 时序 basis: the annual plan × 11/12 at November's end
    month_rows = {
        r[0].value: r for r in ranking.iter_rows() if isinstance(r[0].value, str) and r[0].value.endswith("月")
    }
    november = month_rows["11月"]
    assert Decimal(str(november[2].value)) == round(Decimal(str(status["annual_plan"])) * 11 / 12)


def test_a_cell_holds_as_many_characters_as_excel_draws_in_its_width() -> None:
    """Excel's column unit is a digit of Calibri 11 (7 px): a 30-wide column holds 13 CJK characters of 11 pt
    (14.7 px each) or 27 figures on a line; a line break starts a new line."""
    from xmtj.documents.xlsx import lines_needed

    assert lines_needed("国" * 13, 30) == 1 and lines_needed("国" * 14, 30) == 2 and lines_needed("国" * 40, 30) == 4
    assert lines_needed("1" * 27, 30) == 1 and lines_needed("1" * 28, 30) == 2
    assert lines_needed("年度计划\n（万元）", 12) == 2


def test_a_listing_as_a_workbook(tmp_path: Path, run: Run) -> None:
    import openpyxl

    out = tmp_path / "问题.xlsx"
    assert run("issue", "list", "--format", "xlsx", "--out", str(out), ledger=REPO).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A1"].value.startswith("问题台账") and sheet["A2"].value == "编号" and sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$1:$2"


def test_a_grouped_status_workbook_holds_the_typed_figures_not_their_text(tmp_path: Path, run: Run) -> None:
    """The Excel renderer writes each column's typed values (never text another renderer printed)."""
    import openpyxl

    out = tmp_path / "分组.xlsx"
    result = run("status", "--by", "branch", "--format", "xlsx", "--out", str(out), ledger=REPO)
    assert result.exit_code == 0, result.output
    groups = json.loads(run("status", "--by", "branch", "--format", "json", ledger=REPO).stdout)["groups"]
    sheet = openpyxl.load_workbook(out).active
    headers = [c.value for c in sheet[2]]
    assert headers[:4] == ["分指挥部", "项目数", "年度计划(万元)", "累计完成(万元)"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=3)}
    assert set(rows) == {g["key"] for g in groups}
    for g in groups:
        cells = rows[g["key"]]
        assert cells[1].value == g["projects"] and cells[1].data_type == "n"
        assert Decimal(str(cells[3].value)) == Decimal(str(g["completed_ytd"]))
        assert cells[4].number_format == "0.0%"
        if g["plan_rate"] is None:
            assert cells[4].value is None
        else:
            assert abs(cells[4].value - g["plan_rate"]) < 1e-6  # JSON rounds a rate to six places
        assert cells[5].number_format == "+0.0;-0.0;0.0"


def test_approval_dates_are_dates_in_excel_and_markdown_to_a_file_keeps_the_headline(tmp_path: Path, run: Run) -> None:
    import datetime as dt

    import openpyxl

    out = tmp_path / "手续.xlsx"
    assert run("approvals", "--format", "xlsx", "--out", str(out), ledger=REPO).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    column = [c.value for c in sheet[2]].index("日期")
    dates = [r[column].value for r in sheet.iter_rows(min_row=3) if r[column].value is not None]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)
    md = tmp_path / "进展.md"
    assert run("status", "--format", "markdown", "--out", str(md), ledger=REPO).exit_code == 0
    shown = run("status", "--format", "markdown", ledger=REPO).stdout
    assert md.read_text(encoding="utf-8") == shown and "累计完成投资" in shown


def test_xlsx_needs_out_and_other_formats_can_be_written(tmp_path: Path, run: Run) -> None:
    result = run("issue", "list", "--format", "xlsx", ledger=REPO)
    assert result.exit_code == 1 and "--out" in result.stderr
    out = tmp_path / "问题.csv"
    assert run("issue", "list", "--format", "csv", "--out", str(out), ledger=REPO).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("letter", "list", "--format", "xlsx", "--out", str(tmp_path / "函.xlsx"), ledger=REPO).exit_code == 0
    link = tmp_path / "链接.xlsx"
    link.symlink_to(tmp_path / "别处.xlsx")
    refused = run("plan", "--year", "2022", "--format", "xlsx", "--out", str(link), ledger=REPO)
    assert refused.exit_code == 1 and not (tmp_path / "别处.xlsx").exists()
