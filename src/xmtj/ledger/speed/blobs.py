"""Validated records keyed by git blob id: the one record cache, never stale, needing no stat.

A file's blob id names its content, so a record parsed from a blob is the record of every file, in any
revision or in the working tree, that has that blob — ``status --at HEAD~1`` after ``--at HEAD`` parses
only the blobs that changed between them, and the working tree finds its records here through its file
index (``xmtj.ledger.speed.cache.FileIndex``). Entries are keyed by (kind, blob id) — the kind decides
the record class — under a folder named after the record format, xmtj, Python and pydantic
(``cache.namespace``) and the parser limits: a blob cached by an older format is never used.

The cache is a set of segments: each run that parsed new blobs writes new segments holding just
those, so a run that adds 600 blobs to a cache of 60,000 writes 600 entries, not 60,000; the segments
worker processes pickled are written as they came (never pickled twice). Past ``MAX_SEGMENTS`` the
segments are merged into one; past ``MAX_ENTRIES`` the entries least recently used are dropped then
(the entries a run used are stamped with its time when it merges: an approximate LRU). It is trusted
as every cache of xmtj is (``xmtj.ledger.speed.cache``): private folders and files only, the
allow-list unpickler.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from xmtj.ledger.private import append_private, private_chain, read_private, write_private
from xmtj.ledger.records import with_path
from xmtj.ledger.speed.cache import dumps, make_record, namespace, prune_other_versions, safe_loads

MAX_ENTRIES = 300_000  # a province's ledger (60,000 files) in about five different versions
MAX_SEGMENTS = 32  # then merged into one (a first read by worker processes writes about ten)
KNOWN = "known.txt"  # kind:oid of every entry: which blobs a revision will need parsed, guessed cheaply

Entry = tuple[Any, tuple[Any, ...], int]  # (record or None, problems, written at, epoch seconds)
Table = dict[str, dict[str, Entry]]  # kind → blob id → entry


class BlobCache:
    """(kind, blob id) → (record, problems): every segment read at the first lookup, new entries
    written as one new segment."""

    def __init__(self, folder: Path, top: Path, salt: str = "") -> None:
        self.folder = folder / "blobs" / (namespace() + (f"-{salt}" if salt else ""))
        self.top = top
        self._table: Table | None = None
        self._segments: list[Path] = []
        self._new: Table = {}
        self._adopted: list[tuple[bytes, Table]] = []  # segments pickled by worker processes, written as they are
        self.hits = 0
        self.misses = 0

    def load_all(self, kinds: Iterable[str] = ()) -> Table:
        """Read every segment now (while git lists a revision in its own process)."""
        if self._table is None:
            self._table = {}
            if private_chain(self.top, self.folder):
                self._segments = sorted(self.folder.glob("seg-*.pickle"))
            for path in self._segments:
                try:
                    segment = safe_loads(read_private(path))
                except Exception:  # truncated, someone else's, or not records: left out
                    continue
                if isinstance(segment, dict):
                    for kind, entries in segment.items():
                        self._table.setdefault(kind, {}).update(entries)
        return self._table

    def get(self, kind: str, oid: str, rel: str) -> tuple[Any, tuple[Any, ...]] | None:
        """The record (stamped with ``rel``) and problems of blob ``oid``, or None if not cached."""
        entry = self.load_all().get(kind, {}).get(oid)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        return restamp(entry[0], entry[1], rel)

    def lookup(self) -> Any:
        """``get`` for many lookups in a row: the table read once, the counters added up at the end of
        each call cheaply (a revision of a province looks up 60,000 blobs)."""
        table = self.load_all()

        def get(kind: str, oid: str, rel: str) -> tuple[Any, tuple[Any, ...]] | None:
            entry = table.get(kind, {}).get(oid)
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
            record, problems = entry[0], entry[1]
            if (record is None or record.path == rel) and (not problems or problems[0].path == rel):
                return record, problems  # the usual case: the same path as when it was cached
            return restamp(record, problems, rel)

        return get

    def has_segments(self) -> bool:
        """Anything cached at all (without reading it)."""
        try:
            return any(self.folder.glob("seg-*.pickle"))
        except OSError:
            return False

    def has_known(self) -> bool:
        return (self.folder / KNOWN).is_file()

    def known(self) -> set[str] | None:
        """``kind:oid`` of every entry as of the last write (``known.txt``), read without unpickling
        anything; None when there is no such list. It may be out of date: a guess, never an answer."""
        if not private_chain(self.top, self.folder):
            return None
        try:
            return set(read_private(self.folder / KNOWN).decode("ascii").split())
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, kind: str, oid: str, record: Any, problems: tuple[Any, ...]) -> None:
        entry = (record, problems, int(time.time()))
        self._new.setdefault(kind, {})[oid] = entry
        self.load_all().setdefault(kind, {})[oid] = entry

    def adopt(self, segment: bytes, table: Table) -> None:
        """A segment a worker process pickled (``segment``) and its unpickled ``table``: looked up from
        now on, and written at ``flush`` as it is."""
        mine = self.load_all()
        for kind, entries in table.items():
            mine.setdefault(kind, {}).update(entries)
        self._adopted.append((segment, table))

    def _tables(self) -> list[Table]:
        return [table for _, table in self._adopted]

    def flush(self, used: Callable[[], Iterable[tuple[str, str]]] = tuple, listed: bool = True) -> None:
        """Write this run's new entries as new segments (merging all past ``MAX_SEGMENTS``, when the
        entries ``used()`` gives, (kind, blob id), count as written now); never fail. ``listed``: start
        ``known.txt`` if there is none (a working-tree run need not: only ``--at`` reads it)."""
        if not self._new and not self._adopted:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not private_chain(self.top, self.folder):
                return
            prune_other_versions(self.folder)
            if len(self._segments) + len(self._adopted) + 1 > MAX_SEGMENTS:
                kept = _pruned(_touched(self.load_all(), used()))
                self._write(segment(kept), merged=True)
                write_private(self.folder, KNOWN, _listing(kept))
                return
            for data, _ in self._adopted:
                self._write(data, merged=False)
            if self._new:
                self._write(segment(self._new), merged=False)
            if self.has_known():  # the new entries added to the list; the whole list only when merging
                append_private(self.folder / KNOWN, b"".join(_listing(t) for t in (self._new, *self._tables())))
            elif listed:  # made by a revision's read, the one that guesses from it
                write_private(self.folder, KNOWN, _listing(self.load_all()))
        except OSError:
            pass
        finally:
            self._new = {}
            self._adopted = []

    def _write(self, data: bytes, merged: bool) -> None:
        name = f"seg-{time.time_ns():020d}-{secrets.token_hex(3)}.pickle"
        write_private(self.folder, name, data)
        if merged:
            for old in self._segments:
                old.unlink(missing_ok=True)
            self._segments = [self.folder / name]
        else:
            self._segments.append(self.folder / name)


def _listing(table: Table) -> bytes:
    """``known.txt`` lines for the entries of ``table``."""
    return "".join(f"{kind}:{oid}\n" for kind, entries in table.items() for oid in entries).encode("ascii")


def segment(table: Table) -> bytes:
    """A table as a segment file's bytes."""
    return dumps(table)


