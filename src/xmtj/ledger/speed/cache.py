"""A per-file cache of validated records, so a large ledger need not be parsed again.

Each file's entry is keyed on its (mtime_ns, size, inode, ctime_ns), as beancount keys its cache, and
holds the validated record or the problems that kept it out. Entries live in shards (a changed file
rewrites one shard, not the whole cache) under ``.git/xmtj-cache/`` of the ledger's repository, or the
user's cache folder: never among the ledger's tracked files. The cache can never serve a stale record:

- a file written in the last two seconds is not cached (its mtime could repeat within the file
  system's timestamp resolution: the "racy git" problem);
- replacing a file changes its inode or ctime even when size and mtime are equal;
- the cache's folder is named after the xmtj, Python and pydantic versions: a new version starts fresh.

The cache is trusted only as far as it is private (docs/security.md): it is read only from folders
that the current user owns and that nobody else can write, shard by shard only from files the user
owns, and never from a ``.git`` folder that belongs to someone else. The shards are pickles, but
they are read by an unpickler that can build nothing but the record classes, dates and Decimals:
a planted shard can at worst be wrong, never run code.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from xmtj import __version__

FORMAT = 6  # 2: sixteen shards per kind; 3: restricted unpickling, money bounds; 4: records in xmtj.ledger;
# 5: Config's place_level, id_prefix and import; 6: Config's documents and approvals, Approval.department
SHARDS = 16  # per kind: small work units for the workers, and one changed file rewrites a sixteenth
RACY_SECONDS = 2.0

Key = tuple[int, int, int, int]
Entry = tuple[Key, Any, tuple[Any, ...]]  # (file key, record or None, problems)


def file_key(stat: os.stat_result) -> Key:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)


def key_of(path: str) -> Key | None:
    try:
        return file_key(os.lstat(path))  # the file itself: a symlink is never read, so never cached
    except OSError:
        return None


def trusted(key: Key | None, now: float) -> bool:
    """Old enough to cache: a file written in the last seconds could get the same mtime again."""
    return key is not None and now - key[0] / 1e9 >= RACY_SECONDS


def _namespace() -> str:
    """The cache's folder name: xmtj's version, Python's, and the installed pydantic (which validated
    the cached records), found without importing it (a cached run never needs pydantic)."""
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    stamp = ""
    if spec is not None and spec.origin:
        version_file = Path(spec.origin).with_name("version.py")
        try:
            stamp = hashlib.sha1(version_file.read_bytes()).hexdigest()[:10]
        except OSError:
            stamp = "unknown"
    return (
        f"v{FORMAT}-xmtj{__version__}-py{sys.version_info[0]}.{sys.version_info[1]}-pydantic{stamp}-r{_record_shape()}"
    )


@functools.cache
def _record_shape() -> str:
    """A digest of every record class's fields (names, defaults' kinds and annotations): a cached record
    of another shape is never used, even when a change forgot to raise ``FORMAT``."""
    import dataclasses

    from xmtj.ledger import records

    shape = []
    for name in sorted(vars(records)):
        cls = getattr(records, name)
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            shape.append(name + ":" + ",".join(f"{f.name}={f.type}" for f in dataclasses.fields(cls)))
    return hashlib.sha1("\n".join(shape).encode("utf-8")).hexdigest()[:8]


def _mine(path: Path, folder: bool = True) -> bool:
    """Owned by the current user, not a symlink, and writable by nobody else (always true off POSIX)."""
    if not hasattr(os, "geteuid"):
        return True
    try:
        st = os.lstat(path)
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)
    return kind_ok and st.st_uid == os.geteuid() and not st.st_mode & 0o022


def private_chain(top: Path, folder: Path) -> bool:
    """Every folder from ``top`` down to ``folder`` is the current user's own (see ``_mine``)."""
    try:
        rel = folder.relative_to(top)
    except ValueError:
        return False
    path = top
    if not _mine(path):
        return False
    for part in rel.parts:
        path = path / part
        if not _mine(path):
            return False
    return True


def cache_folder(root: Path) -> Path:
    """``.git/xmtj-cache`` of the repository holding the ledger, else the user's cache folder.

    A ``.git`` folder that someone else owns (or can write) is passed over: its cache could have
    been planted by them. The user's own cache folder is used instead.
    """
    return cache_home(root)[1]


def cache_home(root: Path) -> tuple[Path, Path]:
    """The folder the cache's private chain starts from, and the cache's folder under it."""
    here = root.resolve()
    for folder in (here, *here.parents):
        git = folder / ".git"
        if git.is_dir():
            if not _mine(git):
                break
            rel = here.relative_to(folder).as_posix()
            suffix = hashlib.sha1(rel.encode()).hexdigest()[:12] if rel != "." else "root"
            return git, git / "xmtj-cache" / suffix
        if git.is_file():  # a worktree or submodule: keep out of the way, use the user cache
            break
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    top = base / "xmtj"
    return top, top / hashlib.sha1(str(here).encode()).hexdigest()[:16]


# What a shard may contain: the record classes, dates, Decimals and problems. Nothing else can be
# named in a shard, so unpickling one cannot call anything else (the ``Restricting Globals`` recipe
# of Python's pickle documentation).
_ALLOWED = {
    ("datetime", "date"),
    ("decimal", "Decimal"),
    ("xmtj.problems", "Problem"),
    ("xmtj.ledger.records", "_make"),
}


def _allowed(module: str, name: str) -> bool:
    if (module, name) in _ALLOWED:
        return True
    if module != "xmtj.ledger.records":
        return False
    from xmtj.ledger import records

    found = getattr(records, name, None)
    return isinstance(found, type) and issubclass(found, records.Part)


class _RecordUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if not _allowed(module, name):
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache shard")
        return super().find_class(module, name)


