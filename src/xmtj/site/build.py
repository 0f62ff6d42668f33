"""``xmtj site``: the ledger's pages, rendered once, written where they changed.

The period is chosen as ``status`` chooses it (``--as-of``/``--month``, else the latest month with figures);
one day, the 截至 day every page states, judges everything — figures, problems open or overdue, letters
awaiting replies, approvals' waits. Templates are the package's own (``site/templates``), rendered by Jinja2
with autoescape on and every value shown with its invisible characters escaped: nothing in a record, and
nothing committed to the ledger, becomes markup, a script or a link.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from xmtj.changes.history import log
from xmtj.figures import fmt
from xmtj.figures.status import ledger_status
from xmtj.ledger import gitio
from xmtj.ledger.ledger import Ledger
from xmtj.months import Month
from xmtj.problems import XmtjError
from xmtj.rollup.members import latest_month
from xmtj.rollup.report import rollup_report
from xmtj.site.context import Page, common
from xmtj.site.members import member_pages
from xmtj.site.output import Written, write_site
from xmtj.site.overview import overview
from xmtj.site.projects import arrivals, histories, project_pages, rows_of, table_pages
from xmtj.site.registers import approval_pages, group_pages, issue_pages, letter_pages, returns_page
from xmtj.textsafe import visible

HERE = Path(__file__).resolve().parent
STATIC = ("site.css", "site.js")


@dataclass(frozen=True)
class Built:
    """What a build made: its folder, its files, and what was written, kept and removed; whether git would
    list the folder among the ledger's new files (a folder inside a ledger whose ``.gitignore`` predates it)."""

    folder: Path
    as_of: dt.date
    written: Written
    unignored: bool = False


def unignored(root: Path, folder: Path) -> bool:
    """``folder`` is inside the ledger's git work tree and git does not ignore it."""
    top, inside = Path(os.path.abspath(root)), Path(os.path.abspath(folder))
    if not inside.is_relative_to(top) or not gitio.is_repository(top):
        return False
    return gitio.git(top, ["check-ignore", "-q", inside.relative_to(top).as_posix() + "/"], check=False).returncode == 1


def ledger_pages(ledger: Ledger, as_of: dt.date | None, at: str | None) -> tuple[list[Page], Any]:
    """Every page of a county's (or any project ledger's) site, and the header they share."""
    report, _ = ledger_status(ledger, None, as_of)
    s, statuses = report.summary, list(report.rows)
    try:
        entries = log(ledger.root, None, None, at, ledger.config.timezone)
        history, came = histories(entries), arrivals(entries)
    except XmtjError:
        history, came = None, {}  # not in git: the project pages say so
    values = overview(ledger, s, statuses)
    values["broken"] = sorted(ledger.files_with_errors)
    pages = [Page("index.html", "overview.html.j2", f"{ledger.config.city}重点项目建设情况", values, "overview")]
    pages += table_pages(rows_of(statuses))
    pages += project_pages(ledger, statuses, history)
    pages += group_pages(ledger, statuses, s)
    pages += issue_pages(ledger, statuses, s.as_of)
    pages += approval_pages(ledger, statuses, s.as_of)
    pages += letter_pages(ledger, statuses, s.as_of)
    pages.append(returns_page(ledger, statuses, s, came))
    return pages, common(ledger, s.year, s.as_of)


def rollup_pages(ledger: Ledger, month: Month | None) -> tuple[list[Page], Any]:
    """A roll-up ledger's site: its members as they submitted ``month`` (default: the latest submitted)."""
    chosen = month or latest_month(ledger.root, list(ledger.config.members))
    if chosen is None:
        raise XmtjError("还没有任何成员报送（先运行 xmtj fetch），没有可以生成网站的数据")
    report = rollup_report(ledger.root, ledger.config, chosen)
    return member_pages(report, ledger.config.city), common(ledger, report.year, report.as_of)


def render(pages: list[Page], shared: Any) -> dict[str, Callable[[], bytes]]:
    """Each page's HTML, and the stylesheet and script, by path: each made when its function is called."""
    env = environment()

    def html(page: Page) -> Callable[[], bytes]:
        def make() -> bytes:
            common = {"c": shared, "title": page.title, "root": page.root, "section": page.section, "path": page.path}
            values = page.values() if callable(page.values) else page.values
            return env.get_template(page.template).render(values | common).encode("utf-8")  # type: ignore[no-any-return]

        return make

    files = {page.path: html(page) for page in pages}
    for name in STATIC:
        files[name] = (HERE / "static" / name).read_bytes
    return files


def build_site(ledger: Ledger, out: Path, as_of: dt.date | None = None, at: str | None = None) -> Built:
    """The site of ``ledger`` as of ``as_of`` written to ``out`` (see ``xmtj.site.output``)."""
    if ledger.config.members:
        pages, shared = rollup_pages(ledger, Month.of(as_of) if as_of else None)
    else:
        pages, shared = ledger_pages(ledger, as_of, at)
    files = render(pages, shared)
    return Built(out, shared.as_of, write_site(out, ledger.root, files), unignored(ledger.root, out))


def _shown(value: Any) -> Any:
    """Every value a template prints: text with its control and bidi characters shown as escapes."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return visible(value)
    return value


def _rate_value(value: Fraction | None) -> str:
    """A rate as a sortable number (the script's key): six decimals, or empty."""
    return "" if value is None else str(fmt.to_decimal(value, 6))


def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        finalize=_shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        wan=fmt.wan,
        yi=fmt.yi,
        pct=fmt.pct,
        points=fmt.points,
        ahead=fmt.ahead_words,
        date_cn=fmt.date_cn,
        rate_value=_rate_value,
        iso=lambda d: d.isoformat() if d else "",
    )
    return env
