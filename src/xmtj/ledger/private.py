"""Files only the current user can have written: where xmtj keeps what it must be able to trust.

Caches (records, the file index, a roll-up's figures) and secrets (the dispatch key) live in folders
that the current user owns and that nobody else can write, from a known top down (``private_chain``);
their files are opened without following a symlink and are read only if they are the user's own and
writable by nobody else (``read_private``). Anything else is passed over, never trusted.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def mine(path: Path, folder: bool = True) -> bool:
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
    """Every folder from ``top`` down to ``folder`` is the current user's own (see ``mine``)."""
    try:
        rel = folder.relative_to(top)
    except ValueError:
        return False
    path = top
    if not mine(path):
        return False
    for part in rel.parts:
        path = path / part
        if not mine(path):
            return False
    return True


def open_private(path: Path, flags: int) -> tuple[int, os.stat_result]:
    """``path`` opened (not through a symlink), only if it is a file of the current user's that nobody
    else can write: its descriptor and stat."""
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    st = os.fstat(fd)
    if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & 0o022):
        os.close(fd)
        raise PermissionError(f"{path} is not private")
    return fd, st


def read_private(path: Path) -> bytes:
    """A private file's bytes, only if it is a regular file of the current user's that nobody else can write."""
    fd, st = open_private(path, os.O_RDONLY)
    try:
        chunks = [os.read(fd, st.st_size + 1)]  # the whole file in one read, as a rule
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks)
    finally:
        os.close(fd)


def append_private(path: Path, data: bytes) -> None:
    """``data`` added at the end of ``path``, a file of the current user's that nobody else can write."""
    fd, _ = open_private(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def write_private(folder: Path, filename: str, data: bytes) -> None:
    """``data`` as ``folder/filename``, atomically (a temporary file, then a rename), mode 0600."""
    import tempfile

    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{filename}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, folder / filename)
