"""What every page of the site shares: the ``Page`` (a file, its template, its values), the header every page
carries (the office, the 截至 date, the menu), where a group's and a project's pages live, the project rows
every table shows, and paging a long list."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xmtj.figures.metrics import LIGHT_WORDS, ProjectStatus
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Project

PAGE_ROWS = 300  # rows of a long table per page: a 10,000-project ledger's pages stay well under 500 KB

GROUP_KINDS = {"branch": "分指挥部", "responsible_unit": "责任单位", "liaison_leader": "包联领导"}
GROUP_PAGES = {"branch": "branches.html", "responsible_unit": "units.html", "liaison_leader": "leaders.html"}
LIGHT_CSS = {"red": "red", "yellow": "yellow", "green": "green", None: "none"}


@dataclass
class Page:
    """One HTML file of the site: its path (relative, ``/``-separated), its template and values."""

    path: str
    template: str
    title: str
    values: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)  # or made when rendered
    section: str = ""  # the menu entry it belongs to

    @property
    def root(self) -> str:
        """The relative way back to the site's top: ``""`` or ``../``."""
        return "../" * self.path.count("/")


@dataclass(frozen=True)
class Common:
    """The header of every page."""

    office: str
    city: str
    year: int
    as_of: dt.date
    rollup: bool
    menu: tuple[tuple[str, str, str], ...]  # (section, href from the top, label)


MENU = (
    ("overview", "index.html", "总览"),
    ("projects", "projects.html", "项目"),
    ("branch", "branches.html", "分指挥部"),
    ("responsible_unit", "units.html", "责任单位"),
    ("liaison_leader", "leaders.html", "包联领导"),
    ("issues", "issues.html", "问题"),
    ("approvals", "approvals.html", "手续"),
    ("letters", "letters.html", "督办"),
    ("returns", "returns.html", "月报交回"),
)
ROLLUP_MENU = (("overview", "index.html", "总览"), ("members", "members.html", "县（市、区）"))


def common(ledger: Ledger, year: int, as_of: dt.date) -> Common:
    rollup = bool(ledger.config.members)
    return Common(ledger.config.office, ledger.config.city, year, as_of, rollup, ROLLUP_MENU if rollup else MENU)


def group_path(kind: str, value: str) -> str:
    """A grouping value's page: a stable name from the value (any text, never a path of its own)."""
    digest = hashlib.sha1(f"{kind}\0{value}".encode()).hexdigest()[:12]
    return f"g/{kind.replace('_', '-')}-{digest}.html"


def project_path(project_id: str) -> str:
    """A project's page (ids are letters, digits, ``-`` and ``_``: checked by the ledger)."""
    return f"p/{project_id}.html"


def keyed(statuses: Iterable[ProjectStatus]) -> dict[str, Project]:
    """The key projects by id: those with a page of their own (a problem or letter of another links nowhere)."""
    return {s.project.id: s.project for s in statuses}


def light_word(light: str | None) -> str:
    return LIGHT_WORDS[light] if light else "未到期"


@dataclass(frozen=True)
class ProjectRow:
    """A project as every table of projects shows it."""

    id: str
    name: str
    href: str
    branch: str
    unit: str
    leader: str
    levels: tuple[str, ...]
    stage: str
    annual_plan: Decimal
    completed_ytd: Decimal
    plan_rate: Fraction | None
    ahead: Fraction | None
    light: str  # red yellow green none
    light_word: str
    reasons: tuple[str, ...]


def project_row(s: ProjectStatus) -> ProjectRow:
    p = s.project
    return ProjectRow(
        p.id,
        p.name,
        project_path(p.id),
        p.branch,
        p.responsible_unit,
        p.liaison_leader,
        tuple(p.levels),
        s.stage,
        s.annual_plan,
        s.completed_ytd,
        s.plan_rate,
        s.ahead,
        LIGHT_CSS[s.light],
        light_word(s.light),
        tuple(s.reason_texts),
    )


LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2, "none": 3}


def by_light(rows: Iterable[ProjectRow]) -> list[ProjectRow]:
    """Red first, then yellow, green and not yet due; by id within each."""
    return sorted(rows, key=lambda r: (LIGHT_ORDER[r.light], r.id))


def paged(path: str, rows: Sequence[Any], size: int | None = None) -> list[tuple[str, Sequence[Any], int]]:
    """A long list split into pages: (file, its rows, page number); the first keeps ``path``, the others
    ``name-2.html`` …; an empty list is one empty page."""
    stem, size = path.removesuffix(".html"), size or PAGE_ROWS
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)] or [rows]
    return [(path if n == 1 else f"{stem}-{n}.html", chunk, n) for n, chunk in enumerate(chunks, start=1)]


def pager(pages: Sequence[tuple[str, Sequence[Any], int]]) -> list[tuple[int, str]]:
    """The links between a list's pages (page number, href from the page's own folder); none for one page."""
    return [(n, path.rsplit("/", 1)[-1]) for path, _, n in pages] if len(pages) > 1 else []


def list_pages(
    path: str, rows: Sequence[Any], template: str, title: str, values: dict[str, Any], section: str
) -> list[Page]:
    """A list's pages (``paged``): each with its rows, its number and the links between them, and ``values``."""
    chunks = paged(path, rows)
    links = pager(chunks)
    return [
        Page(page, template, title, values | {"rows": chunk, "pager": links, "page": n}, section)
        for page, chunk, n in chunks
    ]