def _touched(table: Table, used: Iterable[tuple[str, str]]) -> Table:
    """``table`` with the entries of ``used`` stamped as written now (they stay past the next pruning)."""
    now = int(time.time())
    for kind, oid in used:
        entry = table.get(kind, {}).get(oid)
        if entry is not None and entry[2] != now:
            table[kind][oid] = (entry[0], entry[1], now)
    return table


def _pruned(table: Table) -> Table:
    """``table`` without the entries least recently written, beyond ``MAX_ENTRIES``."""
    total = sum(len(entries) for entries in table.values())
    if total <= MAX_ENTRIES:
        return table
    cut = sorted(entry[2] for entries in table.values() for entry in entries.values())[total - MAX_ENTRIES]
    return {kind: {oid: e for oid, e in entries.items() if e[2] >= cut} for kind, entries in table.items()}


def restamp(record: Any, problems: tuple[Any, ...], rel: str) -> tuple[Any, tuple[Any, ...]]:
    """The cached record and problems as read from ``rel`` (the same blob may sit at another path)."""
    if record is not None and getattr(record, "path", rel) != rel:  # (usually the same path: no copy)
        record = with_path(make_record(type(record), dict(record.__dict__)), rel)  # a copy: the cached one stays
    if problems and problems[0].path != rel:
        problems = tuple(dataclasses.replace(p, path=rel) for p in problems)
    return record, problems
