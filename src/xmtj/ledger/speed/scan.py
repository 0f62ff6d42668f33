"""The working tree's files listed, stat-ed and looked up in the file index — in a forked process on a
repeat run, while the parent unpickles the blob cache.

After a fresh clone the file index is empty, and after a checkout or a pull it knows few of the files:
git's own index says which files are as committed, and their blob ids (``xmtj.ledger.speed.gitindex``: the
index file read directly, less what ``git diff-files`` finds changed, as ``git status`` decides).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from xmtj.ledger import gitio
from xmtj.ledger.ledger import DATA_DIR
from xmtj.ledger.registry import MODELS
from xmtj.ledger.speed import gitindex
from xmtj.ledger.speed.cache import key_of

if TYPE_CHECKING:
    from xmtj.ledger.sources import Source
    from xmtj.ledger.speed.cache import FileIndex

Jobs = list[tuple[str, str]]  # (kind, rel) of every data file, in the ledger's order
# jobs, each file's stat key now, its blob id where the index (or git's) knows it unchanged, leftover
# temporary files, and whether the index already says all this
Scan = tuple[Jobs, list[Any], list[Any], list[str], bool]


def jobs_of(source: Source) -> Jobs:
    return [(kind, rel) for kind in MODELS for rel in source.list(f"{DATA_DIR}/{kind}")]


GIT_HELPS = 100  # files the index does not know before git's index is asked too (a checkout, a pull)


def scan(source: Source, index: FileIndex | None = None, ask_git: bool = False) -> Scan:
    """Every data file, its stat key now (None if it cannot be stat-ed), its blob id where ``index``
    says the file is unchanged (or, with ``ask_git``, where git's index does: when ``index`` is empty,
    or does not know ``GIT_HELPS`` files or more), the leftover temporary files met, and whether
    ``index`` already holds exactly this."""
    return _scan(source, index, ask_git)[0]


def _scan(source: Source, index: FileIndex | None, ask_git: bool) -> tuple[Scan, bool]:
    """``scan``, and whether git was asked."""

    jobs = jobs_of(source)
    leftovers = list(getattr(source, "leftovers", []))
    known = index.read() if index is not None else {}
    if not known and ask_git and gitindex.readable(source.root):  # keys: the stat git verified each file at
        from_git = _unchanged_in_git(source)
        if from_git:
            found = [from_git.get(rel) for _, rel in jobs]
            keys = [entry[0] if entry is not None else None for entry in found]
            oids = [entry[1] if entry is not None and entry[0] is not None else None for entry in found]
            return (jobs, keys, oids, leftovers, False), True
    prefix = f"{source.root}/"
    keys = [key_of(prefix + rel) for _, rel in jobs]  # before git is asked: an edit after is seen next time
    oids = []
    for (_, rel), key in zip(jobs, keys, strict=True):
        entry = known.get(rel)
        oids.append(entry[1] if entry is not None and entry[0] == key else None)
    same = len(known) == len(jobs) and None not in oids
    asked = ask_git and oids.count(None) >= min(GIT_HELPS, len(jobs) or 1)
    if asked:  # many files the index does not know: git's index may (their keys were taken first)
        from_git = _unchanged_in_git(source)
        oids = [oid or _oid(from_git, rel) for (_, rel), oid in zip(jobs, oids, strict=True)]
    return (jobs, keys, oids, leftovers, same), asked


def _oid(found: dict[str, tuple[Any, str]], rel: str) -> str | None:
    entry = found.get(rel)
    return entry[1] if entry is not None else None


def _unchanged_in_git(source: Source) -> dict[str, tuple[Any, str]]:
    """Path → (stat git verified or None, blob id) of the data files git's index says are unchanged
    (nothing when git cannot say)."""

    try:
        return gitindex.unchanged_files(source.root, DATA_DIR)
    except gitio.GitError:  # git unusable here (a dubious repository, no git): parse as on any first run
        return {}


class ForkedScan:
    """``scan`` in a forked process, started on entering; ``result()`` waits for its answer, and leaving
    the block always reaps the child (also when the answer was never needed). After a fresh clone the
    child, once it has answered, also writes the file index from git's (the parent need not: it says so
    with ``same``); leave the block before writing the index yourself.

    A repeat run over 60,000 files spends about as long listing and stat-ing them (and reading the file
    index, or asking git after a fresh clone) as unpickling the blob cache: on a second core the two
    overlap. ``possible()`` is false where fork is unavailable or unsafe
    (not Linux, or threads running); the result is then computed here.
    """

    def __init__(self, source: Source, index: FileIndex | None = None, ask_git: bool = False) -> None:
        self.source = source
        self.index = index
        self.ask_git = ask_git
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
                if self.ask_git and (self.index is None or not self.index.size()):  # a fresh clone: git's
                    os.nice(10)  # diff-files as well, three processes on two cores: the parent first
                (jobs, keys, oids, leftovers, same), asked = _scan(self.source, self.index, self.ask_git)
                writes = asked and self.index is not None and not same
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(marshal.dumps((jobs, keys, oids, leftovers, same or writes)))
                if writes and self.index is not None:  # the parent goes on meanwhile
                    self.index.replace(
                        {rel: (k, oid) for (_, rel), k, oid in zip(jobs, keys, oids, strict=True) if k and oid}
                    )
                    self.index.flush()
            finally:
                os._exit(0)
        os.close(write_end)
        return self

    def result(self) -> Scan:
        import marshal

        data = self._collect()  # the child is reaped on leaving the block
        try:
            jobs, keys, oids, leftovers, same = marshal.loads(data)
            if isinstance(jobs, list) and isinstance(keys, list) and len(jobs) == len(keys) == len(oids):
                if hasattr(self.source, "leftovers"):
                    self.source.leftovers[:] = leftovers  # what the child saw while listing
                return jobs, keys, oids, leftovers, bool(same)
        except (EOFError, ValueError, TypeError):
            pass
        return scan(self.source, self.index, self.ask_git)  # the child failed: scan here

    def _collect(self) -> bytes:
        if self.read_end < 0:
            return b""
        with os.fdopen(self.read_end, "rb") as pipe:
            data = pipe.read()
        self.read_end = -1
        return data

    def _reap(self) -> None:
        if self.pid:
            os.waitpid(self.pid, 0)
            self.pid = 0

    def __exit__(self, *exc: object) -> None:
        self._collect()
        self._reap()
