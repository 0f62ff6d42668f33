"""Which xmtj this is, exactly: a digest of the package's own source files.

Every cache (records by blob id, the file index, a roll-up's figures) is keyed by it as well as by its
format number, so that records validated, checked or counted by other code are never served: an
upgrade, a fix to a message, a local edit to a validator — each starts the caches afresh. The digest
covers each module's path, size and modification time (no file is read: about a hundred ``stat`` calls,
well under a millisecond), computed once per process.
"""

from __future__ import annotations

import functools
import os


@functools.cache
def code_digest() -> str:
    """Sixteen hex digits naming the installed package's source (paths, sizes, modification times)."""
    import hashlib

    top = os.path.dirname(os.path.abspath(__file__))
    found: list[tuple[str, int, int]] = []
    _modules(top, found)
    text = "\n".join(f"{os.path.relpath(p, top)}\0{size}\0{mtime}" for p, size, mtime in sorted(found))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _modules(folder: str, found: list[tuple[str, int, int]]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _modules(entry.path, found)
            elif entry.name.endswith(".py"):
                stat = entry.stat()
                found.append((entry.path, stat.st_size, stat.st_mtime_ns))
