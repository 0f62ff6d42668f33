"""A roll-up ledger's members, read as they submitted a month: from bare mirrors of their repositories
(``.git/xmtj/members/<code>.git``, made by ``xmtj fetch``: ``xmtj.rollup.mirrors``), at the latest tag of the
month — no checkout.

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
from xmtj.ledger.checks import check_ledger
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.load import load_ledger
from xmtj.ledger.records import replaced
from xmtj.ledger.settings import Member
from xmtj.months import Month
from xmtj.problems import Problem, XmtjError
from xmtj.rollup.mirrors import REWRITTEN_FILE, current, member_git, mirror_of


def tag_for(pattern: str, month: Month | str) -> str:
    return pattern.replace("{month}", str(month))


def submissions(repository: Path, pattern: str, month: Month, mirror: bool = True) -> list[tuple[str, str]]:
    """(tag, tree id) of ``month``'s submissions, first first — one git call; in a member's mirror (through
    ``member_git``) or, with ``mirror`` false, in the county's own repository."""
    base = tag_for(pattern, month)
    args = ["for-each-ref", "--format=%(refname:short)%00%(*tree)%(tree)", f"refs/tags/{base}", f"refs/tags/{base}-*"]
    done = member_git(repository, args) if mirror else gitio.git(repository, args, check=False)
    suffix = re.compile(re.escape(base) + r"(?:-(\d+))?$")
    found = []
    for line in done.stdout.split(b"\n"):
        raw, _, tree = line.partition(b"\0")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # a tag name that is not text is never a submission (fetch names it)
        if m := suffix.match(name):
            found.append((int(m[1] or 1), name, tree[:40].decode("ascii", "replace")))
    return [(name, tree) for _, name, tree in sorted(found)]


def submission_tags(repository: Path, pattern: str, month: Month, mirror: bool = True) -> list[str]:
    """The tags of ``month``, first submission first (``报送/2021-11``, ``报送/2021-11-2`` …)."""
    return [name for name, _ in submissions(repository, pattern, month, mirror)]


def rewritten_tags(mirror: Path) -> list[str]:
    """Submission tags the member moved after they were read (``xmtj fetch`` keeps the first)."""
    try:
        return (mirror / REWRITTEN_FILE).read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return []


@dataclass
class MemberRead:
    """One member as read for a month."""

    member: Member
    state: str  # 已报送, 未报送, 报送有误, 未获取 (no mirror yet), 未报送数据 (read at the head)
    revision: str | None = None
    tag: str | None = None
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)
    rewritten: tuple[str, ...] = ()  # 报送被改写: tags moved by the member after they were read


def read_member(root: Path, member: Member, month: Month, head: bool = False) -> MemberRead:
    """``member`` as submitted for ``month`` (or at its branch head), validated with its own check."""

    mirror = mirror_of(root, member)
    if not mirror.is_dir() or not current(mirror, member):
        return MemberRead(member, "未获取")
    tags = [name for name, _ in submissions(mirror, member.tag, month)]
    moved = tuple(t for t in rewritten_tags(mirror) if t in tags)
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
        return MemberRead(member, "报送有误", revision, tag, ledger, named, moved)
    return MemberRead(member, state, revision, tag, ledger, [], moved)


def namespaced(ledger: Ledger, code: str) -> Ledger:
    """A member's records with every id and every reference prefixed by its code (``JS:JS2022-001``), and
    every path too (``JS:data/projects/…``): equal ids in two members never clash in a roll-up's lists."""
    import dataclasses

    def renamed(record: Any, **changes: Any) -> Any:
        return replaced(record, f"{code}:{record.path}", **changes)

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
        month = latest_month(root, list(rollup.config.members))
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


def latest(root: Path, member: Member) -> Month | None:
    """The latest month ``member`` has submitted (from its mirror's tags)."""
    mirror = mirror_of(root, member)
    if not mirror.is_dir() or not current(mirror, member):
        return None
    prefix = tag_for(member.tag, "")
    done = member_git(mirror, ["for-each-ref", "--format=%(refname:short)", f"refs/tags/{prefix}*"])
    names = done.stdout.decode("utf-8", "replace").split()
    months = [m[1] for name in names if (m := re.match(re.escape(prefix) + r"(\d{4}-\d{2})(-\d+)?$", name))]
    return max(filter(None, map(Month.maybe, months)), default=None)


def latest_month(root: Path, members: list[Member]) -> Month | None:
    """The latest month any member has submitted."""
    return max(filter(None, (latest(root, m) for m in members)), default=None)
