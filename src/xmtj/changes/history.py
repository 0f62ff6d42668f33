"""The audit trail: who changed which figure, when, read from git in the office's terms.

Every commit is read the same way, made by xmtj or by hand: the files it changed are parsed
before and after, and compared field by field (``fields``; shown ``2021年10月完成投资：800 → 950``). A change to a
month's figure after a briefing for that month (or a later one) was committed is retroactive and
is flagged: it is what an auditor looks for first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xmtj.changes.fields import FieldChange, changed_fields, flatten, parse
from xmtj.ledger import gitio
from xmtj.ledger.labels import kind_of
from xmtj.ledger.register import BRIEFINGS_DIR
from xmtj.ledger.registry import MODELS, word
from xmtj.problems import XmtjError

LEDGER_PATHS = ("xmtj.yaml", "data")
_MONTH_FIELD = re.compile(r"^(progress|monthly_plan)\.(\d{4}-\d{2})$")
_STATUS_WORDS = {"A": "新增", "M": "修改", "D": "删除", "R": "改名"}


@dataclass(frozen=True)
class FileChange:
    path: str
    status: str  # A M D R
    old_path: str | None
    changes: tuple[FieldChange, ...]

    @property
    def record(self) -> str:
        return Path(self.path).stem

    @property
    def kind(self) -> str:
        """What the file holds (``projects``, ``issues`` … or ``config``): how its fields are labelled."""
        return kind_of(self.path)

    def words(self) -> str:
        head = f"{_STATUS_WORDS[self.status]} {self.path}"
        if self.status == "R" and self.old_path:
            head = f"改名 {self.old_path} → {self.path}"
        return head

    def record_lines(self) -> list[str]:
        """This file's change as one record's history says it: a new, deleted or renamed file in a line of its
        own, then each field a change or a rename made (``xmtj log ID``, and a project's page of the site)."""
        head = [self.words()] if self.status != "M" else []
        return head + ([c.words(self.kind) for c in self.changes] if self.status in "MR" else [])

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": _STATUS_WORDS[self.status],
            "old_path": self.old_path,
            "changes": [c.as_dict(self.kind) for c in self.changes],
        }


@dataclass(frozen=True)
class LogEntry:
    commit: gitio.Commit
    files: tuple[FileChange, ...]
    bulk: dict[str, dict[str, list[str]]] | None = None  # a mass commit: 新增/删除 → kind → record ids

    def bulk_words(self) -> str | None:
        """``新增项目 10000 个、问题 50040 个；删除…``: what a mass commit added and removed, per kind."""
        if not self.bulk:
            return None
        parts = []
        for status, kinds in self.bulk.items():
            counts = "、".join(f"{word(kind)} {len(ids)} 个" for kind, ids in kinds.items())
            parts.append(f"{status}{counts}")
        return "；".join(parts)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "commit": self.commit.id,
            "author": self.commit.author,
            "date": self.commit.date,
            "message": self.commit.subject,
            "body": self.commit.body,
            "files": [f.as_dict() for f in self.files],
        }
        if self.bulk:
            data["bulk"] = self.bulk
        return data


def _month(field_name: str) -> str | None:
    match = _MONTH_FIELD.match(field_name)
    return match[2] if match else None


# --- briefings already sent -------------------------------------------------------------------


@dataclass
class Briefings:
    """Commits that issued a 通报 (added its entry to the register, ``data/briefings/``), and which commits
    came after them. What a commit message says decides nothing here."""

    root: Path
    reports: list[tuple[str, str]] = field(default_factory=list)  # (commit, the month it reported)
    _ancestors: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path, rev: str = "HEAD") -> Briefings:

        if not gitio.has_commits(root):
            return cls(root)
        raw = gitio.git(
            root, ["log", "--format=%x1c%H", "--diff-filter=A", "--name-only", "--no-renames", rev, "--", BRIEFINGS_DIR]
        ).stdout.decode("utf-8", "surrogateescape")
        added = []
        for chunk in filter(None, raw.split("\x1c")):
            cid, *paths = chunk.split()
            added += [(cid, path) for path in paths if path.endswith((".yaml", ".yml"))]
        blobs = gitio.read_objects(root, [f"{cid}:{path}" for cid, path in added])
        reports = []
        for cid, path in added:
            period = (parse(blobs.get(f"{cid}:{path}")) or {}).get("period")
            if isinstance(period, str):
                reports.append((cid, period))
        return cls(root, reports)

    def ancestors(self, commit: str) -> set[str]:
        if commit not in self._ancestors:
            self._ancestors[commit] = set(gitio.text(self.root, ["rev-list", commit]).split())
        return self._ancestors[commit]

    def sent_before(self, month: str, commit: str | None) -> str | None:
        """The period of a briefing covering ``month`` that was committed before ``commit``
        (None: before the working tree, i.e. any briefing in the history read)."""
        for cid, period in self.reports:
            if period >= month and cid != commit and (commit is None or cid in self.ancestors(commit)):
                return period
        return None


