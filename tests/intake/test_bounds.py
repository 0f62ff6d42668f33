"""Spreadsheets as an adversary makes them: measured before they are read, read in a child process under a
memory limit, and every failure one Chinese line naming the file (or its cell) — never a stack trace."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import LedgerDir, Run


@pytest.fixture
def repo(ledger: LedgerDir) -> LedgerDir:
    ledger.project("P1", "annual_plan: {2021: 1000}\nplanned_start: 2021-01-01\n")
    return ledger


def imported(run: Run, repo: LedgerDir, sheet: Path, *extra: str) -> str:
    result = run("import", "progress", str(sheet), "--month", "2021-03", *extra, ledger=repo)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "程序内部错误" not in result.output
    return result.stderr


def test_a_cell_at_xfd1048576_is_refused_before_it_is_read(run: Run, repo: LedgerDir, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "项目编号"
    book.active["XFD1048576"] = 1  # a 5 KB file whose grid is 17 billion cells
    path = tmp_path / "炸弹.xlsx"
    book.save(path)
    assert path.stat().st_size < 10_000
    assert "无法读取 炸弹.xlsx：表格过大（工作表“Sheet”用到了第 1048576 行、第 16384 列" in imported(run, repo, path)


def test_the_cells_a_sheet_addresses_count_without_its_dimension(run: Run, repo: LedgerDir, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active["CV1048576"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "无维度.xlsx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<dimension ref="CV1048576"/>', b"")
            target.writestr(item, data)
    assert "用到了第 1048576 行、第 100 列" in imported(run, repo, path)


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">
<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"
 office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


def test_an_ods_repeat_bomb_is_refused(run: Run, repo: LedgerDir, tmp_path: Path) -> None:
    path = tmp_path / "重复.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", ODS_CONTENT)
    assert path.stat().st_size < 2000
    assert "无法读取 重复.ods：表格过大" in imported(run, repo, path)


def test_a_runaway_read_ends_the_child_not_xmtj(
    run: Run, repo: LedgerDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the measuring cannot see is bounded by the child's memory: here a limit too small for any read."""
    from tests.intake.sheets import workbook
    from xmtj.intake import bounds, sheets

    path = workbook(tmp_path / "月报.xlsx", [["项目编号", "项目名称", "当月完成投资"], ["P1", "项目P1", 10]])
    monkeypatch.setattr(sheets, "LIMITS", bounds.Limits(memory_mb=1))
    assert "无法读取 月报.xlsx：表格过大或已损坏" in imported(run, repo, path)


def test_the_sheet_read_is_the_visible_one_the_workbook_opens_on(run: Run, repo: LedgerDir, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    hidden = book.active
    hidden.title = "隐藏"
    for row in (["项目编号", "项目名称", "当月完成投资"], ["P1", "项目P1", 99999]):
        hidden.append(row)
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("月报")
    for row in (["项目编号", "项目名称", "当月完成投资"], ["P1", "项目P1", 120]):
        shown.append(row)
    shown.row_dimensions[2].hidden = False
    book.active = 1
    path = tmp_path / "两张表.xlsx"
    book.save(path)
    result = run("import", "progress", str(path), "--month", "2021-03", "--dry-run", ledger=repo)
    assert result.exit_code == 0, result.output
    assert "P1 项目P1 2021-03 120万元" in result.stdout and "99999" not in result.stdout
    assert "有隐藏的工作表：隐藏（未读取）" in result.stderr


def test_hidden_rows_are_said(run: Run, repo: LedgerDir, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in (["项目编号", "项目名称", "当月完成投资"], ["P1", "项目P1", 120]):
        book.active.append(row)
    book.active.row_dimensions[2].hidden = True
    path = tmp_path / "隐藏行.xlsx"
    book.save(path)
    result = run("import", "progress", str(path), "--month", "2021-03", "--dry-run", ledger=repo)
    assert result.exit_code == 0, result.output
    assert "隐藏行.xlsx!Sheet 有1行被隐藏（第2行），照常读取，请核对" in result.stderr


def test_a_huge_number_is_an_error_at_its_cell(run: Run, repo: LedgerDir, tmp_path: Path) -> None:
    from tests.intake.sheets import workbook

    path = workbook(tmp_path / "大数.xlsx", [["项目编号", "项目名称", "当月完成投资"], ["P1", "项目P1", 1e30]])
    assert "大数.xlsx!Sheet!C2: 当月完成投资: 数字过大" in imported(run, repo, path)
    text = tmp_path / "大数.csv"
    text.write_text("项目编号,项目名称,当月完成投资\nP1,项目P1,100000000000000\n", encoding="utf-8")
    assert "大数.csv!大数!C2: 当月完成投资: 金额过大" in imported(run, repo, text)


def test_bytes_that_are_neither_utf8_nor_gbk_are_named_by_row_and_column(
    run: Run, repo: LedgerDir, tmp_path: Path
) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes("项目编号,项目名称,当月完成投资\n".encode("gbk") + b"P1,\xff\xfe\xff,120\n")
    assert "乱码.csv!乱码!B2：有无法识别的字节（0xFF）" in imported(run, repo, path)


def test_a_csv_field_over_the_csv_limit_is_named_by_row(run: Run, repo: LedgerDir, tmp_path: Path) -> None:
    path = tmp_path / "长.csv"
    path.write_text('项目编号,项目名称,当月完成投资\nP1,"' + "很" * 200_000 + '",120\n', encoding="utf-8")
    assert "长.csv!长!第2行：无法按 CSV 读取（有一个单元格超过 128 KB）" in imported(run, repo, path)
