"""One change at a time: a ledger-wide lock around read → validate → write → commit.

Two clerks (or two terminals) changing the ledger at once must not both read the same old file and
each write their own new version of it (the second commit would silently revert the first), nor race
for git's ``index.lock``. Every change command holds this lock from before it reads the ledger until
its commit is made; read commands take no lock (they never write the ledger).

The lock is ``flock`` on the ledger folder itself (POSIX): it needs no lock file, cannot be left behind
by a killed process (the kernel drops it), and is held by one process at a time. Where ``fcntl`` is
missing (Windows), a lock file ``.xmtj.changes.lock`` in the ledger folder is locked with ``msvcrt`` instead.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from xmtj.problems import XmtjError

WAIT_SECONDS = 10.0  # how long a change waits for another one to finish (XMTJ_LOCK_WAIT overrides)


class LedgerBusy(XmtjError):
    """Another xmtj command is changing the ledger."""


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("XMTJ_LOCK_WAIT", WAIT_SECONDS)))
    except ValueError:
        return WAIT_SECONDS


@contextlib.contextmanager
def ledger_lock(root: Path) -> Iterator[None]:
    """Hold the ledger's lock; waits a bounded time, then raises ``LedgerBusy``."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with _file_lock(root):
            yield
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        deadline = time.monotonic() + _wait_seconds()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LedgerBusy(
                        f"另一个 xmtj 命令正在修改台账，请稍后重试（已等待 {_wait_seconds():g} 秒）"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)  # explicitly: forked workers share this open file
    finally:
        os.close(fd)


@contextlib.contextmanager
def _file_lock(root: Path) -> Iterator[None]:  # pragma: no cover - Windows
    import msvcrt

    path = root / ".xmtj.changes.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + _wait_seconds()
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise LedgerBusy("另一个 xmtj 命令正在修改台账，请稍后重试") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    finally:
        os.close(fd)
