"""Write a realistic synthetic ledger of N projects (about five problems each), deterministic for a seed.

    python bench/generate.py OUT --projects 10000 [--seed 1]

The result is valid under ``xmtj check``: every reference resolves, every value is in the
vocabularies, progress starts after the start. It is written with xmtj's own record layout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path
from typing import Any

from xmtj.changes.yamlout import record_yaml

D = dt.date
BRANCHES = [f"第{i}分指挥部" for i in range(1, 13)]
LEVELS = ["省级重点项目", "市级重点项目", "县级重点项目"]
SECTORS = ["产业", "基础设施", "民生", "城市功能"]
CATEGORIES = ["用地", "资金", "手续", "水电气路", "征地拆迁", "其他"]
SOURCES = ["调度会", "现场督查", "集中观摩", "企业反映", "包联领导"]
WORDS = [
    "新材料",
    "精细化工",
    "光伏",
    "储能",
    "物流",
    "装备制造",
    "供热",
    "供水",
    "道路",
    "医院",
    "学校",
    "园区",
    "文旅",
]

CONFIG = """\
# 合成台账（基准测试用），全部数据为随机生成
office: 合成市重点项目总指挥部办公室
city: 合成市
letter_prefix: 合重指办督
contact: {{name: 测试员, phone: 0000-0000000}}
branches: [{branches}]
levels: [{levels}]
sectors: [{sectors}]
targets:
  2021: {target}
"""


def project(i: int, rng: random.Random) -> dict[str, Any]:
    plan = rng.randint(5, 400) * 100
    start = D(2021, rng.randint(1, 4), rng.randint(1, 28))
    # pace against 时序进度 (as in the demo, most projects keep pace): 80 % on time, 12 % behind, 8 % far behind
    roll = rng.random()
    pace = rng.uniform(0.95, 1.3) if roll < 0.8 else rng.uniform(0.72, 0.88) if roll < 0.92 else rng.uniform(0.3, 0.65)
    months = range(start.month, 12)
    share = plan * pace * 11 / 12 / len(months)
    progress: dict[str, Any] = {}
    for month in months:
        amount = round(share * rng.uniform(0.6, 1.4))
        key = f"2021-{month:02d}"
        progress[key] = {"amount": amount, "text": rng.choice(WORDS) + "施工"} if month % 3 == 0 else amount
    return {
        "id": f"XM2021-{i:05d}",
        "name": f"合成{rng.choice(WORDS)}项目{i}",
        "owner": f"合成{rng.choice(WORDS)}有限公司",
        "content": "新建厂房及配套设施",
        "location": f"合成市第{rng.randint(1, 30)}街道",
        "levels": sorted(rng.sample(LEVELS, rng.randint(1, 2))),
        "investment_type": rng.choice(["政府投资", "社会投资"]),
        "sector": rng.choice(SECTORS),
        "key_years": [2021],
        "branch": rng.choice(BRANCHES),
        "responsible_unit": f"第{rng.randint(1, 40)}责任单位",
        "liaison_leader": f"领导{rng.randint(1, 25)}（虚构）",
        "contact": {"name": f"联系人{rng.randint(1, 500)}", "phone": f"138{rng.randint(0, 99999999):08d}"},
        "total_investment": plan * rng.randint(2, 5),
        "annual_plan": {2021: plan},
        "planned_start": start - dt.timedelta(days=rng.randint(0, 20)),
        "planned_completion": D(2023, rng.randint(1, 12), 28),
        "actual_start": start,
        "approvals": [
            {
                "item": "立项备案",
                "status": "已办结",
                "date": start - dt.timedelta(days=60),
                "doc_no": f"合发改〔2020〕{i}号",
            },
            {"item": "施工许可", "status": "已办结", "date": start - dt.timedelta(days=10)},
        ],
        "progress": progress,
    }


def issue(j: int, project_id: str, start: D, meetings: list[tuple[str, D]], rng: random.Random) -> dict[str, Any]:
    resolved = rng.random() < 0.92
    # most problems are settled within weeks; the open ones were mostly raised in the last two months
    earliest = start if resolved else max(start, D(2021, 10, 20))
    raised = earliest + dt.timedelta(days=rng.randint(0, (D(2021, 11, 28) - earliest).days))
    source = rng.choice(SOURCES)
    record: dict[str, Any] = {
        "id": f"WT2021-{j:06d}",
        "project": project_id,
        "description": f"{rng.choice(CATEGORIES)}问题待协调（合成）",
        "category": rng.choice(CATEGORIES),
        "source": source,
    }
    if source == "调度会":
        held = [m for m in meetings if earliest <= m[1] <= D(2021, 11, 28)]
        if held:
            mid, raised = rng.choice(held)
            record["meeting"] = mid
        else:
            record["source"] = "现场督查"
    record.update(
        {
            "raised_on": raised,
            "responsible_unit": f"第{rng.randint(1, 40)}责任单位",
            "deadline": raised + dt.timedelta(days=30),
        }
    )
    if resolved:
        record.update(
            {
                "status": "已办结",
                "resolved_on": raised + dt.timedelta(days=rng.randint(1, 40)),
                "resolution": "已协调解决",
            }
        )
    else:
        record["status"] = "推进中"
    return record


def generate(out: Path, projects: int, seed: int = 1, issues_per_project: int = 5) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for kind in ("projects", "issues", "meetings"):
        (out / "data" / kind).mkdir(parents=True)
    meetings = [(f"DD2021-{k:03d}", D(2021, 1, 5) + dt.timedelta(days=7 * k)) for k in range(1, 48)]
    for mid, day in meetings:
        record = {
            "id": mid,
            "kind": "调度会",
            "date": day,
            "title": f"第{mid[-3:]}次调度会",
            "chair": "主持人（虚构）",
            "projects": [],
            "decisions": ["按期销号"],
        }
        (out / "data/meetings" / f"{mid}.yaml").write_text(record_yaml("meetings", record), encoding="utf-8")
    total_plan = 0
    j = 0
    for i in range(1, projects + 1):
        p = project(i, rng)
        total_plan += p["annual_plan"][2021]
        (out / "data/projects" / f"{p['id']}.yaml").write_text(record_yaml("projects", p), encoding="utf-8")
        for _ in range(issues_per_project):
            j += 1
            record = issue(j, p["id"], p["actual_start"], meetings, rng)
            (out / "data/issues" / f"{record['id']}.yaml").write_text(record_yaml("issues", record), encoding="utf-8")
    (out / "xmtj.yaml").write_text(
        CONFIG.format(
            branches=", ".join(BRANCHES),
            levels=", ".join(LEVELS),
            sectors=", ".join(SECTORS),
            target=total_plan * 3 // 4,
        ),
        encoding="utf-8",
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.projects, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
