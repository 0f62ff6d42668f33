"""The office's dispatch key: the secret that signs every 调度表 it sends (HMAC-SHA256), kept outside the
ledger — a clone of the ledger, a unit's copy, a forger with xmtj's source: none of them has it.

Where: ``$XDG_CONFIG_HOME/xmtj/dispatch-keys/<ledger id>/`` (``~/.config/xmtj/…`` by default), a folder
only the clerk can read or write (mode 700, files 600); the ledger id is its first commit, so every
clone of one ledger finds the same folder. The first ``dispatch`` creates a key. ``dispatch key --new``
starts a new one (rotation): sheets are signed with the newest, and every key kept in the folder still
verifies the sheets it signed. To use a second computer, or to keep a backup, copy the folder (a lost
key only means that sheets still out must be sent again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from xmtj.ledger.private import private_chain, read_private, write_private
from xmtj.problems import XmtjError

KEY_BYTES = 32


@dataclass(frozen=True)
class Key:
    key_id: str  # 12 hex digits of the key's SHA-256: named in a sheet's marker, never the key itself
    secret: bytes
    path: Path


def config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "xmtj"


def key_folder(ledger_id: str) -> Path:
    if not ledger_id.isalnum():
        raise XmtjError(f"台账标识无效：{ledger_id}")
    return config_home() / "dispatch-keys" / ledger_id


def _key_id(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()[:12]


def keys(ledger_id: str) -> list[Key]:
    """Every key kept for the ledger, newest first (only the clerk's own private files count)."""

    folder = key_folder(ledger_id)
    top = config_home()
    if not folder.is_dir() or not private_chain(top, folder):
        return []
    found = []
    for path in sorted(folder.glob("*.key"), reverse=True):  # named <UTC time>-<id>.key: newest first
        try:
            secret = bytes.fromhex(read_private(path).decode("ascii").strip())
        except (OSError, ValueError):
            continue
        if len(secret) == KEY_BYTES:
            found.append(Key(_key_id(secret), secret, path))
    return found


def current_key(ledger_id: str, create: bool = True) -> Key:
    """The key new sheets are signed with; made on first use (``create``)."""
    found = keys(ledger_id)
    if found:
        return found[0]
    if not create:
        raise XmtjError("本机没有本台账的调度表密钥（xmtj dispatch key 查看说明）")
    return new_key(ledger_id)


def new_key(ledger_id: str) -> Key:
    """A new key, kept beside the older ones (which still verify the sheets they signed)."""

    top, folder = config_home(), key_folder(ledger_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for made in (top, folder.parent, folder):  # xmtj's own folders: nobody else's business
        if made.is_dir() and not made.is_symlink():
            os.chmod(made, 0o700)
    if not private_chain(top, folder):
        raise XmtjError(f"{folder} 不是只有本人可写的文件夹，不能在其中保存密钥")
    secret = secrets.token_bytes(KEY_BYTES)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"{stamp}-{_key_id(secret)}.key"
    write_private(folder, name, secret.hex().encode("ascii") + b"\n")
    os.chmod(folder / name, 0o600)
    return Key(_key_id(secret), secret, folder / name)


def sign(key: Key, text: str) -> str:
    return hmac.new(key.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(ledger_id: str, key_id: str, text: str, digest: str) -> bool:
    """Whether ``digest`` is the HMAC of ``text`` under the kept key named ``key_id``."""
    for key in keys(ledger_id):
        if key.key_id == key_id:
            return hmac.compare_digest(sign(key, text), digest)
    return False
