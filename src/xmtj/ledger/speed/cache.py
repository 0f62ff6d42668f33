"""The working tree's file index, and the trust rules every cache of xmtj follows.

Records are kept once, keyed by git blob id, in the blob cache (``xmtj.ledger.speed.blobs``). The
working tree finds its files' records there through a ``FileIndex``: each file's stat key (mtime_ns,
size, inode, ctime_ns — as beancount keys its cache) and the blob id of the bytes it was read with. A
file whose key still matches needs no reading; one that changed is read, hashed as git hashes a blob,
and parsed only if no revision or earlier run has parsed those very bytes. After a fresh clone, the
files git's index says are unchanged have their blob ids from git, so a blob cache warmed by ``--at``
serves the working tree too. The index can never serve a stale record:

- a file written in the last two seconds gets no entry (its mtime could repeat within the file
  system's timestamp resolution: the "racy git" problem);
- replacing a file changes its inode or ctime even when size and mtime are equal;
- a record is found by the hash of the file's bytes, so an entry names content, never a path's past;
- the cache's folders are named after the record format, the xmtj, Python and pydantic versions and a
  digest of xmtj's own source (``xmtj.identity``): a new version, or any edit to the code, starts fresh.

The caches live under ``.git/xmtj-cache/`` of the ledger's repository, or the user's cache folder:
never among the ledger's tracked files. They are trusted only as far as they are private
(docs/security.md): read only from folders that the current user owns and that nobody else can
write, file by file only from files the user owns, and never from a ``.git`` folder that belongs to
someone else. They are pickles, read by an unpickler that can build nothing but the record classes,
dates and Decimals: a planted file can at worst be wrong, never run code.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

from xmtj import __version__
from xmtj.identity import code_digest
from xmtj.ledger import records, settings
from xmtj.ledger.ledger import work_tree
from xmtj.ledger.private import mine, private_chain, read_private, write_private

FORMAT = 7  # 2: sixteen shards per kind; 3: restricted unpickling, money bounds; 4: records in xmtj.ledger;
# 5: Config's place_level, id_prefix and import; 6: Config's documents and approvals, Approval.department;
# 7: records only in the blob cache, the working tree's files indexed by stat key → blob id
RACY_SECONDS = 2.0

Key = tuple[int, int, int, int]


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


def namespace() -> str:
    """The cache's folder name: xmtj's version and its source (``identity.code_digest``: records validated
    and checked by other code are never served), Python's, and the installed pydantic (which validated
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
    return f"v{FORMAT}-xmtj{__version__}-py{sys.version_info[0]}.{sys.version_info[1]}-pydantic{stamp}-c{code_digest()}"


def cache_folder(root: Path) -> Path:
    """``.git/xmtj-cache`` of the repository holding the ledger, else the user's cache folder.

    A ``.git`` folder that someone else owns (or can write) is passed over: its cache could have
    been planted by them. The user's own cache folder is used instead.
    """
    return cache_home(root)[1]


def cache_home(root: Path) -> tuple[Path, Path]:
    """The folder the cache's private chain starts from, and the cache's folder under it."""

    found = work_tree(root)
    if found is not None and mine(found[0] / ".git"):  # else a worktree, a submodule, someone else's
        git, rel = found[0] / ".git", found[1]
        suffix = hashlib.sha1(rel.encode()).hexdigest()[:12] if rel != "." else "root"
        return git, git / "xmtj-cache" / suffix
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    top = base / "xmtj"
    return top, top / hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]


# What a cache file may contain: the record classes, dates, Decimals and problems. Nothing else can be
# named in one, so unpickling one cannot call anything else (the ``Restricting Globals`` recipe
# of Python's pickle documentation).
_ALLOWED = {
    ("datetime", "date"),
    ("xmtj.months", "MonthDate"),
    ("decimal", "Decimal"),
    ("xmtj.problems", "Problem"),
    ("xmtj.ledger.speed.cache", "make_record"),
}


def _allowed(module: str, name: str) -> bool:
    if (module, name) in _ALLOWED:
        return True
    if module not in ("xmtj.ledger.records", "xmtj.ledger.settings"):
        return False

    found = getattr(records if module == "xmtj.ledger.records" else settings, name, None)
    return isinstance(found, type) and issubclass(found, records.Part)


class _RecordUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if not _allowed(module, name):
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")
        return super().find_class(module, name)


def make_record(cls: type[Any], values: dict[str, Any]) -> Any:
    """A cached record unpickled without running its ``__init__`` (nor validation again): one attribute set."""
    record = object.__new__(cls)
    object.__setattr__(record, "__dict__", values)
    return record


