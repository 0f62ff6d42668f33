"""Listings at 80, 120 and 200 columns: key columns are never dropped or cut, nothing is wider than the
terminal; a table too wide becomes one block per record."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO

LISTINGS = {
    ("issue", "list"): ["编号", "所属项目", "存在问题", "类别", "来源", "提出日期", "责任单位", "办结时限", "状态", "逾期天数"],
    ("meeting", "list"): ["编号", "类型", "日期", "名称", "主持", "项目数", "提出问题"],
    ("letter", "list"): ["文号", "成文日期", "项目", "主送单位", "亮灯", "反馈期限", "反馈情况"],
    ("plan", "--year", "2022"): ["分组", "类别", "项目数"],
    ("approvals", "--pending", "--as-of", "2021-11-30"): ["项目编号", "手续", "状态", "日期", "审批部门", "等待天数"],
}  # fmt: skip


def shown(args: tuple[str, ...], width: int) -> str:
    from rich.cells import cell_len

    from xmtj.cli import load

    result = CliRunner().invoke(
        load(), [*args, "--ledger", str(REPO)], env={"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    )
    assert result.exit_code == 0, result.output
    too_wide = [line for line in result.stdout.splitlines() if cell_len(line.rstrip()) > width]
    assert not too_wide, too_wide[:3]
    return result.stdout


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("args", list(LISTINGS), ids=[" ".join(a[:2]) for a in LISTINGS])
def test_every_key_column_is_shown_at_every_width(args: tuple[str, ...], width: int) -> None:
    text = shown(args, width)
    flat = text.replace("\n", "").replace("┃", "").replace(" ", "")
    for header in LISTINGS[args]:
        assert header in flat, (header, width)


def test_key_values_are_whole_at_120_columns() -> None:
    text = shown(("issue", "list"), 120)
    assert "│ WT2021-001 │" in text and "│ 2021-10-08 │" in text and "│ 2021-11-02 │" in text


def test_a_table_too_wide_folds_into_blocks() -> None:
    text = shown(("letter", "list"), 80)
    assert "文号    ：河重指办督〔2021〕1号" in text and "反馈情况：已反馈（2021年5月11日）" in text
