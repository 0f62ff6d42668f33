"""Stage 1, the ledger: files → validated records and problems. Imports only ``xmtj.problems`` and
``xmtj.textsafe`` from outside.

| module | what it is for |
| --- | --- |
| ``records`` | the records (frozen dataclasses): project, problem, meeting, letter, 通报 register entry; ``to_plain`` |
| ``settings`` | ``xmtj.yaml`` as frozen dataclasses: vocabularies, thresholds, units, members, years, limits |
| ``fields`` | what a field's value must be (patterns, bounds, plain numbers, names without hidden characters), as pydantic markers |
| ``labels`` | every field's name as the office says it (计划开工时间, 2022年4月完成投资), and back |
| ``registry`` | the one table of record kinds (folder, class, Chinese word, id rule) and the vocabularies |
| ``validation`` | pydantic over the records, and its errors in the office's words |
| ``encoding`` | bytes → text (UTF-8, BOM, GBK detected, control characters refused) |
| ``limits`` | how large and deep a file may be (``limits`` in xmtj.yaml) |
| ``yamlio`` | libyaml with positions, strict values (no anchors, plain numbers only) |
| ``fastyaml`` | a line reader for the house YAML, tried first; steps aside (libyaml decides) for anything else |
| ``sources`` | where files come from: the working tree or a git revision (never through a symlink) |
| ``gitio`` | git, run with argument lists (read and commit plumbing, refusal of dubious repositories) |
| ``private`` | files only the current user can have written: the trust rules of every cache and secret |
| ``reading`` | one file: mapping, record or problems; locating a problem's line |
| ``ledger`` | the ``Ledger`` and finding it (``xmtj.yaml`` upward) |
| ``load`` | ``read_ledger`` (the plain loader) and ``load_ledger = cached(read_ledger)``; the counted ledger |
| ``checks`` | the cross-record checks, one small function each, in one list |
| ``counting`` | the ledger as the figures count it: the records of files with errors left out |
| ``register`` | what git remembers of the registers: numbers ever issued, the commit that issued each, dispatches and returns |
| ``speed/`` | the speed path around ``read_ledger``: record cache by blob id, file index, workers (its own docstring) |
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
