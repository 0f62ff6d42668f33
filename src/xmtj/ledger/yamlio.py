"""Reading YAML the way the office needs it: exact, strict and with line numbers.

PyYAML composes a node tree (libyaml's C parser when present); we build plain values
from it ourselves so that
- floats become exact ``Decimal`` (money is never binary floating point),
- duplicate keys in one mapping are reported (PyYAML silently keeps the last),
- nothing is kept of the positions unless a problem needs them: ``locate`` walks the
  node tree again for the few fields that are wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from xmtj.ledger import limits
from xmtj.ledger.encoding import Position, TextDecodeError, decode
from xmtj.textsafe import CONTROL_RE

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "Duplicate",
    "MappingNode",
    "Node",
    "Position",
    "ScalarNode",
    "SequenceNode",
    "TextDecodeError",
    "YamlSyntaxError",
    "build",
    "compose",
    "decode",
    "kind_of",
    "locate",
]

_NODES = ("MappingNode", "Node", "ScalarNode", "SequenceNode")


def __getattr__(name: str) -> Any:
    """``yamlio.MappingNode`` and its kin, from PyYAML when first asked for: a run that finds every record
    in the cache never imports PyYAML (a tenth of a warm ``status`` on a small ledger)."""
    if name in _NODES:
        import yaml.nodes

        return getattr(yaml.nodes, name)
    raise AttributeError(name)


@functools.cache
def _loader() -> Any:
    """libyaml's loader (PyYAML's pure-Python one, with a warning, when PyYAML was built without it)."""
    try:
        from yaml import CSafeLoader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader

        warnings.warn("PyYAML 未带 libyaml（C 加速），读取大台账会明显变慢；可安装 libyaml 后重装 PyYAML", stacklevel=2)
        return SafeLoader
    return CSafeLoader


@functools.cache
def _safe_constructor() -> Any:
    """A PyYAML constructor, only for its timestamp converter."""
    import yaml

    return yaml.SafeLoader("")


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL_VALUES = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_DATE_RE = re.compile(r"^\d{4}-\d\d?-\d\d?$")


class YamlSyntaxError(Exception):
    """The text is not valid YAML; carries the Chinese message and position."""

    def __init__(self, message: str, position: Position | None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A key given twice in one mapping."""

    field: str
    position: Position


_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "值里有半角冒号加空格（“: ”），YAML 会把它当成新的“键: 值”；"
        '请给整段文字加引号（例如 "说明: 已开工"），或改用全角冒号“：”，也请检查缩进',
    ),
    ("could not find expected ':'", "缺少冒号“:”，或缩进不一致"),
    ("found duplicate anchor", "锚点重复"),
    ("did not find expected key", "缩进不一致，或列表项“- ”与键混在同一层"),
    ("found undefined alias", "引用了未定义的锚点"),
    ("expected a single document", "一个文件只能有一个 YAML 文档（不要用 ---- 分隔多个）"),
    ("found unexpected end of stream", "文件意外结束，可能缺少右引号或右括号"),
    ("did not find expected ',' or ']'", "方括号列表没有正确结束，缺少“,”或“]”"),
    ("did not find expected ',' or '}'", "花括号映射没有正确结束，缺少“,”或“}”"),
)


def _at(mark: Any) -> Position | None:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else None


