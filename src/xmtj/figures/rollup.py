"""A roll-up's totals: the members' figures added up — counts, money and each rate's numerator and
denominator — by the same ``Summary`` every ledger's own ``status`` gives. (Reading the members, from
their mirrors, is ``xmtj.rollup``.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xmtj.figures.metrics import LIGHT_KEYS, Rate, Summary
from xmtj.figures.schedule import points_ahead, ratio
from xmtj.months import expected_share_of_year


def combine(parts: list[Summary], year: int, as_of: dt.date, target: Decimal | None, key: str) -> Summary:
    """The members' figures added up: counts, money and each rate's numerator and denominator."""

    def total(name: str) -> Decimal:
        return sum((getattr(p, name) for p in parts), Decimal(0))

    def rate(name: str) -> Rate:
        return Rate(sum(getattr(p, name).done for p in parts), sum(getattr(p, name).planned for p in parts))

    done, plan = total("completed_ytd"), total("annual_plan")
    tp = expected_share_of_year(year, as_of)
    plan_rate = ratio(done, plan)
    lights = {c: sum(p.lights.get(c, 0) for p in parts) for c in LIGHT_KEYS}
    # an older xmtj's figures count only the lit projects: the rest of its projects were not yet due
    lights["not_due"] += sum(p.projects - sum(p.lights.get(c, 0) for c in LIGHT_KEYS) for p in parts)
    return Summary(
        key=key, year=year, as_of=as_of, time_progress=tp, projects=sum(p.projects for p in parts),
        total_investment=total("total_investment"), annual_plan=plan, completed_ytd=done, annual_target=target,
        target_rate=ratio(done, target) if target else None, plan_rate=plan_rate,
        ahead=points_ahead(plan_rate, tp), lights=lights,
        new_start=rate("new_start"), start_resume=rate("start_resume"), scheduled_start=rate("scheduled_start"),
        completion=rate("completion"), production=rate("production"), progress_rate=rate("progress_rate"),
    )  # fmt: skip
