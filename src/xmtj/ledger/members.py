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
from typing import Any

from xmtj.ledger import gitio
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.settings import Member
from xmtj.months import Month
from xmtj.problems import Problem, XmtjError

MIRRORS = ".xmtj/members"


def mirror_of(root: Path, member: Member) -> Path:
    return root / MIRRORS / f"{member.code}.git"


def tag_for(pattern: str, month: Month | str) -> str:
    return pattern.replace("{month}", str(month))


def submissions(mirror: Path, pattern: str, month: Month) -> list[tuple[str, str]]:
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


def submission_tags(mirror: Path, pattern: str, month: Month) -> list[str]:
    """The tags of ``month`` in a mirror, first submission first (``报送/2021-11``, ``报送/2021-11-2`` …)."""
    return [name for name, _ in submissions(mirror, pattern, month)]


@dataclass
class MemberRead:
    """One member as read for a month."""

    member: Member
    state: str  # 已报送, 未报送, 报送有误, 未获取 (no mirror yet), 未报送数据 (read at the head)
    revision: str | None = None
    tag: str | None = None
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)


def read_member(root: Path, member: Member, month: Month, head: bool = False) -> MemberRead:
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


def namespaced(ledger: Ledger, code: str) -> Ledger:
    """A member's records with every id and every reference prefixed by its code (``JS:JS2022-001``), and
    every path too (``JS:data/projects/…``): equal ids in two members never clash in a roll-up's lists."""
    import dataclasses

    from xmtj.ledger.records import _make, with_path

    def renamed(record: Any, **changes: Any) -> Any:
        values = dict(record.__dict__)
        values.update(changes)
        copy = _make(type(record), values)
        return with_path(copy, f"{code}:{record.path}")

    def ref(rid: str | None) -> str | None:
        return f"{code}:{rid}" if rid else rid

    return dataclasses.replace(
        ledger,
        projects=[renamed(p, id=f"{code}:{p.id}") for p in ledger.projects],
        issues=[renamed(i, id=f"{code}:{i.id}", project=ref(i.project), meeting=ref(i.meeting)) for i in ledger.issues],
        meetings=[
            renamed(m, id=f"{code}:{m.id}", projects=[f"{code}:{p}" for p in m.projects]) for m in ledger.meetings
        ],
        letters=[renamed(x, project=f"{code}:{x.project}", doc_no=f"{code}:{x.doc_no}") for x in ledger.letters],
        problems=[],
    )


def merged(root: Path, rollup: Ledger, month: Month | None, head: bool = False) -> Ledger:
    """The roll-up's members' records as one ledger (namespaced), each as submitted for ``month`` (the
    latest month any member submitted when not given): what ``issue list``, ``letter list`` and ``plan``
    list at a roll-up. Members not submitted or with errors are left out (``status``/``check`` name them)."""
    import dataclasses

    if month is None:
        months = [_latest(root, m) for m in rollup.config.members]
        month = max((m for m in months if m), default=None)
        if month is None:
            raise XmtjError("还没有任何成员报送（先运行 xmtj fetch）")
    parts = [read_member(root, m, month, head) for m in rollup.config.members]
    found = [namespaced(r.ledger, r.member.code) for r in parts if r.ledger is not None and not r.problems]
    return dataclasses.replace(
        rollup,
        projects=[p for x in found for p in x.projects],
        issues=[i for x in found for i in x.issues],
        meetings=[m for x in found for m in x.meetings],
        letters=[x for y in found for x in y.letters],
    )


def _latest(root: Path, member: Member) -> Month | None:
    mirror = mirror_of(root, member)
    if not mirror.is_dir():
        return None
    prefix = tag_for(member.tag, "")
    names = gitio.git(mirror, ["tag", "--list", f"{prefix}*"], check=False).stdout.decode("utf-8").split()
    months = [m[1] for name in names if (m := re.match(re.escape(prefix) + r"(\d{4}-\d{2})(-\d+)?$", name))]
    return max(filter(None, map(Month.maybe, months)), default=None)
