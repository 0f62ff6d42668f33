"""git, driven with argument lists (never a shell), from the ledger's folder.

Ids and revisions from the user are data, never options: revisions that start with ``-`` are
refused, paths always follow ``--``, and ``--end-of-options`` guards what git would parse.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xmtj.problems import XmtjError
from xmtj.textsafe import visible


class GitError(XmtjError):
    """A git command failed."""


class UnsafeRepository(GitError):
    """git refuses the repository: it belongs to another user ("dubious ownership")."""


class BadRevision(XmtjError):
    """A revision that git does not know (or that looks like an option)."""


def env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LC_ALL", "C.UTF-8")
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.pop("GIT_DIR", None)  # the ledger's own repository, whatever the caller's environment says
    return env


def git(
    root: Path, args: Sequence[str], stdin: bytes | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git -C root args`` and return the finished process (bytes out)."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            env=env(),
            check=False,
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令：请先安装 git") from None
    if done.returncode != 0 and b"dubious ownership" in done.stderr:
        # git's own safety rule: never treat such a folder as "not a repository" and go on without it
        raise UnsafeRepository(
            f"git 拒绝使用 {root} 的仓库：它属于另一个用户（git 称之为 dubious ownership），"
            "其中的配置和钩子可能由他人设置。请由仓库的主人操作；如确认可信，可运行 "
            f"git config --global --add safe.directory {Path(root).resolve()}"
        )
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} 失败：{message[-1] if message else done.returncode}")
    return done


def text(root: Path, args: Sequence[str]) -> str:
    """git's output as text; bytes that are not UTF-8 (a file or ref name committed in another encoding)
    are kept as ``\\xff`` escapes, never a crash."""
    return git(root, args).stdout.decode("utf-8", "backslashreplace")


def is_repository(root: Path) -> bool:
    done = git(root, ["rev-parse", "--is-inside-work-tree"], check=False)
    return done.returncode == 0 and done.stdout.strip() == b"true"


def is_bare(root: Path) -> bool:
    """A bare repository (a mirror of a member's ledger, a server's copy): revisions only, no files."""
    done = git(root, ["rev-parse", "--is-bare-repository"], check=False)
    return done.returncode == 0 and done.stdout.strip() == b"true"


def has_commits(root: Path) -> bool:
    return git(root, ["rev-parse", "--verify", "--quiet", "HEAD"], check=False).returncode == 0


def resolve(root: Path, rev: str) -> str:
    """The full commit id of ``rev``; a revision starting with ``-`` is refused outright."""
    if not rev or rev.startswith("-"):
        raise BadRevision(f"版本“{rev}”无效：版本号不能以“-”开头")
    done = git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], check=False)
    if done.returncode != 0:
        raise BadRevision(f"git 中找不到版本“{rev}”")
    return done.stdout.decode().strip()


def start(root: Path, args: Sequence[str]) -> subprocess.Popen[bytes]:
    """``git -C root args`` started (as ``git`` runs it), to be read with ``communicate()`` later."""
    argv = ["git", "-c", "core.quotepath=off", "-C", str(root), *args]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())


def start_list_tree(root: Path, commit: str, folders: Iterable[str]) -> subprocess.Popen[bytes]:
    """``git ls-tree`` started, to be read with ``tree_lines(process.communicate()[0])`` later."""
    return start(root, ["ls-tree", "-r", "-z", commit, "--", *folders])


FILE_MODES = ("100644", "100755")
_TREE_TEXT = re.compile(r"(\d{6}) \w+ ([0-9a-f]+)\t([^\0]*)\0")


def tree_lines(out: bytes) -> list[tuple[str, str, str]]:
    """``ls-tree -r -z`` output as (mode, object id, path) — decoded once, split by one regex in C."""
    return _TREE_TEXT.findall(out.decode("utf-8", "backslashreplace"))


def read_objects(root: Path, specs: Sequence[str]) -> dict[str, bytes]:
    """Blobs by id (or named ``rev:./path``), in one ``git cat-file --batch`` call; missing ones are left out."""
    if not specs:
        return {}
    request = "".join(f"{spec}\n" for spec in specs).encode("utf-8")
    out = git(root, ["cat-file", "--batch"], stdin=request).stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    for spec in specs:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[-2] != b"blob":
            continue  # "<name> missing", or not a file
        size = int(header[-1])
        blobs[spec] = out[pos : pos + size]
        pos += size + 1
    return blobs


def dirty(root: Path, paths: Sequence[str]) -> list[str]:
    """Which of ``paths`` have uncommitted changes (staged, unstaged, or untracked)."""
    if not paths:
        return []
    out = git(root, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths]).stdout
    changed = []
    for entry in out.split(b"\0"):
        if len(entry) > 3:
            changed.append(entry[3:].decode("utf-8", "backslashreplace"))
    return changed


def identity_missing(root: Path) -> bool:
    """No author name or email configured (nor given through the environment)."""
    given = env()
    for key, var in (("user.name", "GIT_AUTHOR_NAME"), ("user.email", "GIT_AUTHOR_EMAIL")):
        if given.get(var):
            continue
        if git(root, ["config", "--get", key], check=False).returncode != 0:
            return True
    return False


@dataclass(frozen=True)
class Commit:
    id: str
    author: str
    date: str  # ISO 8601 with the commit's own offset
    subject: str
    body: str


def commit_files(root: Path, paths: Sequence[str], message: str, verify: bool = True) -> Commit:
    """Commit exactly ``paths`` (new or changed) with ``message``; other staged changes stay staged.

    The repository's own hooks run (an office may check its files in a pre-commit hook); ``verify``
    false (``git: {verify: false}`` in xmtj.yaml) skips them, and only then.
    """
    git(root, ["add", "--", *paths])
    done = git(
        root,
        ["commit", "--quiet", *([] if verify else ["--no-verify"]), "-m", message, "--only", "--", *paths],
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or [str(done.returncode)]
        raise GitError(f"git 提交失败：{lines[-1]}")
    return last_commit(root)


def unstage(root: Path, paths: Sequence[str]) -> None:
    """Put the index entries of ``paths`` back to HEAD's (after a failed commit); best effort."""
    if has_commits(root):
        git(root, ["reset", "--quiet", "HEAD", "--", *paths], check=False)
    else:
        git(root, ["rm", "--cached", "--quiet", "--ignore-unmatch", "--", *paths], check=False)


