"""The one way files go out: several files written so that all of them appear, or none.

Each file is first written in full to a temporary file in its own folder (flushed and fsynced), and
only then put in place: a new file with ``os.link`` (which refuses to overwrite), a changed one with
``os.replace``. If anything fails half way, what was already put in place is undone, so an interrupted
command leaves either the old files or the new ones, never half of them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from xmtj.problems import XmtjError


class WriteFailed(XmtjError):
    """Files could not be written; nothing was changed."""


@dataclass
class _Staged:
    path: Path
    data: bytes
    old: bytes | None  # None: the file is new
    temp: str | None = None
    placed: bool = False


def _place(staged: _Staged) -> None:
    assert staged.temp is not None
    if staged.old is None:
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

    def create(self, path: Path, text: str) -> None:
        """A new file; refused if it already exists."""
        if path.exists():
            raise WriteFailed(f"文件已存在，未覆盖：{self._rel(path)}")
        self._staged.append(_Staged(path, text.encode("utf-8"), None))

    def replace(self, path: Path, text: str, old: bytes) -> None:
        """A changed file whose current bytes are ``old`` (kept to undo the change)."""
        self._staged.append(_Staged(path, text.encode("utf-8"), old))

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
                staged.path.parent.mkdir(parents=True, exist_ok=True)
                fd, staged.temp = tempfile.mkstemp(
                    dir=staged.path.parent, prefix=f".{staged.path.name}.", suffix=".tmp"
                )
                with os.fdopen(fd, "wb") as handle:
                    handle.write(staged.data)
                    handle.flush()
                    os.fsync(handle.fileno())
            for staged in self._staged:
                _place(staged)
                staged.placed = True
            for folder in {s.path.parent for s in self._staged}:
                _fsync_dir(folder)
        except BaseException as exc:
            self._undo()
            if isinstance(exc, OSError):
                where = self._rel(Path(exc.filename)) if exc.filename else ""
                raise WriteFailed(
                    f"写入文件失败（{exc.strerror}{'：' + where if where else ''}），未做任何改动"
                ) from exc
            raise
        return self.paths

    def _undo(self) -> None:
        for staged in reversed(self._staged):
            with contextlib.suppress(OSError):
                if staged.placed and staged.old is None:
                    staged.path.unlink()
                elif staged.placed and staged.old is not None:
                    fd, back = tempfile.mkstemp(dir=staged.path.parent, prefix=f".{staged.path.name}.", suffix=".bak")
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(staged.old)
                    os.replace(back, staged.path)
            if staged.temp and os.path.exists(staged.temp):
                with contextlib.suppress(OSError):
                    os.unlink(staged.temp)
