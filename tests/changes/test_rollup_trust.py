"""A roll-up ledger attacked as issue 20 found it: a committed mirror config that ran a command on the next
fetch, a symlink that sent mirrors elsewhere, a member that moved its submission tag, a tag name that is
not text, two members with one code, an address changed, a fetch that never ends."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest

from tests.changes.test_rollup import county
from tests.conftest import Run, git

pytestmark = [pytest.mark.usefixtures("git_env"), pytest.mark.slow]


@pytest.fixture
def pref(tmp_path: Path, run: Run) -> Path:
    root = tmp_path / "运城"
    assert run("init", str(root), "--place", "运城市", "--rollup", "--year", "2021").exit_code == 0
    return root


def test_a_committed_mirror_config_never_runs(tmp_path: Path, run: Run, pref: Path) -> None:
    a = county(tmp_path / "甲县", rename="A")
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    marker = tmp_path / "被执行了"
    planted = pref / ".xmtj/members/JX.git"
    planted.mkdir(parents=True)
    (planted / "config").write_text(
        f'[core]\n\tbare = true\n[remote "origin"]\n\turl = {a}\n\tuploadpack = touch {marker}; git-upload-pack\n',
        encoding="utf-8",
    )
    git(pref, "add", "-f", ".xmtj")
    git(pref, "commit", "-qm", "镜像配置")
    clone = tmp_path / "另一处"
    git(tmp_path, "clone", "-q", str(pref), str(clone))
    for root in (pref, clone):
        result = run("fetch", ledger=root)
        assert result.exit_code == 1 and ".xmtj/ 中有1个文件被提交到了 git" in result.stderr, result.output
        status = run("status", "--by", "member", ledger=root)
        assert status.exit_code == 1 and "被提交到了 git" in status.stderr
    assert not marker.exists()


def test_a_planted_config_in_the_mirror_itself_is_replaced_before_use(tmp_path: Path, run: Run, pref: Path) -> None:
    a = county(tmp_path / "甲县", rename="A")
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    assert run("fetch", ledger=pref).exit_code == 0
    marker = tmp_path / "被执行了"
    mirror = pref / ".git/xmtj/members/JX.git"
    (mirror / "config").write_text(
        f"[core]\n\tbare = true\n\tfsmonitor = touch {marker}\n\thooksPath = {tmp_path}\n"
        f'[remote "origin"]\n\tuploadpack = touch {marker}; git-upload-pack\n',
        encoding="utf-8",
    )
    (tmp_path / "reference-transaction").write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    os.chmod(tmp_path / "reference-transaction", 0o755)
    assert run("fetch", ledger=pref).exit_code == 0
    assert run("status", "--by", "member", ledger=pref).exit_code == 0
    assert not marker.exists()


def test_a_symlinked_xmtj_folder_is_refused(tmp_path: Path, run: Run, pref: Path) -> None:
    a = county(tmp_path / "甲县", rename="A")
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (pref / ".xmtj").symlink_to(elsewhere)
    result = run("fetch", ledger=pref)
    assert result.exit_code == 1 and ".xmtj 是符号链接" in result.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("url", ["--upload-pack=touch /tmp/x", "ext::sh -c touch% /tmp/x", "fd::17"])
def test_addresses_that_git_would_run_are_refused(run: Run, pref: Path, url: str) -> None:
    result = run("member", "add", "甲县", "--code", "JX", "--url", url, ledger=pref)
    assert result.exit_code == 1 and "地址" in result.stderr


def test_a_moved_submission_tag_is_named_and_the_first_reading_stays(tmp_path: Path, run: Run, pref: Path) -> None:
    a = county(tmp_path / "甲县", rename="A")
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    assert run("fetch", ledger=pref).exit_code == 0
    before = json.loads(run("status", "--format", "json", ledger=pref).stdout)["members"][0]
    assert run("progress", "A1", "--month", "2021-11", "--amount", "9999", ledger=a).exit_code == 0
    git(a, "tag", "-f", "-a", "报送/2021-11", "-m", "改过的报送")
    fetched = run("fetch", ledger=pref)
    assert "甲县（JX）：报送被改写：报送/2021-11 已被改指到另一个版本" in fetched.stderr
    after = json.loads(run("status", "--format", "json", ledger=pref).stdout)["members"][0]
    assert after["completed_ytd"] == before["completed_ytd"] and after["rewritten"] == ["报送/2021-11"]
    assert "（报送被改写）" in run("status", ledger=pref).stdout


def test_a_tag_name_that_is_not_text_stops_nobody(tmp_path: Path, run: Run, pref: Path) -> None:
    a = county(tmp_path / "甲县", rename="A")
    b = county(tmp_path / "乙县", rename="B")
    head = git(b, "rev-parse", "HEAD").strip()
    (b / ".git/refs/tags").mkdir(parents=True, exist_ok=True)
    (b / ".git/refs/tags").joinpath(os.fsdecode(b"\xff\xfe")).write_text(head + "\n")
    for name, code, url in (("甲县", "JX", a), ("乙县", "YX", b)):
        assert run("member", "add", name, "--code", code, "--url", str(url), ledger=pref).exit_code == 0
    result = run("fetch", ledger=pref)
    assert result.exit_code == 0, result.output
    assert "乙县（YX）：有无法识别的标签名（未获取）：\\xff\\xfe" in result.stderr
    assert "2021-11 全部成员均已报送" in result.stderr
    assert len(json.loads(run("status", "--format", "json", ledger=pref).stdout)["members"]) == 2


def test_two_members_with_one_code_are_an_error_everywhere(tmp_path: Path, run: Run, pref: Path) -> None:
    config = pref / "xmtj.yaml"
    a, b = county(tmp_path / "甲县", rename="A"), county(tmp_path / "乙县", rename="B")
    text = config.read_text(encoding="utf-8").replace(
        "members: []", f"members:\n  - {{name: 甲县, code: JX, url: '{a}'}}\n  - {{name: 乙县, code: JX, url: '{b}'}}"
    )
    config.write_text(text, encoding="utf-8")
    for args in (("check",), ("fetch",), ("status",)):
        result = run(*args, ledger=pref)
        assert result.exit_code == 1 and "成员编码“JX”重复" in result.stderr, args


def test_a_changed_address_is_fetched_anew(tmp_path: Path, run: Run, pref: Path) -> None:
    a, b = county(tmp_path / "甲县", rename="A"), county(tmp_path / "乙县", rename="B")
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    assert run("fetch", ledger=pref).exit_code == 0
    again = run("member", "add", "甲县", "--code", "JX", "--url", str(b), ledger=pref)
    assert again.exit_code == 1 and f"现有地址为 {a}（与给出的地址不同）" in again.stderr
    assert run("member", "remove", "JX", ledger=pref).exit_code == 0
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(b), ledger=pref).exit_code == 0
    assert "地址已改，待重新获取" in run("member", "list", ledger=pref).stdout
    stale = run("status", "--format", "json", ledger=pref)  # the old mirror is never read for the new address
    assert stale.exit_code == 1 and "还没有任何成员报送" in stale.stderr
    assert run("fetch", ledger=pref).exit_code == 0
    status = json.loads(run("status", "--format", "json", ledger=pref).stdout)
    assert status["members"][0]["projects"] == 3 and "B1" in run("issue", "list", ledger=pref).stdout


def test_a_fetch_past_its_time_is_killed_and_leaves_no_mirror(tmp_path: Path, pref: Path) -> None:
    from xmtj.ledger.settings import Member
    from xmtj.rollup.mirrors import fetch_member, mirrors_folder

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    held: list[socket.socket] = []
    thread = threading.Thread(target=lambda: held.append(server.accept()[0]), daemon=True)
    thread.start()  # accepts and never answers
    member = Member(name="慢县", code="MX", url=f"git://127.0.0.1:{port}/慢.git")
    found = fetch_member(pref, member, timeout=1.0)
    assert not found.ok and "超过1秒未完成" in found.reason
    assert not (mirrors_folder(pref) / "MX.git").exists()
    assert not [p for p in mirrors_folder(pref).iterdir() if p.name.endswith(".part")]
    server.close()


def test_three_months_of_rollup_briefings_get_three_numbers(tmp_path: Path, run: Run, pref: Path) -> None:
    a = county(tmp_path / "甲县", rename="A", submit=False)
    for month in ("2021-09", "2021-10", "2021-11"):
        assert run("submit", "--month", month, ledger=a).exit_code == 0
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    assert run("fetch", ledger=pref).exit_code == 0
    numbers = []
    for month, day in (("2021-09", "2021-10-08"), ("2021-10", "2021-11-08"), ("2021-11", "2021-12-08")):
        out = tmp_path / f"{month}.md"
        result = run("report", "--month", month, "--date", day, "--out", str(out), ledger=pref)
        assert result.exit_code == 0, result.output
        numbers.append(next(line for line in out.read_text(encoding="utf-8").splitlines() if "〔2021〕" in line))
    assert numbers == ["运重指办〔2021〕1号", "运重指办〔2021〕2号", "运重指办〔2021〕3号"]
