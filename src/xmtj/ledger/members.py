"""A roll-up ledger's members, read as they submitted a month: from bare mirrors of their repositories
(``.xmtj/members/<code>.git``, made by ``xmtj fetch``), at the latest tag of the month — no checkout.

A member's revision for month M is its tag ``报送/M`` (the pattern is the member's ``tag``), or the
latest re-submission ``报送/M-2``, ``-3`` …; with ``head`` its branch head instead (未报送数据). Its own
``xmtj.yaml`` governs its projects. Two levels are read (county → prefecture): a member that is itself
a roll-up is reported as such, not read through (see README, 县→市→省).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xmtj.ledger import gitio
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Member
from xmtj.problems import Problem, XmtjError

MIRRORS = ".xmtj/members"


def mirror_of(root: Path, member: Member) -> Path:
    return root / MIRRORS / f"{member.code}.git"


def tag_for(pattern: str, month: str) -> str:
    return pattern.replace("{month}", month)


def submissions(mirror: Path, pattern: str, month: str) -> list[tuple[str, str]]:
    """(tag, tree id) of ``month``'s submissions in a mirror, first first — one git call."""
    base = tag_for(pattern, month)
    done = gitio.git(mirror, ["for-each-ref", "--format=%(refname:short)\x1f%(*tree)%(tree)",
                              f"refs/tags/{base}", f"refs/tags/{base}-*"], check=False)  # fmt: skip
    suffix = re.compile(re.escape(base) + r"(?:-(\d+))?$")
    found = []
    for line in done.stdout.decode("utf-8").splitlines():
        name, _, tree = line.partition("\x1f")
        if m := suffix.match(name):
            found.append((int(m[1] or 1), name, tree[:40]))
    return [(name, tree) for _, name, tree in sorted(found)]


def submission_tags(mirror: Path, pattern: str, month: str) -> list[str]:
    """The tags of ``month`` in a mirror, first submission first (``报送/2021-11``, ``报送/2021-11-2`` …)."""
    base = tag_for(pattern, month)
    done = gitio.git(mirror, ["tag", "--list", base, f"{base}-*"], check=False)
    names = done.stdout.decode("utf-8").split()
    suffix = re.compile(re.escape(base) + r"(?:-(\d+))?$")
    found = [(int(m[1] or 1), name) for name in names if (m := suffix.match(name))]
    return [name for _, name in sorted(found)]


@dataclass
class MemberRead:
    """One member as read for a month."""

    member: Member
    state: str  # 已报送, 未报送, 报送有误, 未获取 (no mirror yet), 未报送数据 (read at the head)
    revision: str | None = None
    tag: str | None = None
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)


def read_member(root: Path, member: Member, month: str, head: bool = False) -> MemberRead:
    """``member`` as submitted for ``month`` (or at its branch head), validated with its own check."""
    from xmtj.ledger.checks import check_ledger
    from xmtj.ledger.load import load_ledger

    mirror = mirror_of(root, member)
    if not mirror.is_dir():
        return MemberRead(member, "未获取")
    tags = [name for name, _ in submissions(mirror, member.tag, month)]
    if head:
        revision, tag, state = member.branch, None, "未报送数据"
    elif not tags:
        return MemberRead(member, "未报送")
    else:
        revision, tag, state = tags[-1], tags[-1], "已报送"
    try:
        ledger = load_ledger(mirror, revision)
    except XmtjError as exc:
        return MemberRead(
            member, "报送有误", revision, tag, None, [Problem(f"{member.code}:", None, None, "", str(exc))]
        )
    if ledger.config.members:
        message = f"{member.name} 本身是汇总台账（有 members）：本版本汇总县→市两级，请把它的成员直接列为成员"
        return MemberRead(
            member, "报送有误", revision, tag, None, [Problem(f"{member.code}:", None, None, "", message)]
        )
    errors = [p for p in check_ledger(ledger) if p.severity == "error"]
    if errors:
        named = [Problem(f"{member.code}:{p.path}", p.line, p.column, p.field, p.message) for p in errors]
        return MemberRead(member, "报送有误", revision, tag, ledger, named)
    return MemberRead(member, state, revision, tag, ledger)


def _problem(member: Member, message: str) -> Problem:
    return Problem(f"{member.code}:", None, None, "", message)
