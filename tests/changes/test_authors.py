"""Who may change what (`check --authors`) and its enforcement where the repository lives (the shipped
pre-receive hook, against a real bare repository)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SMALL, Run, git

pytestmark = pytest.mark.usefixtures("git_env")

UNITS = """\
units:
  office: [office@example.com]
  members:
    甲开发区管委会: [jia@example.com]
    市教育局: [edu@example.com]
"""
JIA = {"GIT_AUTHOR_NAME": "甲单位", "GIT_AUTHOR_EMAIL": "jia@example.com"}
EDU = {"GIT_AUTHOR_NAME": "教育局", "GIT_AUTHOR_EMAIL": "edu@example.com"}


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(SMALL, root)
    (root / "xmtj.yaml").write_text((SMALL / "xmtj.yaml").read_text(encoding="utf-8") + UNITS, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "台账")
    return root


def commit_as(root: Path, who: dict[str, str], path: str, old: str, new: str, extra: list[str] | None = None) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    env = {**os.environ, **who}
    subprocess.run(["git", "-C", str(root), *(extra or []), "commit", "-qam", f"{who['GIT_AUTHOR_NAME']}改"],
                   env=env, check=True, capture_output=True)  # fmt: skip


def test_a_unit_may_change_only_its_own_figures(ledger: Path, run: Run) -> None:
    base = git(ledger, "rev-parse", "HEAD").strip()
    commit_as(ledger, JIA, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 260")
    ok = run("check", "--authors", f"{base}..HEAD", ledger=ledger)
    assert ok.exit_code == 0, ok.output
    assert "全部提交均在权限之内" in ok.stderr
    commit_as(ledger, JIA, "data/projects/P2.yaml", "name: 乙中学扩建项目", "name: 乙中学扩建工程")
    commit_as(ledger, JIA, "data/projects/P1.yaml", "total_investment: 3000", "total_investment: 3500")
    commit_as(ledger, EDU, "xmtj.yaml", "targets: {2021: 1000}", "targets: {2021: 100}")
    refused = run("check", "--authors", f"{base}..HEAD", ledger=ledger)
    assert refused.exit_code == 1
    lines = refused.stderr.splitlines()
    assert any("（jia@example.com）data/projects/P2.yaml: responsible_unit: 这是“市教育局”的记录" in x for x in lines)
    assert any("data/projects/P1.yaml: total_investment: 甲开发区管委会 不能修改这个字段" in x for x in lines)
    assert any("（edu@example.com）xmtj.yaml: 市教育局 只能修改本单位的" in x for x in lines)
    assert "3处越权修改" in refused.stderr


def test_the_office_may_change_anything_and_strangers_nothing(ledger: Path, run: Run) -> None:
    base = git(ledger, "rev-parse", "HEAD").strip()
    office = {"GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "Office@Example.com"}
    commit_as(ledger, office, "xmtj.yaml", "targets: {2021: 1000}", "targets: {2021: 1200}")
    assert run("check", "--authors", f"{base}..HEAD", ledger=ledger).exit_code == 0
    stranger = {"GIT_AUTHOR_NAME": "某人", "GIT_AUTHOR_EMAIL": "x@example.com"}
    commit_as(ledger, stranger, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 230")
    result = run("check", "--authors", f"{base}..HEAD", ledger=ledger)
    assert result.exit_code == 1 and "提交人不在 xmtj.yaml 的 units 中" in result.stderr


def test_a_unit_cannot_grant_itself_rights_in_the_same_range(ledger: Path, run: Run) -> None:
    base = git(ledger, "rev-parse", "HEAD").strip()
    commit_as(
        ledger, JIA, "xmtj.yaml", "  office: [office@example.com]", "  office: [office@example.com, jia@example.com]"
    )
    commit_as(ledger, JIA, "data/projects/P2.yaml", "name: 乙中学扩建项目", "name: 乙中学扩建工程")
    result = run("check", "--authors", f"{base}..HEAD", ledger=ledger)
    assert result.exit_code == 1 and result.stderr.count("错误：") == 2  # judged by the base revision's units


# --- the pre-receive hook, on a real bare repository -------------------------------------------------


@pytest.fixture
def server(ledger: Path, tmp_path: Path) -> Path:
    bare = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(ledger), str(bare))
    hook = bare / "hooks" / "pre-receive"
    shutil.copy(REPO / "contrib" / "pre-receive", hook)
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    git(ledger, "remote", "add", "origin", str(bare))
    return bare


def push(ledger: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["git", "-C", str(ledger), "push", "-q", "origin", "main"], env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


@pytest.mark.slow
def test_the_hook_accepts_a_units_own_change_and_rejects_the_rest(ledger: Path, server: Path) -> None:
    commit_as(ledger, JIA, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 260")
    accepted = push(ledger)
    assert accepted.returncode == 0, accepted.stderr
    head = git(ledger, "rev-parse", "HEAD").strip()
    assert git(server, "rev-parse", "main").strip() == head
    commit_as(ledger, JIA, "data/projects/P2.yaml", "name: 乙中学扩建项目", "name: 乙中学扩建工程")
    rejected = push(ledger)
    assert rejected.returncode != 0
    assert "这是“市教育局”的记录，甲开发区管委会 不能修改" in rejected.stderr
    assert git(server, "rev-parse", "main").strip() == head  # the server kept what it had
    git(ledger, "reset", "-q", "--hard", head)
    commit_as(ledger, EDU, "xmtj.yaml", "targets: {2021: 1000}", "targets: {2021: 100}")
    assert "xmtj.yaml: 市教育局 只能修改本单位的" in push(ledger).stderr


@pytest.mark.slow
def test_the_hook_runs_the_ledgers_own_check(ledger: Path, server: Path) -> None:
    office = {"GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "office@example.com"}
    commit_as(ledger, office, "data/projects/P1.yaml", "total_investment: 3000", "total_investment: 三千")
    rejected = push(ledger)
    assert rejected.returncode != 0 and "total_investment" in rejected.stderr and "应为数字" in rejected.stderr


@pytest.mark.slow
def test_with_require_signed_an_unsigned_commit_is_rejected(ledger: Path, server: Path, tmp_path: Path) -> None:
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not on this machine: SSH commit signing cannot be tried")
    key = tmp_path / "jia_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "jia", "-f", str(key)], check=True)
    public = (tmp_path / "jia_key.pub").read_text(encoding="utf-8").strip()
    office = {"GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "office@example.com"}
    settings = f"  require_signed: true\n  keys: {{jia@example.com: '{public}'}}\n"
    config = ledger / "xmtj.yaml"
    config.write_text(config.read_text(encoding="utf-8") + settings, encoding="utf-8")
    signing = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "-c", "commit.gpgsign=true"]
    env = {**os.environ, **office}
    subprocess.run(["git", "-C", str(ledger), "commit", "-qam", "要求签名"], env=env, check=True)
    assert push(ledger).returncode == 0  # by the office, judged by the rules before it (no signing yet)
    before = git(ledger, "rev-parse", "HEAD").strip()
    commit_as(ledger, JIA, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 260")
    unsigned = push(ledger)
    assert unsigned.returncode != 0 and "未签名" in unsigned.stderr
    git(ledger, "reset", "-q", "--hard", before)
    commit_as(
        ledger,
        EDU,
        "data/projects/P2.yaml",
        "annual_plan: {2021: 400}",
        "annual_plan: {2021: 400}\nprogress: {2021-11: 10}",
        signing,
    )
    borrowed = push(ledger)
    assert borrowed.returncode != 0 and "签名的密钥属于 jia@example.com，不是提交人 edu@example.com" in borrowed.stderr
    git(ledger, "reset", "-q", "--hard", before)
    commit_as(ledger, JIA, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 260", signing)
    signed = push(ledger)
    assert signed.returncode == 0, signed.stderr
