"""Validation of the records (``xmtj.ledger.records``) with pydantic, imported only when a file must be read.

pydantic validates the frozen dataclasses themselves: the result is the record, not a copy of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")
_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def adapter(cls: type[T]) -> TypeAdapter[T]:
    """The (cached) pydantic adapter of a record class."""
    found = _adapters.get(cls)
    if found is None:
        from pydantic import TypeAdapter

        found = _adapters[cls] = TypeAdapter(cls)
    return found


def validate(cls: type[T], value: Any) -> T:
    """``value`` (plain data read from YAML) as a record of ``cls``; raises pydantic's ValidationError."""
    return adapter(cls).validate_python(value)
