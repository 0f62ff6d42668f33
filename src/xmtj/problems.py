"""Data problems as values, and the domain exceptions the CLI translates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in one file: where it is, which field, and what is wrong (in Chinese)."""

    path: str
    line: int | None
    column: int | None
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        mark = "[警告] " if self.severity == "warning" else ""
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {mark}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.field)


class XmtjError(Exception):
    """An error the user can act on; its text is shown as is, in Chinese."""


class LedgerNotFound(XmtjError):
    """No ledger (a folder holding xmtj.yaml) was found."""


class LedgerInvalid(XmtjError):
    """The ledger's own settings (xmtj.yaml) cannot be used."""
