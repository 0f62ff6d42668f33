"""Reading one file: bytes → text → mapping → validated record, or the problems that keep it out.

The fast reader (``xmtj.ledger.fastyaml``) is tried first; whatever it leaves aside goes to libyaml
(``xmtj.ledger.yamlio``). Both give the same values; messages are the same whichever read the file.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any, TypeVar

from xmtj.ledger import encoding, fastyaml, limits, yamlio
from xmtj.ledger.ledger import CONFIG_FILE, DATA_DIR
from xmtj.ledger.records import Sourced, with_path
from xmtj.ledger.registry import MODELS
from xmtj.ledger.settings import LIMIT_BOUNDS, Config, Limits
from xmtj.ledger.sources import WorkingTree
from xmtj.ledger.validation import validate
from xmtj.problems import LedgerInvalid, Problem, os_words

if TYPE_CHECKING:
    from collections.abc import Iterable

    from xmtj.ledger.sources import Source

S = TypeVar("S", bound=Sourced)
Parsed = tuple[Any, Any, tuple[Problem, ...]]  # (cache key, record or None, problems)


def parse_mapping(data: bytes, rel: str) -> tuple[dict[str, Any] | None, Any, list[Problem]]:
    """The top-level mapping of a file's bytes, its node tree, and the problems found on the way."""
    oversize = limits.too_large(data)
    if oversize:
        return None, None, [Problem(rel, None, None, "", oversize)]
    try:
        text = encoding.decode(data)
    except encoding.TextDecodeError as exc:
        pos = exc.position
        return None, None, [Problem(rel, pos.line, pos.column, "", exc.message)]

    fast = fastyaml.parse(text)
    if fast is not None:
        return fast, None, []  # no node tree: ``validate`` composes one only if a field is wrong
    return _parse_mapping_fully(text, rel)


def _parse_mapping_fully(text: str, rel: str) -> tuple[dict[str, Any] | None, Any, list[Problem]]:

    try:
        root = yamlio.compose(text)
    except yamlio.YamlSyntaxError as exc:
        line, column = (exc.position.line, exc.position.column) if exc.position else (None, None)
        return None, None, [Problem(rel, line, column, "", exc.message)]
    if root is None:
        return None, None, [Problem(rel, 1, 1, "", "文件为空")]
    if not isinstance(root, yamlio.MappingNode):
        what = "列表" if isinstance(root, yamlio.SequenceNode) else f"单个值“{root.value}”"
        line, column = root.start_mark.line + 1, root.start_mark.column + 1
        return None, root, [Problem(rel, line, column, "", f"文件顶层应为映射（键: 值），实际是{what}")]
    duplicates: list[yamlio.Duplicate] = []
    value = yamlio.build(root, duplicates)
    problems = [
        Problem(rel, d.position.line, d.position.column, d.field, "字段重复：同一层里出现了两次，只保留一个")
        for d in duplicates
    ]
    return value, root, problems


def load_record(source: Source, model: type[S], rel: str) -> tuple[S | None, list[Problem]]:
    try:
        data = source.read(rel)
    except OSError as exc:
        return None, [unreadable(rel, exc)]
    return record_from_bytes(data, model, rel)


def record_from_bytes(data: bytes | None, model: type[S], rel: str) -> tuple[S | None, list[Problem]]:
    """One record from a file's bytes (None: unreadable), or the problems that keep it out."""
    if data is None:
        return None, [Problem(rel, None, None, "", "无法读取文件")]
    value, root, problems = parse_mapping(data, rel)
    if value is None:
        return None, problems
    record, invalid = validate(model, value, root, rel, data)
    problems.extend(invalid)
    if record is None or problems:
        return None, problems
    return with_path(record, rel), problems


def load_config(source: Source) -> tuple[Config, list[Problem]]:
    try:
        data = source.read(CONFIG_FILE)
    except OSError as exc:
        problems = [unreadable(CONFIG_FILE, exc)]
    else:
        config, problems = config_from_bytes(data)
        if config is not None:
            return config, []
    raise LedgerInvalid("台账设置文件有错误，无法继续：\n" + "\n".join(str(p) for p in problems))


def config_from_bytes(data: bytes) -> tuple[Config | None, list[Problem]]:
    """``xmtj.yaml``'s bytes as the ledger's settings, or None and every problem found."""
    value, node, problems = parse_mapping(data, CONFIG_FILE)
    if value is None or problems:
        return None, problems
    if node is None and any(key in value for key in _KEYWORD_KEYS):  # the fast reader keeps no tree
        node = yamlio.compose(encoding.decode(data))
    value, node = _keyword_keys(value, node)
    config, invalid = validate(Config, value, node, CONFIG_FILE)
    return config, [dataclasses.replace(p, field=_shown_key(p.field)) for p in invalid]


# xmtj.yaml keys that are Python keywords, and the field each is read into
_KEYWORD_KEYS = {"import": "import_"}


