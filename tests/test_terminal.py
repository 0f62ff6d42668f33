"""The terminal table: CJK-aware alignment, width fitting, and colour only where the console colours."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from xmtj.terminal import Painter, bar, table_lines


def console(width: int = 100, colour: bool = False) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=colour, color_system="truecolor" if colour else None)


def test_cjk_columns_line_up() -> None:
    rows = [["HJ2021-001", "山西鹤龙精细化工有限公司项目", "20000"], ["P2", "乙", "5"]]
    lines = table_lines(console(), ["编号", "项目名称", "年度计划"], rows, ["left", "left", "right"])
    assert len({cell_len(line) for line in lines}) == 1
    assert lines[3] == "│ HJ2021-001 │ 山西鹤龙精细化工有限公司项目 │    20000 │"
    assert lines[4] == "│ P2         │ 乙                           │        5 │"


def test_a_long_name_is_cut_to_fit_the_terminal() -> None:
    rows = [["HJ2021-001", "山西鹤龙精细化工有限公司高纯度对甲酚项目（一期）", "20000"]]
    lines = table_lines(
        console(width=40), ["编号", "项目名称", "年度计划"], rows, ["left", "left", "right"], caps={1: 30}
    )
    assert all(cell_len(line) <= 40 for line in lines)
    assert "…" in lines[3]


def test_colour_only_on_a_colour_console() -> None:
    assert Painter(console())("红灯", "bold red") == "红灯"
    assert Painter(console(colour=True))("红灯", "bold red") == "\x1b[1;31m红灯\x1b[0m"


def test_bar() -> None:
    from fractions import Fraction

    assert bar(Fraction(1, 2)) == "████░░░░"
    assert bar(Fraction(3, 2)) == "████████"
    assert bar(None) == ""