_IN_PROGRESS = {
    "MERGE_HEAD": "合并（merge）",
    "rebase-merge": "变基（rebase）",
    "rebase-apply": "变基（rebase）或 git am",
    "CHERRY_PICK_HEAD": "拣选（cherry-pick）",
    "REVERT_HEAD": "撤销提交（revert）",
    "BISECT_LOG": "二分查找（bisect）",
}


def check_ready(root: Path) -> None:
    """Raise unless a commit can be made now: checked before any file is written (all or nothing)."""
    names = ["index.lock", *_IN_PROGRESS]
    out = text(root, ["rev-parse", *[arg for name in names for arg in ("--git-path", name)]]).splitlines()
    found = dict(zip(names, out, strict=True))
    lock = Path(root, found["index.lock"])
    if lock.exists():
        raise GitError(
            f"git 的索引被锁定（{lock} 存在）：可能另一个 git 程序正在运行，或上次 git 异常退出留下了锁文件。"
            "请确认没有 git 程序在运行后删除该文件，再重试；本次什么也没有写入"
        )
    for name, words in _IN_PROGRESS.items():
        if Path(root, found[name]).exists():
            raise GitError(
                f"git 仓库正处于未完成的{words}中：请先完成或放弃它（git status 会提示怎么做），"
                "再重试；本次什么也没有写入"
            )
    if identity_missing(root):
        raise GitError(
            "git 还不知道您的姓名和邮箱，无法提交，本次什么也没有写入。请先设置："
            'git config --global user.name "您的姓名"；git config --global user.email "您的邮箱"'
            "（或加 --no-commit 只写文件不提交）"
        )