def _keyword_keys(value: dict[str, Any], node: Any) -> tuple[dict[str, Any], Any]:
    """``import:`` read into the field ``import_`` (the key's node renamed too, so errors find its line)."""
    if not any(key in value for key in _KEYWORD_KEYS) or any(f in value for f in _KEYWORD_KEYS.values()):
        return value, node  # a literal ``import_`` key stays, and is refused as unknown
    value = {_KEYWORD_KEYS.get(k, k): v for k, v in value.items()}
    for key_node, _ in getattr(node, "value", None) or ():
        if getattr(key_node, "value", None) in _KEYWORD_KEYS:
            key_node.value = _KEYWORD_KEYS[key_node.value]
    return value, node


def _shown_key(field: str) -> str:
    for key, name in _KEYWORD_KEYS.items():
        if field == name or field.startswith(name + "."):
            return key + field[len(name) :]
    return field


def limits_of(source: Source) -> Limits:
    """``limits`` of xmtj.yaml, read before anything else (the records are parsed with them); the
    defaults where they are missing or out of bounds (``check`` then reports the bad value)."""

    data = source.read_or_none(CONFIG_FILE)
    if data is None or b"limits" not in data or limits.too_large(data):
        return Limits()  # the usual case, decided without parsing (a cached run never imports the parsers)
    value, _, _ = parse_mapping(data, CONFIG_FILE)
    given = value.get("limits") if isinstance(value, dict) else None
    if not isinstance(given, dict):
        return Limits()
    defaults = Limits()
    chosen = {}
    for name, (low, high) in LIMIT_BOUNDS.items():
        number = given.get(name)
        ok = isinstance(number, int) and not isinstance(number, bool) and low <= number <= high
        chosen[name] = number if ok else getattr(defaults, name)
    return Limits(**chosen)


# Record files are opened without following a symlink: a link could point anywhere on the machine, and
# its target's text would be read (and echoed in messages) as if it were the ledger's.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def unreadable(rel: str, exc: OSError) -> Problem:
    """The problem for a file that cannot be read; a symlink is named as such."""
    import errno

    if exc.errno == errno.ELOOP or os.path.islink(exc.filename or ""):
        return Problem(rel, None, None, "", "该文件是符号链接，xmtj 不跟随符号链接读取台账之外的文件；请换成普通文件")
    return Problem(rel, None, None, "", f"无法读取文件：{os_words(exc)}")


def linked_folder_problems(source: Source) -> list[Problem]:
    """The data folders that are symlinks: not read (their records are left out), and said so."""

    if not isinstance(source, WorkingTree):
        return []
    folders = [f"{DATA_DIR}/{kind}" for kind in MODELS]
    return [
        Problem(folder, None, None, "", "该目录是符号链接，xmtj 不跟随符号链接读取台账之外的文件，其中的记录未计入")
        for folder in source.linked_folders(folders)
    ]


def _text(source: Source, rel: str, texts: dict[str, str | None]) -> str | None:
    """A file's decoded text, read once however many problems point into it (None if unreadable)."""
    if rel not in texts:
        try:
            texts[rel] = encoding.decode(source.read(rel))
        except (OSError, encoding.TextDecodeError):
            texts[rel] = None
    return texts[rel]


def _top_level_line(text: str, key: str) -> int | None:
    """The line of top-level ``key:`` when exactly one line starts with it (in a block mapping, only a
    top-level key starts at column one: continuation lines are indented); else None (parse to find it)."""
    if text.startswith(("{", "%", "---")):
        return None
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(f"{key}:")]
    return lines[0] if len(lines) == 1 else None


def locate_problems(source: Source, problems: Iterable[Problem]) -> list[Problem]:
    """Fill in the line and column of problems found by cross-record checks."""

    trees: dict[str, Any] = {}
    texts: dict[str, str | None] = {}
    out = []
    problems = list(problems)
    fetch = getattr(source, "fetch", None)  # a git revision: every file needed in one batch, not one by one
    if fetch is not None:
        fetch({problem.path for problem in problems if problem.line is None and problem.path})
    for problem in problems:
        if problem.line is not None or not problem.path:
            out.append(problem)
            continue
        text = _text(source, problem.path, texts)
        line = _top_level_line(text, problem.field) if text is not None and problem.field.isidentifier() else None
        if line is not None:  # a top-level key: its line found without parsing the file
            out.append(dataclasses.replace(problem, line=line, column=1))
            continue
        if problem.path not in trees:
            try:
                trees[problem.path] = yamlio.compose(text) if text is not None else None
            except yamlio.YamlSyntaxError:
                trees[problem.path] = None
        tree = trees[problem.path]
        if tree is not None:
            position, _ = yamlio.locate(tree, problem.field)
            problem = dataclasses.replace(problem, line=position.line, column=position.column)
        out.append(problem)
    return out