def _reduce(record: Any) -> tuple[Any, ...]:
    return (make_record, (type(record), record.__dict__))


def _record_classes() -> dict[type, Any]:

    found: dict[type, Any] = {}
    for module in (records, settings):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, records.Part):
                found[value] = _reduce
    return found


class _RecordPickler(pickle.Pickler):
    """Records pickled compactly (their class and their values), through the C pickler's dispatch table."""

    dispatch_table = copyreg.dispatch_table.copy()


def dumps(value: Any) -> bytes:
    """A cache file's (or a worker's result's) bytes: records as ``make_record`` rebuilds them."""
    if len(_RecordPickler.dispatch_table) == len(copyreg.dispatch_table):
        _RecordPickler.dispatch_table.update(_record_classes())
    out = io.BytesIO()
    _RecordPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def safe_loads(data: bytes) -> Any:
    """Unpickle a cache file (or a worker's result) that may only hold records."""
    return _RecordUnpickler(io.BytesIO(data)).load()


def blob_id(data: bytes) -> str:
    """git's id of a file with these bytes (``git hash-object``): the blob cache's key for it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


IndexEntry = tuple[Key, str]  # (stat key, blob id)


class FileIndex:
    """The working tree's files → (stat key, blob id): which blob-cache entry is each file's record.

    One file (``files.pickle``): read whole, written whole when anything in it changed. A file whose stat
    key still matches its entry has the blob id recorded; its record comes from the blob cache
    (``xmtj.ledger.speed.blobs``), where a revision read by ``--at`` finds the same records."""

    NAME = "files.pickle"

    def __init__(self, folder: Path, top: Path | None = None, salt: str = "") -> None:
        self.folder = folder / (namespace() + (f"-{salt}" if salt else ""))
        self.top = top if top is not None else folder  # where the chain of private folders starts
        self._pending: bytes | None = None
        self.hits = 0  # files whose record came from the cache
        self.misses = 0  # files parsed

    def size(self) -> int:
        """The index file's size in bytes (without reading it): how large a ledger was indexed."""
        try:
            return os.lstat(self.folder / self.NAME).st_size
        except OSError:
            return 0

    def read(self) -> dict[str, IndexEntry]:
        """Every entry, or nothing when there is no index, it is not private, or it is damaged. The file
        is one pickled dict, or several one after another (a first run's workers each pickle theirs)."""
        if not private_chain(self.top, self.folder):
            return {}
        try:
            data = read_private(self.folder / self.NAME)
            found: dict[str, IndexEntry] = {}
            stream = io.BytesIO(data)
            while stream.tell() < len(data):
                part = _RecordUnpickler(stream).load()
                if not isinstance(part, dict):
                    return {}
                found.update(part)
        except Exception:  # missing, truncated, someone else's: start afresh
            return {}
        if not all(type(entry) is tuple and len(entry) == 2 and type(entry[1]) is str for entry in found.values()):
            return {}  # not what this version writes
        return found

    def replace(self, entries: dict[str, IndexEntry]) -> None:
        """Write ``entries`` as the index at ``flush`` (only trusted keys: see ``trusted``)."""
        self._pending = dumps(trusted_entries(entries))

    def replace_with_parts(self, parts: list[bytes]) -> None:
        """Write the index at ``flush`` as these pickled dicts (``index_part``), one after another."""
        self._pending = b"".join(parts)

    def flush(self) -> None:
        """Write the index if it changed (atomically); a cache that cannot be written is simply skipped."""
        if self._pending is None:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not private_chain(self.top, self.folder):
                return  # someone else could write here: cache nothing
            prune_other_versions(self.folder)
            write_private(self.folder, self.NAME, self._pending)
        except OSError:
            pass
        finally:
            self._pending = None


def trusted_entries(entries: dict[str, IndexEntry]) -> dict[str, IndexEntry]:
    """The entries old enough to be trusted (see ``trusted``)."""
    now = time.time()
    return {rel: entry for rel, entry in entries.items() if trusted(entry[0], now)}


def index_part(entries: dict[str, IndexEntry]) -> bytes:
    """Entries pickled as one part of an index file (a worker's share of a first run)."""
    return dumps(trusted_entries(entries))


def prune_other_versions(folder: Path) -> None:
    """Remove the caches of other xmtj, Python or pydantic versions beside ``folder``."""
    import shutil

    for sibling in folder.parent.iterdir():
        if sibling != folder and sibling.is_dir() and sibling.name.startswith("v"):
            shutil.rmtree(sibling, ignore_errors=True)
