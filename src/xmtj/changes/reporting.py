"""Reporting upward through git: a county tags the commit that holds a month's figures (``submit``), a
prefecture mirrors its counties' repositories (``fetch``) and keeps its members in ``xmtj.yaml``.

No server of xmtj's own: any git remote works (a Gitea or GitLab repository, an SSH host, a shared
folder), and credentials are git's business (credential helpers, SSH keys) — xmtj stores no secret.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from xmtj.changes.build import Change
from xmtj.figures import fmt
from xmtj.ledger import gitio
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.members import MIRRORS, mirror_of, submission_tags, tag_for
from xmtj.ledger.settings import Member
from xmtj.months import Month
from xmtj.problems import XmtjError


@dataclass(frozen=True)
class Submission:
    tag: str
    commit: str
    figures: str  # the tag's message
    diff: list[str] = field(default_factory=list)  # re-submission: what changed since the last one
    pushed: bool = False


def submit(ledger: Ledger, month: Month, note: str | None, again: bool, push: bool) -> Submission:
    """Tag HEAD as the month's submission (``报送/2021-11``), its message carrying the headline figures;
    refused when ``check`` finds errors, or when the month was submitted already (unless ``again``)."""
    from xmtj.changes.history import diff
    from xmtj.figures.metrics import ledger_status
    from xmtj.ledger.checks import check_ledger

    errors = [p for p in check_ledger(ledger) if p.severity == "error"]
    if errors:
        raise XmtjError(f"台账有{len(errors)}处错误，不能报送；先运行 xmtj check 改正")
    if gitio.dirty(ledger.root, ["xmtj.yaml", "data"]):
        raise XmtjError("台账有未提交的修改：报送的是已提交的版本，请先提交（git commit）")
    report, _ = ledger_status(ledger, month.year, month.last_day)
    s = report.summary
    base = tag_for(ledger.config.reporting.tag, month)
    earlier = submission_tags(ledger.root, ledger.config.reporting.tag, month)
    if earlier and not again:
        raise XmtjError(f"{month} 已报送（{earlier[-1]}）；如需重新报送，请加 --again")
    tag = base if not earlier else f"{base}-{len(earlier) + 1}"
    lines = [
        f"{ledger.config.city}重点项目{month}报送" + (f"（第{len(earlier) + 1}次）" if earlier else ""),
        "",
        f"xmtj-month: {month}",
        f"xmtj-projects: {s.projects}",
        f"xmtj-annual-plan: {fmt.wan(s.annual_plan)}",
        f"xmtj-completed: {fmt.wan(s.completed_ytd)}",
        f"xmtj-target-rate: {fmt.pct(s.target_rate)}",
        f"xmtj-lights: 红{s.lights['red']} 黄{s.lights['yellow']} 绿{s.lights['green']}",
    ]
    if note:
        lines[1:1] = ["", note.strip()]
    changes = [
        f"{c.words()}: " + "；".join(f"{f.field} {fmt.show(f.old)}→{fmt.show(f.new)}" for f in c.changes)
        for c in (diff(ledger.root, earlier[-1], "HEAD") if earlier else [])
    ]
    gitio.git(ledger.root, ["tag", "-a", tag, "-m", "\n".join(lines) + "\n", "HEAD"])
    commit = gitio.resolve(ledger.root, "HEAD")
    pushed = False
    if push:
        remote = ledger.config.reporting.remote
        done = gitio.git(ledger.root, ["push", remote, f"refs/tags/{tag}"], check=False)
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise XmtjError(f"已打标签 {tag}，但推送到 {remote} 失败：{reason[-1] if reason else done.returncode}")
        pushed = True
    return Submission(tag, commit, "\n".join(lines), changes, pushed)


@dataclass(frozen=True)
class Fetched:
    member: Member
    ok: bool
    reason: str = ""  # why it failed, in Chinese where git's message is known
    new_tags: tuple[str, ...] = ()


REASONS = {  # git's messages, as the office reads them
    "Could not resolve host": "无法解析服务器地址",
    "Connection refused": "服务器拒绝连接",
    "Connection timed out": "连接超时",
    "does not appear to be a git repository": "地址上没有 git 仓库",
    "Repository not found": "仓库不存在",
    "not found": "仓库不存在",
    "Authentication failed": "身份验证失败（请检查 git 的凭据或 SSH 密钥）",
    "Permission denied": "没有访问权限（请检查 git 的凭据或 SSH 密钥）",
}


def _reason(stderr: str) -> str:
    for words, chinese in REASONS.items():
        if words in stderr:
            return chinese
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "未知错误"


def fetch_member(root: Path, member: Member, timeout: float) -> Fetched:
    """The member's repository mirrored (cloned the first time, fetched after) under ``.xmtj/members``."""
    mirror = mirror_of(root, member)
    before = set(_tags(mirror)) if mirror.is_dir() else set()
    if mirror.is_dir():
        args = ["-C", str(mirror), "fetch", "--quiet", "--prune", "--tags", "origin", "+refs/heads/*:refs/heads/*"]
    else:
        mirror.parent.mkdir(parents=True, exist_ok=True)
        args = ["clone", "--quiet", "--mirror", member.url, str(mirror)]
    import subprocess

    try:
        done = subprocess.run(["git", *args], capture_output=True, timeout=timeout, env=gitio._env(), check=False)
    except subprocess.TimeoutExpired:
        return Fetched(member, False, f"超过{int(timeout)}秒未完成（网络或服务器太慢）")
    if done.returncode != 0:
        return Fetched(member, False, _reason(done.stderr.decode("utf-8", "replace")))
    return Fetched(member, True, "", tuple(sorted(set(_tags(mirror)) - before)))


def _tags(mirror: Path) -> list[str]:
    return gitio.git(mirror, ["tag", "--list"], check=False).stdout.decode("utf-8").split()


def fetch_all(
    root: Path, members: Sequence[Member], workers: int = 8, timeout: float = 120,
    progress: Callable[[int, int], None] | None = None,
) -> list[Fetched]:  # fmt: skip
    """Every member fetched, ``workers`` at a time, each bounded by ``timeout``; one failing never stops
    the others. Results in the members' order."""
    (root / MIRRORS).mkdir(parents=True, exist_ok=True)
    results: dict[str, Fetched] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(members) or 1))) as pool:
        futures = {pool.submit(fetch_member, root, m, timeout): m for m in members}
        for done, future in enumerate(futures, start=1):
            found = future.result()
            results[found.member.code] = found
            if progress is not None:
                progress(done, len(members))
    return [results[m.code] for m in members]


def members_change(ledger: Ledger, members: Sequence[Member], subject: str, command: Sequence[str]) -> Change:
    """``xmtj.yaml`` with ``members`` replaced, edited in place, as a change."""
    from xmtj.changes import yamledit
    from xmtj.ledger.ledger import CONFIG_FILE
    from xmtj.ledger.records import as_dict

    source = (ledger.root / CONFIG_FILE).read_text(encoding="utf-8")
    value = [{k: v for k, v in as_dict(m).items() if v not in (None, "")} for m in members]
    return Change({CONFIG_FILE: yamledit.set_value(source, ["members"], value)}, subject, command)


def new_member(name: str, code: str, url: str, branch: str) -> Member:
    """A member as ``member add`` makes it, validated as xmtj.yaml would be (the code's pattern …)."""
    from pydantic import ValidationError

    from xmtj.ledger.validation import validate_record

    try:
        return validate_record(Member, {"name": name, "code": code, "url": url, "branch": branch})
    except ValidationError:
        raise XmtjError(f"成员编码应为 1—8 个大写字母，例如 JS，现为“{code}”") from None
