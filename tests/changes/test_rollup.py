"""县→市: counties submit through git tags, a prefecture fetches them through real git remotes (one served
by `git daemon` on 127.0.0.1) and reads every member as submitted."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SMALL, Run, git

pytestmark = [pytest.mark.usefixtures("git_env"), pytest.mark.slow]


def county(root: Path, rename: str | None = None, break_it: bool = False, submit: bool = True) -> Path:
    shutil.copytree(SMALL, root)
    if rename:
        for path in root.rglob("*.yaml"):
            path.write_text(re.sub(r"\bP([123])\b", rf"{rename}\1", path.read_text(encoding="utf-8")), "utf-8")
        for path in (root / "data/projects").glob("P*.yaml"):
            path.rename(path.with_name(path.name.replace("P", rename, 1)))
    if break_it:
        p1 = next((root / "data/projects").glob("*1.yaml"))
        p1.write_text(
            p1.read_text(encoding="utf-8").replace("total_investment: 3000", "total_investment: 三千"), "utf-8"
        )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "台账")
    if submit and break_it:  # xmtj submit refuses a ledger with errors: this county tagged it by hand
        git(root, "tag", "-a", "报送/2021-11", "-m", "报送 2021-11")
    elif submit:
        from typer.testing import CliRunner

        from tests.conftest import app
        from xmtj.cli import main  # noqa: F401  (the app's modules, loaded)

        result = CliRunner().invoke(app, ["submit", "--month", "2021-11", "--ledger", str(root)])
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """``git daemon`` serving a folder on 127.0.0.1 (a real network transport, nothing beyond this machine)."""
    base = tmp_path / "served"
    base.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={base}", f"--port={port}",
         "--listen=127.0.0.1", str(base)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield base, port
    proc.terminate()
    proc.wait(timeout=5)


def own_status(run: Run, root: Path) -> dict:
    return json.loads(run("status", "--as-of", "2021-11-30", "--format", "json", ledger=root).stdout)


def test_counties_submit_and_the_prefecture_adds_them_up(tmp_path: Path, run: Run, daemon: tuple[Path, int]) -> None:
    served, port = daemon
    a = county(tmp_path / "甲县", rename="A")
    b = county(served / "乙县.git")  # the same ids as the small ledger: namespaced by member
    c = county(tmp_path / "丙县", break_it=True)
    d = county(tmp_path / "丁县", rename="D", submit=False)  # committed, never submitted
    pref = tmp_path / "运城"
    assert run("init", str(pref), "--place", "运城市", "--rollup", "--year", "2021").exit_code == 0
    for name, code, url in (("甲县", "JX", str(a)), ("乙县", "YX", f"git://127.0.0.1:{port}/乙县.git"),
                            ("丙县", "BX", str(c)), ("丁县", "DX", str(d))):  # fmt: skip
        assert run("member", "add", name, "--code", code, "--url", url, ledger=pref).exit_code == 0
    fetched = run("fetch", ledger=pref)
    assert "乙县（YX）：新报送 报送/2021-11" in fetched.stderr
    assert "2021-11 未报送：丁县" in fetched.stderr
    assert (pref / ".git/xmtj/members/YX.git").is_dir() and not (pref / ".xmtj").exists()

    status = json.loads(run("status", "--by", "member", "--format", "json", ledger=pref).stdout)
    again = json.loads(run("status", "--by", "member", "--format", "json", ledger=pref).stdout)
    assert again == status  # the second read comes from the figures kept by tree id: the same
    members = {m["code"]: m for m in status["members"]}
    assert set(members) == {"JX", "YX"}
    for code, root in (("JX", a), ("YX", b)):
        own = own_status(run, root)
        for key in ("projects", "total_investment", "annual_plan", "completed_ytd", "target_rate", "plan_rate"):
            assert members[code][key] == own[key], (code, key)
    for key in ("projects", "annual_plan", "completed_ytd"):
        assert status["total"][key] == own_status(run, a)[key] + own_status(run, b)[key]
    assert [m["code"] for m in status["not_submitted"]] == ["DX"]
    bad = status["invalid"][0]
    assert bad["code"] == "BX" and any(p["path"] == "BX:data/projects/P1.yaml" and p["line"] for p in bad["problems"])
    assert status["target_source"] == "成员目标之和"

    issues = json.loads(run("issue", "list", "--format", "json", ledger=pref).stdout)["issues"]
    ids = {i["id"] for i in issues}
    assert {"JX:W1", "YX:W1"} <= ids and not any(i.startswith(("BX:", "DX:")) for i in ids)  # equal ids, apart
    assert next(i for i in issues if i["id"] == "YX:W1")["project"] == "YX:P1"
    by_branch = json.loads(
        run("status", "--by", "branch", "--as-of", "2021-11-30", "--format", "json", ledger=pref).stdout
    )
    assert by_branch["completed_ytd"] == status["total"]["completed_ytd"]  # the same projects, grouped across members
    assert {g["key"] for g in by_branch["groups"]} == {"甲分指挥部", "乙分指挥部"}
    plan = json.loads(run("plan", "--year", "2021", "--format", "json", ledger=pref).stdout)
    assert plan["projects"] == own_status(run, a)["projects"] + own_status(run, b)["projects"]

    check = run("check", ledger=pref)
    assert check.exit_code == 1 and "丙县：BX:data/projects/P1.yaml:" in check.stdout and "应为数字" in check.stdout
    report = run("report", "--month", "2021-11", ledger=pref).stdout
    assert (
        "| 甲县 | 3 |" in report
        and "丁县1个县（市、区）未报送" in report
        and "丙县：BX:data/" in report
        and "BX:data/projects/P1.yaml:11:1" in report
    )
    # the ranking in words, from the members' own figures; 下步工作 from the month's facts (丁县 did not report)
    ranked = sorted((m for m in status["members"] if m.get("plan_rate") is not None), key=lambda m: -m["plan_rate"])
    sentence = next(line for line in report.splitlines() if "按年度计划完成率，各县（市、区）中" in line)
    assert sentence.index(ranked[0]["name"]) < sentence.index(ranked[-1]["name"])
    steps = report.split("## 五、下步工作", 1)[1]
    assert "一是督促按时报送，丁县1个县（市、区）尚未报送" in steps


def test_a_resubmission_says_what_changed_and_the_prefecture_reads_the_latest(tmp_path: Path, run: Run) -> None:
    a = county(tmp_path / "甲县", rename="A", submit=False)
    assert run("submit", "--month", "2021-11", ledger=a).exit_code == 0
    again = run("submit", "--month", "2021-11", ledger=a)
    assert again.exit_code == 1 and "已报送（报送/2021-11）" in again.stderr
    assert run("progress", "A1", "--month", "2021-11", "--amount", "260", ledger=a).exit_code == 0
    resubmitted = run("submit", "--month", "2021-11", "--again", ledger=a)
    assert resubmitted.exit_code == 0, resubmitted.output
    assert "报送/2021-11-2" in resubmitted.stdout and "2021年11月完成投资：220 → 260" in resubmitted.stderr
    message = git(a, "tag", "-l", "--format=%(contents)", "报送/2021-11-2")
    assert "xmtj-month: 2021-11" in message and "xmtj-completed: 1060" in message
    pref = tmp_path / "运城"
    assert run("init", str(pref), "--place", "运城市", "--rollup").exit_code == 0
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    assert run("fetch", ledger=pref).exit_code == 0
    status = json.loads(run("status", "--format", "json", ledger=pref).stdout)
    assert status["members"][0]["tag"] == "报送/2021-11-2" and status["members"][0]["completed_ytd"] == 1060


def test_two_levels_a_member_that_is_a_rollup_is_named_not_read(tmp_path: Path, run: Run) -> None:
    a = county(tmp_path / "甲县", rename="A")
    city = tmp_path / "运城"
    assert run("init", str(city), "--place", "运城市", "--rollup").exit_code == 0
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=city).exit_code == 0
    git(city, "tag", "-a", "报送/2021-11", "-m", "市级报送")
    province = tmp_path / "山西"
    assert run("init", str(province), "--place", "山西省", "--rollup").exit_code == 0
    assert run("member", "add", "运城市", "--code", "YC", "--url", str(city), ledger=province).exit_code == 0
    assert run("fetch", ledger=province).exit_code == 0
    status = json.loads(run("status", "--format", "json", ledger=province).stdout)
    assert status["invalid"][0]["code"] == "YC"
    assert "本身是汇总台账" in status["invalid"][0]["problems"][0]["message"]


def test_an_unreachable_member_never_stops_the_others(tmp_path: Path, run: Run) -> None:
    a = county(tmp_path / "甲县", rename="A")
    pref = tmp_path / "运城"
    assert run("init", str(pref), "--place", "运城市", "--rollup").exit_code == 0
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    assert run("member", "add", "乙县", "--code", "YX", "--url", str(tmp_path / "没有"), ledger=pref).exit_code == 0
    result = run("fetch", "--timeout", "20", ledger=pref)
    assert result.exit_code == 1
    assert "乙县（YX）：无法获取：地址上没有 git 仓库" in result.stderr or "乙县（YX）：无法获取：" in result.stderr
    assert "甲县（JX）：新报送 报送/2021-11" in result.stderr


def test_log_marks_the_commit_a_month_was_submitted_at(tmp_path: Path, run: Run) -> None:
    a = county(tmp_path / "甲县", rename="A", submit=False)
    assert run("submit", "--month", "2021-11", ledger=a).exit_code == 0
    entries = json.loads(run("log", "--format", "json", ledger=a).stdout)["entries"]
    assert entries[0]["submitted"] == ["报送/2021-11"]
    assert "〔报送/2021-11〕" in run("log", ledger=a).stdout
