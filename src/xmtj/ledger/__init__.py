"""Stage 1, the ledger: files → validated records and problems. Imports only ``xmtj.problems`` and
``xmtj.textsafe`` from outside.

| module | what it is for |
| --- | --- |
| ``records`` | the records (frozen dataclasses): project, problem, meeting, letter, settings; ``to_plain`` |
| ``fields`` | what a field's value must be (patterns, bounds, plain numbers), as pydantic markers |
| ``registry`` | the one table of record kinds (folder, class, Chinese word, id rule) and the vocabularies |
| ``validation`` | pydantic over the records, and its errors in the office's words |
| ``encoding`` | bytes → text (UTF-8, BOM, GBK detected, control characters refused) |
| ``limits`` | how large and deep a file may be (``limits`` in xmtj.yaml) |
| ``yamlio`` | libyaml with positions, strict values (no anchors, plain numbers only) |
| ``sources`` | where files come from: the working tree or a git revision (never through a symlink) |
| ``gitio`` | git, run with argument lists (read and commit plumbing, refusal of dubious repositories) |
| ``gitindex`` | git's index file read directly: which files are as committed, their blob ids and stat |
| ``reading`` | one file: mapping, record or problems; locating a problem's line |
| ``ledger`` | the ``Ledger`` and finding it (``xmtj.yaml`` upward) |
| ``load`` | ``read_ledger`` (the plain loader) and ``load_ledger`` (the front door, speed path beside) |
| ``checks`` | the cross-record checks, one small function each, in one list |
| ``register`` | the 督办提醒函 register's numbers and 发文字号 |
| ``speed/`` | the speed path: record cache by blob id, file index, fast reader, bulk loader (its own docstring) |
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "Ledger": "xmtj.ledger.ledger",
    "find_ledger": "xmtj.ledger.ledger",
    "load_ledger": "xmtj.ledger.load",
    "read_ledger": "xmtj.ledger.load",
    "check_ledger": "xmtj.ledger.checks",
}


def __getattr__(name: str) -> Any:  # public names, imported when first used (nothing heavy at import)
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(name)
