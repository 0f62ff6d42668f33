"""The 督办提醒函 register (``data/letters/<year>-<number>.yaml``): its numbers and 发文字号.

A number once issued is never issued again, even after its register entry is deleted: the register's
git history counts (``issued_in_history``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

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
    from xmtj.ledger import gitio

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
    from xmtj.ledger import gitio

    rev = ledger.files.revision or "HEAD"
    done = gitio.git(
        ledger.root, ["log", "--format=%H", "--diff-filter=A", "--no-renames", rev, "--", rel], check=False
    )
    found = done.stdout.decode("ascii", "replace").split() if done.returncode == 0 else []
    return found[-1] if found else None


def file_at(ledger: Ledger, revision: str, rel: str) -> bytes | None:
    """The bytes ``rel`` had at ``revision`` (None if it had none)."""
    from xmtj.ledger import gitio

    spec = f"{revision}:{rel}"
    return gitio.read_objects(ledger.root, [spec]).get(spec)


DISPATCH_DIR = "dispatch"


def dispatched(ledger: Ledger, month: Month) -> tuple[Any, list[tuple[str, int]]] | None:
    """The 调度表 register of ``month`` (``dispatch/<month>/index.yaml`` at the revision read): its due
    date and (unit, number of projects) for each unit; None when none was sent; raises when unreadable."""
    import datetime as dt

    from xmtj.ledger import gitio
    from xmtj.ledger.reading import parse_mapping
    from xmtj.problems import XmtjError

    rev = ledger.files.revision or "HEAD"
    rel = f"{DISPATCH_DIR}/{month}/index.yaml"
    data = (
        gitio.read_objects(ledger.root, [f"{rev}:{rel}"]).get(f"{rev}:{rel}")
        if gitio.has_commits(ledger.root)
        else None
    )
    if data is None:
        return None
    index, _, problems = parse_mapping(data, rel)
    if index is None or problems or not isinstance(index.get("due"), dt.date):
        raise XmtjError(f"{rel} 已损坏，无法读取")
    units = [(str(e.get("unit")), int(e.get("projects") or 0)) for e in index.get("units") or [] if isinstance(e, dict)]
    return index["due"], units


def dispatch_returns(ledger: Ledger, month: Month) -> dict[str, tuple[Any, str]]:
    """Each unit's first return of ``month``'s sheet: (day, commit), from the commits of imported sheets
    (``Xmtj-Dispatch: <month>/<unit>``) up to the revision read."""
    import datetime as dt

    from xmtj.ledger import gitio

    rev = ledger.files.revision or "HEAD"
    done = gitio.git(ledger.root, ["log", "--format=%H%x1f%aI%x1f%(trailers:key=Xmtj-Dispatch,valueonly)",
                                   f"--grep=^Xmtj-Dispatch: {month}/", rev], check=False)  # fmt: skip
    returned: dict[str, tuple[Any, str]] = {}
    for line in done.stdout.decode("utf-8").splitlines():  # newest first: the first return is seen last
        parts = line.split("\x1f")
        if len(parts) == 3 and parts[2].strip().startswith(f"{month}/"):
            returned[parts[2].strip().split("/", 1)[1]] = (dt.date.fromisoformat(parts[1][:10]), parts[0])
    return returned
