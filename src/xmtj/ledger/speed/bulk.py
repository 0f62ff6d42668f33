"""The speed path: the plain loader's result, from a cache and worker processes.

``xmtj.ledger.load.read_ledger`` reads a ledger file by file; this module gives the same ``Ledger``
faster for a large one, and ``load_ledger`` chooses between them. What it adds, each measured (README
§Performance):

- the per-file record cache (``xmtj.ledger.speed.cache``): a repeat run parses only changed files;
- on a repeat run, listing and stat-ing the files in a forked process (``ForkedScan``) while the cache
  is unpickled here;
- worker processes for a first run of many files, one cache shard each, started before xmtj.yaml is
  read;
- the garbage collector off while records are built, and the built records frozen out of later
  collections.

Thresholds come from a ``Tuning`` (tests pass their own instead of patching constants).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xmtj.ledger import limits
from xmtj.ledger.ledger import CONFIG_FILE, DATA_DIR, Ledger
from xmtj.ledger.reading import READ_FLAGS, Parsed, linked_folder_problems, load_config, record_from_bytes, unreadable
from xmtj.ledger.records import Config
from xmtj.ledger.registry import MODELS

if TYPE_CHECKING:
    from xmtj.ledger.sources import Source
    from xmtj.ledger.speed.blobs import BlobCache
    from xmtj.ledger.speed.cache import RecordCache

Progress = Callable[[int, int], None]
Group = list[tuple[str, str]]  # (kind, rel)
Jobs = list[tuple[str, str]]  # (kind, rel) of every data file, in the ledger's order
Scan = tuple[Jobs, list[Any], list[str]]  # jobs, each file's cache key, leftover temporary files


@dataclass(frozen=True)
class Tuning:
    """When the speed machinery pays for itself (measured on the project's 2-core machine)."""

    parallel_min: int = 3000  # files to parse before a second process pays for itself
    max_workers: int = 4
    scan_in_child_bytes: int = 1_000_000  # a cache this large (a few thousand records) is worth a forked scan


DEFAULT = Tuning()


def parse_file(root: str, kind: str, rel: str) -> Parsed:
    """One file of the working tree: its cache key, taken before reading it (an edit made while it is
    read then shows as a changed key next time, never as a stale record), and its record or problems."""
    from xmtj.ledger.speed.cache import file_key

    key = data = None
    try:
        fd = os.open(f"{root}/{rel}", READ_FLAGS)  # no file object: 60,000 of them
        try:
            stat = os.fstat(fd)
            chunks = [os.read(fd, stat.st_size + 1)]
            while chunks[-1]:  # to the end, however the file has changed since fstat
                chunks.append(os.read(fd, 1 << 16))
            key, data = file_key(stat), b"".join(chunks)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, None, (unreadable(rel, exc),)
    record, problems = record_from_bytes(data, MODELS[kind], rel)
    return key, record, tuple(problems)


def _parse_group(root: str, group: Group) -> tuple[bytes, bool]:
    """Parse and validate files in a worker process.

    Returns the pickled ``{rel: (key, record, problems)}`` — for a group that is one cache shard,
    exactly the shard's file content, so the parent need not pickle it again — and whether every
    file is old enough to be cached.
    """
    import pickle
    import time

    from xmtj.ledger.speed.cache import trusted

    entries = {rel: parse_file(root, kind, rel) for kind, rel in group}
    now = time.time()
    all_trusted = all(trusted(entry[0], now) for entry in entries.values())
    return pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL), all_trusted


def _parse_all(
    source: Source,
    groups: dict[str, Group],
    store: RecordCache | None,
    counter: _Counter,
    meanwhile: Callable[[], None],
    tuning: Tuning,
) -> Iterable[tuple[str, Parsed]]:
    """Every job parsed (and cached): in worker processes when there are many files and several cores.

    ``meanwhile`` is called once the workers have their jobs (at once when parsing here).
    """
    jobs = sum(len(g) for g in groups.values())
    workers = min(os.cpu_count() or 1, tuning.max_workers)
    if jobs < tuning.parallel_min or workers < 2:
        meanwhile()
        root = str(source.root)
        for group in groups.values():
            for kind, rel in group:
                parsed = parse_file(root, kind, rel)
                if store is not None:
                    store.put(rel, *parsed)
                yield rel, parsed
                counter.add(1, every=500)
        return
    yield from _parse_in_workers(source, groups, store, counter, meanwhile, workers)


@dataclass
class _Counter:
    """Files done out of all, reported to a progress bar (if any)."""

    done: int
    total: int
    progress: Progress | None

    def add(self, n: int, every: int = 1) -> None:
        self.done += n
        if self.progress is not None and self.done % every == 0:
            self.progress(self.done, self.total)


