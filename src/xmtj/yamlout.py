"""Writing records as YAML the way a clerk would: keys in order, small maps inline, empty = blank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import yaml


def _decimal_free(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: _decimal_free(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_decimal_free(v) for v in value]
    return value


def flow(value: Any) -> str:
    """One value in YAML flow style, quoted only where YAML needs it."""
    text = yaml.safe_dump(
        _decimal_free(value), default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
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
