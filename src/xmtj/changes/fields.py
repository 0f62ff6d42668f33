"""A record file as dotted fields in the office's terms (``progress.2021-10`` is the month's amount,
``approvals[立项备案].date`` an approval's date), and the fields that differ between two versions of it —
what ``log``, ``diff``, the server hook and ``submit --again`` compare."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xmtj.figures.fmt import show
from xmtj.ledger import fastyaml, limits, yamlio
from xmtj.ledger.labels import label
from xmtj.ledger.records import to_plain


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    retroactive: str | None = None  # the briefing it contradicts, e.g. "2021-11"

    def words(self, kind: str = "projects") -> str:
        """``2022年4月完成投资：3300 → 1500``: the field by its label (``xmtj.ledger.labels``)."""
        text = f"{label(self.field, kind)}：{show(self.old)} → {show(self.new)}"
        if self.retroactive:
            text += f"（注意：{self.retroactive}通报已发出后的追溯修改）"
        return text

    def as_dict(self, kind: str = "projects") -> dict[str, Any]:
        old, new = to_plain(self.old), to_plain(self.new)
        return {"field": self.field, "label": label(self.field, kind), "old": old, "new": new,
                "retroactive": self.retroactive}  # fmt: skip


def parse(data: bytes | None) -> dict[str, Any] | None:
    """A file's top-level mapping as plain values, or None if absent or unreadable."""
    if data is None:
        return None

    oversize = limits.too_large(data)
    if oversize:
        return {"（文件无法解析）": oversize}
    try:
        text = yamlio.decode(data)
        quick = fastyaml.parse(text)  # the house layout, line by line; None leaves the file to libyaml
        if quick is not None:
            return quick
        node = yamlio.compose(text)
    except (yamlio.YamlSyntaxError, yamlio.TextDecodeError) as exc:
        return {"（文件无法解析）": exc.message}
    if not isinstance(node, yamlio.MappingNode):
        return {}
    value = yamlio.build(node, [])
    return value if isinstance(value, dict) else {}


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted fields in the office's terms: ``progress.2021-10`` is the month's amount."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if prefix == "progress" and isinstance(value, dict):
            out[path] = value.get("amount")
            for sub, inner in value.items():
                if sub != "amount":
                    out[f"{path}.{sub}"] = inner
        elif isinstance(value, dict):
            out.update(flatten(value, path) if value else {path: {}})
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            names = [item.get("item") if isinstance(item, dict) else None for item in value]
            named = all(isinstance(n, str) and n for n in names) and len(set(names)) == len(names)
            for i, item in enumerate(value):  # approvals by their item (手续（立项备案）), others by place
                where = f"{path}[{names[i] if named else i}]"
                out.update(flatten(item, where) if isinstance(item, dict) else {where: item})
        elif isinstance(value, list):
            out[path] = "、".join(str(show(v)) for v in value) if value else None
        else:
            out[path] = value
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal)) and not isinstance(a, bool):
        return Decimal(a) == Decimal(b)
    return bool(a == b)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The fields that differ between two flattened files (``flatten``), in the new file's order."""
    keys = list(after) + [k for k in before if k not in after]
    return [
        FieldChange(k, before.get(k), after.get(k))
        for k in keys
        if not _same(before.get(k), after.get(k)) and not (before.get(k) in (None, "") and after.get(k) in (None, ""))
    ]
