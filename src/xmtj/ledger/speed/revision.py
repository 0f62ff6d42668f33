"""A git revision through the blob cache: ``status --at REV`` parses only blobs it has not seen.

The same ``Ledger`` as ``read_ledger(GitRevision(...))``; records whose blob was parsed before (in any
revision) come from ``xmtj.ledger.speed.blobs``, the rest are fetched by id and parsed — in worker
processes, each with its own ``git cat-file --batch``, when there are many.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from xmtj.ledger import gitio
from xmtj.ledger.ledger import CONFIG_FILE, Ledger
from xmtj.ledger.reading import Parsed, record_from_bytes, unreadable
from xmtj.ledger.registry import MODELS
from xmtj.ledger.sources import GitRevision as Revision
from xmtj.ledger.speed.blobs import Table, restamp, segment
from xmtj.ledger.speed.bulk import DEFAULT, Progress, Tuning, assemble, chunks, config_by_blob, quiet_gc, worker_pool
from xmtj.ledger.speed.scan import ForkedScan, jobs_of

if TYPE_CHECKING:
    from xmtj.ledger.sources import GitRevision
    from xmtj.ledger.speed.blobs import BlobCache


def _parse_blobs(root: str, group: list[tuple[str, str, str]]) -> bytes:
    """Parse blobs in a worker process (its own ``git cat-file --batch``): a blob-cache segment of their
    records, pickled once (the parent writes these very bytes)."""
    from pathlib import Path

    return _segment_of(gitio.read_objects(Path(root), [oid for _, _, oid in group]), group)


def _segment_of(data: dict[str, bytes], group: list[tuple[str, str, str]]) -> bytes:
    """The blobs of ``group`` (their bytes by id in ``data``) parsed, as a blob-cache segment."""
    import time

    table: Table = {}
    now = int(time.time())
    for kind, rel, oid in group:
        record, problems = record_from_bytes(data.get(oid), MODELS[kind], rel)
        table.setdefault(kind, {})[oid] = (record, tuple(problems), now)
    return segment(table)


def load_revision(
    source: GitRevision, store: BlobCache | None, progress: Progress | None, tuning: Tuning = DEFAULT
) -> Ledger:
    """The ledger at a git revision — the same as ``read_ledger(source)`` — with records taken from the
    blob cache where the blob was parsed before, and the rest parsed (in workers when there are many)."""
    with quiet_gc() as counted:
        ledger = _load(source, store, tuning)
        counted.append(len(ledger.projects) + len(ledger.issues) + len(ledger.meetings) + len(ledger.letters))
    if progress is not None:
        progress(1, 1)
    if store is not None:
        ids = source.blob_ids
        store.flush(used=lambda: ((kind, ids[rel]) for kind, rel in jobs_of(source) if rel in ids))
    return ledger


def _load(source: GitRevision, store: BlobCache | None, tuning: Tuning) -> Ledger:
    early = _parse_early(source, store, tuning)  # the blobs the cache lacks, parsed by a child meanwhile
    if store is not None:
        store.load_all(MODELS)  # while git lists the revision (or the child parses) in its own process
    jobs = jobs_of(source)
    slots: list[Parsed | None] = []
    todo: list[tuple[str, str, str]] = []
    ids = source.blob_ids
    lookup = store.lookup() if store is not None else None  # one bound method, not 60,000 attribute walks
    for kind, rel in jobs:
        oid = ids.get(rel)
        cached = lookup(kind, oid, rel) if lookup is not None and oid is not None else None
        if oid is not None and cached is None:
            todo.append((kind, rel, oid))
        slots.append((oid, *cached) if cached is not None else None)
    found: Table = {}
    if early is not None:
        _take(early.result(), store, found)
    for data in _parse_revision(source, [t for t in todo if t[2] not in found.get(t[0], {})], tuning):
        _take(data, store, found)
    done: list[Parsed] = []
    for (kind, rel), slot in zip(jobs, slots, strict=True):
        if slot is None:
            oid = ids.get(rel)
            entry = found.get(kind, {}).get(oid) if oid is not None else None
            if entry is None:
                slot = (None, None, (unreadable(rel, _link_error(rel)),))
            else:
                slot = (oid, *restamp(entry[0], entry[1], rel))
        done.append(slot)
    return assemble(source, config_by_blob(source, store, ids.get(CONFIG_FILE))[0], jobs, done)


def _take(data: bytes, store: BlobCache | None, found: Table) -> None:
    """A segment parsed by a worker or the early child: into ``found``, and adopted by the cache."""
    import pickle

    if not data:
        return
    try:
        table = pickle.loads(data)  # from our own child, through a pipe: not a file anyone could plant
    except Exception:  # the child failed: what it should have parsed is parsed here
        return
    if not isinstance(table, dict):
        return
    for kind, entries in table.items():
        found.setdefault(kind, {}).update(entries)
    if store is not None:
        store.adopt(data, table)


class _EarlyParse:
    """A forked child that guesses which blobs the cache lacks (from its ``known`` list and its own
    ``ls-tree``) and parses them, while the parent unpickles the cache: on two cores the ~0.2 s of listing,
    importing pydantic and validating a revision's few changed files overlaps the ~0.25 s of reading
    60,000 cached records. A wrong guess costs time, never an answer: the parent parses what is missing."""

    def __init__(self, source: GitRevision, store: BlobCache, parallel_min: int) -> None:
        self.read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: guess, parse, send, leave without any clean-up
            try:
                os.close(self.read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(_guess_and_parse(source, store, parallel_min))
            finally:
                os._exit(0)
        os.close(write_end)

    def result(self) -> bytes:
        """The child's segment (empty when it guessed nothing to parse, or failed)."""
        with os.fdopen(self.read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        return data


def _guess_and_parse(source: GitRevision, store: BlobCache, parallel_min: int) -> bytes:

    known = store.known() or set()
    own = Revision(source.root, source.revision or "HEAD")  # its own ls-tree: the parent reads the first
    ids = own.blob_ids
    todo = [(kind, rel, oid) for kind, rel in jobs_of(own) if (oid := ids.get(rel)) and f"{kind}:{oid}" not in known]
    if not todo or len(todo) >= parallel_min:  # nothing to do, or a first read: the workers do it
        return b""
    return _parse_blobs(str(source.root), todo)


def _parse_early(source: GitRevision, store: BlobCache | None, tuning: Tuning) -> _EarlyParse | None:
    if store is None or not store.has_known() or not ForkedScan.possible():
        return None
    return _EarlyParse(source, store, tuning.parallel_min)


def _link_error(rel: str) -> OSError:
    import errno

    return OSError(errno.ELOOP, "符号链接或子模块", rel)


def _parse_revision(source: GitRevision, todo: list[tuple[str, str, str]], tuning: Tuning) -> Iterable[bytes]:
    """Segments of the blobs of ``todo`` parsed: here when few, else in worker processes."""
    workers = tuning.workers()
    if not todo:
        return
    if len(todo) < tuning.parallel_min or workers < 2:  # here, through the source: it keeps the bytes
        source.fetch(rel for _, rel, _ in todo)  # for checks that read a file again (line numbers)
        found = {oid: data for _, rel, oid in todo if (data := source.read_or_none(rel)) is not None}
        yield _segment_of(found, todo)
        return
    groups = chunks(todo, workers)
    with worker_pool({kind for kind, _, _ in todo}, workers) as pool:
        yield from pool.map(_parse_blobs, [str(source.root)] * len(groups), groups)