def _flag(changes: Iterable[FieldChange], briefings: Briefings, commit: str | None) -> tuple[FieldChange, ...]:
    out = []
    for change in changes:
        month = _month(change.field)
        sent = briefings.sent_before(month, commit) if month and change.old is not None else None
        out.append(FieldChange(change.field, change.old, change.new, sent) if sent else change)
    return tuple(out)


# --- xmtj log --------------------------------------------------------------------------------


def record_path(root: Path, record_id: str, rev: str = "HEAD") -> str:
    """Where a record lives (now, or at ``rev``)."""
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]*(-\d+)?", record_id):
        raise XmtjError(f"编号“{record_id}”无效：只能由字母、数字、“-”和“_”组成，且不能以“-”开头")
    candidates = [f"data/{kind}/{record_id}.yaml" for kind in MODELS]
    for rel in candidates:
        if (root / rel).is_file():
            return rel
    if gitio.has_commits(root):
        found = gitio.text(root, ["log", "--all", "--format=", "--name-only", "--", *candidates]).split()
        if found:
            return found[0]
    raise XmtjError(f"找不到编号为 {record_id} 的记录")


def since_instant(since: str, utc_offset: str) -> dt.datetime | None:
    """``--since`` as an instant: a date is its midnight at the ledger's UTC offset (xmtj.yaml
    ``timezone``, default +08:00), so the answer does not depend on the machine's time zone; None
    when ``since`` is a revision."""
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", since):
        return None
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        raise XmtjError(f"--since 的日期“{since}”无效：应为 YYYY-MM-DD，例如 2021-12-01") from None
    sign = 1 if utc_offset.startswith("+") else -1
    hours, minutes = (int(x) for x in utc_offset[1:].split(":"))
    zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def record_history(root: Path, tip: str, path: str) -> list[tuple[gitio.Commit, list[gitio.NameStatus]]]:
    """The commits that touched one record's file, following it back through genuine renames only.

    git's ``--follow`` guesses renames by likeness across the whole history, so a new project that
    looks like an existing one would be shown as that one's continuation. Here a rename is followed
    only where the file appears in a commit that also deletes the old path and git pairs the two
    (``renamed_from``), and the record's ``id`` really changed there.
    """
    entries: list[tuple[gitio.Commit, list[gitio.NameStatus]]] = []
    current, rev = path, tip
    for _ in range(100):  # a record renamed a hundred times is not a record
        part = gitio.log_with_files(root, [rev, "--", current], renames=False)
        if not part:
            break
        entries += part
        oldest, files = part[-1]
        if not any(f.status == "A" and f.path == current for f in files):
            break
        renamed = gitio.renamed_from(root, oldest.id, current)
        if renamed is None or renamed.old_path is None or not _id_changed(root, oldest.id, renamed.old_path, current):
            break
        entries[-1] = (oldest, [renamed, *(f for f in files if f.path != current)])
        current, rev = renamed.old_path, f"{oldest.id}^"
    return entries


def _id_changed(root: Path, commit: str, old: str, new: str) -> bool:
    blobs = gitio.read_objects(root, [f"{commit}^:./{old}", f"{commit}:./{new}"])
    before = parse(blobs.get(f"{commit}^:./{old}")) or {}
    after = parse(blobs.get(f"{commit}:./{new}")) or {}
    return str(before.get("id")) == Path(old).stem and str(after.get("id")) == Path(new).stem != Path(old).stem


def log(
    root: Path,
    record_id: str | None = None,
    since: str | None = None,
    at: str | None = None,
    utc_offset: str = "+08:00",
) -> list[LogEntry]:
    """The history of one record (following genuine renames) or of the whole ledger, newest first."""
    if not gitio.is_repository(root):
        raise XmtjError(f"{root} 不是 git 仓库，没有修改历史")
    if not gitio.has_commits(root):
        return []
    tip = gitio.resolve(root, at) if at else "HEAD"
    since_at = since_instant(since, utc_offset) if since else None
    if since and since_at is None:
        tip = f"{gitio.resolve(root, since)}..{tip}"
    if record_id:
        history = record_history(root, tip, record_path(root, record_id))
    else:
        history = gitio.log_with_files(root, [tip, "--", *LEDGER_PATHS])
    entries = [e for e in history if since_at is None or dt.datetime.fromisoformat(e[0].date) >= since_at]
    blobs = _Blobs(root)
    for _, files in entries:
        mass = _is_mass(files)
        blobs.want(f for f in _ledger_files(files) if not (mass and f.status in "AD"))
    briefings = Briefings.read(root, tip.split("..")[-1])
    out = []
    for commit, files in entries:
        mass = _is_mass(files)
        changes = []
        for f in _ledger_files(files):
            if mass and f.status in "AD":
                continue  # summarised per kind, never parsed file by file
            fields = _flag(changed_fields(blobs.flat(f.old_id), blobs.flat(f.new_id)), briefings, commit.id)
            changes.append(FileChange(f.path, f.status, f.old_path, fields))
        out.append(LogEntry(commit, tuple(changes), _bulk(files) if mass else None))
    return out


