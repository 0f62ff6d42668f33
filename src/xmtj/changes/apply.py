"""Applying a change: validate it against the whole ledger, write its files all or nothing, commit them.

A change is refused, with the same messages ``xmtj check`` gives, when the new record is invalid or
when it brings a new cross-record error into the ledger. Nothing is written then. Callers hold the
ledger's lock (``xmtj.changes.lock``) from before they read the ledger until ``apply`` returns.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from xmtj import __version__
from xmtj.changes.build import Change, ChangeRefused
from xmtj.changes.writer import FileTransaction, no_symlink, remove_orphans
from xmtj.ledger import gitio
from xmtj.ledger.checks import check_ledger
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.reading import record_from_bytes
from xmtj.ledger.registry import MODELS
from xmtj.ledger.sources import Source
from xmtj.problems import Problem


@dataclass
class Outcome:
    paths: list[str]
    commit: gitio.Commit | None
    note: str | None  # why nothing was committed, in Chinese, or None


class _Overlay:
    """The ledger's files with some replaced by new texts (for checks before writing)."""

    def __init__(self, base: Source, texts: dict[str, str | bytes], removed: set[str] | None = None) -> None:
        self.base, self.root = base, base.root
        self.revision: str | None = None
        self.texts = {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in texts.items()}
        self.removed = removed or set()

    def list(self, folder: str) -> list[str]:
        return [rel for rel in self.base.list(folder) if rel not in self.removed]

    def read(self, rel: str) -> bytes:
        return self.texts[rel] if rel in self.texts else self.base.read(rel)

    def read_or_none(self, rel: str) -> bytes | None:
        return self.texts.get(rel) or self.base.read_or_none(rel)


def _key(p: Problem) -> tuple[str, str, str, str]:
    return (p.path, p.field, p.message, p.severity)


def validate_change(ledger: Ledger, change: Change) -> list[Problem]:
    """The warnings the change brings; raises ChangeRefused if it brings any error."""

    gone = set(change.texts) | change.removed
    new_ledger = dataclasses.replace(ledger, problems=[p for p in ledger.problems if p.path not in gone])
    for rel in change.removed:
        if rel.startswith("data/") and rel.split("/")[1] in MODELS:
            kind = rel.split("/")[1]
            setattr(new_ledger, kind, [r for r in getattr(new_ledger, kind) if r.path != rel])
    for rel, text in change.texts.items():
        if not rel.startswith("data/"):
            continue  # a document (a letter's Markdown), not a record
        kind = rel.split("/")[1]
        model = MODELS[kind]
        record, problems = record_from_bytes(text.encode("utf-8") if isinstance(text, str) else text, model, rel)
        if problems:
            raise ChangeRefused([p for p in problems if p.severity == "error"] or problems)
        records = [r for r in getattr(new_ledger, kind) if r.path != rel] + [record]
        setattr(new_ledger, kind, records)
    before = {_key(p) for p in check_ledger(ledger)}
    new_ledger.source = _Overlay(ledger.files, change.texts, change.removed)
    after = [p for p in check_ledger(new_ledger) if _key(p) not in before]
    errors = [p for p in after if p.severity == "error"]
    if errors:
        raise ChangeRefused(errors)
    return after


def commit_message(change: Change, why: str | None) -> str:
    import shlex

    parts = [change.subject]
    if why:
        parts.append(why.strip())
    extra = "".join(f"{key}: {value}\n" for key, value in change.trailers.items())
    parts.append(f"{extra}Xmtj-Command: {shlex.join(change.command)}\nXmtj-Version: {__version__}")
    return "\n\n".join(parts) + "\n"


def apply(ledger: Ledger, change: Change, why: str | None = None, commit: bool = True) -> Outcome:
    """Validate, write every file of the change atomically, and commit exactly those files.

    All or nothing, the commit included: git's state is checked before anything is written (a lock
    left by another git, a merge or rebase in progress, no identity), and if the commit still fails
    the files are put back as they were. Call it holding the ledger's lock (``xmtj.changes.lock``).
    """

    root = ledger.root
    unchanged = [rel for rel in change.texts if rel not in change.created and _same(root / rel, change.texts[rel])]
    if unchanged and len(unchanged) == len(change.texts) and not change.removed:
        return Outcome([], None, "未改动：台账中已经是这个值，没有写入，也没有提交")
    for rel in unchanged:  # a file the change leaves as it is: neither written nor committed
        del change.texts[rel]
    change.warnings = [*change.warnings, *validate_change(ledger, change)]  # the builder's own, then the checks'
    paths = sorted([*change.texts, *change.removed])
    note = _why_not_commit(ledger, paths, commit)
    transaction = FileTransaction(root)
    for rel in sorted(change.removed):
        no_symlink(root, root / rel)
        transaction.remove(root / rel, (root / rel).read_bytes())
    for rel in sorted(change.texts):
        target = root / rel
        if rel in change.created:
            transaction.create(target, change.texts[rel])
        else:
            no_symlink(root, target)
            transaction.replace(target, change.texts[rel], target.read_bytes())
    remove_orphans({path.parent for path in transaction.paths})  # left by a killed writer (we hold the lock)
    transaction.commit()
    if note is not None:
        return Outcome(paths, None, note or None)
    try:
        made = gitio.commit_files(root, paths, commit_message(change, why), verify=ledger.config.git.verify)
    except gitio.GitError as exc:
        transaction.rollback()
        gitio.unstage(root, paths)
        raise gitio.GitError(f"{exc}；已撤销本次写入的文件，台账保持原样") from None
    return Outcome(paths, made, None)


def _same(path: Path, text: str | bytes) -> bool:
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        return not path.is_symlink() and path.read_bytes() == data
    except OSError:
        return False


def _why_not_commit(ledger: Ledger, paths: list[str], commit: bool) -> str | None:
    """None to commit; otherwise the reason not to ("" for a ledger outside git: nothing to say).

    Raises when git would refuse the commit: then nothing is written at all.
    """
    root = ledger.root
    if not commit:
        return "未提交（--no-commit）"
    if not ledger.config.git.commit:
        return "未提交（xmtj.yaml 中 git.commit 为 false）"
    if not gitio.is_repository(root):
        return ""
    gitio.check_ready(root)
    dirty = gitio.dirty(root, paths)
    if dirty:
        return f"已写入，但 {'、'.join(dirty)} 原本就有未提交的修改，因此没有自动提交；请核对后自行提交"
    return None
