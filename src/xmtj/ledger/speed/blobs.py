"""Validated records keyed by git blob id: a cache that is never stale and needs no stat.

A file's blob id names its content, so a record parsed from a blob is the record of every file, in any
revision, that has that blob — ``status --at HEAD~1`` after ``--at HEAD`` parses only the blobs that
changed between them. Entries are keyed by (kind, blob id) — the kind decides the record class — under a
folder named after the record format, xmtj, Python and pydantic (``cache._namespace``) and the parser
limits: a blob cached by an older format is never used.

The cache lives beside the record cache and is trusted the same way (``xmtj.ledger.speed.cache``):
private folders and files only, unpickled by the allow-list unpickler. It is bounded: past
``MAX_ENTRIES`` the entries least recently written back are dropped first (an approximate LRU: an entry
is stamped with the time its shard was last written, which every new entry in the shard refreshes).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xmtj.ledger.records import _make, with_path
from xmtj.ledger.speed.cache import _namespace, _read_private, private_chain, safe_loads

SHARDS = "0123456789abcdef"  # by the blob id's first hex digit, per kind
MAX_ENTRIES = 400_000  # a province's ledger (60,000 files) in about six different revisions

Entry = tuple[Any, tuple[Any, ...], int]  # (record or None, problems, last written, epoch seconds)


class BlobCache:
    """(kind, blob id) → (record, problems), read shard by shard as needed, written back when changed."""

    def __init__(self, folder: Path, top: Path, salt: str = "") -> None:
        self.folder = folder / "blobs" / (_namespace() + (f"-{salt}" if salt else ""))
        self.top = top
        self._shards: dict[str, dict[str, Entry]] = {}
        self._tables: dict[str, dict[str, Entry]] = {}  # every shard of a kind merged (``load_all``)
        self._dirty: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _shard(self, kind: str, oid: str) -> dict[str, Entry]:
        return self._load(f"{kind}-{oid[:1]}")

    def _load(self, name: str) -> dict[str, Entry]:
        shard = self._shards.get(name)
        if shard is None:
            shard = {}
            if private_chain(self.top, self.folder):
                try:
                    loaded = safe_loads(_read_private(self.folder / f"{name}.pickle"))
                    if isinstance(loaded, dict):
                        shard = loaded
                except Exception:  # missing, truncated, someone else's, or not records: start afresh
                    pass
            self._shards[name] = shard
        return shard

    def load_all(self, kinds: Iterable[str]) -> None:
        """Read every shard of ``kinds`` now (while a revision is being listed), into one table a kind."""
        for kind in kinds:
            table = self._tables.setdefault(kind, {})
            for digit in SHARDS:
                table.update(self._load(f"{kind}-{digit}"))

    def get(self, kind: str, oid: str, rel: str) -> tuple[Any, tuple[Any, ...]] | None:
        """The record (stamped with ``rel``) and problems of blob ``oid``, or None if not cached."""
        table = self._tables.get(kind)
        entry = table.get(oid) if table is not None else self._shard(kind, oid).get(oid)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        record, problems, _ = entry
        return _restamp(record, problems, rel)

    def put(self, kind: str, oid: str, record: Any, problems: tuple[Any, ...]) -> None:
        self._shard(kind, oid)[oid] = entry = (record, problems, 0)
        if kind in self._tables:
            self._tables[kind][oid] = entry
        self._dirty.add(f"{kind}-{oid[:1]}")

    def flush(self) -> None:
        """Write the changed shards (atomically, privately); prune past ``MAX_ENTRIES``; never fail."""
        if not self._dirty:
            return
        import tempfile

        now = int(time.time())
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not private_chain(self.top, self.folder):
                return
            for name in self._dirty:
                shard = self._shards[name]
                self._shards[name] = {oid: (r, p, now) for oid, (r, p, _) in shard.items()}
            self._prune()
            for name in sorted(self._dirty):
                fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.", suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(self._shards[name], handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp, self.folder / f"{name}.pickle")
        except OSError:
            pass
        finally:
            self._dirty.clear()

    def _prune(self) -> None:
        for path in self.folder.glob("*.pickle"):  # every shard counts towards the bound
            name = path.stem
            if name not in self._shards:
                kind, _, digit = name.rpartition("-")
                self._shard(kind, digit)
        total = sum(len(shard) for shard in self._shards.values())
        if total <= MAX_ENTRIES:
            return
        stamps = sorted(entry[2] for shard in self._shards.values() for entry in shard.values())
        cut = stamps[total - MAX_ENTRIES]
        for name, shard in self._shards.items():
            kept = {oid: entry for oid, entry in shard.items() if entry[2] >= cut}
            if len(kept) != len(shard):
                self._shards[name] = kept
                self._dirty.add(name)


def _restamp(record: Any, problems: tuple[Any, ...], rel: str) -> tuple[Any, tuple[Any, ...]]:
    """The cached record and problems as read from ``rel`` (the same blob may sit at another path)."""
    if record is not None and getattr(record, "path", rel) != rel:  # (usually the same path: no copy)
        record = with_path(_make(type(record), dict(record.__dict__)), rel)  # a copy: the cached one stays
    if problems and problems[0].path != rel:
        problems = tuple(dataclasses.replace(p, path=rel) for p in problems)
    return record, problems
