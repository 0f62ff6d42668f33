"""A roll-up's figures per member submission, kept by the submission's git tree id.

A tree id names the content of a whole submission, so figures computed from it are the figures of every
later read of the same submission: a repeat ``status`` at a prefecture reads each mirror's tag list and
nothing else. The cache is JSON (numbers as exact text, no code can be named in it), kept in the
roll-up's private cache folder (``xmtj.ledger.speed.cache``: the current user's own, nobody else's), in
a file named after the cache format and the xmtj version.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from xmtj import __version__
from xmtj.figures.metrics import Rate, Summary
from xmtj.problems import Problem

FORMAT = 1
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
    """(member code, tree id, month) → (state, figures, problems)."""

    def __init__(self, root: Path) -> None:
        from xmtj.ledger.speed.cache import cache_home

        self.top, folder = cache_home(root)
        self.folder = folder / "rollup"
        self.name = f"v{FORMAT}-xmtj{__version__}.json"
        self.entries: dict[str, Any] = {}
        self.changed = False
        self._load()

    def _load(self) -> None:
        from xmtj.ledger.private import private_chain, read_private

        path = self.folder / self.name
        if not (path.is_file() and private_chain(self.top, self.folder)):
            return
        try:
            loaded = json.loads(read_private(path))
        except (OSError, ValueError):
            return
        self.entries = loaded if isinstance(loaded, dict) else {}

    def get(self, code: str, tree: str, month: str) -> tuple[str, Summary | None, list[Problem]] | None:
        entry = self.entries.get(f"{code}\x1f{tree}\x1f{month}")
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
        self.entries[f"{code}\x1f{tree}\x1f{month}"] = {
            "state": state, "summary": _encode(summary), "problems": [p.as_dict() for p in problems],
        }  # fmt: skip
        self.changed = True

    def save(self) -> None:
        """Written only when something was added; never fails (a cache is an optimisation)."""
        from xmtj.ledger.private import private_chain, write_private

        if not self.changed:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if private_chain(self.top, self.folder):
                write_private(self.folder, self.name, json.dumps(self.entries, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
