"""git's index, read directly: which working-tree files are as committed, their blob ids, and the stat
git last verified them at.

A fresh clone's first run (``xmtj.ledger.speed.scan``) takes from here the blob ids of the files git
says are unchanged, and keys its file index by the stat recorded beside them — the stat at which git
checked the content, so a file changed since has another stat and is read again. ``git diff-files``
decides which files changed (as ``git status`` does, content compared for racily clean entries); it
runs while the index file is read here. Index versions 2, 3 and 4 are read; anything else (a split
index, SHA-256 object ids, a worktree's ``.git`` file, ``GIT_DIR`` or ``GIT_INDEX_FILE`` set) is
answered by ``git ls-files`` instead, without stat.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

from xmtj.ledger import gitio
from xmtj.ledger.ledger import work_tree

Key = tuple[int, int, int, int]  # as xmtj.ledger.speed.cache.file_key: mtime_ns, size, inode, ctime_ns
Found = dict[str, tuple[Key | None, str]]  # path under the ledger → (stat git verified, blob id)

_LISTED = re.compile(rb"\d{6} ([0-9a-f]+) 0\t([^\0]*)\0")  # ``git ls-files -s -z``, stage 0
_ENTRY = struct.Struct(">10I20sH")  # ctime s/ns, mtime s/ns, dev, ino, mode, uid, gid, size, id, flags
_FILE_MODES = (0o100644, 0o100755)
_ASSUME_VALID = 0x8000
_EXTENDED = 0x4000
_SKIP_OR_INTENT = 0x6000  # skip-worktree, intent-to-add (extended flags)


def unchanged_files(root: Path, folder: str) -> Found:
    """The files under ``folder`` of the ledger at ``root`` that git says are as in its index; empty
    outside git, when git refuses the repository (another user's), or when git may convert files
    between the index and the working tree (then a file's bytes need not be its blob's)."""
    if not gitio.is_repository(root) or _converting(root):
        return {}
    checking = gitio.start(root, ["diff-files", "-z", "--name-only", "--relative", "--", folder])
    found = _read_index(root, folder)  # while git stats the files
    out, _ = checking.communicate()
    if checking.returncode != 0:
        return {}
    changed = set(out.decode("utf-8", "replace").split("\0"))
    if found is None:
        listed = gitio.git(root, ["ls-files", "-s", "-z", "--", folder]).stdout
        found = {
            path.decode("utf-8", "backslashreplace"): (None, oid.decode()) for oid, path in _LISTED.findall(listed)
        }
    return {path: entry for path, entry in found.items() if path not in changed}


def _converting(root: Path) -> bool:
    """Whether git may change a file's bytes on checkout: end-of-line conversion (``core.autocrlf``,
    ``core.eol``), filters, or any attributes file (``text``, ``eol``, ``working-tree-encoding`` …)."""
    settings = gitio.git(
        root, ["config", "--get-regexp", r"^(core\.(autocrlf|eol|attributesfile)|filter\.)"], check=False
    )
    for line in settings.stdout.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(" ")
        if name != "core.autocrlf" or value.strip().lower() not in ("false", "no", "off", "0", ""):
            return True
    found = _top(root)
    top = found[0] if found else root
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    places = [top / ".git" / "info" / "attributes", home / "git" / "attributes"]
    here = root.resolve()
    places += [folder / ".gitattributes" for folder in (here, *here.parents) if folder == top or top in folder.parents]
    return any(place.exists() for place in places) or any(root.glob("data/*/.gitattributes"))


def readable(root: Path) -> bool:
    """Whether ``unchanged_files`` can give the stat git verified (else: blob ids only)."""
    return not os.environ.get("GIT_INDEX_FILE") and _top(root) is not None


def _read_index(root: Path, folder: str) -> Found | None:
    """Entries of ``.git/index`` under ``folder`` (stage 0, regular files, neither assumed valid nor
    skipped), or None when the index cannot be read here (see the module's docstring)."""
    if os.environ.get("GIT_INDEX_FILE"):
        return None
    found = _top(root)
    if found is None:
        return None
    top, prefix = found
    try:
        data = (top / ".git" / "index").read_bytes()
        config = (top / ".git" / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "objectformat" in config.lower() or data[:4] != b"DIRC":
        return None
    version, count = struct.unpack_from(">II", data, 4)
    if version not in (2, 3, 4):
        return None
    try:
        entries, end = _entries(data, version, count, prefix, (prefix + folder + "/").encode("utf-8"))
        if b"link" in _extensions(data, end):
            return None  # a split index: the shared index holds the rest
    except (struct.error, ValueError, IndexError, UnicodeDecodeError):
        return None
    return entries


def _top(root: Path) -> tuple[Path, str] | None:
    """The work tree holding ``root`` (its ``.git`` a folder) and ``root``'s path in it (``a/b/`` or "")."""
    found = work_tree(root)
    if found is None:
        return None
    return found[0], "" if found[1] == "." else found[1] + "/"


def _entries(data: bytes, version: int, count: int, prefix: str, under: bytes) -> tuple[Found, int]:
    """The wanted entries, by path relative to the ledger, and where the entries end."""
    found: Found = {}
    cut = len(prefix.encode("utf-8"))
    pos = 12
    path = b""
    for _ in range(count):
        start = pos
        ctime_s, ctime_ns, mtime_s, mtime_ns, _, ino, mode, _, _, size, oid, flags = _ENTRY.unpack_from(data, pos)
        pos += _ENTRY.size
        extended = 0
        if flags & _EXTENDED and version >= 3:
            (extended,) = struct.unpack_from(">H", data, pos)
            pos += 2
        if version == 4:  # the path is the previous one, less some bytes at its end, plus a suffix
            strip, pos = _varint(data, pos)
            end = data.index(b"\0", pos)
            path = path[: len(path) - strip] + data[pos:end]
            pos = end + 1
        else:  # the path, then 1-8 NULs: each entry a multiple of 8 bytes long
            end = data.index(b"\0", pos)
            path = data[pos:end]
            pos = start + ((end - start + 8) & ~7)
        if flags & 0x3000 or flags & _ASSUME_VALID or extended & _SKIP_OR_INTENT or mode not in _FILE_MODES:
            continue  # a merge stage, assumed unchanged, sparse, or not a plain file
        if path.startswith(under):
            key = (mtime_s * 1_000_000_000 + mtime_ns, size, ino, ctime_s * 1_000_000_000 + ctime_ns)
            found[path[cut:].decode("utf-8", "backslashreplace")] = (key, oid.hex())
    return found, pos


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """git's offset encoding (index version 4): the number, and the position after it."""
    byte = data[pos]
    pos += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, pos


def _extensions(data: bytes, pos: int) -> set[bytes]:
    """The signatures of the index's extensions (between the entries and the closing checksum)."""
    found = set()
    while pos + 8 <= len(data) - 20:
        signature = data[pos : pos + 4]
        (size,) = struct.unpack_from(">I", data, pos + 4)
        found.add(signature)
        pos += 8 + size
    return found
