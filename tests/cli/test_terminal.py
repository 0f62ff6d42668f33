"""The terminal table: CJK-aware alignment, width fitting, and colour only where the output colours."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest

from tests.conftest import SMALL
from xmtj.cli.terminal import Painter, PlainOutput, bar, cell_len, table_lines


class ColourOutput(PlainOutput):
    colour = True


def test_display_width() -> None:
    assert cell_len("HJ2021-001") == 10
    assert cell_len("山西（虚构）：") == 14
    assert cell_len("━█…—") == 4


def test_cjk_columns_line_up() -> None:
    rows = [["HJ2021-001", "山西鹤龙精细化工有限公司项目", "20000"], ["P2", "乙", "5"]]
    lines = table_lines(
        PlainOutput(io.StringIO(), 100), ["编号", "项目名称", "年度计划"], rows, ["left", "left", "right"]
    )
    assert len({cell_len(line) for line in lines}) == 1
    assert lines[3] == "│ HJ2021-001 │ 山西鹤龙精细化工有限公司项目 │    20000 │"
    assert lines[4] == "│ P2         │ 乙                           │        5 │"


def test_a_long_name_is_cut_to_fit_the_terminal() -> None:
    rows = [["HJ2021-001", "山西鹤龙精细化工有限公司高纯度对甲酚项目（一期）", "20000"]]
    out = PlainOutput(io.StringIO(), 40)
    lines = table_lines(out, ["编号", "项目名称", "年度计划"], rows, ["left", "left", "right"], caps={1: 30})
    assert all(cell_len(line) <= 40 for line in lines)
    assert "…" in lines[3]


def test_an_empty_table_and_a_coloured_one() -> None:
    import re

    headers, justify = ["编号", "亮灯"], ["left", "left"]
    empty = table_lines(PlainOutput(io.StringIO(), 80), headers, [], justify, caps={1: 10})
    assert empty == ["┏━━━━━━┳━━━━━━┓", "┃ 编号 ┃ 亮灯 ┃", "┡━━━━━━╇━━━━━━┩", "└──────┴──────┘"]
    rows, styles = [["P1", "红灯"], ["P22", "绿灯"]], [[None, "bold red"], [None, "green"]]
    plain = table_lines(PlainOutput(io.StringIO(), 80), headers, rows, justify, styles)
    coloured = table_lines(ColourOutput(io.StringIO(), 80), headers, rows, justify, styles)
    assert coloured[3] == "│ P1   │ \x1b[1;31m红灯\x1b[0m │"
    assert [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in coloured] == plain


def test_colour_only_where_the_output_colours() -> None:
    assert Painter(PlainOutput(io.StringIO(), 80))("红灯", "bold red") == "红灯"
    assert Painter(ColourOutput(io.StringIO(), 80))("红灯", "bold red") == "\x1b[1;31m红灯\x1b[0m"


def test_rich_on_a_terminal() -> None:
    from rich.console import Console

    from xmtj.cli.terminal import RichOutput

    console = Console(file=io.StringIO(), width=60, force_terminal=True, color_system="standard")
    out = RichOutput(console)
    assert out.colour and out.width == 60
    out.line("标题", "bold")
    assert "\x1b[1m标题" in console.file.getvalue()  # type: ignore[attr-defined]


def test_bar() -> None:
    assert bar(Fraction(1, 2)) == "████░░░░"
    assert bar(Fraction(3, 2)) == "████████"
    assert bar(None) == ""


def test_the_load_progress_bar_appears_only_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from xmtj.cli import common

    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    with common.LoadProgress() as progress:
        progress(10, 100)
        assert progress.bar is None  # a quick load shows nothing
        clock[0] += 1.5
        progress(50, 100)
        assert progress.bar is not None
        assert progress.bar.tasks[0].completed == 50


def test_no_progress_bar_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from xmtj.cli import common

    calls: list[str] = []
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    monkeypatch.setattr(common, "LoadProgress", lambda: calls.append("bar"))
    common.open_ledger(SMALL)
    assert calls == []
