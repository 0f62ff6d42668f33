"""A value typed on the command line, read as the type of the record field it is for.

``project set ID content "说明: 已开工"`` must store that text exactly, and ``project set ID
total_investment 0x10`` must be refused: so the value is read by what the field is (text, number, date,
list …), never guessed by a YAML parser.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from decimal import Decimal
from typing import Any

from xmtj.ledger.fields import NotANumber, parse_number


class FieldTypeError(ValueError):
    """The value does not fit the field; the message says why, in Chinese."""


_TRUE = {"true", "yes", "是", "1"}
_FALSE = {"false", "no", "否", "0"}
_LIST_SEPARATORS = re.compile(r"\s*[,，、]\s*")


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _base(annotation: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``."""
    annotation = _strip_optional(annotation)
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = _strip_optional(typing.get_args(annotation)[0])
    return annotation


def field_type(model: type[Any], path: list[Any]) -> Any:
    """The annotation of the (nested) field at ``path`` of record class ``model``."""
    current: Any = model
    for step in path:
        current = _base(current)
        if dataclasses.is_dataclass(current) and isinstance(step, str):
            hints = typing.get_type_hints(current, include_extras=True)
            if step not in hints:
                raise FieldTypeError(f"没有字段 {step}")
            current = hints[step]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            raise FieldTypeError("不能再往下设置（这个字段没有下一级）")
    return current


def parse_for_field(model: type[Any], path: list[Any], raw: str) -> Any:
    """``raw`` as a value of the field at ``path``; ``""`` empties it (None)."""
    annotation = field_type(model, path)
    return parse_as(annotation, raw)


def parse_as(annotation: Any, raw: str) -> Any:
    """``raw`` as ``annotation``'s type. A value that does not fit a number, date or yes/no field is kept
    as the text given: validation then refuses it with the message ``xmtj check`` would give."""
    if raw == "":
        return None
    base = _base(annotation)
    text = raw.strip()
    if base is str or typing.get_origin(base) is typing.Literal:
        return raw  # text as given; choices are checked by validation, with the usual message
    if base is Decimal:
        try:
            return parse_number(text)
        except NotANumber:
            return raw
    if base is int:
        return int(text) if re.fullmatch(r"[-+]?[0-9]+", text) else raw
    if base is bool:
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else raw
    if base is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return raw
    if typing.get_origin(base) is list:
        (item,) = typing.get_args(base)
        text = raw.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items = [part for part in _LIST_SEPARATORS.split(text) if part]
        return [parse_as(item, part) for part in items]
    if typing.get_origin(base) is dict or dataclasses.is_dataclass(base):
        raise FieldTypeError("是一组值，请逐项设置，例如 annual_plan.2022 或 contact.phone")
    raise FieldTypeError("不能在命令行设置这个字段，请手工编辑文件")  # pragma: no cover - every field type is above
