"""The speed path: the plain loader's result, from the blob cache and worker processes.

``xmtj.ledger.load.read_ledger`` reads a ledger file by file; this module gives the same ``Ledger``
faster for a large one, and ``load_ledger`` chooses between them. What it adds, each measured (README
§Performance):

- the record cache: records keyed by git blob id (``xmtj.ledger.speed.blobs``), found for the working
  tree's files through their stat keys (``xmtj.ledger.speed.cache.FileIndex``): a repeat run parses only
  changed files, and a file changed back, or a fresh clone after ``--at``, parses nothing git has seen;
- on a repeat run, listing and stat-ing the files in a forked process
  (``xmtj.ledger.speed.scan.ForkedScan``) while the blob cache is unpickled here;
- worker processes for a first run of many files, each pickling its records once, as a segment of the
  blob cache;
- the garbage collector off while records are built, and the built records frozen out of later
  collections.

Thresholds come from a ``Tuning`` (tests pass their own instead of patching constants).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import operator
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from xmtj.ledger import limits
from xmtj.ledger.ledger import CONFIG_FILE, Ledger, sort_registers
from xmtj.ledger.reading import READ_FLAGS, Parsed, linked_folder_problems, load_config, record_from_bytes, unreadable
from xmtj.ledger.registry import MODELS
from xmtj.ledger.settings import Config
from xmtj.ledger.speed.blobs import restamp, segment
from xmtj.ledger.speed.cache import blob_id, dumps, file_key, index_part
from xmtj.ledger.speed.scan import ForkedScan, Jobs, jobs_of, scan
from xmtj.ledger.validation import adapter
from xmtj.problems import Problem

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from xmtj.ledger.sources import Source
    from xmtj.ledger.speed.blobs import BlobCache
    from xmtj.ledger.speed.cache import FileIndex, Key

Progress = Callable[[int, int], None]
Group = list[tuple[str, str]]  # (kind, rel)


@dataclass(frozen=True)
class Tuning:
    """When the speed machinery pays for itself (measured on the project's 2-core machine)."""

    parallel_min: int = 3000  # files to parse before a second process pays for itself
    max_workers: int = 4
    scan_in_child_bytes: int = 300_000  # an index this large (a few thousand files) is worth a forked scan

    def workers(self) -> int:
        """How many worker processes a parse may start."""
        return min(os.cpu_count() or 1, self.max_workers)


DEFAULT = Tuning()


def worker_pool(kinds: Iterable[str], workers: int) -> ProcessPoolExecutor:
    """Worker processes that parse records of ``kinds``: pydantic imported and the validators built once,
    here, so that every worker inherits them; the parser limits configured in each."""
    from concurrent.futures import ProcessPoolExecutor

    for kind in kinds:
        adapter(MODELS[kind])
    return ProcessPoolExecutor(max_workers=workers, initializer=limits.configure, initargs=(limits.LIMITS,))


T = TypeVar("T")


def chunks(todo: list[T], workers: int) -> list[list[T]]:
    """``todo`` in groups for the workers: about four each (so that none waits long for the last)."""
    size = max(200, len(todo) // (4 * workers))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def read_file(root: str, rel: str) -> tuple[Key | None, bytes | None, tuple[Problem, ...]]:
    """One file of the working tree: its stat key, taken before reading it (an edit made while it is
    read then shows as a changed key next time, never as a stale record), and its bytes — or the
    problem that it cannot be read."""

    try:
        fd = os.open(f"{root}/{rel}", READ_FLAGS)  # no file object: 60,000 of them
        try:
            stat = os.fstat(fd)
            chunks = [os.read(fd, stat.st_size + 1)]
            while chunks[-1]:  # to the end, however the file has changed since fstat
                chunks.append(os.read(fd, 1 << 16))
            return file_key(stat), b"".join(chunks), ()
        finally:
            os.close(fd)
    except OSError as exc:
        return None, None, (unreadable(rel, exc),)


def parse_file(root: str, kind: str, rel: str) -> tuple[Key | None, str | None, Any, tuple[Problem, ...]]:
    """One file of the working tree read and parsed: its stat key, blob id, record, problems."""

    key, data, problems = read_file(root, rel)
    if data is None:
        return key, None, None, problems
    record, found = record_from_bytes(data, MODELS[kind], rel)
    return key, blob_id(data), record, tuple(found)


def _parse_group(root: str, group: Group) -> tuple[bytes, bytes, bytes]:
    """Parse and validate files in a worker process: a blob-cache segment of their records, pickled once
    (the parent writes these very bytes), ``[(rel, key, blob id, problems if unreadable)]``, and their
    part of the file index (on a first run the parent writes the parts as they are)."""
    import time

    table: dict[str, dict[str, Any]] = {}
    rows = []
    entries = {}
    now = int(time.time())
    for kind, rel in group:
        key, oid, record, problems = parse_file(root, kind, rel)
        if oid is not None:
            table.setdefault(kind, {})[oid] = (record, problems, now)
            if key is not None:
                entries[rel] = (key, oid)
        rows.append((kind, rel, key, oid, problems if oid is None else None))
    return segment(table), dumps(rows), index_part(entries)


Parsing = Iterable[tuple[str, Any, Parsed]]  # (rel, stat key, (blob id, record, problems))


def _parse_all(
    source: Source,
    todo: Jobs,
    blobs: BlobCache | None,
    counter: _Counter,
    meanwhile: Callable[[], None],
    tuning: Tuning,
) -> Parsing:
    """Every job parsed (and put in the blob cache): in worker processes when there are many files and
    several cores; here, a file whose bytes the cache knows (under another name, or from a revision)
    is not parsed again. ``meanwhile`` is called once the workers have their jobs (at once when here)."""
    workers = tuning.workers()
    if len(todo) < tuning.parallel_min or workers < 2:
        meanwhile()
        yield from _parse_here(str(source.root), todo, blobs, counter)
        return
    yield from _parse_in_workers(source, todo, blobs, counter, meanwhile, workers)


def _parse_here(root: str, todo: Jobs, blobs: BlobCache | None, counter: _Counter) -> Parsing:

    lookup = blobs.lookup() if blobs is not None else None
    for kind, rel in todo:
        key, data, problems = read_file(root, rel)
        if data is None:
            yield rel, key, (None, None, problems)
            continue
        oid = blob_id(data)
        hit = lookup(kind, oid, rel) if lookup is not None else None
        if hit is None:
            record, found = record_from_bytes(data, MODELS[kind], rel)
            hit = record, tuple(found)
            if blobs is not None:
                blobs.put(kind, oid, *hit)
        else:
            counter.reused += 1
        yield rel, key, (oid, *hit)
        counter.add(1, every=500)


@dataclass
class _Counter:
    """Files done out of all, reported to a progress bar (if any); and how many of those parsed here
    came from the cache after all."""

    done: int
    total: int
    progress: Progress | None
    reused: int = 0
    index_parts: list[bytes] = field(default_factory=list)  # from worker processes

    def add(self, n: int, every: int = 1) -> None:
        self.done += n
        if self.progress is not None and self.done % every == 0:
            self.progress(self.done, self.total)


def _parse_in_workers(
    source: Source,
    todo: Jobs,
    blobs: BlobCache | None,
    counter: _Counter,
    meanwhile: Callable[[], None],
    workers: int,
) -> Parsing:
    import pickle
    from concurrent.futures import as_completed

    pool = worker_pool({kind for kind, _ in todo}, workers)
    try:
        futures = [pool.submit(_parse_group, str(source.root), group) for group in chunks(todo, workers)]
        meanwhile()
        for future in as_completed(futures):  # taken as they finish: the workers never wait for the parent
            data, rows, part = future.result()
            counter.index_parts.append(part)
            table = pickle.loads(data)  # from our own worker, through a pipe: not a file anyone could plant
            if blobs is not None:
                blobs.adopt(data, table)
            for kind, rel, key, oid, problems in pickle.loads(rows):
                if oid is None:
                    yield rel, key, (None, None, problems)
                    continue
                record, found, _ = table[kind][oid]
                yield rel, key, (oid, *restamp(record, found, rel))
            counter.add(len(rows))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # an error (a broken xmtj.yaml): stop parsing
        raise
    pool.shutdown()


def _kind_of(item: tuple[tuple[str, str], Any]) -> str:
    return item[0][0]


def load(
    source: Source,
    index: FileIndex | None,
    progress: Progress | None,
    tuning: Tuning = DEFAULT,
    blobs: BlobCache | None = None,
) -> Ledger:
    """The ledger of ``source`` — the same as ``read_ledger(source)`` — from the caches and workers
    (``index`` and ``blobs`` both, or neither)."""
    with quiet_gc() as counted, contextlib.ExitStack() as scanning:  # a forked scan is reaped on leaving
        jobs, keys, slots, todo, same = _resolve(source, index, blobs, tuning, scanning)
        counted.append(len(jobs))
        ledger, done, parsed_keys, counter = _parse_and_assemble(
            source, index, blobs, progress, tuning, jobs, slots, todo
        )
    reused = counter.reused
    if index is not None and blobs is not None:
        index.hits += len(jobs) - len(todo) + reused
        index.misses += len(todo) - reused
        if len(todo) == len(jobs) and counter.index_parts:  # a first run: the workers pickled the index
            index.replace_with_parts(counter.index_parts)
        elif todo or not same:
            keys = [parsed_keys.get(rel, key) for (_, rel), key in zip(jobs, keys, strict=True)]
            index.replace(
                {rel: (key, slot[0]) for (_, rel), key, slot in zip(jobs, keys, done, strict=True) if key and slot[0]}
            )
        index.flush()
        blobs.flush(
            used=lambda: ((kind, slot[0]) for (kind, _), slot in zip(jobs, done, strict=True) if slot[0]), listed=False
        )
    return ledger


def _resolve(
    source: Source, index: FileIndex | None, blobs: BlobCache | None, tuning: Tuning, stack: contextlib.ExitStack
) -> tuple[Jobs, list[Any], list[Parsed | None], Jobs, bool]:
    """Every job, its stat key, its (blob id, record, problems) where the caches have it, the jobs to
    parse, and whether the file index needs no rewriting."""
    if index is None or blobs is None:
        jobs = jobs_of(source)
        return jobs, [None] * len(jobs), [None] * len(jobs), jobs, False
    indexed = index.size()
    ask_git = blobs.has_segments()  # a fresh clone, a checkout: git knows which files are as committed
    if not indexed and not ask_git:  # nothing cached at all: every file is read (and stat-ed then)
        jobs = jobs_of(source)
        return jobs, [None] * len(jobs), [None] * len(jobs), list(jobs), False
    forked = (indexed > tuning.scan_in_child_bytes or not indexed) and ForkedScan.possible()
    scanning = stack.enter_context(ForkedScan(source, index, ask_git)) if forked else None
    lookup = blobs.lookup()  # every segment unpickled here while the child lists and stats
    jobs, keys, oids, _, same = scanning.result() if scanning else scan(source, index, ask_git)
    slots: list[Parsed | None] = []
    todo: Jobs = []
    for job, oid in zip(jobs, oids, strict=True):
        hit = lookup(job[0], oid, job[1]) if oid is not None else None
        if hit is None:
            todo.append(job)
            slots.append(None)
        else:
            slots.append((oid, *hit))
    return jobs, keys, slots, todo, same


@contextlib.contextmanager
def quiet_gc(tuning: Tuning = DEFAULT) -> Iterator[list[int]]:
    """The garbage collector off while a load builds records (it allocates many objects and frees none);
    afterwards, a large load's records are frozen out of later collections (they live as long as the
    process). Append the number of files loaded to the yielded list."""
    counted: list[int] = []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield counted
    finally:
        if was_enabled:
            if sum(counted) > tuning.parallel_min:
                gc.freeze()  # first: then enabling it starts no collection over the new records
            gc.enable()


def _parse_and_assemble(
    source: Source,
    index: FileIndex | None,
    blobs: BlobCache | None,
    progress: Progress | None,
    tuning: Tuning,
    jobs: Jobs,
    slots: list[Parsed | None],
    todo: Jobs,
) -> tuple[Ledger, list[Parsed], dict[str, Any], _Counter]:
    """The ledger, every file's (blob id, record, problems), the stat keys of the files parsed, and the
    counter (how many of those the cache had after all; the workers' parts of the file index)."""
    configs: list[Config] = []
    parsed: dict[str, Parsed] = {}
    keys: dict[str, Any] = {}
    # xmtj.yaml is read (and pydantic imported, on a first run) while the workers parse
    counter = _Counter(len(jobs) - len(todo), len(jobs), progress)

    def meanwhile() -> None:
        configs.append(_cached_config(source, index, blobs))

    for rel, key, result in _parse_all(source, todo, blobs, counter, meanwhile, tuning):
        parsed[rel] = result
        keys[rel] = key
    done = [slot if slot is not None else parsed[job[1]] for job, slot in zip(jobs, slots, strict=True)]
    return assemble(source, configs[0], jobs, done), done, keys, counter


def _cached_config(source: Source, index: FileIndex | None, blobs: BlobCache | None) -> Config:
    """xmtj.yaml, validated (from the blob cache when these bytes were validated before)."""
    if blobs is None:
        return load_config(source)[0]

    data = source.read_or_none(CONFIG_FILE)
    if data is None:
        return load_config(source)[0]  # says why it cannot be read
    config, cached = config_by_blob(source, blobs, blob_id(data))
    if index is not None and cached:
        index.hits += 1
    elif index is not None:
        index.misses += 1
    return config


def config_by_blob(source: Source, blobs: BlobCache | None, oid: str | None) -> tuple[Config, bool]:
    """xmtj.yaml validated — from the blob cache when blob ``oid`` was validated before (no pydantic
    then) — and whether it came from there."""
    cached = blobs.get("config", oid, CONFIG_FILE) if blobs is not None and oid is not None else None
    if cached is not None and isinstance(cached[0], Config):
        return cached[0], True
    config = load_config(source)[0]
    if blobs is not None and oid is not None:
        blobs.put("config", oid, config, ())
    return config, False


def assemble(source: Source, config: Config, jobs: Jobs, done: list[Parsed]) -> Ledger:
    """The ``Ledger`` of every file's (key, record, problems), in the ledger's order."""
    ledger = Ledger(root=source.root, config=config, source=source)
    for kind, group in itertools.groupby(zip(jobs, done, strict=True), key=_kind_of):
        getattr(ledger, kind).extend(slot[1] for _, slot in group if slot[1] is not None)
    ledger.problems.extend(problem for slot in done if slot[2] for problem in slot[2])
    ledger.problems.extend(linked_folder_problems(source))
    sort_registers(ledger)
    ledger.fingerprint = fingerprint(config, jobs, done)
    return ledger


_REL = operator.itemgetter(1)
_OID = operator.itemgetter(0)


def fingerprint(config: Config, jobs: Jobs, done: list[Parsed]) -> str | None:
    """A digest of what the ledger was read from — every file's path and blob id, and the settings — so
    that what is worked out from the whole ledger (``derived``) is worked out once for it. None when a
    file could not be read (no blob id)."""
    import hashlib

    oids = list(map(_OID, done))
    if None in oids:
        return None
    digest = hashlib.sha1(repr(config).encode("utf-8"))
    digest.update("\n".join(map(_REL, jobs)).encode("utf-8", "surrogateescape"))
    digest.update("".join(oids).encode("ascii"))
    return digest.hexdigest()
