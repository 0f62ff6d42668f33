"""Shared pieces of the command line: the app, the options every command uses, opening the ledger.

Output lives in ``xmtj.cli.output``; turning failures into one line, in ``xmtj.cli.edge``. Heavy
imports (pydantic, rich, tabulate, jinja2) happen inside the commands so that ``xmtj --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from xmtj.cli.edge import XmtjCommand, XmtjGroup, XmtjSubGroup
from xmtj.cli.output import LEDGER_ROOT, OutputFormat, console, echo, fail, say

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from xmtj.changes.build import Change
    from xmtj.ledger.ledger import Ledger
    from xmtj.months import Month

app = typer.Typer(
    name="xmtj",
    cls=XmtjGroup,
    help="xmtj（项目推进）：重点项目台账的检查、统计、督办与通报。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs more than the whole import
)


def command(name: str) -> Callable[[F], F]:
    """``@app.command(name)`` whose help is the command's one summary (``xmtj.cli.SUMMARIES``, also what
    ``xmtj --help`` lists) followed by the function's docstring (details and examples)."""

    def register(fn: F) -> F:
        import inspect

        from xmtj.cli import SUMMARIES

        details = inspect.cleandoc(fn.__doc__ or "")
        app.command(name, cls=XmtjCommand, help=SUMMARIES[name] + (f"\n\n{details}" if details else ""))(fn)
        return fn

    return register


def group(name: str) -> typer.Typer:
    """A command group (``xmtj issue …``) added to the app, its help the group's summary."""
    from xmtj.cli import SUMMARIES

    sub = typer.Typer(help=SUMMARIES[name], no_args_is_help=True, rich_markup_mode=None, cls=XmtjSubGroup)
    app.add_typer(sub, name=name)
    return sub


@app.callback()
def _group() -> None:
    # a callback keeps ``app`` a group even when only one command's module is loaded (``xmtj.cli.main``)
    pass


LedgerOption = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        envvar="XMTJ_LEDGER",
        help="台账目录（默认：当前目录或上级目录中含 xmtj.yaml 的目录）",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="输出格式：table、markdown、json、csv（带BOM）、xlsx"),
]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="写入文件（xlsx 必须指定），如 --out 清单.xlsx")]


def month_value(text: str) -> Month:
    """A ``--month`` as typed, parsed once at the edge (``Month.parse``: exactly YYYY-MM); a usage error
    (exit 2) otherwise."""
    from xmtj.months import BadMonth, Month

    try:
        return Month.parse(text)
    except BadMonth as exc:
        raise typer.BadParameter(str(exc)) from None


def date_value(text: str) -> dt.date:
    """A date option as typed: exactly YYYY-MM-DD, a day that exists, a year within 1990–2100."""
    import re

    from xmtj.months import YEARS
    from xmtj.textsafe import visible

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise typer.BadParameter(f"日期应写成 YYYY-MM-DD，例如 2021-11-30，现为“{visible(text)}”")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"日期“{text}”不存在") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise typer.BadParameter(f"日期“{text}”的年份应在 {YEARS[0]}—{YEARS[1]} 之间")
    return day


def day_or_month_value(text: str) -> dt.date:
    """A schedule date as typed: a day (YYYY-MM-DD) or a month (YYYY-MM, 2022年3月), kept as the month."""
    from xmtj.months import BadMonth, written_month

    try:
        month = written_month(text)
    except BadMonth as exc:
        raise typer.BadParameter(str(exc)) from None
    return month if month is not None else date_value(text)


def day_or_month_option(name: str, help: str) -> Any:
    """A planned date (``--planned-start`` …): a day, or a month as the office writes one."""
    return typer.Option(name, parser=day_or_month_value, metavar="YYYY-MM[-DD]", help=help, show_default=False)


def month_option(help: str = "月份 YYYY-MM", name: str = "--month") -> Any:
    """The one ``--month`` option: every command that takes a month declares it with this."""
    return typer.Option(name, parser=month_value, metavar="YYYY-MM", help=help, show_default=False)


def date_option(name: str, help: str) -> Any:
    """A date option (``--as-of``, ``--date``, ``--due`` …), parsed by ``date_value``."""
    return typer.Option(name, parser=date_value, metavar="YYYY-MM-DD", help=help, show_default=False)


def today_said(today: dt.date, what: str) -> dt.date:
    """Today, as the default of a date option, said aloud so that the clerk sees which day was recorded."""
    say(f"{what}未指定，按今天（{today.isoformat()}）记")
    return today


def parse_money(value: str | None, option: str) -> Any:
    """An amount typed on the command line (万元, a plain number), as a Decimal; None stays None."""
    if value is None:
        return None
    from xmtj.changes.build import money_option

    number = money_option(value, option)
    if number < 0:
        fail(f"{option} 不能为负数")
    return number


# Records loaded by this run. They are kept until the process ends, which frees them all at once
# (see ``xmtj.cli.main``): freeing a province's 60,000 records one by one takes a tenth of a second.
LOADED: list[Ledger] = []


def open_ledger(ledger_dir: Path | None, at: str | None = None, cache: bool = True, whole: bool = False) -> Ledger:
    """The ledger as the figures count it (``counting.counted``: the records of files with errors left out,
    and said so first), or with ``whole`` every record read (``check`` and the change commands). On a
    terminal, a progress bar appears if the load takes more than a second."""
    import sys

    from xmtj.ledger.ledger import find_ledger
    from xmtj.ledger.load import load_ledger

    root = find_ledger(explicit=ledger_dir)
    LEDGER_ROOT.append(root)
    if not sys.stderr.isatty():
        ledger = load_ledger(root, at, cache)
    else:
        with LoadProgress() as progress:
            ledger = load_ledger(root, at, cache, progress)
    LOADED.append(ledger)
    if whole:
        return ledger
    from xmtj.ledger.load import counted_ledger

    ledger = counted_ledger(ledger, cache)
    warn_broken_files(ledger)
    return ledger


