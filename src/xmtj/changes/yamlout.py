"""Writing records as YAML the way a clerk would: keys in order, small maps inline, empty = blank."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import yaml

from xmtj.ledger.records import field_names, plain_decimal
from xmtj.ledger.registry import (
    EVENT_KINDS,
    INVESTMENT_TYPES,
    ISSUE_CATEGORIES,
    ISSUE_SOURCES,
    ISSUE_STATUSES,
    RECORD_KINDS,
)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with Decimals written exactly as their digits (never through float)."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = plain_decimal(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


# Text that YAML reads back as itself when written plain: CJK, full-width forms, letters and digits, and a
# few harmless marks, starting with a CJK character or a letter. Anything else goes through PyYAML's
# emitter (which quotes it where needed); this path only spares it the common case (an import writes
# thousands of values).
_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_MARKS = "\u3001-\u3003\u3008-\u3011\u3014-\u301b\uff01-\uff5e"  # 、。〃 《》【】〔〕 and full-width forms
_PLAIN_TEXT = re.compile(f"[{_CJK}A-Za-z][{_CJK}{_MARKS}A-Za-z0-9_.()/-]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _plain(value: Any) -> str | None:
    """``value`` written plain, when that is certainly right; else None (PyYAML decides)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value if _PLAIN_TEXT.fullmatch(value) and value.lower() not in _YAML11_WORDS else None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return plain_decimal(value) if value.is_finite() else None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return None


def flow(value: Any) -> str:
    """One value in YAML flow style, quoted only where YAML needs it; reads back as exactly ``value``."""
    fast = _plain(value)
    if fast is not None:
        return fast
    if isinstance(value, list) and value and all(_plain(v) is not None for v in value):
        return "[" + ", ".join(str(_plain(v)) for v in value) + "]"
    text = yaml.dump(
        value, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
    )
    return text.strip().removesuffix("...").strip()


def emit(
    record: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    block: Sequence[str] = (),
) -> str:
    """``record`` as YAML: ``block`` keys' mappings one entry a line; lists of mappings one item a line."""
    comments = comments or {}
    lines = []
    for key, value in record.items():
        note = f"  # {comments[key]}" if key in comments else ""
        if value is None:
            lines.append(f"{key}:{note}")
        elif isinstance(value, Mapping) and (key in block or not value):
            lines.append(f"{key}:{note}" if value else f"{key}: {{}}{note}")
            lines.extend(f"  {flow(k)}: {flow(v)}" for k, v in value.items())
        elif isinstance(value, Mapping) and any(v is None for v in value.values()):
            lines.append(f"{key}:{note}")
            lines.extend(f"  {k}:" if v is None else f"  {k}: {flow(v)}" for k, v in value.items())
        elif isinstance(value, (list, tuple)) and value and (isinstance(value[0], Mapping) or key in block):
            lines.append(f"{key}:{note}")
            lines.extend(f"  - {flow(item)}" for item in value)
        else:
            lines.append(f"{key}: {flow(value)}{note}")
    return "\n".join(lines) + "\n"


def _choices(words: tuple[str, ...]) -> str:
    return " | ".join(words)


PROJECT_COMMENTS = {
    "investment_type": _choices(INVESTMENT_TYPES),
    "total_investment": "万元",
    "annual_plan": "年度计划投资, 万元",
    "monthly_plan": "月度计划, 万元",
    "progress": "当月完成投资 by month, 万元",
}
ISSUE_COMMENTS = {
    "category": _choices(ISSUE_CATEGORIES),
    "source": _choices(ISSUE_SOURCES),
    "deadline": "办结时限",
    "status": _choices(ISSUE_STATUSES),
}
MEETING_COMMENTS = {"kind": _choices(EVENT_KINDS)}
# fields written even when empty, so a clerk sees where to fill them in
_EMPTY_SHOWN = {
    "projects": ("actual_start", "actual_completion", "actual_production"),
    "issues": ("resolved_on", "resolution"),
    "meetings": (),
}


def record_yaml(kind: str, record: Mapping[str, Any]) -> str:
    """A new record file in the house layout: fields in the model's order, comments, empty slots shown."""

    fields = field_names(RECORD_KINDS[kind])
    shown = _EMPTY_SHOWN[kind]
    ordered = {k: record.get(k) for k in fields if record.get(k) not in (None, [], {}) or k in shown}
    ordered.update({k: v for k, v in record.items() if k not in ordered and k not in fields})
    comments = {"projects": PROJECT_COMMENTS, "issues": ISSUE_COMMENTS, "meetings": MEETING_COMMENTS}[kind]
    return emit(ordered, comments, block=("annual_plan", "monthly_plan", "progress", "decisions"))
