"""A roll-up ledger's mirrors of its members' repositories, and the one way git touches them.

Where: ``<the roll-up's git directory>/xmtj/members/<code>.git`` — inside ``.git``, where no commit and no
checkout can put a file. (Mirrors once lived in the work tree under ``.xmtj/``: a file added there with
``git add -f`` was committed, checked out by whoever cloned the roll-up ledger, and its ``config`` ran a
command on their next ``fetch``. ``check`` and ``fetch`` now refuse a tracked ``.xmtj`` outright.)

How git is run on them (``member_git``): the mirror's ``config`` is ours and is rewritten to its fixed
content before every use; hooks are switched off; only the file, git, http(s) and ssh transports are
allowed (``protocol.allow=never`` otherwise: no ``ext::``); the upload-pack program is named on the
command line; a URL starting with ``-`` is refused and every URL follows ``--``. The clerk's own git
configuration (credentials, SSH settings) still applies: it is theirs.

A first fetch clones into a temporary folder and renames it into place, so a mirror that exists is
whole; a fetch that runs past its time limit is killed with its whole process group. Tags come in under
``refs/xmtj-incoming/`` and are compared with the mirror's own: a new submission is added, and a
submission tag that a member has moved to another commit (报送被改写) is reported by name while the
mirror keeps the one read before.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from xmtj.ledger import gitio
from xmtj.ledger.settings import Member
from xmtj.problems import XmtjError
from xmtj.textsafe import visible

LEGACY = ".xmtj"  # where mirrors lived in the work tree before: never read, refused when tracked
CONFIG = b"[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n"
URL_FILE = "xmtj-url"  # the URL a mirror was made from: a changed URL means a new mirror
REWRITTEN_FILE = "xmtj-rewritten"  # submission tags a member moved after they were read
INCOMING = "refs/xmtj-incoming/tags/"
SAFE = [
    "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "protocol.allow=never",
    "-c", "protocol.file.allow=always", "-c", "protocol.git.allow=always", "-c", "protocol.http.allow=always",
    "-c", "protocol.https.allow=always", "-c", "protocol.ssh.allow=always", "-c", "core.quotepath=off",
]  # fmt: skip


class UnsafeRollup(XmtjError):
    """The roll-up ledger holds something that could make xmtj run code or write elsewhere."""


def mirrors_folder(root: Path) -> Path:
    """``<git dir>/xmtj/members`` of the roll-up ledger (which must be a git repository)."""
    done = gitio.git(root, ["rev-parse", "--absolute-git-dir"], check=False)
    if done.returncode != 0:
        raise XmtjError("汇总台账须是 git 仓库（xmtj init --rollup 会建好）：成员的镜像保存在它的 .git 中")
    return Path(done.stdout.decode("utf-8", "surrogateescape").strip()) / "xmtj" / "members"


def mirror_of(root: Path, member: Member) -> Path:
    return mirrors_folder(root) / f"{member.code}.git"


def legacy_problems(root: Path) -> list[str]:
    """What in the work tree could pass for a mirror: a tracked ``.xmtj`` path or a symlink there."""
    found = []
    if os.path.islink(root / LEGACY):
        found.append(f"{LEGACY} 是符号链接（指向 {os.readlink(root / LEGACY)}）")
    done = gitio.git(root, ["ls-files", "-z", "--", LEGACY], check=False)
    tracked = [p for p in done.stdout.split(b"\0") if p]
    if tracked:
        shown = tracked[0].decode("utf-8", "backslashreplace")
        found.append(f"{LEGACY}/ 中有{len(tracked)}个文件被提交到了 git（如 {shown}）")
    return found


def refuse_legacy(root: Path) -> None:
    problems = legacy_problems(root)
    if problems:
        raise UnsafeRollup(
            "汇总台账中" + "；".join(problems) + "。成员镜像不在工作区中（在 .git/xmtj/members），这些文件可能是有人"
            "放进来让 xmtj 执行命令或写到台账之外的；请检查并删除（git rm -r --cached .xmtj，再删除该目录）后重试"
        )


def check_url(url: str) -> str:
    """A member's repository address: refused when git would read it as an option or run a program."""
    if not url or url.startswith("-") or any(ch in url for ch in "\n\r\0"):
        raise XmtjError(f"成员仓库地址无效：“{url}”")
    if "::" in url.split("/", 1)[0]:  # ext::sh -c …, fd::: a remote helper that runs programs
        raise XmtjError(f"成员仓库地址“{url}”不是 https、ssh、git:// 或本地路径，不予使用")
    return url


