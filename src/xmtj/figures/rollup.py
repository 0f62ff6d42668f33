"""A roll-up ledger's figures (a prefecture over its counties): each member's own figures as it submitted
them, and the totals — the same numbers the members' own ``status`` gives, added up.

Each member is counted by its own rules (its ``xmtj.yaml``: lights, targets); the roll-up's target is its
own ``targets`` for the year if it has one, else the sum of its members' (``target_source`` says which).
A member whose submission fails its own ``check`` is listed with its problems and never counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xmtj.figures.metrics import ProjectStatus, Summary, statuses_for, summarize
from xmtj.ledger.members import MemberRead, mirror_of, read_member
from xmtj.ledger.settings import Config
from xmtj.months import Month


@dataclass(frozen=True)
class MemberFigures:
    read: MemberRead
    summary: Summary
    statuses: tuple[ProjectStatus, ...]
    rank: int


@dataclass(frozen=True)
class RollupReport:
    month: Month
    year: int
    as_of: dt.date
    total: Summary
    target_source: str  # 本级目标 or 成员目标之和
    members: list[MemberFigures]  # counted, best completion rate first
    missing: list[MemberRead]  # 未报送, 未获取
    invalid: list[MemberRead]  # 报送有误
    head: bool  # read at the members' branch heads (未报送数据), not their submissions


def latest_month(root: Path, config: Config) -> Month | None:
    """The latest month any member has submitted (from the tags in the mirrors)."""
    from xmtj.ledger.members import _latest

    return max((m for m in (_latest(root, member) for member in config.members) if m), default=None)


def rollup_report(root: Path, config: Config, month: Month, head: bool = False) -> RollupReport:
    """Every member of ``config`` for ``month``: each submission is read once and its figures kept by
    the submission's tree id (content-addressed, so never stale): a repeat read lists each mirror's tags
    and reads nothing else."""
    from xmtj.figures.rollcache import SummaryCache

    year, as_of = month.year, month.last_day
    cache = SummaryCache(root)
    results = _read_all(root, list(config.members), month, head, cache, as_of)
    counted: list[tuple[MemberRead, Summary]] = []
    missing, invalid = [], []
    for read, summary in results:
        if read.state in ("未报送", "未获取"):
            missing.append(read)
        elif read.problems or summary is None:
            invalid.append(read)
        else:
            counted.append((read, summary))
    cache.save()
    targets = [s.annual_target for _, s in counted]
    own_target = config.targets.get(year)
    target: Decimal | None = own_target
    source = "本级目标"
    if own_target is None:
        target, source = (sum((t for t in targets if t), Decimal(0)) or None), "成员目标之和"
    total = combine([s for _, s in counted], year, as_of, target, "合计")
    ranked = sorted(counted, key=lambda c: (-(c[1].plan_rate or 0), c[0].member.code))
    members = [MemberFigures(r, s, (), rank) for rank, (r, s) in enumerate(ranked, start=1)]
    return RollupReport(month, year, as_of, total, source, members, missing, invalid, head)


def _read_all(
    root: Path, members: list[Any], month: Month, head: bool, cache: Any, as_of: dt.date
) -> list[tuple[MemberRead, Summary | None]]:
    """Each member's read and figures, in the members' order: from the cache when its submission's tree
    was read before; the others read in worker processes (a first read of a province parses 200,000 files)."""
    from xmtj.ledger.members import submissions

    results: list[tuple[MemberRead, Summary | None] | None] = []
    todo: list[tuple[int, Any, str | None]] = []
    for member in members:
        mirror = mirror_of(root, member)
        found = submissions(mirror, member.tag, month) if mirror.is_dir() and not head else []
        hit = cache.get(member.code, found[-1][1], month.key) if found else None
        if hit is not None:
            state, summary, problems = hit
            results.append((MemberRead(member, state, found[-1][0], found[-1][0], None, problems), summary))
        else:
            results.append(None)
            todo.append((len(results) - 1, member, found[-1][1] if found else None))
    for (i, member, tree), (read, summary) in zip(todo, _cold_reads(root, [m for _, m, _ in todo], month, head, as_of),
                                                  strict=True):  # fmt: skip
        results[i] = (read, summary)
        if tree is not None and read.state in ("已报送", "报送有误"):
            cache.put(member.code, tree, month.key, read.state, summary, read.problems)
    return [r for r in results if r is not None]


def _cold_reads(
    root: Path, members: list[Any], month: Month, head: bool, as_of: dt.date
) -> list[tuple[MemberRead, Summary | None]]:
    if len(members) < 4:
        return [_cold(root, m, month, head, as_of) for m in members]
    import os
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, 8)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_cold, *zip(*[(root, m, month, head, as_of) for m in members], strict=True)))


def _cold(root: Path, member: Any, month: Month, head: bool, as_of: dt.date) -> tuple[MemberRead, Summary | None]:
    """One member read from its mirror and counted by its own rules (in a worker: what comes back is the
    read without its records, and the figures without the slow projects' records)."""
    import dataclasses

    read = read_member(root, member, month, head)
    summary = None
    if read.ledger is not None and not read.problems:
        own = read.ledger
        statuses = statuses_for(own.projects, own.issues, as_of.year, as_of, own.config.lights)
        target = own.config.targets.get(as_of.year)
        summary = dataclasses.replace(
            summarize(statuses, as_of.year, as_of, own.config.lights, target, member.name), lagging=()
        )
    read.ledger = None
    return read, summary


def combine(parts: list[Summary], year: int, as_of: dt.date, target: Decimal | None, key: str) -> Summary:
    """The members' figures added up: counts, money and each rate's numerator and denominator."""
    from xmtj.figures.metrics import HUNDRED, Rate, ratio
    from xmtj.months import expected_share_of_year

    def total(name: str) -> Decimal:
        return sum((getattr(p, name) for p in parts), Decimal(0))

    def rate(name: str) -> Rate:
        return Rate(sum(getattr(p, name).done for p in parts), sum(getattr(p, name).planned for p in parts))

    done, plan = total("completed_ytd"), total("annual_plan")
    tp = expected_share_of_year(year, as_of)
    plan_rate = ratio(done, plan)
    lights = {c: sum(p.lights.get(c, 0) for p in parts) for c in ("green", "yellow", "red")}
    return Summary(
        key=key, year=year, as_of=as_of, time_progress=tp, projects=sum(p.projects for p in parts),
        total_investment=total("total_investment"), annual_plan=plan, completed_ytd=done, annual_target=target,
        target_rate=ratio(done, target) if target else None, plan_rate=plan_rate,
        ahead=(plan_rate - tp) * HUNDRED if plan_rate is not None else None, lights=lights,
        new_start=rate("new_start"), start_resume=rate("start_resume"), scheduled_start=rate("scheduled_start"),
        completion=rate("completion"), production=rate("production"), progress_rate=rate("progress_rate"),
    )  # fmt: skip
