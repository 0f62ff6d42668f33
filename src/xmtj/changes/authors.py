"""Who may change what: every commit of a range checked against ``units`` in xmtj.yaml.

A 责任单位's staff may change only what belongs to their unit: their own projects' ``progress`` (figures
and 形象进度) and 实际开工/竣工/投产 dates, their own problems' resolution (status, resolved_on,
resolution), and their own letters' ``feedback``. Everything else — another unit's project, a new or
deleted record, targets and every setting in xmtj.yaml, the letter register itself, templates — needs
the office. Whose a record is comes from the revision *before* the commit (a unit cannot make a project
its own in the same commit), and so do the rules: the ``units`` of the range's base revision, so that a
push cannot grant itself rights.

With ``require_signed``, each commit must carry a good SSH signature by a key listed for its author: git
verifies it against an allowed-signers file written from ``units.keys`` for this check only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xmtj.changes.fields import flatten, parse
from xmtj.ledger import gitio
from xmtj.ledger.ledger import CONFIG_FILE
from xmtj.ledger.reading import config_from_bytes
from xmtj.ledger.settings import UnitSettings
from xmtj.problems import XmtjError

# what a unit may change in each kind of record (flattened field names, as ``xmtj log`` shows them)
UNIT_FIELDS = {
    "projects": ("progress.", "actual_start", "actual_completion", "actual_production"),
    "issues": ("status", "resolved_on", "resolution"),
    "letters": ("feedback.",),
}
OWNER_FIELD = {"projects": "responsible_unit", "issues": "responsible_unit", "letters": "recipient"}


@dataclass(frozen=True)
class Violation:
    commit: str
    author: str
    path: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}" + (f": {self.field}" if self.field else "")
        return f"提交 {self.commit[:8]}（{self.author}）{where}: {self.message}"


@dataclass(frozen=True)
class Commit:
    id: str
    email: str  # the author's, as the commit says (anyone can type any)
    parent: str | None
    claims: tuple[str, ...] = ()  # the trailers of ``CLAIMS`` its message carries


@dataclass(frozen=True)
class Pusher:
    """Who pushed, as the git server authenticated them (never what a commit says): an account name and/or
    an e-mail address, matched against the entries of ``units``."""

    names: frozenset[str]

    def shown(self) -> str:
        return "、".join(sorted(self.names))


def unit_of(rules: UnitSettings, names: frozenset[str] | set[str]) -> str | None:
    """The 责任单位 whose staff ``names`` (e-mail or server account, any case) belong to, if any."""
    wanted = {n.lower() for n in names}
    return next((u for u, staff in rules.members.items() if wanted & {e.lower() for e in staff}), None)


def is_office(rules: UnitSettings, names: frozenset[str] | set[str]) -> bool:
    return bool({n.lower() for n in names} & {e.lower() for e in rules.office})


def check_authors(root: Path, span: str) -> list[Violation]:
    """Every violation in the commits of ``span`` (``A..B``, or one revision: its commits not reachable
    from any other ref), judged by the ``units`` of the span's base revision."""
    if span.startswith("-"):
        raise XmtjError(f"版本范围不能以“-”开头：{span}")
    if ".." in span:
        base: str | None = span.split("..", 1)[0] or None
        commits = commits_of(root, [span])
    else:
        base, commits = None, commits_of(root, [span, "--not", "--all"])
    if base is None and commits:  # a new branch: the rules of the revision it grew from (or its first)
        base = commits[0].parent or commits[0].id
    return check_commits(root, commits, rules_at(root, base or "HEAD"))


def check_commits(
    root: Path, commits: list[Commit], rules: UnitSettings, pusher: Pusher | None = None
) -> list[Violation]:
    """Every violation in ``commits`` by ``rules``; with ``pusher`` (who the server says pushed them), a
    unit may push only commits authored by its own staff."""
    if not rules.office and not rules.members:
        raise XmtjError("xmtj.yaml 中没有 units（office 和 members）：无法判断谁可以修改什么")
    found: list[Violation] = []
    with _allowed_signers(rules) as signers:
        signatures = _signatures(root, [c.id for c in commits], signers) if rules.require_signed else {}
        for commit in commits:
            found.extend(_check_commit(root, commit, rules, signatures.get(commit.id), pusher))
    return found


def commits_of(root: Path, args: list[str]) -> list[Commit]:
    """The commits ``git rev-list args`` lists, oldest first, with author e-mail and first parent."""
    trailers = "".join(f"%x1f%(trailers:key={k},valueonly,separator=%x2C)" for k in CLAIMS)
    raw = gitio.text(root, ["rev-list", "--reverse", f"--format=%H%x1f%ae%x1f%P{trailers}", *args])
    commits = []
    for line in raw.splitlines():
        if line.startswith("commit ") or "\x1f" not in line:
            continue
        cid, email, parents, *claimed = line.split("\x1f")
        claims = tuple(key for key, value in zip(CLAIMS, claimed, strict=False) if value.strip())
        commits.append(Commit(cid, email.lower(), parents.split()[0] if parents else None, claims))
    return commits


# Trailers an older xmtj let decide a fact: now they decide nothing, and a commit that carries one without
# making the change it names is named by ``check --authors`` (someone typed it)
CLAIMS = ("Xmtj-Dispatch", "Xmtj-Report", "Xmtj-Doc-No")