def _fix_config(mirror: Path) -> None:
    """The mirror's config is xmtj's own: whatever was put there is replaced by the fixed content."""
    path = mirror / "config"
    try:
        if path.is_symlink() or path.read_bytes() != CONFIG:
            path.unlink(missing_ok=True)
            path.write_bytes(CONFIG)
    except OSError:
        path.unlink(missing_ok=True)
        path.write_bytes(CONFIG)


def member_git(mirror: Path, args: Sequence[str], check: bool = False) -> subprocess.CompletedProcess[bytes]:
    """``git`` on a mirror, with the fixed configuration (see the module doc)."""
    _fix_config(mirror)
    return gitio.git(mirror, [*SAFE, *args], check=check)


@dataclass(frozen=True)
class Fetched:
    member: Member
    ok: bool
    reason: str = ""  # why it failed, in Chinese where git's message is known
    new_tags: tuple[str, ...] = ()
    rewritten: tuple[str, ...] = ()  # submission tags the member moved to another commit (报送被改写)
    skipped: tuple[str, ...] = ()  # tag names that are not text (shown escaped), left out


REASONS = {  # git's messages, as the office reads them
    "Could not resolve host": "无法解析服务器地址",
    "Connection refused": "服务器拒绝连接",
    "Connection timed out": "连接超时",
    "does not appear to be a git repository": "地址上没有 git 仓库",
    "Repository not found": "仓库不存在",
    "not found": "仓库不存在",
    "Authentication failed": "身份验证失败（请检查 git 的凭据或 SSH 密钥）",
    "Permission denied": "没有访问权限（请检查 git 的凭据或 SSH 密钥）",
    "transport": "地址的传输方式不被允许（只接受 https、ssh、git:// 和本地路径）",
}


def _reason(stderr: str) -> str:
    for words, chinese in REASONS.items():
        if words in stderr:
            return chinese
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "未知错误"


def _run(mirror: Path, args: Sequence[str], timeout: float) -> tuple[int, str]:
    """git with a time limit; past it the whole process group (git and the transport it started) is killed."""
    _fix_config(mirror)
    process = subprocess.Popen(["git", *SAFE, "-C", str(mirror), *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=gitio.env(), start_new_session=True)  # fmt: skip
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return -1, ""
    return process.returncode, err.decode("utf-8", "replace")


def _fresh_mirror(folder: Path, name: str) -> Path:
    """An empty bare repository with xmtj's own config, in a temporary folder beside the mirrors."""
    import tempfile

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".part", dir=folder))
    gitio.git(temp, ["init", "--quiet", "--bare", str(temp)])
    shutil.rmtree(temp / "hooks", ignore_errors=True)
    return temp


def fetch_member(root: Path, member: Member, timeout: float) -> Fetched:
    """The member's repository fetched into its mirror (made the first time, and again when its URL changed)."""
    url = check_url(member.url)
    folder = mirrors_folder(root)
    mirror = folder / f"{member.code}.git"
    current = mirror.is_dir() and _made_from(mirror) == url
    target = mirror if current else _fresh_mirror(folder, member.code)
    refspecs = ["+refs/heads/*:refs/heads/*", f"+refs/tags/*:{INCOMING}*"]
    code, err = _run(target, ["fetch", "--quiet", "--prune", "--no-tags", "--upload-pack=git-upload-pack",
                              "--", url, *refspecs], timeout)  # fmt: skip
    if code != 0:
        if not current:
            shutil.rmtree(target, ignore_errors=True)
        if code == -1:
            return Fetched(member, False, f"超过{int(timeout)}秒未完成（网络或服务器太慢），已停止")
        return Fetched(member, False, _reason(err))
    new, rewritten, skipped = _take_tags(target)
    if not current:
        (target / URL_FILE).write_text(url + "\n", encoding="utf-8")
        if mirror.exists():
            shutil.rmtree(mirror)
        os.rename(target, mirror)
    return Fetched(member, True, "", tuple(new), tuple(rewritten), tuple(skipped))


