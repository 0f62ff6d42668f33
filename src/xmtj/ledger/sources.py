"""Where a ledger's files are read from: the working tree, or a git revision (``--at REV``)."""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from xmtj.ledger import gitio
from xmtj.problems import XmtjError

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
    """The files as they were at a commit, read straight from git by object id (the working tree is not
    touched). The revision is listed once (``git ls-tree -r``: path, mode, blob id); blobs are fetched by
    id through one ``git cat-file --batch``, on first need — never path by path, which would walk a tree
    of 50,000 entries for every file. Symlinks (mode 120000) and submodules are listed, never read."""

    def __init__(self, root: Path, revision: str) -> None:

        self.root = root
        self.revision: str | None = gitio.resolve(root, revision)
        self.label = revision
        # listed in a child process, read when first needed (a cache can be loaded meanwhile)
        self._listing: Any = gitio.start_list_tree(root, self.revision or "", ["xmtj.yaml", "data", "templates"])
        self._blob_ids: dict[str, str] | None = None
        self._links: set[str] = set()  # symlinks and submodules
        self._folders: dict[str, builtins.list[str]] = {}  # folder → its YAML files (symlinks included)
        self._data: dict[str, bytes] = {}  # blob id → bytes, fetched so far

    @property
    def blob_ids(self) -> dict[str, str]:
        """Path → blob id of every file (not symlink, not submodule) of the revision."""
        return self._listed()

    def _listed(self) -> dict[str, str]:
        """The listing, read from git's process the first time it is needed."""
        if self._blob_ids is None:
            out, err = self._listing.communicate()
            if self._listing.returncode != 0:
                raise gitio.GitError(f"git ls-tree 失败：{err.decode('utf-8', 'replace').strip()}")
            # sorted by path, as git keeps trees; tuples, not objects (a province lists 60,000 files)
            blob_ids: dict[str, str] = {}
            folders = self._folders
            for mode, oid, path in gitio.tree_lines(out):
                if mode in gitio.FILE_MODES:
                    blob_ids[path] = oid
                else:
                    self._links.add(path)
                folder, _, name = path.rpartition("/")
                if name.endswith(YAML_SUFFIXES):
                    if folder in folders:
                        folders[folder].append(path)
                    else:
                        folders[folder] = [path]
            self._blob_ids = blob_ids
        return self._blob_ids

    def fetch(self, rels: Iterable[str]) -> None:
        """Fetch the blobs of ``rels`` (those not fetched yet) in one ``git cat-file --batch``."""

        wanted = sorted({self.blob_ids[r] for r in rels if r in self.blob_ids} - self._data.keys())
        if wanted:
            self._data.update(gitio.read_objects(self.root, wanted))

    def list(self, folder: str) -> builtins.list[str]:
        self._listed()
        return sorted(self._folders.get(folder.rstrip("/"), []))

    def read(self, rel: str) -> bytes:
        if self._blob_ids is None and "/" not in rel:  # xmtj.yaml while the listing runs: the root tree only
            found = gitio.read_objects(self.root, [f"{self.revision}:{rel}"]).get(f"{self.revision}:{rel}")
            if found is not None:
                return found
        oid = self.blob_ids.get(rel)
        if rel in self._links:
            import errno

            raise OSError(errno.ELOOP, "符号链接或子模块", rel)
        if oid is None:
            raise FileNotFoundError(2, f"{rel} 在版本 {self.label} 中不存在", rel)
        if oid not in self._data:
            self.fetch([rel])  # one file (``read_ledger`` fetches a whole revision at once first)
        return self._data[oid]

    def read_or_none(self, rel: str) -> bytes | None:
        try:
            return self.read(rel)
        except OSError:
            return None

    def template(self, name: str) -> str | None:
        data = self.read_or_none(f"templates/{name}")
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise XmtjError(f"模板 templates/{name}（版本 {self.label}）不是 UTF-8 文本") from None


def source_for(root: Path, at: str | None) -> Source:
    if at is None:
        return WorkingTree(root)

    if not gitio.is_repository(root) and not gitio.is_bare(root):
        raise XmtjError(f"{root} 不是 git 仓库，不能使用 --at")
    return GitRevision(root, at)


def orphans(folder: Path) -> list[Path]:
    """Temporary files left in ``folder`` by a writer that was killed (``kill -9``, a power cut)."""
    try:
        return sorted(p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIXES))
    except OSError:
        return []
