"""A roll-up ledger's figures (a prefecture over its counties): each member's own figures as it submitted
them, and the totals — the same numbers the members' own ``status`` gives, added up.

Each member is counted by its own rules (its ``xmtj.yaml``: lights, targets); the roll-up's target is its
own ``targets`` for the year if it has one, else the sum of its members' (``target_source`` says which).
A member whose submission fails its own ``check`` is listed with its problems and never counted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xmtj.figures.metrics import ProjectStatus, Summary, statuses_for, summarize
from xmtj.figures.periods import month_end
from xmtj.ledger.members import MemberRead, mirror_of, read_member, tag_for
from xmtj.ledger.records import Config


@dataclass(frozen=True)
class MemberFigures:
    read: MemberRead
    summary: Summary
    statuses: tuple[ProjectStatus, ...]
    rank: int


@dataclass(frozen=True)
class RollupReport:
    month: str
    year: int
    as_of: dt.date
    total: Summary
    target_source: str  # 本级目标 or 成员目标之和
    members: list[MemberFigures]  # counted, best completion rate first
    missing: list[MemberRead]  # 未报送, 未获取
    invalid: list[MemberRead]  # 报送有误
    head: bool  # read at the members' branch heads (未报送数据), not their submissions


def latest_month(root: Path, config: Config) -> str | None:
    """The latest month any member has submitted (from the tags in the mirrors)."""
    from xmtj.ledger import gitio

    months = []
    for member in config.members:
        mirror = mirror_of(root, member)
        if not mirror.is_dir():
            continue
        prefix = tag_for(member.tag, "")
        names = gitio.git(mirror, ["tag", "--list", f"{prefix}*"], check=False).stdout.decode("utf-8").split()
        months += [m[1] for name in names if (m := re.match(re.escape(prefix) + r"(\d{4}-\d{2})(-\d+)?$", name))]
    return max(months, default=None)


def rollup_report(root: Path, config: Config, month: str, head: bool = False) -> RollupReport:
    year, number = int(month[:4]), int(month[5:7])
    as_of = month_end(year, number)
    counted: list[tuple[MemberRead, Summary, list[ProjectStatus]]] = []
    missing, invalid = [], []
    for member in config.members:
        read = read_member(root, member, month, head)
        if read.state in ("未报送", "未获取"):
            missing.append(read)
        elif read.problems or read.ledger is None:
            invalid.append(read)
        else:
            own = read.ledger
            statuses = statuses_for(own.projects, own.issues, year, as_of, own.config.lights)
            summary = summarize(statuses, year, as_of, own.config.lights, own.config.targets.get(year), member.name)
            counted.append((read, summary, statuses))
    targets = [s.annual_target for _, s, _ in counted]
    own_target = config.targets.get(year)
    target: Decimal | None = own_target
    source = "本级目标"
    if own_target is None:
        target, source = (sum((t for t in targets if t), Decimal(0)) or None), "成员目标之和"
    everything = [s for _, _, statuses in counted for s in statuses]
    total = summarize(everything, year, as_of, config.lights, target, "合计")
    ranked = sorted(counted, key=lambda c: (-(c[1].plan_rate or 0), c[0].member.code))
    members = [MemberFigures(r, s, tuple(st), rank) for rank, (r, s, st) in enumerate(ranked, start=1)]
    return RollupReport(month, year, as_of, total, source, members, missing, invalid, head)
