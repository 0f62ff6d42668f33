"""Documents from templates the office can edit: the code hands a context, never strings.

Templates are Jinja2 with StrictUndefined. The defaults live once, in the repository's top-level
``templates/`` folder, installed with the package as ``xmtj/templates``; a ledger's own ``templates/``
overrides them file by file. Every value printed from the data is escaped for Markdown (``finalize``),
so a ``|``, ``*`` or line break in a name cannot break a table or start emphasis.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xmtj import fmt
from xmtj.sources import GitRevision, Source

if TYPE_CHECKING:
    from jinja2 import Environment


def default_templates() -> Path:
    """The installed default templates (a wheel), or the repository's (an editable install)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent.parent / "templates"):
        if (candidate / "letter.md.j2").is_file():
            return candidate
    from xmtj.problems import XmtjError

    raise XmtjError("xmtj 的默认模板不见了：安装可能不完整，请重新安装 xmtj")


def _finalize(value: Any) -> Any:
    if value is None:
        return "—"
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return fmt.md(value)


def _ordinal(n: int) -> str:
    return fmt.zh_number(n) + "、"


def environment(ledger_root: Path | None, source: Source | None = None) -> Environment:
    """Templates from the ledger's ``templates/`` (at the revision read, for ``--at``), then the defaults."""
    from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, FunctionLoader, StrictUndefined

    loaders: list[BaseLoader] = []
    if source is not None and isinstance(source, GitRevision):
        loaders.append(FunctionLoader(source.template))
    elif ledger_root is not None and (ledger_root / "templates").is_dir():
        loaders.append(FileSystemLoader(ledger_root / "templates"))
    loaders.append(FileSystemLoader(default_templates()))
    env = Environment(
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

    from xmtj.problems import XmtjError

    try:
        return environment(ledger_root, source).get_template(name).render(**context)
    except UndefinedError as exc:
        raise XmtjError(f"模板 {name} 用到了不存在的数据：{exc.message}") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"第{line}行" if line else ""
        raise XmtjError(f"模板 {name} {where}有错误：{exc.message or exc}") from None
