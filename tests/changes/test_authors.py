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


def push(
    ledger: Path, *refs: str, pusher: str | None = "auto", force: bool = False
) -> subprocess.CompletedProcess[str]:
    """``git push`` as the server would see it: the pusher is who the server authenticated (``XMTJ_PUSHER``,
    as an SSH key's environment sets it) — by default the author of the last commit."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if pusher == "auto":
        pusher = git(ledger, "log", "-1", "--format=%ae").strip()
    if pusher is not None:
        env["XMTJ_PUSHER"] = pusher
    args = ["push", "-q", *(["--force"] if force else []), "origin", *(refs or ("main",))]
    return subprocess.run(["git", "-C", str(ledger), *args], env=env, capture_output=True, text=True, check=False)


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


# --- the attacks of issue 20, through the real contrib/pre-receive -------------------------------------

OFFICE = {"GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "office@example.com"}


@pytest.mark.slow
def test_a_push_without_a_known_pusher_is_refused(ledger: Path, server: Path) -> None:
    commit_as(ledger, JIA, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 260")
    refused = push(ledger, pusher=None)
    assert refused.returncode != 0 and "服务器没有提供推送人的身份" in refused.stderr


@pytest.mark.slow
def test_a_unit_cannot_push_as_the_office(ledger: Path, server: Path) -> None:
    """The unit types the office's address as its author: the server knows who pushed."""
    commit_as(ledger, OFFICE, "xmtj.yaml", "targets: {2021: 1000}", "targets: {2021: 999999}")
    refused = push(ledger, pusher="jia@example.com")
    assert refused.returncode != 0
    assert "推送人 jia@example.com（甲开发区管委会）不能推送提交人为 office@example.com 的提交" in refused.stderr
    assert git(server, "show", "main:xmtj.yaml").count("999999") == 0
    assert push(ledger, pusher="office@example.com").returncode == 0  # the office may push it


@pytest.mark.slow
def test_a_unit_cannot_push_a_submission_tag(ledger: Path, server: Path) -> None:
    """The attack: an unsigned 报送 tag on a detached commit that raised targets and changed another unit's
    project; the prefecture would have read it as the county's submission."""
    head = git(ledger, "rev-parse", "HEAD").strip()
    commit_as(ledger, JIA, "xmtj.yaml", "targets: {2021: 1000}", "targets: {2021: 999999}")
    git(ledger, "tag", "报送/2021-11-9")
    git(ledger, "reset", "-q", "--hard", head)
    refused = push(ledger, "refs/tags/报送/2021-11-9", pusher="jia@example.com")
    assert refused.returncode != 0 and "标签 报送/2021-11-9 只能由办公室推送" in refused.stderr
    assert git(server, "tag", "--list").strip() == ""


@pytest.mark.slow
def test_the_office_submits_only_what_is_on_the_main_branch(ledger: Path, server: Path) -> None:
    assert push(ledger, pusher="office@example.com").returncode == 0
    git(ledger, "tag", "-a", "报送/2021-11", "-m", "报送")
    assert push(ledger, "refs/tags/报送/2021-11", pusher="office@example.com").returncode == 0
    commit_as(ledger, OFFICE, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 300")
    git(ledger, "tag", "-f", "-a", "报送/2021-11", "-m", "改过的报送")
    moved = push(ledger, "main", "refs/tags/报送/2021-11", pusher="office@example.com", force=True)
    assert moved.returncode != 0 and "不允许改指标签 报送/2021-11" in moved.stderr
    git(ledger, "tag", "-a", "报送/2021-11-2", "-m", "重新报送", "HEAD")
    off_main = push(ledger, "refs/tags/报送/2021-11-2", pusher="office@example.com")
    assert off_main.returncode != 0 and "指向的提交不在主分支上" in off_main.stderr
    both = push(ledger, "main", "refs/tags/报送/2021-11-2", pusher="office@example.com")
    assert both.returncode == 0, both.stderr


@pytest.mark.slow
def test_a_force_push_cannot_erase_the_offices_commits(ledger: Path, server: Path) -> None:
    commit_as(ledger, OFFICE, "xmtj.yaml", "targets: {2021: 1000}", "targets: {2021: 1200}")
    assert push(ledger, pusher="office@example.com").returncode == 0
    office_head = git(ledger, "rev-parse", "HEAD").strip()
    git(ledger, "reset", "-q", "--hard", "HEAD~1")
    commit_as(ledger, JIA, "data/projects/P1.yaml", "2021-11: {amount: 220", "2021-11: {amount: 260")
    forced = push(ledger, pusher="jia@example.com", force=True)
    assert forced.returncode != 0 and "不允许强制推送 main" in forced.stderr
    assert git(server, "rev-parse", "main").strip() == office_head
    deleted = push(ledger, ":main", pusher="office@example.com")
    assert deleted.returncode != 0 and "不允许删除分支 main" in deleted.stderr


@pytest.mark.slow
def test_a_new_branch_is_checked_over_every_commit_the_main_branch_lacks(ledger: Path, server: Path) -> None:
    assert push(ledger, pusher="office@example.com").returncode == 0
    commit_as(ledger, JIA, "data/projects/P2.yaml", "name: 乙中学扩建项目", "name: 乙中学扩建工程")  # 市教育局's
    git(ledger, "checkout", "-q", "-b", "jia")
    refused = push(ledger, "jia", pusher="jia@example.com")
    assert refused.returncode != 0 and "这是“市教育局”的记录" in refused.stderr


@pytest.mark.slow
def test_a_file_over_the_limit_refuses_the_push_before_anything_is_read(ledger: Path, server: Path) -> None:
    config = ledger / "xmtj.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "  max_blob_mb: 1\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(ledger), "commit", "-qam", "上限"], env={**os.environ, **OFFICE}, check=True)
    assert push(ledger, pusher="office@example.com").returncode == 0
    (ledger / "data/projects/大.yaml").write_bytes(b"#" * (3 << 20))
    git(ledger, "add", "data/projects/大.yaml")
    subprocess.run(["git", "-C", str(ledger), "commit", "-qm", "大文件"], env={**os.environ, **OFFICE}, check=True)
    refused = push(ledger, pusher="office@example.com")
    assert refused.returncode != 0 and "推送中有一个 3 MB 的文件" in refused.stderr and "上限" in refused.stderr


def test_a_trailer_that_claims_what_its_commit_does_not_do_is_named(ledger: Path, run: Run) -> None:
    base = git(ledger, "rev-parse", "HEAD").strip()
    (ledger / "说明.txt").write_text("x", encoding="utf-8")
    git(ledger, "add", "说明.txt")
    env = {**os.environ, **OFFICE}
    message = "说明\n\nXmtj-Dispatch: 2021-11/市教育局\nXmtj-Doc-No: 测重指办〔2021〕伪造99号\n"
    subprocess.run(["git", "-C", str(ledger), "commit", "-qm", message], env=env, check=True)
    result = run("check", "--authors", f"{base}..HEAD", ledger=ledger)
    assert result.exit_code == 1
    assert "写有 Xmtj-Report/Xmtj-Doc-No，但本提交没有登记通报" in result.stderr
    assert "写有 Xmtj-Dispatch，但本提交没有登记任何项目的进度" in result.stderr
