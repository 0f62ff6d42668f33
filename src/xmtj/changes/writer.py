"""The one way files go out: several files written so that all of them appear, or none.

Each file is first written in full to a temporary file in its own folder (flushed and fsynced), and
only then put in place: a new file with ``os.link`` (which refuses to overwrite), a changed one with
``os.replace``. If anything fails half way, what was already put in place is undone, so an interrupted
command leaves either the old files or the new ones, never half of them; ``rollback`` undoes a
transaction that was placed when a later step (the git commit) fails.

Nothing is ever written through a symlink: every folder from the transaction's root down to the file,
and the file itself, must be a real folder or file (a symlink committed in a ledger could otherwise
make xmtj overwrite a file anywhere the clerk can write). A changed file keeps its mode; a new file
gets the mode the umask gives (as any editor would), never a private 0600 from ``mkstemp``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from xmtj.ledger.sources import orphans
from xmtj.problems import XmtjError, os_words


class WriteFailed(XmtjError):
    """Files could not be written; nothing was changed."""


@dataclass
class _Staged:
    path: Path
    data: bytes | None  # None: the file is removed
    old: bytes | None  # None: the file is new
    temp: str | None = None
    placed: bool = False


def _temp_name(path: Path) -> str:
    return str(path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"))


TEMP_SUFFIX = ".xmtj-tmp"  # temporary files: ``.<name>.<random>.xmtj-tmp`` beside the file


def _open_new(path: str, mode: int = 0o666) -> int:
    """A new file (never an existing one, never through a symlink), its mode limited by the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, mode)


def no_symlink(root: Path, path: Path) -> None:
    """Refuse ``path`` unless it lies under ``root`` with no symlink from ``root`` down (itself included)."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if rel == os.curdir or rel.split(os.sep)[0] == os.pardir:
        raise WriteFailed(f"{path} 不在 {root} 之内，xmtj 不在台账目录之外写文件")
    current = os.path.abspath(root)
    for part in rel.split(os.sep):
        current = os.path.join(current, part)
        if os.path.islink(current):
            shown = os.path.relpath(current, os.path.abspath(root)).replace(os.sep, "/")
            raise WriteFailed(
                f"{shown} 是符号链接（指向 {os.readlink(current)}），xmtj 不通过符号链接写文件，"
                "以免改动台账之外的文件；请把它换成普通的文件或目录"
            )


def _place(staged: _Staged) -> None:
    assert staged.temp is not None
    if staged.data is None:  # removed: moved aside, deleted once every file is in place
        os.replace(staged.path, staged.temp)
    elif staged.old is None:
        os.link(staged.temp, staged.path)  # fails if someone created the file meanwhile
        os.unlink(staged.temp)
    else:
        os.replace(staged.temp, staged.path)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class FileTransaction:
    """Files to create or replace together; ``commit`` writes them all or none."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._staged: list[_Staged] = []

    def create(self, path: Path, data: str | bytes) -> None:
        """A new file; refused if it already exists (or is a symlink, even a dangling one)."""
        no_symlink(self.root, path)
        if os.path.lexists(path):
            raise WriteFailed(f"文件已存在，未覆盖：{self._rel(path)}")
        self._staged.append(_Staged(path, data.encode("utf-8") if isinstance(data, str) else data, None))

    def replace(self, path: Path, data: str | bytes, old: bytes) -> None:
        """A changed file whose current bytes are ``old`` (kept to undo the change)."""
        no_symlink(self.root, path)
        self._staged.append(_Staged(path, data.encode("utf-8") if isinstance(data, str) else data, old))

    def remove(self, path: Path, old: bytes) -> None:
        """A file to remove (whose current bytes are ``old``)."""
        no_symlink(self.root, path)
        self._staged.append(_Staged(path, None, old))

    @property
    def paths(self) -> list[Path]:
        return [s.path for s in self._staged]

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def commit(self) -> list[Path]:
        try:
            for staged in self._staged:
                no_symlink(self.root, staged.path)  # again, right before writing
                staged.path.parent.mkdir(parents=True, exist_ok=True)
                no_symlink(self.root, staged.path)
                staged.temp = _temp_name(staged.path)
                if staged.data is None:
                    continue
                fd = _open_new(staged.temp)
                with os.fdopen(fd, "wb") as handle:
                    if staged.old is not None:
                        with contextlib.suppress(OSError):  # keep the file's mode (not the temp file's)
                            os.fchmod(handle.fileno(), stat.S_IMODE(os.lstat(staged.path).st_mode))
                    handle.write(staged.data)
                    handle.flush()
                    os.fsync(handle.fileno())
            for staged in self._staged:
                _place(staged)
                staged.placed = True
            for staged in self._staged:
                if staged.data is None and staged.temp:
                    os.unlink(staged.temp)
            for folder in {s.path.parent for s in self._staged}:
                _fsync_dir(folder)
        except BaseException as exc:
            self._undo()
            if isinstance(exc, OSError):
                where = self._rel(Path(exc.filename)) if exc.filename else ""
                raise WriteFailed(
                    f"写入文件失败（{os_words(exc)}{'：' + where if where else ''}），未做任何改动"
                ) from exc
            raise
        return self.paths

    def rollback(self) -> None:
        """Undo a transaction that was placed: new files removed, changed files back to their old bytes."""
        self._undo()

    def _undo(self) -> None:
        for staged in reversed(self._staged):
            with contextlib.suppress(OSError):
                if staged.placed and staged.data is None:
                    if staged.temp and os.path.exists(staged.temp):
                        os.replace(staged.temp, staged.path)
                    else:  # already deleted: written back from what it held
                        with os.fdopen(_open_new(str(staged.path)), "wb") as handle:
                            handle.write(staged.old or b"")
                elif staged.placed and staged.old is None:
                    staged.path.unlink()
                elif staged.placed and staged.old is not None:
                    back = _temp_name(staged.path)
                    mode = stat.S_IMODE(os.lstat(staged.path).st_mode)
                    with os.fdopen(_open_new(back, mode), "wb") as handle:
                        os.fchmod(handle.fileno(), mode)
                        handle.write(staged.old)
                    os.replace(back, staged.path)
                staged.placed = False
            if staged.temp and os.path.exists(staged.temp):
                with contextlib.suppress(OSError):
                    os.unlink(staged.temp)


def remove_orphans(folders: set[Path]) -> list[Path]:
    """Remove such files (call only while holding the ledger's lock: then no writer is running)."""
    removed = []
    for folder in folders:
        for path in orphans(folder):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
