"""``xmtj sync``: the office's ledger and its server kept the same without git commands.

Fetch the server's branch; when both sides have new commits, merge them (a merge, not a rebase: every
commit stays as it was made, so ``log`` still says who changed what), then check the ledger and push.
A file both sides changed is merged field by field, not line by line: its units — a top-level field, or
one key of a mapping field (``progress.2021-11``, ``annual_plan.2022``) — each taken from the side that
changed it, edited into the server's text (its layout and comments kept). A unit both sides changed to
different values is a conflict: nothing is merged or pushed (the merge is aborted; both sides' commits
are untouched), and each conflict is named with both values and who made each; ``--keep mine|theirs ID
FIELD`` decides it on the next run. A record file both sides created is a conflict of the whole record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xmtj.changes import yamledit
from xmtj.changes.fields import parse
from xmtj.figures.fmt import show
from xmtj.ledger import gitio
from xmtj.ledger.labels import kind_of, label
from xmtj.ledger.records import field_names
from xmtj.ledger.registry import MODELS
from xmtj.problems import XmtjError

MAPPINGS = ("progress", "annual_plan", "monthly_plan", "targets", "contact", "feedback", "figures")
Unit = tuple[Any, ...]  # ("remarks",) or ("progress", "2021-11")


@dataclass(frozen=True)
class Conflict:
    path: str
    unit: Unit
    mine: Any
    theirs: Any
    mine_by: str  # who made each side's change, and when
    theirs_by: str

    @property
    def record(self) -> str:
        return Path(self.path).stem

    @property
    def field(self) -> str:
        return ".".join(str(u) for u in self.unit) if self.unit else "（整个文件）"

    def words(self) -> str:
        name = label(self.field, kind_of(self.path)) if self.unit else "整个记录（两边都新建了这个编号）"
        return (f"{self.record} {name}：本机为 {show(self.mine)}（{self.mine_by}），"
                f"服务器上为 {show(self.theirs)}（{self.theirs_by}）")  # fmt: skip


@dataclass
class Synced:
    pulled: int = 0  # commits that came from the server
    pushed: int = 0  # commits sent to it
    merged: list[str] = field(default_factory=list)  # files merged field by field
    kept: list[str] = field(default_factory=list)  # conflicts decided by --keep


class SyncConflict(XmtjError):
    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        lines = "\n".join(f"  {c.words()}" for c in conflicts)
        hint = "\n".join(f"  xmtj sync --keep mine {c.record} {_keep_name(c)}" for c in conflicts[:3])
        super().__init__(
            f"本机和服务器上改了同一处，未合并、未推送（两边的修改都在，没有丢失）：\n{lines}\n"
            f"决定保留哪一边后再运行，例如：\n{hint}\n（mine 保留本机的，theirs 保留服务器上的）"
        )


def _keep_name(conflict: Conflict) -> str:
    return label(conflict.field, kind_of(conflict.path)) if conflict.unit else "整个记录"


def sync(
    root: Path, remote: str, keep: Mapping[tuple[str, str], str], verify: Callable[[], None] | None = None
) -> Synced:
    """Fetch, merge field by field, check (``verify`` raises when the merged ledger has errors: then
    nothing is pushed), and push; ``keep`` decides conflicts: (record id, field or label) → ``mine`` or
    ``theirs``."""
    if not gitio.is_repository(root) or not gitio.has_commits(root):
        raise XmtjError("台账不在 git 中或还没有提交，无法同步")
    if gitio.git(root, ["remote", "get-url", "--", remote], check=False).returncode != 0:
        raise XmtjError(f"没有设置服务器（git 远程仓库 {remote}）：请由管理员运行 git remote add {remote} 地址")
    dirty = [line[3:] for line in gitio.text(root, ["status", "--porcelain", "--untracked-files=no"]).splitlines()]
    if dirty:
        raise XmtjError(f"有尚未提交的修改（{'、'.join(dirty[:3])}），请先提交或撤销后再同步")
    branch = gitio.text(root, ["symbolic-ref", "--quiet", "--short", "HEAD"]).strip()
    if not branch:
        raise XmtjError("当前不在任何分支上，无法同步")
    synced = Synced()
    listed = gitio.git(root, ["ls-remote", "--heads", "--", remote, f"refs/heads/{branch}"], check=False)
    fetched = (
        listed
        if listed.returncode != 0 or not listed.stdout.strip()
        else (gitio.git(root, ["fetch", "--quiet", "--", remote, f"refs/heads/{branch}"], check=False))
    )
    if fetched.returncode != 0:
        reason = fetched.stderr.decode("utf-8", "replace").strip().splitlines()
        raise XmtjError(f"无法连接服务器 {remote}：{reason[-1] if reason else fetched.returncode}")
    if not listed.stdout.strip():  # the server has no such branch yet: the first push
        synced.pushed = int(gitio.text(root, ["rev-list", "--count", "HEAD"]).strip())
        _push(root, remote, branch)
        return synced
    upstream = "FETCH_HEAD"
    theirs = gitio.resolve(root, upstream)
    counts = gitio.text(root, ["rev-list", "--left-right", "--count", f"HEAD...{theirs}"]).split()
    ahead, behind = int(counts[0]), int(counts[1])
    synced.pulled, synced.pushed = behind, ahead
    if behind and not ahead:
        gitio.git(root, ["merge", "--quiet", "--ff-only", theirs])
        return synced
    if behind:
        _merge(root, theirs, keep, synced)
        if verify is not None:
            verify()
    if ahead or behind:
        _push(root, remote, branch)
    return synced


def _merge(root: Path, theirs: str, keep: Mapping[tuple[str, str], str], synced: Synced) -> None:
    done = gitio.git(root, ["merge", "--no-ff", "--no-commit", "--quiet", theirs], check=False)
    conflicted = gitio.text(root, ["diff", "--name-only", "--diff-filter=U"]).split("\n")
    conflicted = [path for path in conflicted if path]
    if done.returncode != 0 and not conflicted:
        gitio.git(root, ["merge", "--abort"], check=False)
        reason = (done.stdout + done.stderr).decode("utf-8", "replace").strip().splitlines()
        raise XmtjError(f"合并服务器上的修改失败：{reason[-1] if reason else done.returncode}；台账保持原样")
    resolved: dict[str, str] = {}
    conflicts: list[Conflict] = []
    for path in conflicted:
        text, found = _merge_file(root, path, theirs, keep, synced)
        conflicts += found
        if text is not None:
            resolved[path] = text
    if conflicts:
        gitio.git(root, ["merge", "--abort"], check=False)
        raise SyncConflict(conflicts)
    for path, text in resolved.items():
        (root / path).write_text(text, encoding="utf-8")
        gitio.git(root, ["add", "--", path])
        synced.merged.append(path)
    message = f"同步: 合并服务器上的{synced.pulled}次修改\n\nXmtj-Command: xmtj sync\n"
    gitio.git(root, ["commit", "--quiet", "--no-verify", "-m", message])


def _stage(root: Path, stage: int, path: str) -> bytes | None:
    done = gitio.git(root, ["show", f":{stage}:{path}"], check=False)
    return done.stdout if done.returncode == 0 else None


def _merge_file(
    root: Path, path: str, theirs: str, keep: Mapping[tuple[str, str], str], synced: Synced
) -> tuple[str | None, list[Conflict]]:
    """A conflicted file merged unit by unit, or the conflicts that stop it."""
    base, mine, their = (_stage(root, n, path) for n in (1, 2, 3))
    record = Path(path).stem
    kind = kind_of(path)
    who_mine = _who(root, f"{theirs}..HEAD", path)
    who_theirs = _who(root, f"HEAD..{theirs}", path)
    if mine is None or their is None or not path.endswith(".yaml") or kind not in (*MODELS, "config"):
        choice = _choice(keep, record, "整个记录")
        if choice is None or (mine is None and their is None):
            return None, [Conflict(path, (), "本机的版本", "服务器上的版本", who_mine, who_theirs)]
        chosen = mine if choice == "mine" else their
        synced.kept.append(f"{record} 整个记录：保留{'本机' if choice == 'mine' else '服务器上'}的")
        return (chosen or b"").decode("utf-8"), []
    before = parse(base) or {} if base is not None else {}
    left, right = parse(mine) or {}, parse(their) or {}
    if base is None:  # both sides created it: one record or two?
        if left == right:
            return their.decode("utf-8"), []
        choice = _choice(keep, record, "整个记录")
        if choice is None:
            return None, [Conflict(path, (), "本机新建的", "服务器上新建的", who_mine, who_theirs)]
        synced.kept.append(f"{record} 整个记录：保留{'本机' if choice == 'mine' else '服务器上'}的")
        return (mine if choice == "mine" else their).decode("utf-8"), []
    text = their.decode("utf-8")
    order = field_names(MODELS[kind]) if kind in MODELS else ()
    conflicts = []
    for unit in _units(before, left, right):
        was, now_mine, now_theirs = (_get(d, unit) for d in (before, left, right))
        if now_mine in (was, now_theirs):
            continue  # mine did not change it, or both made the same change: the server's text has it
        if now_theirs != was:
            field_path = ".".join(str(u) for u in unit)
            choice = _choice(keep, record, field_path) or _choice(keep, record, label(field_path, kind))
            if choice is None:
                conflicts.append(Conflict(path, unit, now_mine, now_theirs, who_mine, who_theirs))
                continue
            synced.kept.append(
                f"{record} {label(field_path, kind)}：保留{'本机' if choice == 'mine' else '服务器上'}的"
            )
            if choice == "theirs":
                continue
        text = yamledit.set_value(text, list(unit), now_mine, order)
    return (None if conflicts else text), conflicts


def _units(*versions: dict[str, Any]) -> list[Unit]:
    units: list[Unit] = []
    for version in versions:
        for key, value in version.items():
            found: list[Unit] = (
                [(key, sub) for sub in value] if key in MAPPINGS and isinstance(value, dict) else [(key,)]
            )
            units += [u for u in found if u not in units]
    return units


def _get(data: dict[str, Any], unit: Unit) -> Any:
    value: Any = data
    for part in unit:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _choice(keep: Mapping[tuple[str, str], str], record: str, name: str) -> str | None:
    return keep.get((record, name)) or keep.get((record.casefold(), name))


def _who(root: Path, span: str, path: str) -> str:
    made = gitio.text(root, ["log", "-1", "--format=%an %ad", "--date=format:%Y-%m-%d %H:%M", span, "--", path])
    return made.strip() or "未知"


def _push(root: Path, remote: str, branch: str) -> None:
    done = gitio.git(root, ["push", "--quiet", "--", remote, f"HEAD:refs/heads/{branch}"], check=False)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace")
        if "rejected" in said or "fetch first" in said or "non-fast-forward" in said:
            raise XmtjError("推送时服务器上又有了新的修改：请再运行一次 xmtj sync（本机的修改都在）")
        lines = said.strip().splitlines()
        raise XmtjError(f"推送到服务器失败：{lines[-1] if lines else done.returncode}（本机的修改都在）")
