"""Documents from templates the office can edit: the code hands a context, never strings.

Templates are Jinja2 with StrictUndefined. The defaults live once, in the repository's top-level
``templates/`` folder, installed with the package as ``xmtj/templates``; a ledger's own ``templates/``
overrides them file by file. Every value printed from the data is escaped for Markdown (``finalize``),
so a ``|``, ``*`` or line break in a name cannot break a table or start emphasis.

A ledger's templates are data from whoever can write the ledger (or a branch read with ``--at``), so
they are rendered in Jinja2's immutable sandbox: a template can read the context it is given and
nothing else (no ``__globals__``, no ``os``), and a template that is a symlink is refused.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xmtj.figures import fmt
from xmtj.ledger.sources import GitRevision, Source
from xmtj.problems import XmtjError

if TYPE_CHECKING:
    from jinja2 import Environment


def place_words(config: Any) -> dict[str, str]:
    """How documents speak of the place, by its level (``Config.level``): 全县/全市/全区, 县级/市级/区级
    (层面), 县委县政府/市委市政府/区委区政府, and the place's name. Every template takes them from here."""
    level = config.level
    return {
        "name": config.city,
        "level": level,
        "whole": f"全{level}",
        "tier": f"{level}级",
        "leadership": f"{level}委{level}政府",
    }


def default_templates() -> Path:
    """The installed default templates (a wheel), or the repository's (an editable install)."""
    package = Path(__file__).resolve().parent.parent  # xmtj/
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / "letter.md.j2").is_file():
            return candidate

    raise XmtjError("xmtj 的默认模板不见了：安装可能不完整，请重新安装 xmtj")


def _finalize(value: Any) -> Any:
    if value is None:
        return "—"
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return fmt.md(value)


def _ordinal(n: int) -> str:
    return fmt.zh_number(n) + "、"


def _ledger_template(folder: Path, name: str) -> str | None:
    """A template of the ledger's own ``templates/`` folder; a symlink (file or folder) is refused."""

    path = folder / name
    if folder.is_symlink() or path.is_symlink():
        raise XmtjError(f"模板 templates/{name} 是符号链接，xmtj 不读取台账之外的文件；请换成普通文件")
    if not path.is_file():
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise XmtjError(f"无法读取模板 templates/{name}（应为 UTF-8 文本）：{exc}") from None


RENDER_SECONDS = 30  # the demo's 通报 renders in a tenth of a second
RENDER_MAX_CHARS = 20_000_000  # a county's 通报 is about 100,000 characters
_BIG_POWER = 1000


class RenderLimit(Exception):
    """A template ran too long or made too much text."""


@functools.cache
def _sandbox_class() -> type:
    """Jinja2's immutable sandbox, and multiplications that would make a string or list beyond the output
    limit (``{{ "x" * 10**9 }}``) or a power beyond any figure refused before they are computed."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and abs(right) > _BIG_POWER:
                raise SecurityError("乘方太大")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    sized = isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                    if sized and len(seq) * times > RENDER_MAX_CHARS:
                        raise SecurityError("生成的文字过长")
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


def _render_bounded(template: Any, context: dict[str, Any]) -> str:
    """The template's text, stopped after ``RENDER_SECONDS`` (an alarm, where this is the main thread) or
    ``RENDER_MAX_CHARS`` of output: a template committed to a ledger (or read with ``--at``) cannot hang
    or exhaust the machine."""
    import signal
    import threading
    import time

    def stop(signum: int, frame: Any) -> None:
        raise RenderLimit(f"超过{RENDER_SECONDS}秒仍未完成")

    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if alarm:
        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    deadline = time.monotonic() + RENDER_SECONDS
    parts: list[str] = []
    size = 0
    try:
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > RENDER_MAX_CHARS:
                raise RenderLimit(f"生成的文字超过{RENDER_MAX_CHARS // 1_000_000}百万字")
            if time.monotonic() > deadline:
                raise RenderLimit(f"超过{RENDER_SECONDS}秒仍未完成")
            parts.append(chunk)
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return "".join(parts)


def environment(ledger_root: Path | None, source: Source | None = None) -> Environment:
    """Templates from the ledger's ``templates/`` (at the revision read, for ``--at``), then the defaults."""
    from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, FunctionLoader, StrictUndefined

    loaders: list[BaseLoader] = []
    if source is not None and isinstance(source, GitRevision):
        loaders.append(FunctionLoader(source.template))
    elif ledger_root is not None:
        folder = ledger_root / "templates"
        loaders.append(FunctionLoader(lambda name: _ledger_template(folder, name)))
    loaders.append(FileSystemLoader(default_templates()))
    env: Environment = _sandbox_class()(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        {
            "wan": fmt.wan,
            "yi": fmt.yi,
            "pct": fmt.pct,
            "points": fmt.points,
            "ahead": fmt.ahead_words,
            "date_cn": fmt.date_cn,
            "month_cn": fmt.month_cn,
            "zh": fmt.zh_number,
            "ordinal": _ordinal,
            "md": fmt.md,
        }
    )
    return env


def render(ledger_root: Path | None, name: str, context: dict[str, Any], source: Source | None = None) -> str:
    """``name`` rendered with ``context``; a missing value is an error, never an empty string."""
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError

    try:
        return _render_bounded(environment(ledger_root, source).get_template(name), context)
    except RenderLimit as exc:
        raise XmtjError(f"模板 {name} 未能生成：{exc}（模板可能有死循环或过大的循环），已停止") from None
    except SecurityError as exc:
        raise XmtjError(f"模板 {name} 试图访问不允许的内容，已拒绝渲染：{exc}") from None
    except UndefinedError as exc:
        raise XmtjError(f"模板 {name} 用到了不存在的数据：{exc.message}") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"第{line}行" if line else ""
        raise XmtjError(f"模板 {name} {where}有错误：{exc.message or exc}") from None