def open_records(ledger_dir: Path | None, at: str | None = None) -> Ledger:
    """The ledger whose records a listing shows: a roll-up's are its members' as they submitted the
    latest month (namespaced ``JS:JS2022-001``); any other ledger's are its own."""
    data = open_ledger(ledger_dir, at)
    if not data.config.members:
        return data
    from xmtj.rollup.members import merged

    return merged(data.root, data, None)


@contextlib.contextmanager
def changing(ledger_dir: Path | None) -> Iterator[Ledger]:
    """The ledger, read under its lock: every change command reads, validates, writes and commits
    inside this block, so two changes never interleave (see ``xmtj.changes.lock``)."""
    from xmtj.changes.lock import ledger_lock
    from xmtj.ledger.ledger import find_ledger

    root = find_ledger(explicit=ledger_dir)
    with ledger_lock(root):
        ask_identity(root)
        yield open_ledger(root, whole=True)


def stdin_is_terminal() -> bool:
    import sys

    return sys.stdin.isatty()


def ask_identity(root: Path) -> None:
    """A commit needs the clerk's name and e-mail: when git has none (a new computer), ask once, on a
    terminal, and keep them in the ledger's own git settings; elsewhere the change says how to set them."""
    from xmtj.ledger import gitio

    if not stdin_is_terminal() or not gitio.is_repository(root) or not gitio.identity_missing(root):
        return
    say("第一次在这台电脑上修改台账：请填写您的姓名和邮箱，它们写在每次修改的记录里（只问这一次）")
    for key, words in (("user.name", "姓名"), ("user.email", "邮箱")):
        if gitio.git(root, ["config", "--get", key], check=False).returncode == 0:
            continue
        answer = ""
        while not answer.strip():
            answer = str(typer.prompt(words, default="", show_default=False, err=True))
        gitio.git(root, ["config", key, answer.strip()])


def records_loaded() -> int:
    return sum(len(x.projects) + len(x.issues) + len(x.meetings) + len(x.letters) for x in LOADED)


class LoadProgress:
    """A rich progress bar shown only once a load has taken more than a second (never when piped)."""

    def __init__(self) -> None:
        import time

        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        import time

        if self.bar is None:
            if time.monotonic() - self.started < 1.0:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("读取台账"), BarColumn(), MofNCompleteColumn(), console=console(stderr=True), transient=True
            )
            self.bar.start()
            self.task = self.bar.add_task("load", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at", help="读取台账在某个 git 版本（提交号、分支、标签）时的样子，不改动工作区", show_default=False
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="不使用读取缓存（缓存在 .git/xmtj-cache 或用户缓存目录，从不提交）")
]
MessageOption = Annotated[str | None, typer.Option("--message", "-m", help="写入提交说明的修改原因（如更正的依据）")]
NoCommitOption = Annotated[bool, typer.Option("--no-commit", help="只写文件，不自动提交到 git")]
YearOption = Annotated[int | None, typer.Option("--year", "-y", min=1990, max=2100, help="年度")]
AsOfOption = Annotated[dt.date | None, date_option("--as-of", "按哪一天判断未办结、逾期（默认今天）")]
FutureOption = Annotated[bool, typer.Option("--future", help="允许尚未到来的月份（提前填报或生成）")]

__all__ = ["OutputFormat", "echo", "fail", "say"]  # re-exported: the commands' usual output calls


SHOWN = 20  # warnings and written files listed one by one; an import's thousand are counted instead


def run_change(ledger: Ledger, change: Change, why: str | None, no_commit: bool) -> None:
    """Apply a change and tell the clerk what was written and committed."""
    from xmtj.changes.apply import apply

    outcome = apply(ledger, change, why, commit=not no_commit)
    for warning in change.warnings[:SHOWN]:
        say(f"注意：{warning}", "yellow")
    if len(change.warnings) > SHOWN:
        say(f"另有 {len(change.warnings) - SHOWN} 条警告未列出，运行 xmtj check 可查看全部", "yellow")
    for path in outcome.paths[:SHOWN]:
        echo(f"已写入 {path}")
    if len(outcome.paths) > SHOWN:
        echo(f"……共写入 {len(outcome.paths)} 个文件")
    if outcome.commit is not None:
        echo(f"已提交 {outcome.commit.id[:8]}：{outcome.commit.subject}")
    elif outcome.note:
        say(outcome.note)


def warn_broken_files(ledger: Ledger) -> None:
    """Said before any figure: how many errors the ledger has, and that their records are not counted."""
    errors = [p for p in ledger.problems if p.severity == "error"]
    if errors:
        files = len({p.path for p in errors})
        say(f"注意：台账有{len(errors)}处错误（xmtj check 可查看），以下数字不含出错的记录（{files}个文件）", "yellow")


def outgoing(ledger: Ledger, force: bool, what: str) -> Ledger:
    """The ledger a document that goes out is made from: refused while the ledger has errors, unless
    ``force`` (then counted without the records in error, and said so)."""
    from xmtj.ledger.counting import counted

    found = counted(ledger)
    errors = [p for p in found.problems if p.severity == "error"]
    if not errors:
        return found
    if not force:
        for problem in errors[:SHOWN]:
            say(str(problem), "red")
        fail(f"台账有{len(errors)}处错误，不能{what}：先改正（xmtj check 列出全部），或加 --force（出错的记录不计入）")
    say(f"--force：台账有{len(errors)}处错误，出错的记录未计入（{what}）", "yellow")
    return found