def current(mirror: Path, member: Member) -> bool:
    """The mirror was made from the member's address as xmtj.yaml gives it now (a changed address: 未获取)."""
    return _made_from(mirror) == member.url


def _made_from(mirror: Path) -> str | None:
    try:
        return (mirror / URL_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def shown(name: bytes) -> str:
    """A ref name as text: undecodable bytes shown as escapes (``\\xff``)."""

    return visible(name.decode("utf-8", "backslashreplace"))


def _take_tags(mirror: Path) -> tuple[list[str], list[str], list[str]]:
    """Incoming tags made the mirror's own: new ones added, moved ones reported and left as they were."""
    done = member_git(mirror, ["for-each-ref", "--format=%(refname)%00%(objectname)", INCOMING, "refs/tags/"])
    incoming: dict[bytes, bytes] = {}
    own: dict[bytes, bytes] = {}
    for line in done.stdout.split(b"\n"):
        name, _, oid = line.partition(b"\0")
        if name.startswith(INCOMING.encode()):
            incoming[name[len(INCOMING) :]] = oid
        elif name.startswith(b"refs/tags/"):
            own[name[len(b"refs/tags/") :]] = oid
    new, rewritten, skipped, updates = [], [], [], []
    for name, oid in sorted(incoming.items()):
        try:
            text = name.decode("utf-8")
        except UnicodeDecodeError:
            skipped.append(shown(name))
            continue
        if name not in own:
            new.append(text)
            updates.append(f"create refs/tags/{text} {oid.decode()}\n")
        elif own[name] != oid:
            rewritten.append(text)
    if rewritten:
        _remember(mirror, rewritten)
    updates += [f"delete {INCOMING}{n.decode('utf-8', 'surrogateescape')}\n" for n in incoming if _text(n)]
    if updates:
        _fix_config(mirror)
        gitio.git(mirror, [*SAFE, "update-ref", "--stdin"], stdin="".join(updates).encode("utf-8"))
    return new, rewritten, skipped


def _remember(mirror: Path, rewritten: list[str]) -> None:
    path = mirror / REWRITTEN_FILE
    try:
        known = set(path.read_text(encoding="utf-8").split())
    except (OSError, UnicodeDecodeError):
        known = set()
    path.write_text("".join(f"{t}\n" for t in sorted(known | set(rewritten))), encoding="utf-8")


def _text(name: bytes) -> bool:
    try:
        name.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def fetch_all(
    root: Path, members: Sequence[Member], workers: int = 8, timeout: float = 120,
    progress: Callable[[int, int], None] | None = None,
) -> list[Fetched]:  # fmt: skip
    """Every member fetched, ``workers`` at a time, each bounded by ``timeout``; one failing never stops
    the others. Results in the members' order."""
    refuse_legacy(root)
    mirrors_folder(root).mkdir(mode=0o700, parents=True, exist_ok=True)
    results: dict[str, Fetched] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(members) or 1))) as pool:
        futures = {pool.submit(_fetch_safely, root, m, timeout): m for m in members}
        for done, future in enumerate(futures, start=1):
            found = future.result()
            results[found.member.code] = found
            if progress is not None:
                progress(done, len(members))
    return [results[m.code] for m in members]


def _fetch_safely(root: Path, member: Member, timeout: float) -> Fetched:
    try:
        return fetch_member(root, member, timeout)
    except XmtjError as exc:
        return Fetched(member, False, str(exc))
