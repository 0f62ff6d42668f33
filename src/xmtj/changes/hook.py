"""The git server's pre-receive hook (``xmtj hook pre-receive``): every ref a push updates, judged by who
pushed it — as the server authenticated them, never as a commit claims — and by the ledger's ``units``
as they stood before the push.

- **Who pushed.** Gitea and Forgejo set ``GITEA_PUSHER_NAME`` and ``GITEA_PUSHER_EMAIL``, GitLab
  ``GL_USERNAME``; on a plain SSH host, ``environment="XMTJ_PUSHER=li"`` (or a forced command that sets
  it) in each key's line of ``authorized_keys``. An entry of ``units`` (office or a unit's staff) may be
  an e-mail address or a server account. A push without a known pusher is refused.
- **Before anything is read**, every object the push brings is measured (``cat-file --batch-check``) and
  a file over ``units.max_blob_mb`` (20 MB) refuses the push; the new tree is never extracted: ``check``
  reads it straight from git.
- **The main branch** (the repository's HEAD): never deleted, never rewound (a non-fast-forward update
  would erase the office's commits); its new commits are checked commit by commit (``check --authors``:
  a unit changes only its own figures, and pushes only its own staff's commits) and the ledger they leave
  must pass ``check``.
- **Other branches**: every commit not already on the main branch is checked the same way (so a commit
  cannot be slipped in under a tag first and a branch after); only the office deletes one.
- **Tags**: a 报送 tag (``reporting.tag``) only from the office, on a commit of the main branch, never
  moved or deleted once pushed; other tags only from the office and only with ``units.other_tags``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from xmtj.changes.authors import Pusher, check_commits, commits_of, is_office, rules_at, unit_of
from xmtj.ledger import gitio
from xmtj.ledger.checks import check_ledger
from xmtj.ledger.load import load_ledger
from xmtj.ledger.reading import config_from_bytes
from xmtj.ledger.settings import ReportingSettings, UnitSettings
from xmtj.problems import XmtjError

ZERO = "0" * 40


@dataclass(frozen=True)
class Update:
    old: str
    new: str
    ref: str

    @property
    def created(self) -> bool:
        return self.old == ZERO

    @property
    def deleted(self) -> bool:
        return self.new == ZERO


def pusher_from(environ: Mapping[str, str]) -> Pusher | None:
    """Who the server says pushed (Gitea/Forgejo, GitLab, or ``XMTJ_PUSHER`` set for an SSH key)."""
    names = {
        environ.get(key, "").strip().lower()
        for key in ("GITEA_PUSHER_NAME", "GITEA_PUSHER_EMAIL", "GL_USERNAME", "XMTJ_PUSHER")
    }
    names.discard("")
    return Pusher(frozenset(names)) if names else None


def read_updates(text: str) -> list[Update]:
    updates = []
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and re.fullmatch(r"[0-9a-f]{40}", parts[0]) and re.fullmatch(r"[0-9a-f]{40}", parts[1]):
            updates.append(Update(*parts))
    return updates


def main_branch(repository: Path) -> str:
    done = gitio.git(repository, ["symbolic-ref", "-q", "HEAD"], check=False)
    return done.stdout.decode("utf-8", "replace").strip() or "refs/heads/main"


def pre_receive(repository: Path, updates: Sequence[Update], pusher: Pusher | None) -> list[str]:
    """Why the push must be refused (one line each, in Chinese); empty: accept it."""
    if pusher is None:
        return [
            "服务器没有提供推送人的身份，xmtj 无法判断谁在推送：Gitea/GitLab 会自动提供；"
            'SSH 服务器请在 authorized_keys 中每个密钥前加 environment="XMTJ_PUSHER=账号"（见 docs/使用手册.md）'
        ]
    main = main_branch(repository)
    main_tip = next((u.old for u in updates if u.ref == main), None) or _tip(repository, main)
    rules = _rules(repository, main_tip, updates, main)
    if rules is None:
        return ["xmtj.yaml 中没有 units（office 和 members）：服务器无法判断谁可以修改什么，推送被拒绝"]
    office = is_office(rules, pusher.names)
    if not office and unit_of(rules, pusher.names) is None:
        return [f"推送人 {pusher.shown()} 不在 xmtj.yaml 的 units 中（既不是办公室人员，也不属于任何责任单位）"]
    refusals = _too_large(repository, updates, rules)
    if refusals:
        return refusals  # nothing more is read from a push that brings a file this large
    new_main = next((u.new for u in updates if u.ref == main and not u.deleted), main_tip)
    for update in updates:
        refusals += _judge(repository, update, rules, pusher, office, main, main_tip, new_main)
    return refusals


def _tip(repository: Path, ref: str) -> str | None:
    done = gitio.git(repository, ["rev-parse", "--verify", "--quiet", ref], check=False)
    return done.stdout.decode().strip() or None


def _rules(repository: Path, main_tip: str | None, updates: Sequence[Update], main: str) -> UnitSettings | None:
    """The rules before the push (the main branch as it is); for the first push, the ones it brings."""
    revision = main_tip or next((u.new for u in updates if u.ref == main and not u.deleted), None)
    if revision is None:
        return None
    rules = rules_at(repository, revision)
    return rules if rules.office or rules.members else None


def _too_large(repository: Path, updates: Sequence[Update], rules: UnitSettings) -> list[str]:
    """Every object the push brings, measured (its size from the pack's index, not its content)."""
    tips = [u.new for u in updates if not u.deleted]
    if not tips:
        return []
    listed = gitio.git(repository, ["rev-list", "--objects", *tips, "--not", "--all"], check=False)
    ids = b"".join(line[:40] + b"\n" for line in listed.stdout.splitlines() if len(line) >= 40)
    sizes = gitio.git(repository, ["cat-file", "--batch-check=%(objecttype) %(objectsize) %(objectname)"], stdin=ids)
    limit = rules.max_blob_mb << 20
    found = []
    for line in sizes.stdout.decode("ascii", "replace").splitlines():
        kind, _, rest = line.partition(" ")
        size, _, oid = rest.partition(" ")
        if kind == "blob" and size.isdigit() and int(size) > limit:
            shown = f"{int(size) >> 20} MB 的文件（{oid[:12]}）"
            found.append(f"推送中有一个 {shown}，超过 {rules.max_blob_mb} MB 的上限，推送被拒绝")
    return found


def _judge(
    repository: Path, update: Update, rules: UnitSettings, pusher: Pusher, office: bool, main: str,
    main_tip: str | None, new_main: str | None,
) -> list[str]:  # fmt: skip
    ref = update.ref
    if ref.startswith("refs/heads/"):
        return _branch(repository, update, rules, pusher, office, main, main_tip)
    if ref.startswith("refs/tags/"):
        return _tag(repository, update, rules, office, new_main)
    return [f"{ref}：xmtj 的台账只接受分支和标签"]


def _branch(
    repository: Path, update: Update, rules: UnitSettings, pusher: Pusher, office: bool, main: str,
    main_tip: str | None,
) -> list[str]:  # fmt: skip
    name = update.ref.removeprefix("refs/heads/")
    if update.deleted:
        if update.ref == main or not office:
            return [f"不允许删除分支 {name}（台账的历史须保留）"]
        return []
    if update.ref == main and not update.created:
        behind = gitio.git(repository, ["merge-base", "--is-ancestor", update.old, update.new], check=False)
        if behind.returncode != 0:
            return [f"不允许强制推送 {name}：这会抹掉服务器上已有的提交；请先拉取（git pull 或 xmtj sync）再推送"]
    if update.ref == main:
        span = [update.new] + ([f"^{update.old}"] if not update.created else [])
    else:  # every commit the branch brings that the main branch does not have yet
        span = [update.new] + ([f"^{main_tip}"] if main_tip else [])
    refusals = [f"{name}：{v}" for v in check_commits(repository, commits_of(repository, span), rules, pusher)]
    if update.ref == main and not refusals:
        refusals += _ledger_check(repository, update.new, name)
    return refusals


def _ledger_check(repository: Path, revision: str, name: str) -> list[str]:
    """The ledger the push leaves, read straight from git (nothing extracted), must pass ``check``."""

    try:
        ledger = load_ledger(repository, revision, cache=False)
    except XmtjError as exc:
        return [f"{name}：{exc}"]
    return [f"{name}：{p}" for p in check_ledger(ledger) if p.severity == "error"]


def _tag(repository: Path, update: Update, rules: UnitSettings, office: bool, new_main: str | None) -> list[str]:

    name = update.ref.removeprefix("refs/tags/")
    pattern = _settings_tag(repository, new_main) or ReportingSettings().tag
    submission = re.fullmatch(re.escape(pattern).replace(re.escape("{month}"), r"\d{4}-\d{2}(-\d+)?"), name)
    if not update.created:
        what = "删除" if update.deleted else "改指"
        return [f"不允许{what}标签 {name}：报送和标签一经推送不再改动（重新报送用 xmtj submit --again）"]
    if not office:
        return [f"标签 {name} 只能由办公室推送（单位不能代为报送）"]
    if submission is None and not rules.other_tags:
        return [f"标签 {name} 不是报送标签；其他标签须在 xmtj.yaml 的 units 中设 other_tags: true"]
    commit = gitio.git(repository, ["rev-parse", "--verify", "--quiet", f"{update.new}^{{commit}}"], check=False)
    target = commit.stdout.decode().strip()
    if submission is not None:
        on_main = (
            new_main is not None
            and gitio.git(repository, ["merge-base", "--is-ancestor", target, new_main], check=False).returncode == 0
        )
        if not on_main:
            return [f"报送标签 {name} 指向的提交不在主分支上：只能报送已经推送到主分支的台账"]
    return []


def _settings_tag(repository: Path, revision: str | None) -> str | None:
    """``reporting.tag`` of xmtj.yaml at ``revision``."""
    if revision is None:
        return None

    data = gitio.read_objects(repository, [f"{revision}:xmtj.yaml"]).get(f"{revision}:xmtj.yaml")
    config = config_from_bytes(data)[0] if data is not None else None
    return config.reporting.tag if config is not None else None


def run_hook(repository: Path, stdin: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """The hook as git runs it: the updates on standard input, the pusher in the environment."""
    return pre_receive(repository, read_updates(stdin), pusher_from(os.environ if environ is None else environ))
