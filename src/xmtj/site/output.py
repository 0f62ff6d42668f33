"""Where the site is written, and how: only files that changed, each whole.

- ``--out`` (default ``site/`` in the ledger, which git ignores) may not be the ledger itself or one of its
  own folders (records, registers, templates, git's), nor a symlink or anything but a folder;
- a folder that already holds files is written to only when an earlier build left its list there
  (``.xmtj-site``): xmtj never writes over, or clears, a folder it did not make;
- every path is checked before anything is written: a subfolder that is a symlink, or a page's name taken by
  anything but a regular file, and nothing is written at all;
- a page whose bytes are unchanged is not rewritten (its mtime kept: a copy to a share is incremental); a
  changed one goes to a temporary file beside it and is renamed over it; pages of the last build that this
  one does not make (a project removed) are removed — only files the list names.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from xmtj.changes.outputs import OutRefused, ledger_part, lstat_or_none
from xmtj.problems import os_words

MARK = ".xmtj-site"  # the list of the files the last build wrote


@dataclass(frozen=True)
class Written:
    files: int
    written: int
    unchanged: int
    removed: int
    size: int  # bytes, every file together


def site_folder(out: Path, root: Path) -> Path:
    """The folder ``--out`` names, refused as the module says."""
    target = Path(os.path.abspath(out))
    part = ledger_part(target, root)
    if part is not None:
        raise OutRefused(
            f"--out {out}：{part or '台账目录'} 属于台账本身，不能用来存放网站；请另选文件夹，例如 --out site"
        )
    found = lstat_or_none(target, out)
    if found is not None:
        if stat.S_ISLNK(found.st_mode):
            raise OutRefused(f"--out {out} 是符号链接，xmtj 不通过符号链接写文件")
        if not stat.S_ISDIR(found.st_mode):
            raise OutRefused(f"--out {out} 已存在且不是文件夹")
        if any(True for _ in os.scandir(target)) and not (target / MARK).is_file():
            raise OutRefused(f"--out {out} 里已有别的文件，不是 xmtj 生成的网站；请换一个空文件夹或新文件夹")
    return target


def write_site(out: Path, root: Path, files: Mapping[str, Callable[[], bytes]]) -> Written:
    """Each file made (``files``: path → the function that makes its bytes, called once, one at a time: a
    10,000-project site is never all in memory) and written where it changed."""
    folder = site_folder(out, root)
    there = {rel: _regular_or_none(folder, rel, out) for rel in [*sorted(files), MARK]}  # all checked first
    mark = (folder / MARK).read_bytes() if there[MARK] else None
    old = _listed(mark)
    written = size = 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for rel, make in files.items():
            data = make()
            size += len(data)
            if there[rel] and (folder / rel).read_bytes() == data:
                continue
            _put(folder / rel, data)
            written += 1
        removed = 0
        for rel in sorted(old - set(files)):
            try:
                if _regular_or_none(folder, rel, out):
                    (folder / rel).unlink()
                    removed += 1
            except OutRefused:
                continue  # a listed name that is now a folder, a link or a device: left alone
        listing = "".join(f"{rel}\n" for rel in sorted(files)).encode("utf-8")
        if mark != listing:
            _put(folder / MARK, listing)
    except OSError as exc:
        raise OutRefused(f"写出网站到 {out} 失败：{os_words(exc)}") from None
    return Written(len(files), written, len(files) - written, removed, size)


def _regular_or_none(folder: Path, rel: str, out: Path) -> bool:
    """Whether ``rel`` is a regular file in real folders (False: nothing there yet); refused when it, or a
    folder on its way, is anything else (a symlink, a device …)."""
    for parent in list(Path(rel).parents)[-2::-1]:  # each subfolder, top first
        found = lstat_or_none(folder / parent, f"{out}/{parent}")
        if found is not None and not stat.S_ISDIR(found.st_mode):
            raise OutRefused(f"{out}/{parent} 不是文件夹（符号链接或文件），网站没有写出")
    found = lstat_or_none(folder / rel, f"{out}/{rel}")
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise OutRefused(f"{out}/{rel} 不是普通文件（文件夹、符号链接或设备），网站没有写出")
    return found is not None


def _listed(mark: bytes | None) -> set[str]:
    """The files the last build listed (only plain relative paths inside the folder)."""
    try:
        text = (mark or b"").decode("utf-8")
    except UnicodeDecodeError:
        return set()
    names = set()
    for line in text.splitlines():
        parts = Path(line).parts
        if line and not Path(line).is_absolute() and ".." not in parts and line != MARK:
            names.add(line)
    return names


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.xmtj-tmp{os.getpid()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
