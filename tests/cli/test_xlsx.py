"""Listings as Excel workbooks (`--format xlsx --out`): real numbers equal to the JSON, formats, lights."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from tests.conftest import REPO, Run


def test_status_as_a_workbook_holds_the_json_figures(tmp_path: Path, run: Run) -> None:
    import openpyxl

    out = tmp_path / "状态.xlsx"
    result = run("status", "--format", "xlsx", "--out", str(out), ledger=REPO)
    assert result.exit_code == 0, result.output
    rows = json.loads(run("status", "--format", "json", ledger=REPO).stdout)["rows"]
    sheet = openpyxl.load_workbook(out).active
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["项目编号", "项目名称", "分指挥部"]
    plan, done, rate, light = (headers.index(h) for h in ("年度计划(万元)", "累计完成(万元)", "完成率", "亮灯"))
    by_id = {r["id"]: r for r in rows}
    body = list(sheet.iter_rows(min_row=2))
    assert len(body) == len(rows)
    for cells in body:
        row = by_id[cells[0].value]
        assert Decimal(str(cells[plan].value)) == Decimal(str(row["annual_plan"]))
        assert Decimal(str(cells[done].value)) == Decimal(str(row["completed_ytd"]))
        whole = cells[done].value == int(cells[done].value)
        assert cells[done].number_format == ("#,##0" if whole else "#,##0.00")
        if row["plan_rate"] is not None:
            assert abs(cells[rate].value - row["plan_rate"]) <= 0.0005 + 1e-9 and cells[rate].number_format == "0.0%"
    red = next(c for c in body if c[light].value == "红灯")[light]
    assert red.fill.fgColor.rgb.endswith("FFC7CE")


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
