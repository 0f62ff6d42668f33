"""Where ``--out`` may write, and the one way it writes there.

An export (a listing, the 台账, a briefing or a letter saved where the clerk asks) is written all at once:
to a temporary file in the target's folder, then renamed over it — never half a file. What it may not
touch is decided first:

- inside the ledger, nothing of the ledger's own: records (``data/``), the dispatch and letter registers
  (``dispatch/``, ``letters/``), templates, ``xmtj.yaml``, git's folder — ``report --out
  data/projects/HJ2021-001.yaml`` would overwrite a record;
- a folder, a symlink, a FIFO, a socket or a block device is refused (a FIFO would hang the command
  until someone read it);
- a character device (``/dev/null``, a terminal) is written through, as ``> /dev/null`` does: opened and
  written, never replaced by a rename — run as root, a rename over ``/dev/null`` replaces the machine's
  device with a regular file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xmtj.changes.writer import FileTransaction, WriteFailed, no_symlink
from xmtj.problems import XmtjError, os_words

# the ledger's own files: never an output
PROTECTED_FOLDERS = ("data", "templates", "dispatch", "letters", ".git", ".xmtj")
PROTECTED_FILES = ("xmtj.yaml", ".gitignore")


class OutRefused(XmtjError):
    """``--out`` names something xmtj must not write over."""


def ledger_part(target: Path, root: Path) -> str | None:
    """What of the ledger itself ``target`` (absolute) is — the ledger's folder (``""``), one of its own
    folders or files, or something inside them (its path in the ledger); None when it is none of these."""
    top = Path(os.path.abspath(root))
    if target != top and not target.is_relative_to(top):
        return None
    rel = target.relative_to(top)
    if not rel.parts or rel.parts[0] in PROTECTED_FOLDERS or rel.as_posix() in PROTECTED_FILES:
        return rel.as_posix() if rel.parts else ""
    return None


def lstat_or_none(path: Path, shown: Path | str) -> os.stat_result | None:
    """What is at ``path``, the last part not followed (None: nothing); any other failure refused, in words."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutRefused(f"{shown}：{os_words(exc)}") from None


def out_target(out: Path, root: Path | None) -> tuple[Path, os.stat_result | None]:
    """The absolute path ``--out`` names and what is there now (None: nothing yet); refused as the module
    says. No symlink is followed, the last part included."""
    target = Path(os.path.abspath(out))
    part = ledger_part(target, root) if root is not None else None
    if part is not None:
        raise OutRefused(
            f"--out {out}：{part or '台账目录'} 属于台账本身（记录、登记簿、模板或设置），"
            "不能用作输出文件；请另选文件名，例如 --out 通报-2021-11.md"
        )
    found = lstat_or_none(target, f"--out {out}")
    if found is None:
        return target, None
    mode = found.st_mode
    if stat.S_ISLNK(mode):
        raise OutRefused(f"--out {out} 是符号链接（指向 {os.readlink(target)}），xmtj 不通过符号链接写文件")
    if stat.S_ISDIR(mode):
        raise OutRefused(f"--out {out} 是一个文件夹；请给出文件名，例如 --out {out.as_posix().rstrip('/')}/通报.md")
    if stat.S_ISREG(mode) or stat.S_ISCHR(mode):
        return target, found
    kind = "命名管道（FIFO）" if stat.S_ISFIFO(mode) else "套接字" if stat.S_ISSOCK(mode) else "块设备"
    raise OutRefused(f"--out {out} 是{kind}，不是普通文件；xmtj 不向它写入")


def write_out(out: Path, data: bytes, root: Path | None = None) -> Path:
    """``data`` written to ``out`` (see the module doc); ``root`` is the ledger, whose own files are refused."""

    target, found = out_target(out, root)
    if found is not None and stat.S_ISCHR(found.st_mode):
        _write_through(target, data)
        return target
    transaction = FileTransaction(target.parent)
    no_symlink(transaction.root, target)
    try:
        if found is not None:
            transaction.replace(target, data, target.read_bytes())
        else:
            transaction.create(target, data)
    except OSError as exc:
        raise WriteFailed(f"无法写入 {out}：{os_words(exc)}") from None
    transaction.commit()
    return target


def _write_through(target: Path, data: bytes) -> None:
    flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK
    try:
        fd = os.open(target, flags)
        try:
            if not stat.S_ISCHR(os.fstat(fd).st_mode):  # swapped for something else since it was looked at
                raise OutRefused(f"--out {target} 已不是原来的设备，未写入")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutRefused(f"无法写入 {target}：{os_words(exc)}") from None