def _parse_in_workers(
    source: Source,
    groups: dict[str, Group],
    store: RecordCache | None,
    counter: _Counter,
    meanwhile: Callable[[], None],
    workers: int,
) -> Iterable[tuple[str, Parsed]]:
    import pickle
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from xmtj.ledger.validation import adapter

    for model in {MODELS[kind] for group in groups.values() for kind, _ in group[:1]}:
        adapter(model)  # pydantic imported and the validators built once, here: every worker inherits them
    pool = ProcessPoolExecutor(max_workers=workers, initializer=limits.configure, initargs=(limits.LIMITS,))
    try:
        # biggest groups first, results taken as they finish: the workers never wait for the parent
        futures = {
            pool.submit(_parse_group, str(source.root), group): name
            for name, group in sorted(groups.items(), key=lambda item: len(item[1]), reverse=True)
        }
        meanwhile()
        for future in as_completed(futures):
            blob, all_trusted = future.result()
            entries = pickle.loads(blob)
            if store is not None:
                store.adopt(futures[future], entries, blob if all_trusted else None)
            yield from entries.items()
            counter.add(len(entries))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # an error (a broken xmtj.yaml): stop parsing
        raise
    pool.shutdown()


def _groups(todo: list[tuple[str, str]], store: RecordCache | None) -> dict[str, Group]:
    """Jobs for the workers: one cache shard each (so a worker's result is the shard), or chunks."""
    if store is None:
        size = max(200, len(todo) // 16)
        return {str(i): todo[i : i + size] for i in range(0, len(todo), size)}
    from xmtj.ledger.speed.cache import shard_name

    shards: dict[str, Group] = {}
    for kind, rel in todo:
        shards.setdefault(shard_name(kind, rel), []).append((kind, rel))
    return shards


def _jobs(source: Source) -> Jobs:
    return [(kind, rel) for kind in MODELS for rel in source.list(f"{DATA_DIR}/{kind}")]


def scan(source: Source) -> Scan:
    """Every data file and its cache key now (None if it cannot be stat-ed), and leftover temp files."""
    from xmtj.ledger.speed.cache import key_of

    jobs = _jobs(source)
    prefix = f"{source.root}/"
    return jobs, [key_of(prefix + rel) for _, rel in jobs], list(getattr(source, "leftovers", []))


class ForkedScan:
    """``scan`` in a forked process, started on entering; ``result()`` waits for its answer, and leaving
    the block always reaps the child (also when the answer was never needed).

    A repeat run over 60,000 files spends about as long listing and stat-ing them as unpickling the
    cache: on a second core the two overlap. ``possible()`` is false where fork is unavailable or unsafe
    (not Linux, or threads running); the result is then computed here.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.pid = 0
        self.read_end = -1

    @staticmethod
    def possible() -> bool:
        import threading

        return hasattr(os, "fork") and sys.platform == "linux" and threading.active_count() == 1

    def __enter__(self) -> ForkedScan:
        import marshal

        self.read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: scan, send, and leave without running any clean-up
            try:
                os.close(self.read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(marshal.dumps(scan(self.source)))
            finally:
                os._exit(0)
        os.close(write_end)
        return self

    def result(self) -> Scan:
        import marshal

        data = self._collect()
        try:
            jobs, keys, leftovers = marshal.loads(data)
            if isinstance(jobs, list) and isinstance(keys, list) and len(jobs) == len(keys):
                if hasattr(self.source, "leftovers"):
                    self.source.leftovers[:] = leftovers  # what the child saw while listing
                return jobs, keys, leftovers
        except (EOFError, ValueError, TypeError):
            pass
        return scan(self.source)  # the child failed: scan here

    def _collect(self) -> bytes:
        if self.read_end < 0:
            return b""
        with os.fdopen(self.read_end, "rb") as pipe:
            data = pipe.read()
        self.read_end = -1
        self._reap()
        return data

    def _reap(self) -> None:
        if self.pid:
            os.waitpid(self.pid, 0)
            self.pid = 0

    def __exit__(self, *exc: object) -> None:
        self._collect()


def _kind_of(item: tuple[tuple[str, str], Any]) -> str:
    return item[0][0]


def _from_cache(store: RecordCache, scanned: Scan) -> tuple[Jobs, list[Parsed | None], Jobs]:
    """Each file's cached entry where its key still matches (None where it must be parsed), and the
    files to parse."""
    jobs, keys, _ = scanned
    slots: list[Parsed | None] = []
    todo: Jobs = []
    cached = store.entries()
    for job, key in zip(jobs, keys, strict=True):
        entry = cached.get(job[1])
        if entry is None or entry[0] != key:
            todo.append(job)
            entry = None
        slots.append(entry)
    store.hits += len(jobs) - len(todo)
    store.misses += len(todo)
    return jobs, slots, todo


def load(
    source: Source,
    store: RecordCache | None,
    progress: Progress | None,
    tuning: Tuning = DEFAULT,
    blobs: BlobCache | None = None,
) -> Ledger:
    """The ledger of ``source`` — the same as ``read_ledger(source)`` — from the cache and workers.

    A first run (the per-file cache empty, as after a fresh clone) takes what it can from the blob cache
    (``blobs``): files git's index says are unchanged have a known blob id."""
    forked = store is not None and store.size() > tuning.scan_in_child_bytes and ForkedScan.possible()
    with quiet_gc() as counted:
        with ForkedScan(source) if forked else contextlib.nullcontext() as scanning:
            if store is None or store.empty():  # a first run need not stat: every file is read
                jobs = todo = _jobs(source)
                slots: list[Parsed | None] = [None] * len(jobs)
                if store is not None and blobs is not None:
                    slots, todo = _from_blobs(source, store, blobs, jobs)
                if store is not None:
                    store.misses += len(todo)
            else:
                jobs, slots, todo = _from_cache(store, scanning.result() if scanning else scan(source))
        counted.append(len(jobs))
        ledger = _parse_and_assemble(source, store, progress, tuning, jobs, slots, todo)
    if store is not None:
        store.forget_missing({rel for _, rel in jobs} | {CONFIG_FILE})
        store.flush()
    return ledger


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


def _from_blobs(source: Source, store: RecordCache, blobs: BlobCache, jobs: Jobs) -> tuple[list[Parsed | None], Jobs]:
    """The records of files unchanged since git last saw them, from the blob cache (and put in the
    per-file cache, keyed by their stat now); the rest to parse."""
    from xmtj.ledger import gitio
    from xmtj.ledger.speed.cache import key_of

    try:
        known = gitio.unchanged_blobs(source.root, [DATA_DIR]) if blobs.load_all() else {}
    except gitio.GitError:  # git unusable here (a dubious repository, no git): parse as on any first run
        known = {}
    slots: list[Parsed | None] = []
    todo: Jobs = []
    prefix = f"{source.root}/"
    for kind, rel in jobs:
        oid = known.get(rel)
        hit = blobs.get(kind, oid, rel) if oid is not None else None
        if hit is None:
            todo.append((kind, rel))
            slots.append(None)
            continue
        key = key_of(prefix + rel)
        store.put(rel, key, *hit)
        slots.append((key, *hit))
    return slots, todo


def _parse_and_assemble(
    source: Source,
    store: RecordCache | None,
    progress: Progress | None,
    tuning: Tuning,
    jobs: Jobs,
    slots: list[Parsed | None],
    todo: Jobs,
) -> Ledger:
    configs: list[Config] = []
    parsed: dict[str, Parsed] = {}
    # xmtj.yaml is read (and pydantic imported, on a first run) while the workers parse
    counter = _Counter(len(jobs) - len(todo), len(jobs), progress)

    def meanwhile() -> None:
        configs.append(_cached_config(source, store))

    for rel, result in _parse_all(source, _groups(todo, store), store, counter, meanwhile, tuning):
        parsed[rel] = result
    done: list[Parsed] = [slot if slot is not None else parsed[job[1]] for job, slot in zip(jobs, slots, strict=True)]
    return _assemble(source, configs[0], jobs, done)


def _cached_config(source: Source, store: RecordCache | None) -> Config:
    """xmtj.yaml, validated (from the cache when it has not changed)."""
    if store is None:
        return load_config(source)[0]
    from xmtj.ledger.speed.cache import file_key

    try:
        key = file_key(os.stat(source.root / CONFIG_FILE))
    except OSError:
        return load_config(source)[0]
    entry = store.get(CONFIG_FILE, key)
    if entry is not None and isinstance(entry[1], Config):
        return entry[1]
    config = load_config(source)[0]
    store.put(CONFIG_FILE, key, config, ())
    return config


def _assemble(source: Source, config: Config, jobs: Jobs, done: list[Parsed]) -> Ledger:
    """The ``Ledger`` of every file's (key, record, problems), in the ledger's order."""
    ledger = Ledger(root=source.root, config=config, source=source)
    for kind, group in itertools.groupby(zip(jobs, done, strict=True), key=_kind_of):
        getattr(ledger, kind).extend(slot[1] for _, slot in group if slot[1] is not None)
    ledger.problems.extend(problem for slot in done if slot[2] for problem in slot[2])
    ledger.problems.extend(linked_folder_problems(source))
    ledger.letters.sort(key=lambda letter: (letter.year, letter.number, letter.path))
    return ledger
