"""A roll-up's figures per member submission, kept by the submission's git tree id.

A tree id names the content of a whole submission, so figures computed from it are the figures of every
later read of the same submission: a repeat ``status`` at a prefecture reads each mirror's tag list and
nothing else. The cache is JSON (numbers as exact text, no code can be named in it), kept in the
roll-up's private cache folder (``xmtj.ledger.speed.cache``: the current user's own, nobody else's), in
a file named after the cache format, the xmtj version and its source (``xmtj.identity``): figures counted
by other code are never served. What an entry holds is the roll-up's business (``xmtj.rollup.report``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xmtj import __version__
from xmtj.identity import code_digest
from xmtj.ledger.private import private_chain, read_private, write_private
from xmtj.ledger.speed.cache import cache_home

FORMAT = 2


class JsonCache:
    """Keys → JSON values, in one private file; written only when something was added, never failing
    (a cache is an optimisation)."""

    def __init__(self, root: Path, name: str = "rollup") -> None:

        self.top, folder = cache_home(root)
        self.folder = folder / name
        self.name = f"v{FORMAT}-xmtj{__version__}-c{code_digest()}.json"
        self.entries: dict[str, Any] = {}
        self.changed = False
        self._load()

    def _load(self) -> None:

        path = self.folder / self.name
        if not (path.is_file() and private_chain(self.top, self.folder)):
            return
        try:
            loaded = json.loads(read_private(path))
        except (OSError, ValueError):
            return
        self.entries = loaded if isinstance(loaded, dict) else {}

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.changed = True

    def save(self) -> None:

        if not self.changed:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if private_chain(self.top, self.folder):
                for older in self.folder.glob("v*.json"):  # other versions' figures: never served again
                    if older.name != self.name:
                        older.unlink(missing_ok=True)
                write_private(self.folder, self.name, json.dumps(self.entries, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