def _claims(root: Path, commit: Commit, rules: UnitSettings, files: list[gitio.NameStatus]) -> Iterator[str]:
    """What the commit's trailers claim and the commit does not bear out."""
    if {"Xmtj-Report", "Xmtj-Doc-No"} & set(commit.claims) and not any(
        f.path.startswith("data/briefings/") and f.status == "A" for f in files
    ):
        yield "提交说明写有 Xmtj-Report/Xmtj-Doc-No，但本提交没有登记通报（data/briefings/）：已忽略，文号以登记簿为准"
    if "Xmtj-Dispatch" in commit.claims:
        if not any(f.path.startswith("data/projects/") for f in files):
            yield "提交说明写有 Xmtj-Dispatch，但本提交没有登记任何项目的进度：已忽略，是否报送以台账数据为准"
        elif rules.office and commit.email not in {e.lower() for e in rules.office}:
            yield "提交说明写有 Xmtj-Dispatch，但提交人不是办公室人员：已忽略（调度表由办公室导入）"


def rules_at(root: Path, revision: str) -> UnitSettings:
    """``units`` of xmtj.yaml at ``revision``: the rules a change after it is judged by."""

    data = gitio.read_objects(root, [f"{revision}:{CONFIG_FILE}"]).get(f"{revision}:{CONFIG_FILE}")
    if data is None:
        raise XmtjError(f"版本 {revision} 中没有 {CONFIG_FILE}")
    config, problems = config_from_bytes(data)
    if config is None:
        raise XmtjError(f"版本 {revision} 的 {CONFIG_FILE} 有错误：" + "；".join(str(p) for p in problems))
    return config.units


class _allowed_signers:
    """An allowed-signers file (``gpg.ssh.allowedSignersFile``) from ``units.keys``, removed afterwards."""

    def __init__(self, rules: UnitSettings) -> None:
        self.rules = rules
        self.path: str | None = None

    def __enter__(self) -> str | None:
        if not self.rules.require_signed:
            return None
        handle, self.path = tempfile.mkstemp(prefix="xmtj-signers-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for email, key in self.rules.keys.items():
                out.write(f"{email.lower()} {key.strip()}\n")
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self.path is not None:
            os.unlink(self.path)


def _signatures(root: Path, ids: list[str], signers: str | None) -> dict[str, tuple[str, str]]:
    """Each commit's signature state (%G?) and signer principal (%GS), verified against ``signers``."""
    if not ids:
        return {}
    config = ["-c", f"gpg.ssh.allowedSignersFile={signers}"] if signers else []
    out = {}
    for cid in ids:
        done = gitio.git(root, [*config, "log", "-1", "--format=%G?%x1f%GS", cid], check=False)
        state, _, signer = done.stdout.decode("utf-8", "replace").strip().partition("\x1f")
        out[cid] = (state or "N", signer.strip().lower())
    return out


def _check_commit(
    root: Path, commit: Commit, rules: UnitSettings, signature: tuple[str, str] | None, pusher: Pusher | None
) -> Iterator[Violation]:
    office = {e.lower() for e in rules.office}
    unit = unit_of(rules, {commit.email})

    def violation(path: str, field: str, message: str) -> Violation:
        return Violation(commit.id, commit.email, path, field, message)

    if pusher is not None and not is_office(rules, pusher.names):
        pushed_for = unit_of(rules, pusher.names)
        if pushed_for is None or unit != pushed_for:
            who = f"推送人 {pusher.shown()}（{pushed_for or '不在 units 中'}）"
            yield violation(
                "",
                "",
                f"{who}不能推送提交人为 {commit.email} 的提交：单位只能推送本单位人员的提交"
                "（提交人的邮箱可以随意填写，以服务器认证的推送人为准）",
            )
            return

    if signature is not None:
        state, signer = signature
        if state != "G":
            words = {"N": "未签名", "B": "签名无效", "E": "无法验证签名"}.get(state, f"签名不可信（{state}）")
            yield violation("", "", f"{words}：xmtj.yaml 要求每个提交都用 units.keys 中登记的密钥签名")
        elif signer != commit.email:
            yield violation("", "", f"签名的密钥属于 {signer}，不是提交人 {commit.email}")
    files = _files(root, commit)
    for message in _claims(root, commit, rules, files):
        yield violation("", "", message)
    if commit.email in office:
        return
    if unit is None:
        yield violation("", "", "提交人不在 xmtj.yaml 的 units 中（既不是办公室人员，也不属于任何责任单位）")
        return
    for entry in files:
        yield from _check_file(root, commit, unit, entry, violation)


def _files(root: Path, commit: Commit) -> list[gitio.NameStatus]:
    parent = commit.parent or gitio.EMPTY_TREE
    raw = gitio.text(root, ["diff-tree", "-r", "--raw", "--no-abbrev", "--no-renames", parent, commit.id])
    return gitio.parse_name_status(raw)


def _check_file(root: Path, commit: Commit, unit: str, entry: gitio.NameStatus, violation: Any) -> Iterator[Violation]:
    parts = entry.path.split("/")
    kind = parts[1] if len(parts) == 3 and parts[0] == "data" else None
    if kind not in UNIT_FIELDS:
        yield violation(entry.path, "", f"{unit} 只能修改本单位的项目进度、问题办理和督办函反馈，此文件须由办公室修改")
        return
    if entry.status != "M" or entry.old_id is None or entry.new_id is None:
        yield violation(entry.path, "", f"{unit} 不能新建或删除记录，须由办公室办理")
        return
    blobs = gitio.read_objects(root, [entry.old_id, entry.new_id])
    before, after = parse(blobs.get(entry.old_id)) or {}, parse(blobs.get(entry.new_id)) or {}
    owner = before.get(OWNER_FIELD[kind])
    if owner != unit:
        yield violation(entry.path, OWNER_FIELD[kind], f"这是“{owner}”的记录，{unit} 不能修改")
        return
    old, new = flatten(before), flatten(after)
    allowed = UNIT_FIELDS[kind]
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name) and not any(
            name in (a, a.rstrip(".")) or name.startswith(a) for a in allowed
        ):
            yield violation(entry.path, name, f"{unit} 不能修改这个字段，须由办公室修改")