def _check_structure(text: str) -> None:
    """Refuse anchors, aliases and deep nesting before a node tree is built.

    An office's file never needs them, and they are how a small file becomes an enormous value (the
    "billion laughs" alias bomb) or exhausts the stack (a list nested a thousand deep).
    """
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlSyntaxError("台账文件中不允许使用锚点（&）和别名（*）：请把每个值直接写出", _at(event.start_mark))
        if isinstance(event, yaml.ScalarEvent) and event.style == '"':
            bad = CONTROL_RE.search(event.value)  # written as an escape ("\e", "\x1b"): the bytes were clean
            if bad is not None:
                raise YamlSyntaxError(
                    f"引号内的转义写出了不可见的控制字符 U+{ord(bad[0]):04X}，台账文件中不允许出现；请删除",
                    _at(event.start_mark),
                )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > limits.LIMITS.max_depth:
                raise YamlSyntaxError(
                    f"嵌套层数超过上限（{limits.LIMITS.max_depth} 层）：台账文件不需要这么深的结构",
                    _at(event.start_mark),
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def compose(text: str) -> Node | None:
    """The node tree of one YAML document (None for an empty one); see ``_check_structure``."""
    import yaml

    try:
        _check_structure(text)
        return yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raw = " ".join(p for p in (exc.context, exc.problem) if p)
        hint = next((zh for en, zh in _SYNTAX_HINTS if en in raw), "")
        if mark is not None and "\t" in text[max(mark.index - 1, 0) : mark.index + 1]:
            hint = "不能用 Tab 缩进，请改用空格"  # libyaml's message does not name the tab
        message = f"YAML 语法错误：{hint}" if hint else f"YAML 语法错误（{raw}）"
        position = Position(mark.line + 1, mark.column + 1) if mark else None
        raise YamlSyntaxError(message, position) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML 语法错误（{exc}）", None) from None


def build(node: Node, duplicates: list[Duplicate], path: str = "") -> Any:
    """Plain Python values from a node tree; duplicate keys are appended to ``duplicates``."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, ScalarNode):
        return scalar(node)
    if isinstance(node, SequenceNode):
        return [build(item, duplicates, f"{path}[{i}]") for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = build(key_node, duplicates, path)
            if isinstance(key, (list, dict)):
                key = str(key_node.value)
            field = f"{path}.{key}" if path else str(key)
            if key in result:
                mark = key_node.start_mark
                duplicates.append(Duplicate(field, Position(mark.line + 1, mark.column + 1)))
            result[key] = build(value_node, duplicates, field)
        return result
    raise TypeError(node)  # pragma: no cover - compose yields only these three


_PLAIN_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_PLAIN_DECIMAL = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$")


def scalar(node: ScalarNode) -> Any:
    """A scalar's value. Numbers only in their plain decimal forms (``1200``, ``-5``, ``1200.5``): the
    other forms YAML 1.1 would read as numbers — hex ``0x4B0``, octal ``0755``, base 60 ``1:20:00``,
    ``1_000``, exponents ``1e5``, ``.inf``, ``.nan`` — are kept as the text written, so that nothing
    reaches a figure that the clerk did not write as a number (a money field then refuses it)."""
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag == _INT:
        return int(value) if _PLAIN_INT.match(value) else value
    if tag == _FLOAT:
        if not _PLAIN_DECIMAL.match(value):
            return value
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            return value
    if tag == _BOOL:
        return _BOOL_VALUES[value.lower()]
    if tag == _NULL:
        return None
    if tag == _TIMESTAMP:
        if _DATE_RE.match(value):
            y, m, d = value.split("-")
            try:
                return dt.date(int(y), int(m), int(d))
            except ValueError:
                return value  # 2021-02-30: left as text for the model to reject
        return _safe_constructor().construct_yaml_timestamp(node)
    return value


def kind_of(node: ScalarNode) -> str | None:
    """What YAML 1.1 silently turned a plain scalar into, in words, or None if it is text."""
    if node.style:  # quoted or block: always text
        return None
    return {
        _INT: "整数",
        _FLOAT: "小数",
        _BOOL: "布尔值（是/否）",
        _NULL: "空值",
        _TIMESTAMP: "日期",
    }.get(node.tag)


def split_field(field: str) -> list[str | int]:
    """``approvals[0].date`` -> ['approvals', 0, 'date']."""
    parts: list[str | int] = []
    for piece in field.split("."):
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i.rstrip("]")) for i in indexes)
    return parts


def locate(root: Node | None, field: str | list[str | int]) -> tuple[Position, Node | None]:
    """The position of ``field``'s key in the tree (or of its nearest existing parent).

    Returns the key's position and the value node found there (None when the field
    is missing, in which case the position is the parent's).
    """
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if root is None:
        return Position(1, 1), None
    parts = split_field(field) if isinstance(field, str) else field
    mark = root.start_mark
    node: Node | None = root
    for part in parts:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and str(scalar(key_node)) == str(part):
                    mark, node = key_node.start_mark, value_node
                    break
            else:
                return Position(mark.line + 1, mark.column + 1), None
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return Position(mark.line + 1, mark.column + 1), node
