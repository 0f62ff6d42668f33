"""A fast reader for the plain YAML the office writes, with libyaml as the judge of everything else.

Most ledger files are simple: block mappings of plain or quoted scalars, one level of ``{…}`` and
``[…]`` flow collections, ``- `` items. For those, reading line by line in Python is several times
faster than libyaml's composer (which builds a node object and runs Python regexes for every
scalar). Whenever a file holds anything outside that subset — block scalars, anchors, tags, nested
flow, continuation lines, tabs, duplicate keys, odd quoting — ``parse`` returns ``None`` and the
caller uses the full parser. Scalars are resolved with the same YAML 1.1 rules as PyYAML's resolver,
so both paths give the same values; a test checks this on every file of the demo and generated
corpora, and on generated documents.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from xmtj.ledger import limits

# PyYAML's implicit resolvers (yaml/resolver.py), compiled once
_BOOL = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+
    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
    re.X,
)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TIMESTAMP = re.compile(
    r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    re.X,
)
_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_KEY = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.\-]*)\s*:(?:\s+|$)")
_KEY_LINE = re.compile(r"( *)([A-Za-z0-9_][A-Za-z0-9_.\-]*)\s*:(?:\s+|$)")  # a whole line: indent, key
# characters that start something other than a plain scalar, or are unsafe anywhere in one here
_PLAIN_BAD_START = set("[]{}#&*!|>'\"%@`,?:-")
_SIMPLE_SINGLE = re.compile(r"^'((?:[^']|'')*)'$")
_SIMPLE_DOUBLE = re.compile(r'^"([^"\\]*)"$')


class Unsupported(Exception):
    """Outside the subset: let the full parser decide."""


CACHE_SIZE = 50_000
_cache: dict[str, Any] = {}
_values: dict[str, Any] = {}


def plain(text: str) -> Any:
    """A plain scalar, resolved as PyYAML resolves it (YAML 1.1)."""
    try:
        return _cache[text]
    except KeyError:
        pass
    value = _resolve(text)
    if len(_cache) >= CACHE_SIZE:
        _cache.clear()  # a long run's one-off values (ids, names) must not crowd out the repeating ones
    _cache[text] = value
    return value


def _resolve(text: str) -> Any:
    if not text:
        return None
    first = text[0]
    if first in "0123456789+-.":
        if _INT.match(text):
            if text.isdigit() and (text == "0" or first != "0"):
                return int(text)
            raise Unsupported  # octal, hex, binary, underscores, sexagesimal: rare, let PyYAML do it
        if _FLOAT.match(text):
            if "_" in text or ":" in text or "e" in text or "E" in text or text[-1] in "nNfF":
                raise Unsupported  # exponents, .inf, .nan, base 60: the full reader keeps them as text
            try:
                return Decimal(text)
            except InvalidOperation:
                raise Unsupported from None
        if _TIMESTAMP.match(text):
            match = _DATE.match(text)
            if not match:
                raise Unsupported
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return text  # 2021-02-30 stays text, as in yamlio.scalar
        return text
    if first in "yYnNtTfFoO" and _BOOL.match(text):
        return text.lower() in ("yes", "true", "on")
    if first in "~nN" and _NULL.match(text):
        return None
    if first in "=<":
        raise Unsupported  # the "=" value and merge "<<" tags
    return text


def _split_comment(text: str) -> str:
    """A plain value without its trailing comment (`` #`` starts one)."""
    cut = text.find(" #")
    if cut != -1:
        text = text[:cut]
    return text.rstrip()


def scalar(raw: str) -> Any:
    """One scalar in a block or flow context: plain or simply quoted."""
    if not raw:
        return None
    first = raw[0]
    if first == "'":
        match = _SIMPLE_SINGLE.match(raw)
        if not match:
            raise Unsupported
        return match[1].replace("''", "'")
    if first == '"':
        match = _SIMPLE_DOUBLE.match(raw)
        if not match:
            raise Unsupported
        return match[1]
    if first in _PLAIN_BAD_START or ": " in raw or raw.endswith(":") or "\t" in raw:
        raise Unsupported
    return plain(raw)


_FLOW_BRACKETS = re.compile(r"[\[\]{}]")
_FLOW_PLAIN_BAD = re.compile(r"[,\[\]{}#]")


def _flow_items(body: str) -> list[str]:
    """The comma-separated items of a one-level flow collection (quotes respected)."""
    if " #" in body or "\t" in body:
        raise Unsupported
    if "'" not in body and '"' not in body:  # the common case: split in C
        if _FLOW_BRACKETS.search(body):
            raise Unsupported  # nested flow: the full parser
        if not body.strip():
            return []
        parts = [item.strip() for item in body.split(",")]
        if not all(parts):
            raise Unsupported  # an empty item or a trailing comma
        return parts
    items: list[str] = []
    start, quote, i, n = 0, "", 0, len(body)
    while i < n:
        ch = body[i]
        if quote:
            if ch == quote:
                if quote == "'" and i + 1 < n and body[i + 1] == "'":
                    i += 1
                else:
                    quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[]{}":
            raise Unsupported  # nested flow: the full parser
        elif ch == ",":
            items.append(body[start:i].strip())
            start = i + 1
        i += 1
    if quote:
        raise Unsupported
    last = body[start:].strip()
    if last:
        items.append(last)
    elif items:
        raise Unsupported  # a trailing comma
    if any(not item for item in items):
        raise Unsupported
    return items


def _flow_scalar(raw: str) -> Any:
    if raw[:1] not in "'\"" and _FLOW_PLAIN_BAD.search(raw):
        raise Unsupported
    return scalar(raw)


def _closing(raw: str, close: str) -> int:
    """Where a one-line flow collection ends; anything after it but a comment is unsupported."""
    end = raw.rfind(close)
    if end == -1:
        raise Unsupported
    rest = raw[end + 1 :].strip()
    if rest and not rest.startswith("#"):
        raise Unsupported
    return end


def value(raw: str) -> Any:
    """The value after ``key: `` (or ``- ``) on one line, comment removed.

    Remembered by its text (ledger files repeat many lines: statuses, categories, dates, amounts);
    a remembered flow collection is handed out as a fresh copy (its items are scalars).
    """
    try:
        found = _values[raw]
    except KeyError:
        found = _value(raw)
        if len(_values) >= CACHE_SIZE:
            _values.clear()
        _values[raw] = found
    kind = type(found)
    if kind is dict or kind is list:
        return kind(found)
    return found


def _value(raw: str) -> Any:
    if not raw:
        return None
    first = raw[0]
    if first == "{":
        end = _closing(raw, "}")
        result: dict[Any, Any] = {}
        for item in _flow_items(raw[1:end]):
            if item[0] in "'\"":
                raise Unsupported
            key, sep, rest = item.partition(":")
            if not sep or (rest and rest[0] != " "):
                raise Unsupported
            k = _flow_scalar(key.strip())
            if k in result or k is None or isinstance(k, bool):
                raise Unsupported
            result[k] = _flow_scalar(rest.strip())
        return result
    if first == "[":
        end = _closing(raw, "]")
        values = []
        for item in _flow_items(raw[1:end]):
            if ": " in item or item.endswith(":"):
                raise Unsupported  # a single-pair mapping inside a flow sequence
            values.append(_flow_scalar(item))
        return values
    if first in "'\"":
        # a quoted scalar, maybe followed by a comment
        close = raw.find(first, 1)
        while first == "'" and close != -1 and raw[close + 1 : close + 2] == "'":
            close = raw.find("'", close + 2)
        if close == -1:
            raise Unsupported
        rest = raw[close + 1 :].strip()
        if rest and not rest.startswith("#"):
            raise Unsupported
        return scalar(raw[: close + 1])
    return scalar(_split_comment(raw))


def parse(text: str) -> dict[Any, Any] | None:
    """The top-level mapping of ``text``, or None when the full parser must decide."""
    try:
        return _parse(text)
    except Unsupported:
        return None


def _parse(text: str) -> dict[Any, Any]:
    if "\t" in text or "\r" in text or "---" in text or "..." in text:
        raise Unsupported
    root: dict[Any, Any] = {}
    max_depth = limits.LIMITS.max_depth  # the full reader's limit: deeper files are left to it
    # stack of (indent of the keys in this mapping, the mapping)
    stack: list[tuple[int, dict[Any, Any]]] = [(0, root)]
    pending: tuple[int, dict[Any, Any], Any] | None = None  # a "key:" awaiting its block value
    sequence: tuple[int, list[Any]] | None = None  # an open block sequence and its dash indent
    for line in text.split("\n"):
        match = _KEY_LINE.match(line)
        if match is None:
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                continue
            indent = len(line) - len(stripped)
            if not (stripped.startswith("- ") or stripped == "-"):
                raise Unsupported
            if pending is not None:
                p_indent, p_map, p_key = pending
                if indent < p_indent:
                    raise Unsupported
                seq: list[Any] = []
                p_map[p_key] = seq
                sequence = (indent, seq)
                pending = None
            if sequence is None or indent != sequence[0]:
                raise Unsupported
            item = stripped[2:].strip() if stripped != "-" else ""
            if _KEY.match(item):
                raise Unsupported  # a mapping inside a block sequence
            sequence[1].append(value(item))
            continue
        indent = match.end(1)
        if pending is not None:
            p_indent, p_map, p_key = pending
            if indent > p_indent:  # the pending key opens a nested block mapping
                if len(stack) + 1 >= max_depth:
                    raise Unsupported  # deep nesting: the full reader reports it
                child: dict[Any, Any] = {}
                p_map[p_key] = child
                stack.append((indent, child))
            else:
                p_map[p_key] = None
            pending = None
        if sequence is not None:
            if indent > sequence[0]:
                raise Unsupported
            sequence = None
        while stack and stack[-1][0] > indent:
            stack.pop()
        if not stack or stack[-1][0] != indent:
            raise Unsupported
        mapping = stack[-1][1]
        key = plain(match[2])
        if key in mapping or isinstance(key, bool) or key is None:
            raise Unsupported  # duplicate key (reported by the full parser), or an odd key
        rest = line[match.end() :]
        if not rest or rest[0] == "#":
            mapping[key] = None
            pending = (indent, mapping, key)
            continue
        mapping[key] = value(rest)
    if pending is not None:
        pending[1][pending[2]] = None
    if not root:
        raise Unsupported  # empty or comments only: the full parser says so
    return root
