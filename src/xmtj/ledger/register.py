"""What git remembers of the registers: letters' and 通报' numbers ever issued, the commit that issued
each, the 调度表 sent each month and when each figure came back.

A number once issued is never issued again, even after its register entry is deleted: the register's
git history counts (``issued_in_history``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xmtj.ledger import gitio
from xmtj.ledger.reading import parse_mapping
from xmtj.problems import XmtjError

if TYPE_CHECKING:
    from xmtj.ledger.ledger import Ledger
    from xmtj.months import Month

REGISTER_DIR = "data/letters"
BRIEFINGS_DIR = "data/briefings"


def doc_number(prefix: str, year: int, number: int) -> str:
    """发文字号: 机关代字〔2021〕12号 (full year, no padding, no 第)."""
    return f"{prefix}〔{year}〕{number}号"


def issued_in_history(ledger: Ledger, folder: str = REGISTER_DIR) -> dict[int, set[int]]:
    """The numbers ever registered in ``folder`` (letters by default, or briefings), by year, from the
    register's git history (up to the revision read); empty outside git."""

    rev = ledger.files.revision or "HEAD"
    # one git call: outside a repository, or before the first commit, it fails and there is no history
    done = gitio.git(
        ledger.root, ["log", "--format=", "--name-only", "--diff-filter=A", rev, "--", folder], check=False
    )
    if done.returncode != 0:
        return {}
    found: dict[int, set[int]] = {}
    names = re.compile(re.escape(folder) + r"/(\d{4})-(\d+)\.ya?ml$")
    for name in done.stdout.decode("utf-8", "replace").splitlines():
        match = names.match(name.strip())
        if match:
            found.setdefault(int(match[1]), set()).add(int(match[2]))
    return found


def registered_at(ledger: Ledger, rel: str) -> str | None:
    """The commit that added the register entry ``rel`` (a letter's ``data/letters/2021-3.yaml``), up to the
    revision read; None outside git or when it was never committed."""

    rev = ledger.files.revision or "HEAD"
    done = gitio.git(
        ledger.root, ["log", "--format=%H", "--diff-filter=A", "--no-renames", rev, "--", rel], check=False
    )
    found = done.stdout.decode("ascii", "replace").split() if done.returncode == 0 else []
    return found[-1] if found else None


def file_at(ledger: Ledger, revision: str, rel: str) -> bytes | None:
    """The bytes ``rel`` had at ``revision`` (None if it had none)."""

    spec = f"{revision}:{rel}"
    return gitio.read_objects(ledger.root, [spec]).get(spec)


DISPATCH_DIR = "dispatch"


@dataclass(frozen=True)
class Dispatch:
    """What ``dispatch/<month>/index.yaml`` registers: the due date, each unit sent a sheet (with its file
    and number of projects), and the commit that sent them."""

    due: dt.date
    units: list[tuple[str, str, int]]  # (unit, file, projects)
    commit: str | None


def dispatched(ledger: Ledger, month: Month) -> Dispatch | None:
    """The 调度表 register of ``month`` at the revision read; None when none was sent; raises when unreadable."""

    rel = f"{DISPATCH_DIR}/{month}/index.yaml"
    data = ledger.files.read_or_none(rel)
    if data is None:
        return None
    index, _, problems = parse_mapping(data, rel)
    if index is None or problems or not isinstance(index.get("due"), dt.date):
        raise XmtjError(f"{rel} 已损坏，无法读取")
    units = [
        (str(e.get("unit")), str(e.get("file") or ""), int(e.get("projects") or 0))
        for e in index.get("units") or []
        if isinstance(e, dict)
    ]
    commit = None
    if gitio.has_commits(ledger.root):
        rev = ledger.files.revision or "HEAD"
        done = gitio.git(ledger.root, ["log", "--format=%H", "--diff-filter=A", rev, "--", rel], check=False)
        found = done.stdout.decode("ascii", "replace").split()
        commit = found[-1] if found else None
    return Dispatch(index["due"], units, commit)


@dataclass(frozen=True)
class Arrival:
    """When a project's figure of a month was first recorded, by which commit, and how (the route)."""

    day: dt.date
    commit: str
    route: str  # 调度表, 月报导入, 逐项填报, 手工修改


def figure_arrivals(
    ledger: Ledger, month: Month, paths: dict[str, str], since: str | None, office: set[str], unit_of: dict[str, str]
) -> dict[str, Arrival]:
    """For each project (``paths``: id → file), the commit after ``since`` that first recorded its figure of
    ``month``. What the commit message says only names the route, and only where the commit really made
    the change: ``Xmtj-Dispatch: <month>/<unit>`` names a 调度表 when it is that project's unit and — where
    ``units`` names the office — the author is the office's."""

    if not paths or not gitio.has_commits(ledger.root):
        return {}
    rev = ledger.files.revision or "HEAD"
    trailers = "%(trailers:key=Xmtj-Dispatch,valueonly,separator=%x2C)%x1f%(trailers:key=Xmtj-Command,valueonly)"
    fields = f"%H%x1f%aI%x1f%ae%x1f{trailers}"
    span = [f"{since}..{rev}"] if since else [rev]
    raw = gitio.git(ledger.root, ["log", "--reverse", f"--format=%x1c{fields}%x1d", "--raw", "--no-abbrev",
                                  "--no-renames", *span, "--", *paths.values()], check=False)  # fmt: skip
    if raw.returncode != 0:
        return {}
    by_path = {path: pid for pid, path in paths.items()}
    commits = []
    for chunk in filter(None, raw.stdout.decode("utf-8", "surrogateescape").split("\x1c")):
        header, _, files = chunk.partition("\x1d")
        cid, date, email, trailer, command = (header.split("\x1f") + [""] * 5)[:5]
        changed = [e for e in gitio.parse_name_status(files) if e.path in by_path and e.new_id]
        commits.append((cid, date, email.lower(), trailer, command.strip(), changed))
    wanted = {oid for *_, changed in commits for e in changed for oid in (e.old_id, e.new_id) if oid}
    blobs = gitio.read_objects(ledger.root, sorted(wanted))

    def has_figure(oid: str | None) -> bool:
        value = parse_mapping(blobs[oid], "")[0] if oid in blobs else None
        progress = value.get("progress") if isinstance(value, dict) else None
        return isinstance(progress, dict) and month.key in {str(k) for k in progress}

    found: dict[str, Arrival] = {}
    for cid, date, email, trailer, command, changed in commits:
        for entry in changed:
            pid = by_path[entry.path]
            if pid in found or not has_figure(entry.new_id) or has_figure(entry.old_id):
                continue
            claims = {t.strip() for t in trailer.split(",")}
            if f"{month}/{unit_of.get(pid)}" in claims and (not office or email in office):
                route = "调度表"
            elif command.startswith("xmtj import progress"):
                route = "月报导入"
            elif command.startswith("xmtj progress"):
                route = "逐项填报"
            else:
                route = "手工修改"
            found[pid] = Arrival(dt.date.fromisoformat(date[:10]), cid, route)
    return found
