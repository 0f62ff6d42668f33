"""The one way records come in: find the ledger, read every file, collect every problem."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from xmtj.ledger import encoding, limits
from xmtj.ledger.records import (
    MONEY_MAX,
    PATTERN_WORDS,
    RECORD_KINDS,
    YEAR_WORDS,
    YEARS,
    Config,
    Issue,
    Letter,
    Limits,
    Meeting,
    Project,
    Record,
    Sourced,
    field_names,
    with_path,
)
from xmtj.problems import LedgerInvalid, LedgerNotFound, Problem

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from xmtj.ledger.sources import Source
    from xmtj.ledger.speed.cache import RecordCache

MODELS: dict[str, type[Sourced]] = {**RECORD_KINDS, "letters": Letter}
CONFIG_FILE = "xmtj.yaml"
DATA_DIR = "data"

R = TypeVar("R", bound=Record)
S = TypeVar("S", bound=Sourced)
M = TypeVar("M")


@dataclass
class Ledger:
    """Everything read from one ledger folder, plus every problem found while reading."""

    root: Path
    config: Config
    projects: list[Project] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    source: Source | None = None

    @property
    def project_by_id(self) -> dict[str, Project]:
        return _first_by_id(self.projects)

    @property
    def issue_by_id(self) -> dict[str, Issue]:
        return _first_by_id(self.issues)

    @property
    def meeting_by_id(self) -> dict[str, Meeting]:
        return _first_by_id(self.meetings)

    @property
    def files(self) -> Source:
        """Where the records were read from (the working tree, or a git revision)."""
        if self.source is None:
            from xmtj.ledger.sources import WorkingTree

            self.source = WorkingTree(self.root)
        return self.source

    @property
    def files_with_errors(self) -> set[str]:
        return {p.path for p in self.problems if p.severity == "error"}


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


# --- pydantic errors in the office's words -------------------------------------------------

_TYPE_WORDS = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期，不要带时间",
    "list_type": "应为列表（[甲, 乙] 或每行“- 项”）",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "bool_type": "应为是/否（true/false）",
    "missing": "缺少必填字段",
    "missing_keyword_argument": "缺少必填字段",
    "dataclass_type": "应为映射（键: 值）",
    "dataclass_args_type": "应为映射（键: 值）",
    "too_short": "不能为空",
}


def _message(error: ErrorDetails, model: type[Any], node: Any) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return _unknown_key_message(str(loc[-1]), _fields_at(model, loc[:-1]))
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        return "应为以下之一：" + "、".join(choices)
    ctx = error.get("ctx", {})
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_WORDS:
        return PATTERN_WORDS[ctx["pattern"]]
    if kind in ("greater_than_equal", "less_than_equal") and (ctx.get("ge"), ctx.get("le")) != (None, None):
        bound = ctx.get("ge", ctx.get("le"))
        if bound in YEARS:
            return YEAR_WORDS
        if kind == "less_than_equal":
            if bound == MONEY_MAX:
                return f"数额过大：不能超过 {MONEY_MAX:f} 万元，现为“{_shown(error.get('input'))}”"
            return f"应不大于{bound}"
        return "不能为负数" if bound == 0 else f"应不小于{bound}"
    if kind == "decimal_max_places":
        return f"最多保留{ctx.get('decimal_places')}位小数，现为“{_shown(error.get('input'))}”"
    from xmtj.ledger import yamlio

    if kind == "string_type" and isinstance(node, yamlio.ScalarNode):
        taken = yamlio.kind_of(node)
        if taken:
            return f'应为文本，但 {node.value} 被 YAML 读成了{taken}；文本请加引号，例如 "{node.value}"'
    if kind.startswith("xmtj_"):
        return str(error["msg"])
    if kind in _TYPE_WORDS:
        word = _TYPE_WORDS[kind]
        if kind.endswith("_parsing") and error.get("input") is not None:
            return f"{word}，现为“{error['input']}”"
        return word
    return str(error["msg"])


def _shown(value: Any) -> str:
    """A wrong input as the message shows it: huge numbers shortened (1E+5000 has 5,001 digits)."""
    from decimal import Decimal

    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() > 20:
        return f"{value:.3E}"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _fields_at(model: type[Any], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the (nested) record class at ``loc``, for suggestions."""
    import dataclasses
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int) or not dataclasses.is_dataclass(current):
            continue
        hints = typing.get_type_hints(current)
        if part not in hints:
            break
        current = _inner_record(hints[part])
    return field_names(current) if isinstance(current, type) and dataclasses.is_dataclass(current) else []


