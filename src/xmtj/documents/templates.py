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

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xmtj.figures import fmt
from xmtj.ledger.sources import GitRevision, Source

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


def _ledger_template(folder: Path, name: str) -> str | None:
    """A template of the ledger's own ``templates/`` folder; a symlink (file or folder) is refused."""
    from xmtj.problems import XmtjError

    path = folder / name
    if folder.is_symlink() or path.is_symlink():
        raise XmtjError(f"模板 templates/{name} 是符号链接，xmtj 不读取台账之外的文件；请换成普通文件")
    if not path.is_file():
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise XmtjError(f"无法读取模板 templates/{name}（应为 UTF-8 文本）：{exc}") from None


def environment(ledger_root: Path | None, source: Source | None = None) -> Environment:
    """Templates from the ledger's ``templates/`` (at the revision read, for ``--at``), then the defaults."""
    from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, FunctionLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders: list[BaseLoader] = []
    if source is not None and isinstance(source, GitRevision):
        loaders.append(FunctionLoader(source.template))
    elif ledger_root is not None:
        folder = ledger_root / "templates"
        loaders.append(FunctionLoader(lambda name: _ledger_template(folder, name)))
    loaders.append(FileSystemLoader(default_templates()))
    env = ImmutableSandboxedEnvironment(
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

    from xmtj.problems import XmtjError

    try:
        return environment(ledger_root, source).get_template(name).render(**context)
    except SecurityError as exc:
        raise XmtjError(f"模板 {name} 试图访问不允许的内容，已拒绝渲染：{exc}") from None
    except UndefinedError as exc:
        raise XmtjError(f"模板 {name} 用到了不存在的数据：{exc.message}") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"第{line}行" if line else ""
        raise XmtjError(f"模板 {name} {where}有错误：{exc.message or exc}") from None
