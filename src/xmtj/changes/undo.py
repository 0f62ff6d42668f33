"""``xmtj undo``: one change made by xmtj taken back, as a new change (history is never rewritten).

Each file the change touched goes back to what it was before it — a file it created is removed, one it
removed comes back — with two exceptions that keep what went out true: an entry it added to a register
(a 督办提醒函, a 通报: ``data/letters``, ``data/briefings``) is voided (作废, with the reason), never removed,
so its number is never given again; and the documents it wrote (``letters/``, ``reports/``) stay as they
went out. The undo is refused when it cannot be clean: the change was not made by xmtj (its
``Xmtj-Command`` trailer), it was a merge, it was undone already, or a file it touched has changed since
(then the later change is named). The new commit says what it undoes (``Xmtj-Undo: <commit>``); whatever
the result, it is validated like any other change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xmtj.changes.build import Change, void_text
from xmtj.ledger import gitio
from xmtj.ledger.ledger import Ledger
from xmtj.problems import XmtjError

REGISTERS = ("data/letters/", "data/briefings/")
DOCUMENTS = ("letters/", "reports/")


@dataclass(frozen=True)
class Undone:
    commit: str
    subject: str
    voided: tuple[str, ...]  # register entries voided instead of removed
    kept: tuple[str, ...]  # documents left as they went out


def undo_change(
    ledger: Ledger, rev: str | None, reason: str, day: dt.date, command: Sequence[str]
) -> tuple[Change, Undone]:
    """The change that takes back the xmtj change ``rev`` (default: the latest commit)."""
    root = ledger.root
    if not reason.strip():
        raise XmtjError("撤销须写明原因（-m 原因），它写入提交说明和作废登记")
    if not gitio.has_commits(root):
        raise XmtjError("台账还没有任何提交，没有可撤销的修改")
    commit = gitio.resolve(root, rev or "HEAD")
    parents = gitio.text(root, ["rev-list", "--parents", "-n", "1", commit]).split()[1:]
    body = gitio.text(root, ["log", "-1", "--format=%B", commit])
    subject = body.strip().splitlines()[0] if body.strip() else commit[:8]
    if len(parents) != 1:
        raise XmtjError(f"{commit[:8]}（{subject}）是{'合并' if parents else '第一次'}提交，不能撤销")
    if "\nXmtj-Command:" not in f"\n{body}":
        raise XmtjError(f"{commit[:8]}（{subject}）不是 xmtj 做的修改，不能用 undo 撤销；手工提交请手工改回")
    later = gitio.text(root, ["log", "--format=%h %s", f"--grep=^Xmtj-Undo: {commit}$", f"{commit}..HEAD"])
    if later.strip():
        raise XmtjError(f"{commit[:8]}（{subject}）已经撤销过：{later.strip().splitlines()[0]}")
    texts: dict[str, str | bytes] = {}
    created: set[str] = set()
    removed: set[str] = set()
    voided: list[str] = []
    kept: list[str] = []
    listing = gitio.git(root, ["diff-tree", "--no-commit-id", "-r", "-z", "--no-renames", "--name-status", commit])
    fields = listing.stdout.decode("utf-8", "surrogateescape").split("\0")
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if not path:
            continue
        _unchanged_since(root, commit, path)
        if status == "A" and path.startswith(REGISTERS):
            record = next(
                (r for kind in ("letters", "briefings") for r in getattr(ledger, kind) if r.path == path), None
            )
            if record is None:
                raise XmtjError(f"{path} 读不出来（请先运行 xmtj check），不能作废")
            if record.voided is None:
                texts[path] = void_text(ledger, record, day, f"撤销：{reason.strip()}")
                voided.append(path)
        elif status == "A" and path.startswith(DOCUMENTS):
            kept.append(path)
        elif status == "A":
            removed.add(path)
        else:
            before = gitio.git(root, ["cat-file", "blob", f"{commit}^:{path}"]).stdout
            texts[path] = before
            if status == "D":
                created.add(path)
    if not texts and not removed:
        raise XmtjError(f"{commit[:8]}（{subject}）没有可撤销的内容（登记已作废，文件保持原样）")
    change = Change(texts, f"撤销: {subject}", command, created=created, removed=removed)
    change.trailers["Xmtj-Undo"] = commit
    return change, Undone(commit, subject, tuple(voided), tuple(kept))


def _unchanged_since(base: Path, commit: str, path: str) -> None:
    """Refuse when ``path`` is not now what ``commit`` left it as (a later change, or an edit not committed)."""
    after = gitio.git(base, ["ls-tree", "-z", commit, "--", path]).stdout
    now = base / path
    if not after:  # the change removed it: it must still be gone
        if now.exists() or now.is_symlink():
            raise XmtjError(f"{path} 在这次修改中删除，之后又出现了，不能干净地撤销；请手工处理")
        return
    expected = gitio.git(base, ["cat-file", "blob", f"{commit}:{path}"]).stdout
    try:
        current = now.read_bytes() if not now.is_symlink() else None
    except OSError:
        current = None
    if current != expected:
        changes = gitio.text(base, ["log", "--format=%h %s", f"{commit}..HEAD", "--", path]).strip().splitlines()
        since = f"之后又被修改（{changes[0]}）" if changes else "之后又被改动（尚未提交）"
        raise XmtjError(f"{path} 在这次修改{since}，不能干净地撤销；请先撤销后来的修改，或手工改回")
