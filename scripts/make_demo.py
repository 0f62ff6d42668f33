"""Write the demo ledger (河津市, 2021) that reproduces the source article's figures.

Deterministic: the same seed gives the same files byte for byte. Run it into a folder outside git
(``python scripts/make_demo.py --root /tmp/demo``) and copy ``xmtj.yaml`` and ``data/`` back: the letter
numbers come from the register's git history, so generating inside this repository would number the
letters after the ones already issued. It checks the figures with xmtj's own core, failing loudly if
any target is missed.

Everything except the 鹤龙 project's published figures is invented; every person is fictional.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_tables import (
    BRANCH_ITEMS,
    BRANCHES,
    COMPLETED_TEXT,
    CONTENT,
    FEEDBACK_TEXTS,
    FIRM_TYPES,
    FIRMS,
    LEADER_TITLES,
    LEVELS,
    PLACES,
    PRODUCTION_TEXT,
    PROGRESS_TEXTS,
    SIX_NEW,
    SURNAMES,
    TOWNS,
    Item,
)

from xmtj.months import MonthDate

D = dt.date
YEAR = 2021
AS_OF = D(2021, 11, 30)
REPORT_DAY = D(2021, 12, 14)
TARGET_2021 = 411800  # 万元: 539400 / 411800 = 131.0%
TARGET_COMPLETED = 539400  # 万元 = 53.94亿元
PLAN_2021 = 537300  # 万元: the year's plans, about 53.7亿元 (53.94 of it is 100.4%)
PLAN_2022_GOV = 1_100_000  # 110亿元
PLAN_2022_SOCIAL = 5_000_000  # 500亿元


GROUP_STARTS = [D(2021, 3, 18), D(2021, 4, 22), D(2021, 6, 10), D(2021, 8, 18), D(2021, 10, 12)]
TOURS = [D(2021, 5, 27), D(2021, 8, 26), D(2021, 11, 18)]


@dataclass
class Plan:
    """What the generator intends for one 2021 project before its figures are drawn."""

    pid: str
    kind: str  # continuing | new | late_red | late_yellow | not_due
    target: str  # green | yellow | red | overdue_issue | none
    data: dict[str, Any] = field(default_factory=dict)


def month_keys(first: D, last: D) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def split(total: int, n: int, rng: random.Random) -> list[int]:
    """``total`` as ``n`` positive-ish integer parts."""
    if n <= 0:
        return []
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    scale = sum(weights)
    parts = [int(total * w / scale) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        return f"{self.rng.choice(SURNAMES)}某某"

    def project(self, branch: str) -> tuple[str, str, Item]:
        """A project of ``branch``: its name, its owner and what it builds."""
        for _ in range(200):
            item = self.rng.choice(BRANCH_ITEMS[branch])
            place = self.rng.choice(PLACES)
            sector = item.sector or BRANCHES[branch][1]
            if sector == "产业" and not item.owner:
                firm_type = self.rng.choice(FIRM_TYPES.get(item.firms or item.kind, FIRM_TYPES["plant"]))
                owner = f"山西{place}{self.rng.choice(FIRMS)}{firm_type}有限公司"
                name = owner.removesuffix("有限公司") + item.name.removesuffix("项目") + "项目"
            else:
                platform = {"road": "交通建设", "pipe": "水务", "water": "水务"}.get(item.kind, "城市建设投资")
                owner = item.owner or f"河津市{platform}有限公司"
                if "{town}" in item.name:
                    name = "河津市" + item.name.format(town=self.rng.choice(TOWNS))
                else:
                    name = f"河津市{place}{item.name}" if item.place else f"河津市{item.name}"
            if name not in self.used:
                self.used.add(name)
                return name, owner, item
        raise RuntimeError("ran out of project names")


def rand_day(rng: random.Random, first: D, last: D) -> D:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def base_project(pid: str, branch: str, names: Names, leaders: list[str], rng: random.Random) -> dict[str, Any]:
    name, owner, item = names.project(branch)
    unit = item.unit or BRANCHES[branch][0]
    sector = item.sector or BRANCHES[branch][1]
    gov = sector != "产业"
    if rng.random() < 0.15:
        gov = not gov
    levels = ["河津市重点项目"]
    roll = rng.random()
    if roll < 0.25:
        levels.insert(0, "省级重点项目")
    if roll > 0.45:
        levels.insert(0, '运城市"1311"重大工程项目' if rng.random() < 0.5 else '运城市"五抓一优一促"项目')
    project: dict[str, Any] = {
        "id": pid,
        "name": name,
        "owner": owner,
        "content": CONTENT[item.kind],
        "location": f"河津市{rng.choice(PLACES)}",
        "levels": levels,
        "investment_type": "政府投资" if gov else "社会投资",
        "sector": sector,
    }
    if sector == "产业" and rng.random() < 0.5:
        project["six_new"] = rng.choice(SIX_NEW)
    project["_kind"] = item.kind  # which 形象进度 its works pass through (not a field: dropped when written)
    project.update(
        {
            "branch": branch,
            "responsible_unit": unit,
            "liaison_leader": rng.choice(leaders),
            "contact": {"name": f"{rng.choice(SURNAMES)}某", "phone": f"138{rng.randint(0, 99999999):08d}"},
        }
    )
    return project


def helong() -> dict[str, Any]:
    """The one real project, with its published figures (dates and monthly figures invented)."""
    return {
        "id": "HJ2021-001",
        "name": "山西鹤龙精细化工有限公司高纯度对甲酚项目",
        "owner": "山西鹤龙精细化工有限公司",
        "content": "建设对甲酚生产装置及配套公用工程、环保设施",
        "capacity": "年产18800吨高纯度对甲酚、600吨邻甲酚、600吨苯酚、40500吨粗品亚硫酸钠、8500吨甲苯磺酸液",
        "location": "河津经济技术开发区",
        "levels": ["省级重点项目", "河津市重点项目"],
        "investment_type": "社会投资",
        "sector": "产业",
        "six_new": "新材料",
        "branch": "经济技术开发区分指挥部",
        "responsible_unit": "河津经济技术开发区管委会",
        "liaison_leader": "李某某（副市长）",
        "contact": {"name": "赵某", "phone": "13800000000"},
        "total_investment": 46800,
        "_kind": "plant",
    }


@dataclass
class Demo:
    """What the phases of ``build`` share: the random source, the fictional people, the records so far."""

    rng: random.Random
    names: Names
    leaders: list[str]
    branches: list[str]
    plans: list[Plan] = field(default_factory=list)
    completed_ids: set[str] = field(default_factory=set)
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)


def cast(seed: int) -> Demo:
    """The random source, the fictional people and the branches."""
    rng = random.Random(seed)
    names = Names(rng)
    names.used.add(helong()["name"])
    leaders = [
        f"{SURNAMES[i * 3 % len(SURNAMES)]}某某（{LEADER_TITLES[i % len(LEADER_TITLES)]}）" for i in range(1, 11)
    ]
    leaders.append("李某某（副市长）")
    branches = list(BRANCHES)
    return Demo(rng, names, leaders, branches)


def outcomes(demo: Demo) -> None:
    """Who is what on 2021-11-30: new starts, continuing, late, completed, lagging; the project records."""
    rng, names, leaders, branches = demo.rng, demo.names, demo.leaders, demo.branches
    kinds = ["continuing"] * 28 + ["new"] * 63 + ["late_red"] * 3 + ["late_yellow"] * 2 + ["not_due"] * 4
    plans = [Plan(f"HJ2021-{i:03d}", kind, "none") for i, kind in enumerate(kinds, start=1)]
    plans[0], plans[28] = plans[28], plans[0]  # HJ2021-001 (鹤龙) is a 2021 new start
    for i, p in enumerate(plans, start=1):
        p.pid = f"HJ2021-{i:03d}"
    started = [p for p in plans if p.kind in ("continuing", "new") and p.pid != "HJ2021-001"]
    rng.shuffle(started)
    # which started projects finish in 2021 (always green), which lag
    completed_ids: set[str] = set()
    cont = [p for p in started if p.kind == "continuing"]
    new = [p for p in started if p.kind == "new"]
    for p in cont[:7] + new[:3]:
        completed_ids.add(p.pid)
    running = [p for p in started if p.pid not in completed_ids]
    for p in running[:4]:
        p.target = "red"
    for p in running[4:10]:
        p.target = "yellow"
    for p in running[10:13]:
        p.target = "overdue_issue"
    for p in plans:
        if p.kind == "late_red":
            p.target = "red"
        elif p.kind == "late_yellow":
            p.target = "yellow"
        elif p.target == "none" and p.kind != "not_due":
            p.target = "green"

    projects: dict[str, dict[str, Any]] = {}
    for p in plans:
        data = helong() if p.pid == "HJ2021-001" else base_project(p.pid, rng.choice(branches), names, leaders, rng)
        data["key_years"] = [YEAR]
        p.data = data
        projects[p.pid] = data
    demo.plans, demo.completed_ids, demo.projects = plans, completed_ids, projects


def money_and_dates(demo: Demo) -> None:
    """Money and dates: plans, starts, completions, monthly progress that adds up to the article's total."""
    rng, plans, completed_ids, projects = demo.rng, demo.plans, demo.completed_ids, demo.projects
    drawn = [rng.randint(12, 35) * 1000 if rng.random() < 0.08 else rng.randint(10, 70) * 100 for _ in plans]
    # the year's plans add up to about what the office planned (53.7亿元): 100.4% done, as the article's city
    scale = (PLAN_2021 - 20000) / (sum(drawn) - drawn[0])
    sizes = [20000] + [max(round(x * scale / 100) * 100, 500) for x in drawn[1:]]  # HJ2021-001 (鹤龙) first
    for p, plan in zip(plans, sizes, strict=True):
        d = p.data
        d["nature"] = "续建" if p.kind == "continuing" else "新建"
        if p.kind == "continuing":
            start = rand_day(rng, D(2019, 9, 1), D(2020, 10, 31))
            d["planned_start"] = start - dt.timedelta(days=rng.randint(0, 30))
            d["actual_start"] = start
            prior = int(plan * rng.uniform(0.5, 1.5)) // 100 * 100
            d["annual_plan"] = {2020: prior, YEAR: plan}
            prior_months = month_keys(max(start, D(2020, 1, 1)), D(2020, 12, 31))
            d["_progress_2020"] = dict(
                zip(prior_months, split(int(prior * rng.uniform(0.9, 1.05)), len(prior_months), rng), strict=True)
            )
        elif p.kind == "new":
            if d["id"] == "HJ2021-001":
                d["planned_start"], start = D(2021, 3, 1), D(2021, 3, 18)
            else:
                latest = D(2021, 5, 20) if p.pid in completed_ids else D(2021, 9, 30)  # time to be completed
                d["planned_start"] = rand_day(rng, D(2021, 2, 20), latest)
                start = rng.choice(GROUP_STARTS + [d["planned_start"] + dt.timedelta(days=rng.randint(0, 25))])
                start = max(start, d["planned_start"] - dt.timedelta(days=20))
                start = min(start, D(2021, 10, 20))
            d["actual_start"] = start
            d["annual_plan"] = {YEAR: plan}
        elif p.kind == "late_red":
            d["planned_start"] = rand_day(rng, D(2021, 4, 1), D(2021, 8, 20))
            d["annual_plan"] = {YEAR: plan}
        elif p.kind == "late_yellow":
            d["planned_start"] = rand_day(rng, D(2021, 9, 5), D(2021, 10, 25))
            d["annual_plan"] = {YEAR: plan}
        else:
            d["planned_start"] = rand_day(rng, D(2021, 12, 5), D(2021, 12, 28))
            d["annual_plan"] = {YEAR: rng.randint(5, 30) * 100}
            d["key_years"] = [YEAR, 2022]
        # schedule
        start_plan = d["planned_start"]
        done = p.pid in completed_ids
        if done:
            d["planned_completion"] = rand_day(
                rng, max(D(2021, 5, 1), start_plan + dt.timedelta(days=90)), D(2021, 11, 15)
            )
            d["actual_completion"] = min(
                d["planned_completion"] + dt.timedelta(days=rng.randint(-20, 10)), D(2021, 11, 25)
            )
            d["actual_completion"] = max(d["actual_completion"], d["actual_start"] + dt.timedelta(days=60))
            if d["sector"] == "产业" and rng.random() < 0.8:
                d["planned_production"] = d["planned_completion"] + dt.timedelta(days=rng.randint(0, 20))
                d["actual_production"] = min(
                    d["actual_completion"] + dt.timedelta(days=rng.randint(3, 25)), D(2021, 11, 28)
                )
        else:
            years = rng.choice([1, 2, 2, 3])
            d["planned_completion"] = D(start_plan.year + years, rng.randint(3, 12), 28 if rng.random() < 0.5 else 15)
            if d["sector"] == "产业":
                d["planned_production"] = d["planned_completion"] + dt.timedelta(days=rng.randint(15, 90))
            if d["id"] == "HJ2021-001":
                d["planned_completion"], d["planned_production"] = D(2022, 12, 31), D(2023, 3, 31)
            elif p.target == "green" and d["sector"] == "产业" and rng.random() < 0.12:
                # planned to produce in 2021 but not yet there: keeps 投产率 honest
                d["planned_completion"] = D(2021, 12, 20)
                d["planned_production"] = D(2021, 12, 28)
        d["total_investment"] = d.get("total_investment") or int(plan * rng.uniform(1.2, 3.5)) // 100 * 100
        d["total_investment"] = max(d["total_investment"], sum(d["annual_plan"].values()) + 1000)
        # monthly plan for some projects started late in the year (expected share follows it)
        if p.kind == "new" and (d["actual_start"] >= D(2021, 6, 15) or rng.random() < 0.1) and d["id"] != "HJ2021-001":
            months = month_keys(d["actual_start"], D(2021, 12, 31))
            d["monthly_plan"] = dict(zip(months, split(plan, len(months), rng), strict=True))

    # year-to-date figures that give the intended light
    from xmtj.figures.schedule import monthly_share, own_schedule
    from xmtj.ledger.records import Project
    from xmtj.ledger.validation import validate_record as validate

    def model(d: dict[str, Any]) -> Project:
        return validate(Project, {k: v for k, v in d.items() if not k.startswith("_")})

    lag_for = {"red": (35, 55), "yellow": (13, 27), "overdue_issue": (-8, 4), "green": (-30, 4)}
    for p in plans:
        d = p.data
        if p.kind not in ("continuing", "new"):
            continue
        plan = d["annual_plan"][YEAR]
        if p.pid in completed_ids:
            share = rng.uniform(0.95, 1.08)
        else:
            project = model(d)
            expected = monthly_share(project, YEAR, AS_OF)
            if expected is None:
                expected = own_schedule(project, YEAR, AS_OF, "own_schedule")[0]
            lo, hi = lag_for[p.target]
            share = max(float(expected) - rng.uniform(lo, hi) / 100, 0.0)
            d["_floor"] = int(plan * (float(expected) - 0.08)) + 1  # the least that keeps it green (lag < 8)
        d["_ytd"] = max(int(plan * share), 100)
    projects["HJ2021-001"]["_ytd"] = 19400

    # hit 539400 exactly by adjusting green, unfinished projects (they stay green: only more is done)
    greens = [
        p.data
        for p in plans
        if p.target == "green" and p.pid not in completed_ids and "_ytd" in p.data and p.pid != "HJ2021-001"
    ]
    gap = TARGET_COMPLETED - sum(p.data.get("_ytd", 0) for p in plans)
    room = {d["id"]: d["total_investment"] - sum(d.get("_progress_2020", {}).values()) - d["_ytd"] for d in greens}
    greens.sort(key=lambda d: -room[d["id"]])
    for d in greens if gap < 0 else []:  # too much done: the greens furthest ahead do less, staying green
        give = min(-gap, max(d["_ytd"] - max(d["_floor"], 100), 0))
        d["_ytd"] -= give
        gap += give
    if gap < 0:
        raise SystemExit(f"demo: year-to-date too high by {-gap} 万元; change the seed or the plan sizes")
    for d in greens:
        take = min(gap, int(room[d["id"]] * 0.9), int(d["annual_plan"][YEAR] * 0.35))
        d["_ytd"] += take
        gap -= take
        if gap == 0:
            break
    if gap:
        raise SystemExit(f"demo: could not place {gap} 万元 of completed investment")

    for p in plans:
        d = p.data
        progress: dict[str, Any] = dict(d.pop("_progress_2020", {}))
        ytd = d.pop("_ytd", 0)
        d.pop("_floor", None)
        spent = sum(progress.values()) + ytd  # a total investment is never less than what is spent on it
        if d["total_investment"] < spent:
            d["total_investment"] = -(-spent // 100) * 100
        if ytd:
            first = max(d["actual_start"], D(2021, 1, 1))
            last = min(d.get("actual_completion") or AS_OF, AS_OF)
            months = month_keys(first, last)
            texts = PROGRESS_TEXTS[d["_kind"]]
            completed, produced = d.get("actual_completion"), d.get("actual_production")
            for i, (m, amount) in enumerate(zip(months, split(ytd, len(months), rng), strict=True)):
                stage = texts[min(len(texts) - 1, i * len(texts) // len(months))]
                if completed is not None and m == months[-1]:  # the month it was completed (竣工验收)
                    produced_then = produced is not None and month_keys(produced, produced)[0] == m
                    stage = PRODUCTION_TEXT if produced_then else COMPLETED_TEXT
                if i % 3 == 1 or m == months[-1]:
                    progress[m] = {"amount": amount, "text": stage}
                else:
                    progress[m] = amount
        if progress:
            d["progress"] = progress

    # approvals
    for d in projects.values():
        start = d["planned_start"]
        items = [
            "立项备案" if d["investment_type"] == "社会投资" else "立项审批",
            "用地预审",
            "规划许可",
            "环评批复",
            "施工许可",
        ]
        approvals = []
        for j, item in enumerate(items):
            when = start - dt.timedelta(days=(len(items) - j) * rng.randint(12, 30))
            done = d.get("actual_start") is not None or j < 3
            entry: dict[str, Any] = {"item": item, "status": "已办结" if done else "办理中"}
            entry["date"] = when  # 已办结: granted that day; 办理中: filed (受理) that day
            if done:
                entry["doc_no"] = (
                    f"河{['发改', '自然资源', '规划', '环审', '住建'][j]}〔{when.year}〕{rng.randint(3, 120)}号"
                )
            approvals.append(entry)
        d["approvals"] = approvals


def plan_2022(demo: Demo) -> None:
    """2022: the continuing projects plus new ones, 189 in all, with the article's totals by investment type."""
    rng, names, leaders, projects = demo.rng, demo.names, demo.leaders, demo.projects
    carried = [
        d
        for d in projects.values()
        if d.get("actual_completion") is None
        and d["planned_completion"] >= D(2022, 1, 1)
        and d["planned_start"] <= D(2021, 10, 31)
    ][:40]
    for d in carried:
        d["key_years"] = [YEAR, 2022]
        d["annual_plan"][2022] = min(
            int(d["total_investment"] * rng.uniform(0.2, 0.4)) // 100 * 100,
            d["total_investment"] - sum(d["annual_plan"].values()),
        )
    on_2022 = [d for d in projects.values() if 2022 in d["key_years"]]
    for d in on_2022:  # a key project of 2022 has its 2022 plan (check warns otherwise); no draw from rng
        if 2022 not in d["annual_plan"]:
            left = d["total_investment"] - sum(d["annual_plan"].values())
            d["annual_plan"][2022] = min(d["total_investment"] * 3 // 10 // 100 * 100, left)
    want = {"政府投资": (105, PLAN_2022_GOV), "社会投资": (84, PLAN_2022_SOCIAL)}
    next_id = 1
    for kind, (count, total) in want.items():
        have = [d for d in on_2022 if d["investment_type"] == kind]
        missing = count - len(have)
        left = total - sum(d["total_investment"] for d in have)
        if missing <= 0 or left <= missing * 1000:
            raise SystemExit(f"demo: 2022 {kind}: {len(have)} carried projects leave no room")
        sizes = split(left // 100, missing, rng)
        sizes = [s * 100 for s in sizes]
        sizes[-1] += left - sum(sizes)
        for size in sizes:
            pid = f"HJ2022-{next_id:03d}"
            next_id += 1
            if kind == "社会投资":
                branch = rng.choice([b for b, (_, s) in BRANCHES.items() if s == "产业"])
            else:
                branch = rng.choice([b for b, (_, s) in BRANCHES.items() if s != "产业"])
            d = base_project(pid, branch, names, leaders, rng)
            d["investment_type"] = kind
            d["key_years"] = [2022]
            d["nature"] = "改扩建" if rng.random() < 0.15 else "新建"
            d["total_investment"] = size
            d["annual_plan"] = {2022: max(size * rng.randint(15, 40) // 100 // 100 * 100, 100)}
            d["planned_start"] = rand_day(rng, D(2022, 3, 1), D(2022, 10, 31))
            if rng.random() < 0.4:  # planned by the month, as many 谋划 lists are (计划开工 2022年5月)
                d["planned_start"] = MonthDate(2022, d["planned_start"].month)
            d["planned_completion"] = D(d["planned_start"].year + rng.choice([1, 2, 3]), rng.randint(1, 12), 28)
            if d["sector"] == "产业":
                d["planned_production"] = d["planned_completion"] + dt.timedelta(days=rng.randint(15, 90))
            d["approvals"] = [{"item": "立项备案" if kind == "社会投资" else "立项审批", "status": "办理中"}]
            d["remarks"] = "2022年谋划项目"
            projects[pid] = d


def meetings_of_the_year(demo: Demo) -> None:
    """调度会, 集中开工 and 集中观摩 of 2021."""
    rng, leaders, projects = demo.rng, demo.leaders, demo.projects
    meetings: dict[str, dict[str, Any]] = {}
    chairs = [leaders[0], leaders[1], "刘某某（市长）", "郭某某（市委书记）"]
    day, dd_dates = D(2021, 1, 12), []
    while len(dd_dates) < 45:
        if not (D(2021, 2, 5) <= day <= D(2021, 2, 22)):
            dd_dates.append(day)
        day += dt.timedelta(days=7 if len(dd_dates) % 4 else 8)
    started_list = [d for d in projects.values() if d.get("actual_start") and d["actual_start"].year == YEAR]
    running_list = [d for d in projects.values() if d.get("actual_start") and YEAR in d["key_years"]]
    for n, when in enumerate(dd_dates, start=1):
        covered = (
            sorted(
                rng.sample(
                    [d["id"] for d in running_list if d["actual_start"] <= when] or ["HJ2021-001"],
                    k=min(6, len(running_list)),
                ),
                key=str,
            )
            if any(d["actual_start"] <= when for d in running_list)
            else []
        )
        meetings[f"DD2021-{n:02d}"] = {
            "id": f"DD2021-{n:02d}",
            "kind": "调度会",
            "date": when,
            "title": f"全市重点项目建设第{n}次调度会",
            "chair": rng.choice(chairs),
            "projects": covered,
            "decisions": ["各责任单位对照问题清单逐项销号", "包联领导每月至少深入项目现场一次"][: rng.randint(1, 2)],
        }
    for n, when in enumerate(GROUP_STARTS, start=1):
        ids = sorted(d["id"] for d in started_list if d["actual_start"] == when)
        meetings[f"KG2021-{n}"] = {
            "id": f"KG2021-{n}",
            "kind": "集中开工",
            "date": when,
            "title": f"2021年全市重点项目第{n}批集中开工活动",
            "chair": "郭某某（市委书记）",
            "projects": ids,
            "decisions": ["开工项目倒排工期，确保年内形成实物工作量"],
        }
    for n, when in enumerate(TOURS, start=1):
        pool = sorted(d["id"] for d in running_list if d["actual_start"] <= when)
        meetings[f"GM2021-{n}"] = {
            "id": f"GM2021-{n}",
            "kind": "集中观摩",
            "date": when,
            "title": f"2021年全市重点项目第{n}次集中观摩",
            "chair": "刘某某（市长）",
            "projects": sorted(rng.sample(pool, k=min(12, len(pool)))),
            "decisions": ["观摩中发现的问题由推进中心建立台账、限期办结"],
        }
    demo.meetings = meetings


def problems(demo: Demo) -> None:
    """The problems: raised at meetings and on site, most resolved, a few overdue."""
    rng, plans, projects, meetings = demo.rng, demo.plans, demo.projects, demo.meetings
    issues: dict[str, dict[str, Any]] = {}
    categories = ["用地", "资金", "手续", "水电气路", "征地拆迁", "其他"]
    descriptions = {
        "用地": "项目用地指标尚未落实，影响后续建设",
        "资金": "项目资金到位不足，工程款拨付滞后",
        "手续": "施工许可等前期手续办理进度缓慢",
        "水电气路": "施工用电线路尚未接通，影响设备调试",
        "征地拆迁": "部分地块征地拆迁未完成，施工作业面受限",
        "其他": "施工现场扬尘治理措施落实不到位",
    }
    lit = {p.pid for p in plans if p.target in ("red", "yellow") and p.kind in ("continuing", "new")}
    overdue_targets = [p.pid for p in plans if p.target == "overdue_issue"]
    safe_projects = sorted(d["id"] for d in projects.values() if d.get("actual_start") and YEAR in d["key_years"])
    n = 0

    def add(
        project: str | None, source: str, raised: D, deadline: D, resolved: D | None, meeting: str | None = None
    ) -> None:
        nonlocal n
        n += 1
        iid = f"WT2021-{n:03d}"
        category = rng.choice(categories)
        unit = projects[project]["responsible_unit"] if project else "市自然资源局"
        issue: dict[str, Any] = {"id": iid}
        if project:
            issue["project"] = project
        issue.update({"description": descriptions[category], "category": category, "source": source})
        if meeting:
            issue["meeting"] = meeting
        issue.update({"raised_on": raised, "responsible_unit": unit, "deadline": deadline})
        if resolved:
            issue.update({"status": "已办结", "resolved_on": resolved, "resolution": "经协调已解决，销号"})
        else:
            issue["status"] = "推进中"
        issues[iid] = issue

    # 65 resolved by 2021-11-30; 62 of all problems come from 现场督查
    sources = ["现场督查"] * 62 + ["调度会"] * 10 + ["企业反映"] * 5 + ["包联领导"] * 3 + ["集中观摩"] * 2
    rng.shuffle(sources)
    open_overdue = [(pid, src) for pid, src in zip(overdue_targets + sorted(lit)[:4], sources[:7], strict=True)]
    open_fresh = sources[7:17]
    resolved_sources = sources[17:]
    for pid, src in open_overdue:
        start = projects[pid]["actual_start"]
        first = max(start, D(2021, 6, 1))
        raised = rand_day(rng, first, max(first, D(2021, 10, 25)))
        add(pid, src, raised, raised + dt.timedelta(days=rng.randint(15, 30)), None)
    for src in open_fresh:
        raised = rand_day(rng, D(2021, 11, 1), D(2021, 11, 25))
        pid = rng.choice(safe_projects + [None])
        if pid and projects[pid]["actual_start"] > raised:
            pid = None
        add(pid, src, raised, D(2021, 12, 31), None)
    for src in resolved_sources:
        pid = rng.choice(safe_projects + [None])
        first = max(projects[pid]["actual_start"], D(2021, 1, 15)) if pid else D(2021, 1, 15)
        raised = rand_day(rng, first, max(first, D(2021, 10, 31)))
        resolved = min(raised + dt.timedelta(days=rng.randint(5, 25)), AS_OF)
        add(pid, src, raised, raised + dt.timedelta(days=30), resolved)
    # 调度会 problems name the meeting held on the day they were raised (or the one before)
    for issue in issues.values():
        if issue["source"] == "调度会":
            held = [m for m in meetings.values() if m["kind"] == "调度会" and m["date"] <= issue["raised_on"]]
            if held:
                meeting = held[-1]
                issue["raised_on"] = meeting["date"]
                issue["meeting"] = meeting["id"]
                if issue.get("resolved_on") and issue["resolved_on"] < meeting["date"]:
                    issue["resolved_on"] = meeting["date"]
                if issue["deadline"] < meeting["date"]:
                    issue["deadline"] = meeting["date"] + dt.timedelta(days=20)
            else:
                issue["source"] = "现场督查"
        elif issue["source"] == "集中观摩":
            tour = next(m for m in meetings.values() if m["kind"] == "集中观摩")
            issue["raised_on"] = max(issue["raised_on"], tour["date"])
            issue["meeting"] = tour["id"]
            if issue.get("resolved_on") and issue["resolved_on"] < issue["raised_on"]:
                issue["resolved_on"] = issue["raised_on"]
            issue["deadline"] = max(issue["deadline"], issue["raised_on"] + dt.timedelta(days=30))
        if (
            issue.get("project")
            and projects[issue["project"]].get("actual_start")
            and projects[issue["project"]]["actual_start"] > issue["raised_on"]
        ):
            issue["raised_on"] = projects[issue["project"]]["actual_start"]
    demo.issues = issues


def build(seed: int) -> dict[str, dict[str, dict[str, Any]]]:
    """Every record of the demo, phase by phase; each phase draws from the same random source in turn."""
    demo = cast(seed)
    for phase in (outcomes, money_and_dates, plan_2022, meetings_of_the_year, problems):
        phase(demo)
    return {"projects": demo.projects, "issues": demo.issues, "meetings": demo.meetings}


# --- writing ---------------------------------------------------------------------------------


CONFIG = """\
# 河津市重点项目台账（演示数据）：除鹤龙项目的公开数据外均为虚构，人员姓名均为虚构。
office: 河津市重点项目总指挥部办公室
city: 河津市
letter_prefix: 河重指办督
contact: {name: 王某某（虚构）, phone: 0359-5000000}
branches:
%s
levels:
%s
sectors: [产业, 基础设施, 民生, 城市功能]
natures: [新建, 续建, 改扩建]   # 建设性质; 续建 = 以前年度已开工
targets:             # 年度目标任务, 万元
  2021: 411800
  2022: 450000
lights:              # 亮灯阈值: 落后时序进度的百分点, 逾期未开工的月数
  yellow_gap: 10
  red_gap: 30
  red_start_months: 3
  basis: own_schedule  # 年内计划开工的项目自计划开工月份起算序时进度（year：一律按全年时序进度）
letters:
  feedback_days: 10  # 督办提醒函的书面反馈期限（天）
approvals:           # 前期手续: 各项手续的审批部门; 办理中超过 remind_days 天的在督办提醒函中点名
  departments: {立项审批: 市发展和改革局, 立项备案: 市发展和改革局, 用地预审: 市自然资源局, 规划许可: 市自然资源局, 环评批复: 运城市生态环境局河津分局, 施工许可: 市住房和城乡建设局}
  remind_days: 30
"""


def write(root: Path, seed: int) -> None:
    from xmtj.changes.yamlout import flow, record_yaml

    records = build(seed)
    data = root / "data"
    for kind in ("projects", "issues", "meetings"):
        folder = data / kind
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for rid, record in sorted(records[kind].items()):
            fields = {k: v for k, v in record.items() if not k.startswith("_")}
            (folder / f"{rid}.yaml").write_text(record_yaml(kind, fields), encoding="utf-8")
    branches = "\n".join(f"  - {b}" for b in BRANCHES)
    levels = "\n".join(f"  - {flow(level)}" for level in LEVELS)
    (root / "xmtj.yaml").write_text(CONFIG % (branches, levels), encoding="utf-8")
    write_letters(root, seed)


def write_letters(root: Path, seed: int) -> None:
    """The 2021 register: one letter for each project slow on 2021-11-30, dated when it was slow."""
    from xmtj.changes.letters import REGISTER_COMMENTS, register_record
    from xmtj.changes.yamlout import emit
    from xmtj.documents.letters import plan_letters
    from xmtj.figures.metrics import ledger_statuses, statuses_for
    from xmtj.ledger.load import load_ledger
    from xmtj.ledger.records import Letter
    from xmtj.ledger.validation import validate_record as validate
    from xmtj.months import month_end

    rng = random.Random(seed)
    folder = root / "data" / "letters"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ledger = load_ledger(root)
    lights = ledger.config.lights
    slow_now = [s.project.id for s in ledger_statuses(ledger, YEAR, AS_OF) if s.slow]
    chosen: list[tuple[D, D, str]] = []
    for pid in slow_now:
        for month in range(5, 13):
            as_of = month_end(YEAR, month - 1)
            day = D(YEAR, month, {5: 6, 10: 8}.get(month, 3))  # after the May Day and National Day holidays
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            project = [p for p in ledger.projects if p.id == pid]
            slow_then = statuses_for(project, ledger.issues, YEAR, as_of, lights)[0].slow
            slow_on_day = statuses_for(project, ledger.issues, YEAR, day, lights)[0].slow
            if (slow_then and slow_on_day and rng.random() < 0.6) or month == 12:
                chosen.append((day, as_of, pid))
                break
    for day, as_of, pid in sorted(chosen):
        [draft], _ = plan_letters(ledger, as_of, day, [pid])
        record = register_record(draft)
        received = day + dt.timedelta(days=rng.randint(4, 9))
        record["feedback"] = {"received_on": received, "text": rng.choice(FEEDBACK_TEXTS)}
        text = emit(record, REGISTER_COMMENTS, block=("reasons",))
        (folder / f"{YEAR}-{draft.number}.yaml").write_text(text, encoding="utf-8")
        ledger.letters.append(validate(Letter, record))


def verify(root: Path) -> list[str]:
    """The article's figures, counted by xmtj's own core; returns what is off."""
    from xmtj.figures.status import status_report
    from xmtj.ledger.checks import CHECKS, check_ledger, problems_overdue
    from xmtj.ledger.load import load_ledger

    ledger = load_ledger(root)
    # every check but the overdue problems: the demo has some by design (issue list --overdue shows them)
    off = [f"check: {p}" for p in check_ledger(ledger, [c for c in CHECKS if c is not problems_overdue])]
    report = status_report(
        ledger.projects, ledger.issues, YEAR, AS_OF, ledger.config.lights, ledger.config.targets[YEAR]
    )
    s = report.summary
    want = {
        "projects": (s.projects, 100),
        "completed_ytd": (s.completed_ytd, Decimal(TARGET_COMPLETED)),
        "slow": (len(s.lagging), 18),
        "meetings 调度会": (sum(m.kind == "调度会" for m in ledger.meetings), 45),
        "meetings 集中开工": (sum(m.kind == "集中开工" for m in ledger.meetings), 5),
        "meetings 集中观摩": (sum(m.kind == "集中观摩" for m in ledger.meetings), 3),
        "resolved 2021": (
            sum(
                1 for i in ledger.issues if i.resolved_on and i.resolved_on.year == YEAR and i.resolved_on <= REPORT_DAY
            ),
            65,
        ),
        "2022 projects": (sum(1 for p in ledger.projects if 2022 in p.key_years), 189),
        "letters 2021": (len({x.project for x in ledger.letters if x.date <= REPORT_DAY}), 18),
    }
    off += [f"{k}: {got} != {exp}" for k, (got, exp) in want.items() if got != exp]
    site = sum(1 for i in ledger.issues if i.source == "现场督查" and i.raised_on.year == YEAR)
    if site <= 60:
        off.append(f"现场督查 problems: {site} (want more than 60)")
    return off


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    write(args.root, args.seed)
    off = verify(args.root)
    for line in off:
        print(line, file=sys.stderr)
    return 1 if off else 0


if __name__ == "__main__":
    sys.exit(main())
