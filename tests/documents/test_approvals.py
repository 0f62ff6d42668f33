"""The 手续 ledger: `xmtj approvals`, the briefing's paragraph, and the letters that name a long wait."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO, Run


def test_approvals_by_project_and_by_department(run: Run) -> None:
    result = run("approvals", "--pending", "--as-of", "2021-11-30", "--format", "json", ledger=REPO)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2021-11-30"
    assert all(a["status"] in ("办理中", "未办理") for a in data["approvals"])
    environment = [a for a in data["approvals"] if a["item"] == "环评批复"]
    assert environment and all(a["department"] == "运城市生态环境局河津分局" for a in environment)
    waiting = [a for a in environment if a["days_waiting"] is not None]
    assert waiting and all(a["days_waiting"] > 0 for a in waiting)
    departments = {d["department"]: d for d in data["by_department"]}
    assert departments["运城市生态环境局河津分局"]["pending"] == len(environment)
    assert departments["运城市生态环境局河津分局"]["longest"] == max(a["days_waiting"] for a in waiting)
    one = run("approvals", "--unit", "住房", "--as-of", "2021-11-30", "--format", "json", ledger=REPO)
    assert {a["item"] for a in json.loads(one.stdout)["approvals"]} == {"施工许可"}
    project = run("approvals", "--project", "hj2021-001", "--format", "json", ledger=REPO)
    assert {a["project"] for a in json.loads(project.stdout)["approvals"]} == {"HJ2021-001"}


def test_the_briefing_and_the_letters_speak_of_waiting_approvals(run: Run, tmp_path: Path, demo_copy: Path) -> None:
    text = run("report", "--month", "2021-11", ledger=REPO).stdout
    line = next(x for x in text.splitlines() if "手续办理方面" in x)
    pending = json.loads(run("approvals", "--pending", "--as-of", "2021-11-30", "--format", "json",
                             ledger=REPO).stdout)["approvals"]  # fmt: skip
    keys = {r["id"] for r in json.loads(run("status", "--format", "json", ledger=REPO).stdout)["rows"]}
    pending = [a for a in pending if a["project"] in keys]  # the 通报 speaks of the year's key projects
    environment = sum(1 for a in pending if a["item"] == "环评批复")
    projects = len({a["project"] for a in pending})
    assert f"{projects}个项目{len(pending)}项前期手续尚未办结" in line and f"环评批复{environment}项" in line
    long = sum(1 for a in pending if (a["days_waiting"] or 0) > 30)
    assert f"其中已办理超过30天的{long}项" in line
    named = [p for p in (demo_copy / "data/letters").glob("*.yaml") if "尚未办结" in p.read_text(encoding="utf-8")]
    assert named  # the register keeps the long waits among the reasons
    key = named[0].stem
    out = tmp_path / "函.md"
    assert run("letter", "render", key, "--format", "md", "--out", str(out), ledger=demo_copy).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "项目前期手续方面" in text and "已等待" in text and "加快办理环评批复" in text
