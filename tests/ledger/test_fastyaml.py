"""The fast reader gives exactly what the full parser gives, or steps aside."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from xmtj.ledger import fastyaml, yamlio


def full(text: str) -> Any:
    node = yamlio.compose(text)
    return yamlio.build(node, []) if node is not None else None


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types (1 is not True, Decimal('1.0') is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(k1, k2) and same(a[k1], b[k2]) for k1, k2 in zip(a, b, strict=True))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal):
        return str(a) == str(b)
    return bool(a == b)


def corpus() -> list[Path]:
    return sorted(REPO.glob("data/*/*.yaml")) + sorted(REPO.glob("tests/fixtures/**/*.yaml")) + [REPO / "xmtj.yaml"]


def test_every_corpus_file_reads_the_same_and_fast() -> None:
    fell_back = []
    for path in corpus():
        text = yamlio.decode(path.read_bytes())
        fast = fastyaml.parse(text)
        if fast is None:
            fell_back.append(path.name)
            continue
        assert same(fast, full(text)), path
    assert fell_back == []  # the house layout never needs the slow path


TRICKY = [
    "no",
    "No",
    "on",
    "OFF",
    "yes",
    "y",
    "n",
    "true",
    "null",
    "~",
    "Null",
    "0755",
    "0",
    "7",
    "12",
    "+5",
    "-5",
    "0x1F",
    "1_000",
    "3:20",
    "190:20:30",
    "1.0",
    "1.",
    ".5",
    "1e3",
    "1.5e+3",
    ".inf",
    ".NaN",
    "2021-03-01",
    "2021-02-30",
    "2021-3-5",
    "2021-03",
    "2021-03-01 10:00:00",
    "中文",
    "河发改〔2020〕15号",
    "a b",
    "a#b",
    "a #b",
    "x: y",
    "x:",
    "'q'",
    "'it''s'",
    '"dq"',
    '"a\\nb"',
    "'",
    "[a, b]",
    "[]",
    "{a: 1, b: '2'}",
    "{}",
    "{a: [1]}",
    "[a, [b]]",
    "- x",
    "&a x",
    "*a",
    "!!str 1",
    "|",
    ">",
    "@x",
    "`x`",
    "%x",
    "?",
    "=",
    "<<",
    "a, b",
    "{a: 1,}",
    "[a,]",
    "{a: 1} # c",
    "'q' # c",
    "[1, 2] x",
    "｛全角｝",
    "1,2",
    "12 #c",
    "a\tb",
]
KEYS = ["id", "name", "amount", "2021", "2021-03", "a_b", "x.y", "on", "null", "k-1"]


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        key = draw(st.sampled_from(KEYS))
        pad = "  " * depth
        choice = draw(st.integers(0, 9))
        if choice == 0 and depth < 2:
            lines.append(f"{pad}{key}:")
            lines.append(draw(documents(depth + 1)))
        elif choice == 1:
            dash = pad if draw(st.booleans()) else pad + "  "
            lines.append(f"{pad}{key}:")
            lines += [f"{dash}- {draw(st.sampled_from(TRICKY))}" for _ in range(draw(st.integers(1, 3)))]
        elif choice == 2:
            lines.append(f"{pad}{key}:   # 注释")
        else:
            lines.append(f"{pad}{key}: {draw(st.sampled_from(TRICKY))}")
        if draw(st.integers(0, 6)) == 0:
            lines.append(f"{pad}# 注释行")
    return "\n".join(lines)


@settings(max_examples=int(__import__("os").environ.get("XMTJ_FUZZ", "400")), deadline=None)
@given(documents())
def test_fast_reader_agrees_with_libyaml_or_steps_aside(text: str) -> None:
    fast = fastyaml.parse(text + "\n")
    try:
        expected = full(text + "\n")
        duplicates: list[Any] = []
        yamlio.build(yamlio.compose(text + "\n"), duplicates)  # type: ignore[arg-type]
    except Exception:
        assert fast is None, text  # what libyaml rejects is never accepted
        return
    if duplicates or not isinstance(expected, dict):
        assert fast is None, text
    elif fast is not None:
        assert same(fast, expected), text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: 2021-03-01\n", {"a": dt.date(2021, 3, 1)}),
        ("a: 1.50\n", {"a": Decimal("1.50")}),
        ("a: '0755'\n", {"a": "0755"}),
        ("a:\n  2021: 5\n", {"a": {2021: 5}}),
        ("a:\n- x\n- y\nb: 1\n", {"a": ["x", "y"], "b": 1}),
        ("a: {amount: 1500, text: 主体施工}  # 注\n", {"a": {"amount": 1500, "text": "主体施工"}}),
    ],
)
def test_fast_reader_examples(text: str, value: Any) -> None:
    assert same(fastyaml.parse(text), value)
    assert same(full(text), value)


@pytest.mark.parametrize(
    "text", ["", "# 只有注释\n", "a: 1\na: 2\n", "- a\n", "a: |\n  x\n", "a: b\n  c\n", "a: 1\r\n"]
)
def test_fast_reader_steps_aside(text: str) -> None:
    assert fastyaml.parse(text) is None


def test_remembered_lines_hand_out_fresh_collections() -> None:
    """Values are remembered by their text; a flow collection must still be a new object each time."""
    text = "id: A\nlevels: [省级, 市级]\ncontact: {name: 甲, phone: '1'}\n"
    first, second = fastyaml.parse(text), fastyaml.parse(text)
    assert first == second
    assert first is not None and second is not None
    first["levels"].append("县级")
    first["contact"]["name"] = "乙"
    assert second["levels"] == ["省级", "市级"] and second["contact"]["name"] == "甲"
    assert fastyaml.parse(text) == {"id": "A", "levels": ["省级", "市级"], "contact": {"name": "甲", "phone": "1"}}


CONTROL_VALUES = ["a\x1bb", "x\x85y", "\u2028", "a\x00", "b\x07", "\x7f", "c\ufffe", "d\x9b[8m"]


@settings(max_examples=int(__import__("os").environ.get("XMTJ_FUZZ", "200")), deadline=None)
@given(documents(), st.sampled_from(CONTROL_VALUES), st.booleans())
def test_both_readers_refuse_control_characters_alike(text: str, control: str, at_end: bool) -> None:
    """Through the loader, a file with a control character gets the same problem whichever reader would
    have read it (the check sits before both), and never a value."""
    from xmtj.ledger import reading as loader

    doc = (text + f"\nzz: {control}\n") if at_end else (f"zz: {control}\n" + text + "\n")
    data = doc.encode("utf-8")
    fast = loader.parse_mapping(data, "f.yaml")
    original = fastyaml.parse
    fastyaml.parse = lambda _text: None  # type: ignore[assignment]
    try:
        full_path = loader.parse_mapping(data, "f.yaml")
    finally:
        fastyaml.parse = original  # type: ignore[assignment]
    assert fast[0] is None and full_path[0] is None
    assert [str(p) for p in fast[2]] == [str(p) for p in full_path[2]]
    assert "控制字符" in fast[2][0].message
