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
from fractions import Fraction
from pathlib import Path
from typing import Any

from xmtj.figures.metrics import ProjectStatus, Rate, Summary, statuses_for, summarize
from xmtj.figures.rollup import combine
from xmtj.ledger.settings import Config
from xmtj.ledger.speed.rollcache import JsonCache
from xmtj.months import Month
from xmtj.problems import Problem
from xmtj.rollup.members import MemberRead, read_member, rewritten_tags, submissions
from xmtj.rollup.mirrors import current, mirror_of


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


def rollup_report(root: Path, config: Config, month: Month, head: bool = False) -> RollupReport:
    """Every member of ``config`` for ``month``: each submission is read once and its figures kept by
    the submission's tree id (content-addressed, so never stale): a repeat read lists each mirror's tags
    and reads nothing else."""
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
    results: list[tuple[MemberRead, Summary | None] | None] = []
    todo: list[tuple[int, Any, str | None]] = []
    for member in members:
        mirror = mirror_of(root, member)
        fresh = mirror.is_dir() and current(mirror, member)
        found = submissions(mirror, member.tag, month) if fresh and not head else []
        hit = cache.get(member.code, found[-1][1], month.key) if found else None
        if hit is not None:
            state, summary, problems = hit
            moved = tuple(t for t in rewritten_tags(mirror) if t in {name for name, _ in found})
            results.append((MemberRead(member, state, found[-1][0], found[-1][0], None, problems, moved), summary))
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


# --- the figures kept per submission (JSON: exact text, nothing that names code) ---------------------

RATES = ("new_start", "start_resume", "scheduled_start", "completion", "production", "progress_rate")


def _encode(s: Summary | None) -> dict[str, Any] | None:
    if s is None:
        return None

    def exact(v: Any) -> Any:
        if isinstance(v, Fraction):
            return f"{v.numerator}/{v.denominator}"
        if isinstance(v, Decimal):
            return str(v)
        return v

    out = {name: exact(getattr(s, name)) for name in ("key", "year", "projects", "total_investment", "annual_plan",
           "completed_ytd", "annual_target", "target_rate", "plan_rate", "ahead", "time_progress")}  # fmt: skip
    out |= {"as_of": s.as_of.isoformat(), "lights": dict(s.lights)}
    out |= {name: [getattr(s, name).done, getattr(s, name).planned] for name in RATES}
    return out


def _decode(d: dict[str, Any] | None) -> Summary | None:
    if d is None:
        return None

    def fraction(v: str | None) -> Fraction | None:
        return None if v is None else Fraction(v)

    def money(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    return Summary(
        key=d["key"], year=d["year"], as_of=dt.date.fromisoformat(d["as_of"]),
        time_progress=Fraction(d["time_progress"]), projects=d["projects"],
        total_investment=Decimal(d["total_investment"]), annual_plan=Decimal(d["annual_plan"]),
        completed_ytd=Decimal(d["completed_ytd"]), annual_target=money(d["annual_target"]),
        target_rate=fraction(d["target_rate"]), plan_rate=fraction(d["plan_rate"]), ahead=fraction(d["ahead"]),
        lights=dict(d["lights"]), new_start=Rate(*d["new_start"]), start_resume=Rate(*d["start_resume"]),
        scheduled_start=Rate(*d["scheduled_start"]), completion=Rate(*d["completion"]),
        production=Rate(*d["production"]), progress_rate=Rate(*d["progress_rate"]),
    )  # fmt: skip


class SummaryCache:
    """(member code, tree id, month) → (state, figures, problems), through the roll-up's JSON cache."""

    def __init__(self, root: Path) -> None:

        self.store = JsonCache(root)

    def get(self, code: str, tree: str, month: str) -> tuple[str, Summary | None, list[Problem]] | None:
        entry = self.store.get(f"{code}\x1f{tree}\x1f{month}")
        if not isinstance(entry, dict):
            return None
        try:
            problems = [Problem(**p) for p in entry.get("problems", [])]
            return entry["state"], _decode(entry.get("summary")), problems
        except (KeyError, TypeError, ValueError):
            return None

    def put(
        self, code: str, tree: str, month: str, state: str, summary: Summary | None, problems: list[Problem]
    ) -> None:
        value = {"state": state, "summary": _encode(summary), "problems": [p.as_dict() for p in problems]}
        self.store.put(f"{code}\x1f{tree}\x1f{month}", value)

    def save(self) -> None:
        self.store.save()