def _inner_record(annotation: Any) -> Any:
    import dataclasses

    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_record(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _inner_record(origin) if origin not in (None, list, dict) else None


def _unknown_key_message(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"，是否应为 {close[0]}？" if close else ""
    return f"未知字段 {key}{hint}"


def _field_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        # list indexes show as [i]; integer dict keys (years) show as .2021
        if isinstance(part, int) and out and part < 1000:
            out += f"[{part}]"
            continue
        out += ("." if out else "") + str(part)
    return out


# --- reading one file ------------------------------------------------------------------------


def read_mapping(source: Source, rel: str) -> tuple[dict[str, Any] | None, Any, list[Problem]]:
    """The top-level mapping of a YAML file, its node tree, and the problems found on the way."""
    try:
        data = source.read(rel)
    except OSError as exc:
        return None, None, [unreadable(rel, exc)]
    return parse_mapping(data, rel)


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
    from xmtj.ledger.speed import fastyaml  # imported when a file is parsed (its regexes cost a cached run time

    fast = fastyaml.parse(text)
    if fast is not None:
        return fast, None, []  # no node tree: ``validate`` composes one only if a field is wrong
    return _parse_mapping_fully(text, rel)


def _parse_mapping_fully(text: str, rel: str) -> tuple[dict[str, Any] | None, Any, list[Problem]]:
    from xmtj.ledger import yamlio  # libyaml only for what the fast reader leaves to it

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


def validate(
    model: type[M], value: dict[str, Any], root: Any, rel: str, data: bytes | None = None
) -> tuple[M | None, list[Problem]]:
    """The validated record, or None and a problem per wrong field (at its key's line)."""
    from pydantic import ValidationError

    from xmtj.ledger.validation import validate as validate_record

    try:
        return validate_record(model, value), []
    except ValidationError as exc:
        from xmtj.ledger import yamlio

        if root is None:  # read by the fast path: compose the tree now, for the positions
            root = yamlio.compose(yamlio.decode(data)) if data is not None else None
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            position, node = yamlio.locate(root, [p for p in loc if p != "[key]"])
            if node is not None and error["type"] in ("missing", "missing_keyword_argument"):
                node = None
            problems.append(
                Problem(rel, position.line, position.column, _field_name(loc), _message(error, model, node))
            )
        return None, problems


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
    value, node, problems = read_mapping(source, CONFIG_FILE)
    if value is not None:
        config, invalid = validate(Config, value, node, CONFIG_FILE)
        problems.extend(invalid)
        if config is not None and not problems:
            return config, []
    raise LedgerInvalid("台账设置文件有错误，无法继续：\n" + "\n".join(str(p) for p in problems))


def _limits_of(source: Source) -> Limits:
    """``limits`` of xmtj.yaml, read before anything else (the records are parsed with them); the
    defaults where they are missing or out of bounds (``check`` then reports the bad value)."""
    from xmtj.ledger.records import LIMIT_BOUNDS

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


def _cached_config(source: Source, store: RecordCache | None) -> Config:
    """xmtj.yaml, validated (from the cache when it has not changed)."""
    if store is None:
        return load_config(source)[0]
    from xmtj.ledger.speed.cache import file_key

    try:
        key = file_key(os.stat(source.root / CONFIG_FILE))
    except OSError:
        return load_config(source)[0]
    entry = store.get(CONFIG_FILE, key)
    if entry is not None and isinstance(entry[1], Config):
        return entry[1]
    config = load_config(source)[0]
    store.put(CONFIG_FILE, key, config, ())
    return config


PARALLEL_MIN = 3000  # files to parse before a second process pays for itself
Progress = Callable[[int, int], None]


Group = list[tuple[str, str]]  # (kind, rel)
Parsed = tuple[Any, Any, tuple[Problem, ...]]  # (cache key, record or None, problems)


def parse_file(root: str, kind: str, rel: str) -> Parsed:
    """One file of the working tree: its cache key, taken before reading it (an edit made while it is
    read then shows as a changed key next time, never as a stale record), and its record or problems."""
    from xmtj.ledger.speed.cache import file_key

    key = data = None
    try:
        fd = os.open(f"{root}/{rel}", READ_FLAGS)  # no file object: 60,000 of them
        try:
            stat = os.fstat(fd)
            chunks = [os.read(fd, stat.st_size + 1)]
            while chunks[-1]:  # to the end, however the file has changed since fstat
                chunks.append(os.read(fd, 1 << 16))
            key, data = file_key(stat), b"".join(chunks)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, None, (unreadable(rel, exc),)
    record, problems = record_from_bytes(data, MODELS[kind], rel)
    return key, record, tuple(problems)


# Record files are opened without following a symlink: a link could point anywhere on the machine, and
# its target's text would be read (and echoed in messages) as if it were the ledger's.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def unreadable(rel: str, exc: OSError) -> Problem:
    """The problem for a file that cannot be read; a symlink is named as such."""
    import errno

    if exc.errno == errno.ELOOP or os.path.islink(exc.filename or ""):
        return Problem(rel, None, None, "", "该文件是符号链接，xmtj 不跟随符号链接读取台账之外的文件；请换成普通文件")
    return Problem(rel, None, None, "", f"无法读取文件：{exc.strerror}")


def _parse_group(root: str, group: Group) -> tuple[bytes, bool]:
    """Parse and validate files in a worker process.

    Returns the pickled ``{rel: (key, record, problems)}`` — for a group that is one cache shard,
    exactly the shard's file content, so the parent need not pickle it again — and whether every
    file is old enough to be cached.
    """
    import pickle
    import time

    from xmtj.ledger.speed.cache import trusted

    entries = {rel: parse_file(root, kind, rel) for kind, rel in group}
    now = time.time()
    all_trusted = all(trusted(entry[0], now) for entry in entries.values())
    return pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL), all_trusted


def _parse_all(
    source: Source,
    groups: dict[str, Group],
    store: RecordCache | None,
    progress: Progress | None,
    done: int,
    total: int,
    meanwhile: Callable[[], None],
) -> Iterable[tuple[str, Parsed]]:
    """Every job parsed (and cached): in worker processes when there are many files and several cores.

    ``meanwhile`` is called once the workers have their jobs (at once when parsing here).
    """
    jobs = sum(len(g) for g in groups.values())
    workers = min(os.cpu_count() or 1, 4)
    if jobs < PARALLEL_MIN or workers < 2 or source.revision is not None:
        meanwhile()
        root = str(source.root)
        for group in groups.values():
            for kind, rel in group:
                if source.revision is None:
                    parsed = parse_file(root, kind, rel)
                else:
                    record, problems = load_record(source, MODELS[kind], rel)
                    parsed = (None, record, tuple(problems))
                if store is not None:
                    store.put(rel, *parsed)
                yield rel, parsed
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
        return
    import pickle
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from xmtj.ledger.validation import adapter

    for model in {MODELS[kind] for group in groups.values() for kind, _ in group[:1]}:
        adapter(model)  # pydantic imported and the validators built once, here: every worker inherits them
    pool = ProcessPoolExecutor(max_workers=workers, initializer=limits.configure, initargs=(limits.LIMITS,))
    try:
        # biggest groups first, results taken as they finish: the workers never wait for the parent
        futures = {
            pool.submit(_parse_group, str(source.root), group): name
            for name, group in sorted(groups.items(), key=lambda item: len(item[1]), reverse=True)
        }
        meanwhile()
        for future in as_completed(futures):
            blob, all_trusted = future.result()
            entries = pickle.loads(blob)
            if store is not None:
                store.adopt(futures[future], entries, blob if all_trusted else None)
            yield from entries.items()
            done += len(entries)
            if progress:
                progress(done, total)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # an error (a broken xmtj.yaml): stop parsing
        raise
    pool.shutdown()


def _groups(todo: list[tuple[str, str]], store: RecordCache | None) -> dict[str, Group]:
    """Jobs for the workers: one cache shard each (so a worker's result is the shard), or chunks."""
    if store is None:
        size = max(200, len(todo) // 16)
        return {str(i): todo[i : i + size] for i in range(0, len(todo), size)}
    from xmtj.ledger.speed.cache import shard_name

    shards: dict[str, Group] = {}
    for kind, rel in todo:
        shards.setdefault(shard_name(kind, rel), []).append((kind, rel))
    return shards


Jobs = list[tuple[str, str]]  # (kind, rel) of every data file, in the ledger's order
SCAN_IN_CHILD_BYTES = 1_000_000  # a cache this large (a few thousand records) is worth a forked scan


def _jobs(source: Source) -> Jobs:
    return [(kind, rel) for kind in MODELS for rel in source.list(f"{DATA_DIR}/{kind}")]


def _scan(source: Source) -> tuple[Jobs, list[Any], list[str]]:
    """Every data file and its cache key now (None if it cannot be stat-ed), and leftover temp files."""
    from xmtj.ledger.speed.cache import key_of

    jobs = _jobs(source)
    prefix = f"{source.root}/"
    return jobs, [key_of(prefix + rel) for _, rel in jobs], list(getattr(source, "leftovers", []))


def _scan_meanwhile(source: Source) -> Callable[[], tuple[Jobs, list[Any], list[str]]] | None:
    """Start ``_scan`` in a forked process; the returned function waits for its answer.

    A repeat run over 60,000 files spends about as long listing and stat-ing them as unpickling the
    cache: on a second core the two overlap. None where fork is unavailable or unsafe (threads).
    """
    import threading

    if not hasattr(os, "fork") or sys.platform != "linux" or threading.active_count() > 1:
        return None
    import marshal

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: scan, send, and leave without running any clean-up
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(marshal.dumps(_scan(source)))
        finally:
            os._exit(0)
    os.close(write_end)

    def collect() -> tuple[Jobs, list[Any], list[str]]:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            jobs, keys, leftovers = marshal.loads(data)
            if isinstance(jobs, list) and isinstance(keys, list) and len(jobs) == len(keys):
                if hasattr(source, "leftovers"):
                    source.leftovers[:] = leftovers  # what the child saw while listing
                return jobs, keys, leftovers
        except (EOFError, ValueError, TypeError):
            pass
        return _scan(source)  # the child failed: scan here

    return collect


def _linked_folder_problems(source: Source) -> list[Problem]:
    from xmtj.ledger.sources import WorkingTree

    if not isinstance(source, WorkingTree):
        return []
    folders = [f"{DATA_DIR}/{kind}" for kind in MODELS]
    return [
        Problem(folder, None, None, "", "该目录是符号链接，xmtj 不跟随符号链接读取台账之外的文件，其中的记录未计入")
        for folder in source.linked_folders(folders)
    ]


def _kind_of(item: tuple[tuple[str, str], Any]) -> str:
    return item[0][0]


def load_ledger(root: Path, at: str | None = None, cache: bool = True, progress: Progress | None = None) -> Ledger:
    """Read the whole ledger (as it is on disk, or at git revision ``at``).

    A broken file is reported and left out, never fatal. Validated records are cached per file
    (see ``xmtj.ledger.speed.cache``) unless ``cache`` is false or ``XMTJ_NO_CACHE`` is set.
    """
    import gc

    from xmtj.ledger.sources import source_for

    source = source_for(root, at)
    limits.configure(_limits_of(source))
    store = None
    if cache and at is None and not os.environ.get("XMTJ_NO_CACHE"):
        from xmtj.ledger.speed.cache import RecordCache, cache_home

        top, folder = cache_home(root)
        store = RecordCache(folder, top, salt=f"lim{limits.LIMITS.max_file_kb}.{limits.LIMITS.max_depth}")
    # a large cache: list and stat the files in a forked process while the cache is unpickled here
    scan = _scan_meanwhile(source) if store is not None and store.size() > SCAN_IN_CHILD_BYTES else None
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a load allocates many objects and frees none: collecting would only cost time
    slots: list[Parsed | None] = []  # each file's (key, record, problems), in the ledger's order
    try:
        cold = store is None or store.empty()  # a first run need not stat: every file is read
        if store is None or cold:
            jobs = todo = _jobs(source)
            slots = [None] * len(jobs)
            if store is not None:
                store.misses += len(jobs)
        else:
            jobs, keys, _ = scan() if scan is not None else _scan(source)
            scan = None
            todo = []
            cached = store.entries()
            for job, key in zip(jobs, keys, strict=True):
                entry = cached.get(job[1])
                if entry is None or entry[0] != key:
                    todo.append(job)
                    entry = None
                slots.append(entry)
            store.hits += len(jobs) - len(todo)
            store.misses += len(todo)
        configs: list[Config] = []
        groups = _groups(todo, store)
        done = len(jobs) - len(todo)
        parsed: dict[str, Parsed] = {}
        # xmtj.yaml is read (and pydantic imported, on a first run) while the workers parse
        for rel, result in _parse_all(
            source, groups, store, progress, done, len(jobs), lambda: configs.append(_cached_config(source, store))
        ):
            parsed[rel] = result
        done_slots: list[Parsed] = [
            slot if slot is not None else parsed[job[1]] for job, slot in zip(jobs, slots, strict=True)
        ]
        ledger = Ledger(root=root, config=configs[0], source=source)
        for kind, group in itertools.groupby(zip(jobs, done_slots, strict=True), key=_kind_of):
            getattr(ledger, kind).extend(slot[1] for _, slot in group if slot[1] is not None)
        ledger.problems.extend(problem for slot in done_slots if slot[2] for problem in slot[2])
        ledger.problems.extend(_linked_folder_problems(source))
    finally:
        if scan is not None:
            scan()  # not needed after all (the cache was unreadable, or an error): reap the child
        if gc_was_enabled:
            gc.enable()
            if len(slots) > PARALLEL_MIN:
                gc.freeze()  # the records live as long as the process: keep them out of later collections
    if store is not None:
        store.forget_missing({rel for _, rel in jobs} | {CONFIG_FILE})
        store.flush()
    ledger.letters.sort(key=lambda letter: (letter.year, letter.number, letter.path))
    return ledger


def locate_problems(source: Source, problems: Iterable[Problem]) -> list[Problem]:
    """Fill in the line and column of problems found by cross-record checks."""
    from xmtj.ledger import yamlio

    trees: dict[str, Any] = {}
    out = []
    for problem in problems:
        if problem.line is None and problem.path:
            if problem.path not in trees:
                try:
                    trees[problem.path] = yamlio.compose(yamlio.decode(source.read(problem.path)))
                except (OSError, yamlio.YamlSyntaxError, yamlio.TextDecodeError):
                    trees[problem.path] = None
            tree = trees[problem.path]
            if tree is not None:
                position, _ = yamlio.locate(tree, problem.field)
                problem = Problem(
                    problem.path,
                    position.line,
                    position.column,
                    problem.field,
                    problem.message,
                    problem.severity,
                )
        out.append(problem)
    return out
