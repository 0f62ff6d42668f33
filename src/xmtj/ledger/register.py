"""The 督办提醒函 register (``data/letters/<year>-<number>.yaml``): its numbers and 发文字号.

A number once issued is never issued again, even after its register entry is deleted: the register's
git history counts (``issued_in_history``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xmtj.ledger.ledger import Ledger

REGISTER_DIR = "data/letters"


def doc_number(prefix: str, year: int, number: int) -> str:
    """发文字号: 机关代字〔2021〕12号 (full year, no padding, no 第)."""
    return f"{prefix}〔{year}〕{number}号"


_REGISTER_NAME = re.compile(r"^data/letters/(\d{4})-(\d+)\.ya?ml$")


def issued_in_history(ledger: Ledger) -> dict[int, set[int]]:
    """The numbers of every letter ever registered, by year, from the register's git history (up to
    the revision read); empty outside git."""
    from xmtj.ledger import gitio

    rev = ledger.files.revision or "HEAD"
    # one git call: outside a repository, or before the first commit, it fails and there is no history
    done = gitio.git(
        ledger.root, ["log", "--format=", "--name-only", "--diff-filter=A", rev, "--", REGISTER_DIR], check=False
    )
    if done.returncode != 0:
        return {}
    found: dict[int, set[int]] = {}
    for name in done.stdout.decode("utf-8").splitlines():
        match = _REGISTER_NAME.match(name.strip())
        if match:
            found.setdefault(int(match[1]), set()).add(int(match[2]))
    return found
