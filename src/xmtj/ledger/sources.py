"""Where a ledger's files are read from: the working tree, or a git revision (``--at REV``)."""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

YAML_SUFFIXES = (".yaml", ".yml")
TEMP_SUFFIXES = (".xmtj-tmp", ".tmp")  # ``.<name>.<random>.xmtj-tmp`` (xmtj.changes.writer); ``.tmp`` from before 0.x


class Source(Protocol):
    """Read-only access to a ledger's files by their path relative to the ledger."""

    root: Path
    revision: str | None

    def list(self, folder: str) -> list[str]:
        """The YAML files directly in ``folder``, sorted."""
        ...

    def read(self, rel: str) -> bytes:
        """A file's bytes; raises OSError if there is none."""
        ...

    def read_or_none(self, rel: str) -> bytes | None: ...


class WorkingTree:
    """The files as they are on disk now."""

    revision: str | None = None

    def __init__(self, root: Path) -> None:
        self.root = root
        self._prefix = f"{root}/"  # plain strings: pathlib's joins cost more than the read itself here
        self.leftovers: builtins.list[str] = []  # temporary files of a killed write, met while listing

    def list(self, folder: str) -> list[str]:
        """The YAML files in ``folder``, symlinks included (reading one is refused, and reported);
        a folder that is itself a symlink is not listed at all (see ``linked_folders``)."""
        path = self.root / folder
        if path.is_symlink() or not path.is_dir():
            return []
        names = []
        with os.scandir(path) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(YAML_SUFFIXES):
                    if entry.is_symlink() or entry.is_file():
                        names.append(name)
                elif name.startswith(".") and name.endswith(TEMP_SUFFIXES):
                    self.leftovers.append(f"{folder}/{name}")  # seen while listing: no second pass
        return [f"{folder}/{name}" for name in sorted(names)]

    def linked_folders(self, folders: Iterable[str]) -> builtins.list[str]:
        """Which of ``folders`` (and their parents) are symlinks: xmtj reads nothing through them."""
        found = []
        for folder in folders:
            parts = folder.split("/")
            for depth in range(1, len(parts) + 1):
                prefix = "/".join(parts[:depth])
                if os.path.islink(self._prefix + prefix) and prefix not in found:
                    found.append(prefix)
        return found

    def read(self, rel: str) -> bytes:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(self._prefix + rel, flags)
        with os.fdopen(fd, "rb") as handle:
            return handle.read()

    def read_or_none(self, rel: str) -> bytes | None:
        try:
            return self.read(rel)
        except OSError:
            return None


class GitRevision:
    """The files as they were at a commit, read straight from git (the working tree is not touched)."""

    def __init__(self, root: Path, revision: str) -> None:
        from xmtj.ledger import gitio

        self.root = root
        self.revision: str | None = gitio.resolve(root, revision)
        self.label = revision
        commit = self.revision or ""
        entries = gitio.list_tree(root, commit, ["xmtj.yaml", "data", "templates"])
        # a symlink's blob is the path it points to, not a record: listed (so it is reported), never read
        self._links = {e.path for e in entries if e.mode == "120000"}
        self._blobs = gitio.read_blobs(root, commit, [e.path for e in entries if e.is_file])

    def list(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return sorted(
            p
            for p in (*self._blobs, *self._links)
            if p.startswith(prefix) and "/" not in p[len(prefix) :] and p.endswith(YAML_SUFFIXES)
        )

    def read(self, rel: str) -> bytes:
        if rel in self._links:
            import errno

            raise OSError(errno.ELOOP, "符号链接", rel)
        try:
            return self._blobs[rel]
        except KeyError:
            raise FileNotFoundError(2, f"{rel} 在版本 {self.label} 中不存在", rel) from None

    def read_or_none(self, rel: str) -> bytes | None:
        return self._blobs.get(rel)

    def template(self, name: str) -> str | None:
        data = self._blobs.get(f"templates/{name}")
        return data.decode("utf-8") if data is not None else None


def source_for(root: Path, at: str | None) -> Source:
    if at is None:
        return WorkingTree(root)
    from xmtj.ledger import gitio

    if not gitio.is_repository(root):
        from xmtj.problems import XmtjError

        raise XmtjError(f"{root} 不是 git 仓库，不能使用 --at")
    return GitRevision(root, at)


def orphans(folder: Path) -> list[Path]:
    """Temporary files left in ``folder`` by a writer that was killed (``kill -9``, a power cut)."""
    try:
        return sorted(p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIXES))
    except OSError:
        return []