LOG_FORMAT = "%x1c%H%x1f%an%x1f%aI%x1f%s%x1f%b%x1d"


NO_OBJECT = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # what a first commit is compared with


@dataclass(frozen=True)
class NameStatus:
    """One file of a commit or a diff: its status, path, old path (renames) and blob ids (``--raw``)."""

    status: str  # A, M, D, R
    path: str
    old_path: str | None = None
    old_id: str | None = None  # the blob before (None: none, or not known)
    new_id: str | None = None  # the blob after (None: none, or the working tree's file)


def parse_name_status(block: str) -> list[NameStatus]:
    """``--name-status`` or ``--raw --no-abbrev`` lines (``:100644 100644 <old> <new> M<TAB>path``)."""
    entries = []
    for line in block.splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0]:
            continue
        old_id = new_id = None
        head = parts[0]
        if head.startswith(":"):  # --raw: modes, blob ids, status
            fields = head[1:].split()
            old_id, new_id, head = fields[2], fields[3], fields[4]
            old_id = None if old_id == NO_OBJECT else old_id
            new_id = None if new_id == NO_OBJECT else new_id
        code = head[0]
        if code in "RC" and len(parts) >= 3:
            entries.append(NameStatus("R" if code == "R" else "A", parts[2], parts[1], old_id, new_id))
        else:
            entries.append(NameStatus(code, parts[1], None, old_id, new_id))
    return entries


def log_with_files(root: Path, args: Sequence[str], renames: bool = True) -> list[tuple[Commit, list[NameStatus]]]:
    """``git log`` with each commit's changed files (renames found within each commit, unless not asked)."""
    renaming = "-M" if renames else "--no-renames"
    raw = text(root, ["log", f"--format={LOG_FORMAT}", "--raw", "--no-abbrev", renaming, *args])
    out = []
    for chunk in raw.split("\x1c"):
        if not chunk.strip():
            continue
        header, _, files = chunk.partition("\x1d")
        cid, author, date, subject, body = (header.split("\x1f") + [""] * 5)[:5]
        out.append(
            (Commit(cid, visible(author), date, visible(subject), visible(body.strip())), parse_name_status(files))
        )
    return out


def tags_by_commit(root: Path, pattern: str) -> dict[str, list[str]]:
    """The tags matching ``pattern`` (``报送/*``) by the commit they point to (annotated tags peeled)."""
    done = git(
        root, ["tag", "--list", pattern, "--format=%(objectname)%(*objectname)\x1f%(refname:short)"], check=False
    )
    found: dict[str, list[str]] = {}
    for line in done.stdout.decode("utf-8", "backslashreplace").splitlines():
        ids, _, name = line.partition("\x1f")
        commit = ids[40:] or ids[:40]  # an annotated tag: the commit it points to
        found.setdefault(commit, []).append(name)
    return found


def last_commit(root: Path) -> Commit:
    return log_with_files(root, ["-1"])[0][0]


def renamed_from(root: Path, commit: str, path: str) -> NameStatus | None:
    """The rename that made ``path`` in ``commit`` (with both blob ids): git must pair a file deleted in
    that very commit with it (a new file that merely looks like an existing one is no rename)."""
    if git(root, ["rev-parse", "--verify", "--quiet", f"{commit}^"], check=False).returncode != 0:
        return None  # the first commit: everything in it is new
    folder = path.rsplit("/", 1)[0]
    raw = text(root, ["diff", "--raw", "--no-abbrev", "-M", f"{commit}^", commit, "--", folder])
    for entry in parse_name_status(raw):
        if entry.status == "R" and entry.path == path and entry.old_path:
            return entry
    return None
