"""Validation of the records (``xmtj.ledger.records``) with pydantic, and its errors in the office's words.

pydantic is imported only when a file must be read (a run that finds every record in the cache never
imports it); it validates the frozen dataclasses themselves: the result is the record, not a copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from xmtj.ledger import yamlio
from xmtj.ledger.fields import MONEY_MAX, PATTERN_WORDS, YEAR_WORDS
from xmtj.ledger.records import field_names
from xmtj.months import YEARS
from xmtj.problems import Problem

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails

T = TypeVar("T")
_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def adapter(cls: type[T]) -> TypeAdapter[T]:
    """The (cached) pydantic adapter of a record class."""
    found = _adapters.get(cls)
    if found is None:
        from pydantic import TypeAdapter

        found = _adapters[cls] = TypeAdapter(cls)
    return found


def validate_record(cls: type[T], value: Any) -> T:
    """``value`` (plain data read from YAML) as a record of ``cls``; raises pydantic's ValidationError."""
    return adapter(cls).validate_python(value)


_TYPE_WORDS = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期，不要带时间",
    "list_type": "应为列表（[甲, 乙] 或每行“- 项”）",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "bool_type": "应为是/否（true/false）",
    "missing": "缺少必填字段",
    "missing_keyword_argument": "缺少必填字段",
    "dataclass_type": "应为映射（键: 值）",
    "dataclass_args_type": "应为映射（键: 值）",
    "too_short": "不能为空",
}


def _message(error: ErrorDetails, model: type[Any], node: Any) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return _unknown_key_message(str(loc[-1]), _fields_at(model, loc[:-1]))
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        return "应为以下之一：" + "、".join(choices)
    ctx = error.get("ctx", {})
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_WORDS:
        return PATTERN_WORDS[ctx["pattern"]]
    if kind in ("greater_than_equal", "less_than_equal") and (ctx.get("ge"), ctx.get("le")) != (None, None):
        bound = ctx.get("ge", ctx.get("le"))
        if bound in YEARS:
            return YEAR_WORDS
        if kind == "less_than_equal":
            if bound == MONEY_MAX:
                return f"数额过大：不能超过 {MONEY_MAX:f} 万元，现为“{_shown(error.get('input'))}”"
            return f"应不大于{bound}"
        return "不能为负数" if bound == 0 else f"应不小于{bound}"
    if kind == "decimal_max_places":
        return f"最多保留{ctx.get('decimal_places')}位小数，现为“{_shown(error.get('input'))}”"

    if kind == "string_type" and isinstance(node, yamlio.ScalarNode):
        taken = yamlio.kind_of(node)
        if taken:
            return f'应为文本，但 {node.value} 被 YAML 读成了{taken}；文本请加引号，例如 "{node.value}"'
    if kind.startswith("xmtj_"):
        return str(error["msg"])
    if kind in _TYPE_WORDS:
        word = _TYPE_WORDS[kind]
        if kind.endswith("_parsing") and error.get("input") is not None:
            return f"{word}，现为“{error['input']}”"
        return word
    return str(error["msg"])


def _shown(value: Any) -> str:
    """A wrong input as the message shows it: huge numbers shortened (1E+5000 has 5,001 digits)."""
    from decimal import Decimal

    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() > 20:
        return f"{value:.3E}"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _fields_at(model: type[Any], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the (nested) record class at ``loc``, for suggestions."""
    import dataclasses
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int) or not dataclasses.is_dataclass(current):
            continue
        hints = typing.get_type_hints(current)
        if part not in hints:
            break
        current = _inner_record(hints[part])
    return field_names(current) if isinstance(current, type) and dataclasses.is_dataclass(current) else []


def _inner_record(annotation: Any) -> Any:
    import dataclasses

    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_record(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _inner_record(origin) if origin not in (None, list, dict) else None


def _unknown_key_message(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"，是否应为 {close[0]}？" if close else ""
    return f"未知字段 {key}{hint}"


def _field_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        # list indexes show as [i]; integer dict keys (years) show as .2021
        if isinstance(part, int) and out and part < 1000:
            out += f"[{part}]"
            continue
        out += ("." if out else "") + str(part)
    return out


# --- reading one file ------------------------------------------------------------------------


def validate(
    model: type[T], value: dict[str, Any], root: Any, rel: str, data: bytes | None = None
) -> tuple[T | None, list[Problem]]:
    """The validated record, or None and a problem per wrong field (at its key's line)."""
    from pydantic import ValidationError

    try:
        return validate_record(model, value), []
    except ValidationError as exc:
        if root is None:  # read by the fast path: compose the tree now, for the positions
            root = yamlio.compose(yamlio.decode(data)) if data is not None else None
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            position, node = yamlio.locate(root, [p for p in loc if p != "[key]"])
            if node is not None and error["type"] in ("missing", "missing_keyword_argument"):
                node = None
            problems.append(
                Problem(rel, position.line, position.column, _field_name(loc), _message(error, model, node))
            )
        return None, problems
