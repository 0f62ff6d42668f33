"""Surgical edits of a YAML file a clerk wrote by hand: only the changed bytes change.

A value is replaced exactly where the parser says it is; a new key is inserted as one new line
(in key order when the keys are months or years) or into a ``{…}`` flow mapping. Everything else —
comments, key order, quoting, blank lines, indentation — is left byte for byte as it was. (This is
why xmtj does not re-dump the file through a round-trip YAML library: those normalise indentation,
line width and flow layout on lines that did not change.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xmtj.changes.yamlout import flow
from xmtj.ledger import yamlio
from xmtj.problems import XmtjError

Path = list[Any]


class EditError(XmtjError):
    """The file cannot be changed automatically at that place."""


def _same_key(node: Node, key: Any) -> bool:
    return isinstance(node, ScalarNode) and str(yamlio.scalar(node)) == str(key)


def _nest(rest: Path, value: Any) -> Any:
    for key in reversed(rest):
        value = {key: value}
    return value


def _line_end(text: str, index: int) -> int:
    """The index just past the end of the line holding ``index`` (adding no newline)."""
    end = text.find("\n", index)
    return len(text) if end == -1 else end + 1


def _last_leaf_end(node: Node) -> int:
    """Where the text of a node's last scalar or flow collection ends."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return int(node.end_mark.index)


def _block_lines(key: Any, value: Any, indent: int) -> str:
    pad = " " * indent
    nested = any(isinstance(v, (dict, list)) for v in value.values()) if isinstance(value, dict) else False
    if isinstance(value, dict) and value and (indent == 0 or nested):
        lines = [f"{pad}{flow(key)}:"]
        lines += [_block_lines(k, v, indent + 2).rstrip("\n") for k, v in value.items()]
        return "\n".join(lines) + "\n"
    rendered = flow(value) if value is not None else ""
    return f"{pad}{flow(key)}:{' ' + rendered if rendered else ''}\n"


_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _ordered_key(key: Any) -> bool:
    """Keys kept in order: years (annual_plan) and months (progress, monthly_plan)."""
    return (isinstance(key, int) and not isinstance(key, bool)) or (isinstance(key, str) and bool(_MONTH.match(key)))


def _comparable(a: Any, b: Any) -> bool:
    return type(a) is type(b) and _ordered_key(a)


def _insert(text: str, mapping: MappingNode, key: Any, value: Any, order: Sequence[str] = ()) -> str:
    if mapping.flow_style:
        close = mapping.end_mark.index - 1  # the "}"
        body_end = close
        while body_end > 0 and text[body_end - 1] in " \t":
            body_end -= 1
        entry = f"{flow(key)}: {flow(value)}"
        separator = ", " if mapping.value else ""
        return text[:body_end] + separator + entry + text[body_end:]
    if not mapping.value:
        raise EditError("无法在空映射中自动添加字段，请手工编辑")
    indent = mapping.value[0][0].start_mark.column
    new = _block_lines(key, value, indent)
    keys = [yamlio.scalar(k) if isinstance(k, ScalarNode) else None for k, _ in mapping.value]
    if key in order:  # a field: before the first field that comes after it in the record's order
        rank = {name: i for i, name in enumerate(order)}
        for key_node, existing in zip([k for k, _ in mapping.value], keys, strict=True):
            if rank.get(str(existing), -1) > rank[key]:
                start = key_node.start_mark.index - key_node.start_mark.column
                return text[:start] + new + text[start:]
    elif all(_comparable(k, key) for k in keys):
        for (key_node, _), existing in zip(mapping.value, keys, strict=True):
            if existing > key:
                start = key_node.start_mark.index - key_node.start_mark.column
                return text[:start] + new + text[start:]
    at = _line_end(text, _last_leaf_end(mapping))
    if at == len(text) and not text.endswith("\n"):
        return text + "\n" + new
    return text[:at] + new + text[at:]


def _replace(text: str, key_node: Node, value_node: Node, value: Any) -> str:
    rendered = flow(value) if value is not None else ""
    start, end = value_node.start_mark.index, value_node.end_mark.index
    if isinstance(value_node, ScalarNode):
        if start == end:  # an empty value ("actual_start:"): write right after the colon
            return text[:start] + (" " + rendered if rendered else "") + text[end:]
        if value_node.style in ("|", ">"):
            tail = "\n" if text[end - 1 : end] == "\n" else ""
            return text[:start] + rendered + tail + text[end:]
        if not rendered:  # emptied: drop the value and the space before it
            while start > 0 and text[start - 1] == " ":
                start -= 1
        return text[:start] + rendered + text[end:]
    if getattr(value_node, "flow_style", False):
        return text[:start] + (rendered or "") + text[end:]
    line = key_node.start_mark.line + 1
    name = key_node.value if isinstance(key_node, ScalarNode) else "该字段"
    raise EditError(f"第{line}行的 {name} 是多行结构，无法整体替换，请手工编辑")


def set_value(text: str, path: Path, value: Any, order: Sequence[str] = ()) -> str:
    """``text`` with the value at ``path`` set (created if missing), all else unchanged.

    ``order`` is the record's field order: a missing top-level field is inserted where it belongs.
    """
    root = yamlio.compose(text)
    if not isinstance(root, MappingNode):
        raise EditError("文件顶层不是映射，无法修改")
    node: MappingNode = root
    for depth, key in enumerate(path):
        rest = path[depth + 1 :]
        for key_node, value_node in node.value:
            if _same_key(key_node, key):
                if not rest:
                    return _replace(text, key_node, value_node, value)
                if isinstance(value_node, MappingNode):
                    node = value_node
                    break
                if isinstance(value_node, ScalarNode) and value_node.tag == "tag:yaml.org,2002:null":
                    return _replace(text, key_node, value_node, _nest(rest, value))
                raise EditError(f"{key} 不是映射，不能设置 {'.'.join(str(p) for p in path)}")
        else:
            return _insert(text, node, key, _nest(rest, value), order if depth == 0 else ())
    raise EditError("路径为空")  # pragma: no cover - the loop always returns


def get_node(text: str, path: Path) -> Node | None:
    """The node at ``path`` (mapping keys only), or None if any step is missing."""
    node = yamlio.compose(text)
    for key in path:
        if not isinstance(node, MappingNode):
            return None
        node = next((v for k, v in node.value if _same_key(k, key)), None)
    return node
