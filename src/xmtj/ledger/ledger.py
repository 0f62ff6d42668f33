"""The ``Ledger``: every record read from one ledger folder, and every problem found on the way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from xmtj.ledger.records import Briefing, Issue, Letter, Meeting, Project, Record
from xmtj.ledger.settings import Config
from xmtj.ledger.sources import WorkingTree
from xmtj.problems import LedgerNotFound, Problem

if TYPE_CHECKING:
    from xmtj.ledger.sources import Source

CONFIG_FILE = "xmtj.yaml"
DATA_DIR = "data"

R = TypeVar("R", bound=Record)


@dataclass
class Ledger:
    """Everything read from one ledger folder, plus every problem found while reading."""

    root: Path
    config: Config
    projects: list[Project] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    briefings: list[Briefing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    source: Source | None = None
    counted: bool = False  # the records of files with errors left out (``counting.counted``)
    fingerprint: str | None = None  # the speed path's digest of every file's path and blob id, and the settings

    @property
    def project_by_id(self) -> dict[str, Project]:
        return _first_by_id(self.projects)

    @property
    def meeting_by_id(self) -> dict[str, Meeting]:
        return _first_by_id(self.meetings)

    @property
    def files(self) -> Source:
        """Where the records were read from (the working tree, or a git revision)."""
        if self.source is None:
            self.source = WorkingTree(self.root)
        return self.source

    @property
    def files_with_errors(self) -> set[str]:
        return {p.path for p in self.problems if p.severity == "error"}


def sort_registers(ledger: Ledger) -> None:
    """The registers (letters, briefings) in their numbers' order, however their files were listed."""
    ledger.letters.sort(key=lambda letter: (letter.year, letter.number, letter.path))
    ledger.briefings.sort(key=lambda briefing: (briefing.year, briefing.number, briefing.path))


def _first_by_id(records: Iterable[R]) -> dict[str, R]:
    result: dict[str, R] = {}
    for record in records:
        result.setdefault(record.id, record)
    return result


def find_ledger(start: Path | None = None, explicit: Path | str | None = None) -> Path:
    """The ledger folder: ``explicit`` (``--ledger``/``XMTJ_LEDGER``), else the nearest upward."""
    if explicit:
        root = Path(explicit)
        if not (root / CONFIG_FILE).is_file():
            raise LedgerNotFound(f"{root} 不是台账目录：其中没有 {CONFIG_FILE}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise LedgerNotFound(f"在 {here} 及其上级目录中找不到台账（{CONFIG_FILE}）；请进入台账目录，或用 --ledger 指定")


def work_tree(root: Path) -> tuple[Path, str] | None:
    """The folder of the git work tree holding ``root`` (the nearest upward whose ``.git`` is a folder)
    and ``root``'s path in it (posix, ``.`` for the top); None outside git, or when a ``.git`` file (a
    worktree's or a submodule's) comes first: its repository lives elsewhere."""
    here = root.resolve()
    for folder in (here, *here.parents):
        git = folder / ".git"
        if git.is_dir():
            return folder, here.relative_to(folder).as_posix()
        if git.is_file():
            return None
    return None