MASS = 50  # a commit adding or removing more records than this (an import) is summarised per kind


def _ledger_files(files: Sequence[gitio.NameStatus]) -> list[gitio.NameStatus]:
    return [f for f in files if f.path.startswith("data/") or f.path == "xmtj.yaml"]


def _is_mass(files: Sequence[gitio.NameStatus]) -> bool:
    return sum(1 for f in files if f.status in "AD") > MASS


def _bulk(files: Sequence[gitio.NameStatus]) -> dict[str, dict[str, list[str]]]:
    """新增/删除 → kind → ids of a mass commit's added and removed records."""
    out: dict[str, dict[str, list[str]]] = {}
    for f in files:
        parts = f.path.split("/")
        if f.status in "AD" and len(parts) == 3 and parts[0] == "data" and parts[1] in MODELS:
            status = _STATUS_WORDS[f.status]
            out.setdefault(status, {}).setdefault(parts[1], []).append(Path(parts[2]).stem)
    return {status: {k: kinds[k] for k in MODELS if k in kinds} for status, kinds in out.items()}  # 项目 first


class _Blobs:
    """Blobs fetched by id in one ``git cat-file --batch``, each parsed and flattened once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.wanted: set[str] = set()
        self.data: dict[str, bytes] | None = None
        self.flats: dict[str, dict[str, Any]] = {}

    def want(self, files: Iterable[gitio.NameStatus]) -> None:
        for f in files:
            self.wanted.update(i for i in (f.old_id, f.new_id) if i)

    def flat(self, oid: str | None) -> dict[str, Any]:
        if oid is None:
            return {}
        if oid not in self.flats:
            if self.data is None:
                self.data = gitio.read_objects(self.root, sorted(self.wanted))
            self.flats[oid] = flatten(parse(self.data.get(oid)) or {})
        return self.flats[oid]


# --- xmtj diff -------------------------------------------------------------------------------


def diff(root: Path, rev: str | None = None, rev2: str | None = None) -> list[FileChange]:
    """Field-level changes from ``rev`` (default HEAD) to ``rev2`` (default: the working tree)."""
    if not gitio.is_repository(root) or not gitio.has_commits(root):
        raise XmtjError(f"{root} 不是有提交记录的 git 仓库，无法比较")
    base = gitio.resolve(root, rev or "HEAD")
    target = gitio.resolve(root, rev2) if rev2 else None
    args = ["diff", "--raw", "--no-abbrev", "-M", base] + ([target] if target else []) + ["--", *LEDGER_PATHS]
    entries = gitio.parse_name_status(gitio.text(root, args))
    if target is None:
        untracked = gitio.text(root, ["ls-files", "--others", "--exclude-standard", "--", *LEDGER_PATHS])
        entries += [gitio.NameStatus("A", p) for p in untracked.splitlines() if p.endswith((".yaml", ".yml"))]
    blobs = _Blobs(root)
    blobs.want(entries)
    briefings = Briefings.read(root, base)
    out = []
    for e in entries:
        if target:
            after = blobs.flat(e.new_id)
        else:
            path = root / e.path
            if path.is_symlink():  # never followed: its target is outside what the ledger holds
                note = FieldChange("（符号链接）", None, "未读取")
                out.append(FileChange(e.path, e.status, e.old_path, (note,)))
                continue
            data = path.read_bytes() if e.status != "D" and path.is_file() else None
            after = flatten(parse(data) or {})
        # a change is retroactive if a briefing reachable from the base went out before it
        fields = _flag(changed_fields(blobs.flat(e.old_id), after), briefings, None)
        out.append(FileChange(e.path, e.status, e.old_path, fields))
    return sorted(out, key=lambda f: f.path)


def summarize(changes: Sequence[FileChange]) -> dict[str, int]:
    return {
        "added": sum(1 for c in changes if c.status == "A"),
        "removed": sum(1 for c in changes if c.status == "D"),
        "changed": sum(1 for c in changes if c.status in "MR"),
        "retroactive": sum(1 for c in changes for f in c.changes if f.retroactive),
    }
