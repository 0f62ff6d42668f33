"""The command line: parse options, call the core, print. The only code that prints or exits.

Heavy imports (the validation library, rich, tabulate, jinja2) happen inside the commands, and a
command's module is imported only when it is the one run (``main``): typer builds every registered
command's options at start-up, so ``xmtj status`` need not pay for the other sixteen. ``xmtj --help``,
an unknown command and ``from xmtj.cli import app`` load them all.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any

MODULES = ("ledger_cmds", "records", "documents", "edit_cmds", "history_cmds")
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "check": ("ledger_cmds",),
    "status": ("ledger_cmds",),
    "issue": ("records", "edit_cmds"),
    "meeting": ("records", "edit_cmds"),
    "letter": ("records",),
    "remind": ("documents",),
    "report": ("documents",),
    "plan": ("documents",),
    "progress": ("edit_cmds",),
    "project": ("edit_cmds",),
    "log": ("history_cmds",),
    "diff": ("history_cmds",),
}


def load(modules: Iterable[str] = MODULES) -> Any:
    """Import command modules (each registers its commands on the app) and return the app."""
    for name in modules:
        importlib.import_module(f"xmtj.cli.{name}")
    from xmtj.cli.common import app

    return app


def main() -> None:
    """Entry point of the ``xmtj`` console script."""
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    load(COMMAND_MODULES.get(command or "", MODULES))()


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole command line, as tests and other front ends see it
        return load()
    raise AttributeError(name)


__all__ = ["app", "load", "main"]