def safe_loads(data: bytes) -> Any:
    """Unpickle a shard (or a worker's result) that may only hold records."""
    import io

    return _RecordUnpickler(io.BytesIO(data)).load()


def _read_private(path: Path) -> bytes:
    """A shard's bytes, only if it is a regular file of the current user's that nobody else can write."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & 0o022):
            raise PermissionError(f"{path} is not private")
        chunks = [os.read(fd, st.st_size + 1)]  # the whole shard in one read, as a rule
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_private(folder: Path, filename: str, data: bytes) -> None:
    """``data`` as ``folder/filename``, atomically (a temporary file, then a rename), mode 0600."""
    import tempfile

    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{filename}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, folder / filename)


@functools.lru_cache(maxsize=256)
def _shard_names(kind: str) -> tuple[str, ...]:
    return tuple(f"{kind}-{n:02d}" for n in range(SHARDS))


def shard_name(kind: str, rel: str) -> str:
    """The shard holding file ``rel`` of ``kind`` (``projects``…; ``other`` for xmtj.yaml)."""
    return _shard_names(kind)[zlib.crc32(rel.encode()) % SHARDS]


class RecordCache:
    """Shards of entries, all read at the first lookup, written back only when changed."""

    def __init__(self, folder: Path, top: Path | None = None, salt: str = "") -> None:
        self.folder = folder / (_namespace() + (f"-{salt}" if salt else ""))
        self.top = top if top is not None else folder  # where the chain of private folders starts
        self._shards: dict[str, dict[str, Entry]] | None = None
        self._all: dict[str, Entry] = {}  # every shard's entries in one dict: one lookup per file
        self._dirty: set[str] = set()
        self._blobs: dict[str, bytes] = {}  # shards whose pickle a worker already made
        self.hits = 0
        self.misses = 0

    @staticmethod
    def shard_of(rel: str) -> str:
        return shard_name(rel.split("/")[1] if rel.count("/") >= 2 else "other", rel)

    def _load(self) -> dict[str, dict[str, Entry]]:
        if self._shards is None:
            self._shards = {}
            names = []
            if private_chain(self.top, self.folder):
                with contextlib.suppress(OSError):
                    names = sorted(p.name for p in os.scandir(self.folder) if p.name.endswith(".pickle"))
            for name in names:
                try:
                    shard = safe_loads(_read_private(self.folder / name))
                except Exception:  # truncated, someone else's, or not records: that shard starts afresh
                    continue
                if isinstance(shard, dict):
                    self._shards[name.removesuffix(".pickle")] = shard
                    self._all.update(shard)
        return self._shards

    def _shard(self, name: str) -> dict[str, Entry]:
        return self._load().setdefault(name, {})

    def size(self) -> int:
        """The shard files' total size in bytes (without reading them): how large a ledger was cached."""
        try:
            return sum(e.stat().st_size for e in os.scandir(self.folder) if e.name.endswith(".pickle"))
        except OSError:
            return 0

    def empty(self) -> bool:
        """Nothing cached yet (a first run: no need to stat the files to know they must be read)."""
        self._load()
        return not self._all

    def entries(self) -> dict[str, Entry]:
        """Every cached entry by file (look a file up, and compare its key, before trusting it)."""
        self._load()
        return self._all

    def get(self, rel: str, key: Key | None) -> Entry | None:
        entry = self.entries().get(rel)
        if entry is not None and entry[0] == key:
            self.hits += 1
            return entry
        self.misses += 1
        return None

    def put(self, rel: str, key: Key | None, record: Any, problems: tuple[Any, ...]) -> None:
        if key is None or not trusted(key, time.time()):
            return
        name = self.shard_of(rel)
        self._shard(name)[rel] = self._all[rel] = (key, record, problems)
        self._dirty.add(name)

    def adopt(self, name: str, entries: dict[str, Entry], blob: bytes | None) -> None:
        """Entries parsed by a worker for shard ``name``; ``blob`` is their pickle, or None if some are racy.

        A shard that held nothing before takes the blob as its file content as it is (no second
        pickling); otherwise the entries are merged and the shard is written at ``flush``.
        """
        shard = self._shard(name)
        if blob is not None and not shard:
            self._load()[name] = entries
            self._all.update(entries)
            self._blobs[name] = blob
            self._dirty.add(name)
            return
        now = time.time()
        for rel, entry in entries.items():
            if trusted(entry[0], now):
                shard[rel] = self._all[rel] = entry
        self._dirty.add(name)

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that no longer exist (from the shards already loaded)."""
        if self._all.keys() <= present:
            return
        for name, shard in self._load().items():
            gone = [rel for rel in shard if rel not in present]
            for rel in gone:
                del shard[rel]
                self._all.pop(rel, None)
            if gone:
                self._dirty.add(name)
                self._blobs.pop(name, None)

    def flush(self) -> None:
        """Write the changed shards (atomically); a cache that cannot be written is simply skipped."""
        if not self._dirty:
            return

        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not private_chain(self.top, self.folder):
                return  # someone else could write here: cache nothing
            self._prune_other_versions()
            for name in sorted(self._dirty):
                blob = self._blobs.get(name)
                if blob is None:
                    blob = pickle.dumps(self._load()[name], protocol=pickle.HIGHEST_PROTOCOL)
                write_private(self.folder, f"{name}.pickle", blob)
        except OSError:
            pass
        finally:
            self._dirty.clear()
            self._blobs.clear()

    def _prune_other_versions(self) -> None:
        import shutil

        for sibling in self.folder.parent.iterdir():
            if sibling != self.folder and sibling.is_dir() and sibling.name.startswith("v"):
                shutil.rmtree(sibling, ignore_errors=True)
