"""Commands that change the ledger: validate first, write atomically, commit exactly what was written.

A change is refused, with the same messages ``xmtj check`` gives, when the new record is invalid or
when it brings a new cross-record error into the ledger. Nothing is written then.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xmtj import __version__
from xmtj.changes import yamledit
from xmtj.ledger import gitio, yamlio
from xmtj.ledger.fields import MONTH_PATTERN
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.reading import record_from_bytes
from xmtj.ledger.records import Issue, Project, Record, Sourced, as_dict, field_names
from xmtj.ledger.registry import MODELS
from xmtj.ledger.sources import Source
from xmtj.problems import Problem, XmtjError


class ChangeRefused(XmtjError):
    """The change would make the ledger invalid; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("修改未保存，因为：\n" + "\n".join(str(p) for p in self.problems))


class RecordNotFound(XmtjError):
    """No record with that id."""


@dataclass
class Change:
    """New texts of files (relative paths), the commit subject, and the command that made them."""

    texts: dict[str, str]
    subject: str
    command: Sequence[str]
    created: set[str] = field(default_factory=set)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Outcome:
    paths: list[str]
    commit: gitio.Commit | None
    note: str | None  # why nothing was committed, in Chinese, or None


class _Overlay:
    """The ledger's files with some replaced by new texts (for checks before writing)."""

    def __init__(self, base: Source, texts: dict[str, str]) -> None:
        self.base, self.root = base, base.root
        self.revision: str | None = None
        self.texts = {k: v.encode("utf-8") for k, v in texts.items()}

    def list(self, folder: str) -> list[str]:
        return self.base.list(folder)

    def read(self, rel: str) -> bytes:
        return self.texts[rel] if rel in self.texts else self.base.read(rel)

    def read_or_none(self, rel: str) -> bytes | None:
        return self.texts.get(rel) or self.base.read_or_none(rel)


def find_record(ledger: Ledger, kind: str, rid: str) -> Record:
    records: list[Record] = getattr(ledger, kind)
    for record in records:
        if record.id == rid:
            return record
    word = {"projects": "项目", "issues": "问题", "meetings": "活动"}[kind]
    broken = [p for p in ledger.problems if p.path == f"data/{kind}/{rid}.yaml"]
    hint = "（该文件有错误，请先运行 xmtj check 改正）" if broken else ""
    raise RecordNotFound(f"{word} {rid} 不存在{hint}")


def _key(p: Problem) -> tuple[str, str, str, str]:
    return (p.path, p.field, p.message, p.severity)


def validate_change(ledger: Ledger, change: Change) -> list[Problem]:
    """The warnings the change brings; raises ChangeRefused if it brings any error."""
    from xmtj.ledger.checks import check_ledger

    new_ledger = dataclasses.replace(ledger, problems=[p for p in ledger.problems if p.path not in change.texts])
    for rel, text in change.texts.items():
        if not rel.startswith("data/"):
            continue  # a document (a letter's Markdown), not a record
        kind = rel.split("/")[1]
        model = MODELS[kind]
        record, problems = record_from_bytes(text.encode("utf-8"), model, rel)
        if problems:
            raise ChangeRefused([p for p in problems if p.severity == "error"] or problems)
        records = [r for r in getattr(new_ledger, kind) if r.path != rel] + [record]
        setattr(new_ledger, kind, records)
    before = {_key(p) for p in check_ledger(ledger)}
    new_ledger.source = _Overlay(ledger.files, change.texts)
    after = [p for p in check_ledger(new_ledger) if _key(p) not in before]
    errors = [p for p in after if p.severity == "error"]
    if errors:
        raise ChangeRefused(errors)
    return after


def commit_message(change: Change, why: str | None) -> str:
    import shlex

    parts = [change.subject]
    if why:
        parts.append(why.strip())
    parts.append(f"Xmtj-Command: {shlex.join(change.command)}\nXmtj-Version: {__version__}")
    return "\n\n".join(parts) + "\n"


def apply(ledger: Ledger, change: Change, why: str | None = None, commit: bool = True) -> Outcome:
    """Validate, write every file of the change atomically, and commit exactly those files.

    All or nothing, the commit included: git's state is checked before anything is written (a lock
    left by another git, a merge or rebase in progress, no identity), and if the commit still fails
    the files are put back as they were. Call it holding the ledger's lock (``xmtj.changes.lock``).
    """
    from xmtj.changes.writer import FileTransaction, no_symlink, remove_orphans

    change.warnings = validate_change(ledger, change)
    root = ledger.root
    paths = sorted(change.texts)
    note = _why_not_commit(ledger, paths, commit)
    transaction = FileTransaction(root)
    for rel in paths:
        target = root / rel
        if rel in change.created:
            transaction.create(target, change.texts[rel])
        else:
            no_symlink(root, target)
            transaction.replace(target, change.texts[rel], target.read_bytes())
    remove_orphans({path.parent for path in transaction.paths})  # left by a killed writer (we hold the lock)
    transaction.commit()
    if note is not None:
        return Outcome(paths, None, note or None)
    try:
        made = gitio.commit_files(root, paths, commit_message(change, why), verify=ledger.config.git.verify)
    except gitio.GitError as exc:
        transaction.rollback()
        gitio.unstage(root, paths)
        raise gitio.GitError(f"{exc}；已撤销本次写入的文件，台账保持原样") from None
    return Outcome(paths, made, None)


def _why_not_commit(ledger: Ledger, paths: list[str], commit: bool) -> str | None:
    """None to commit; otherwise the reason not to ("" for a ledger outside git: nothing to say).

    Raises when git would refuse the commit: then nothing is written at all.
    """
    root = ledger.root
    if not commit:
        return "未提交（--no-commit）"
    if not ledger.config.git.commit:
        return "未提交（xmtj.yaml 中 git.commit 为 false）"
    if not gitio.is_repository(root):
        return ""
    gitio.check_ready(root)
    dirty = gitio.dirty(root, paths)
    if dirty:
        return f"已写入，但 {'、'.join(dirty)} 原本就有未提交的修改，因此没有自动提交；请核对后自行提交"
    return None


# --- building the new texts -------------------------------------------------------------------

_MONTH_RE = re.compile(MONTH_PATTERN)


@dataclass(frozen=True)
class Framing:
    """What an edit must give back exactly as it found it: the BOM and the line endings."""

    bom: bool
    crlf: bool

    def apply(self, text: str) -> str:
        if self.crlf:  # every line ended in CRLF: so do the lines the edit added
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "") + text


def _text_of(ledger: Ledger, record: Sourced) -> tuple[str, Framing]:
    """A record file's text as the editor works on it (no BOM), and how to put it back byte for byte."""
    from xmtj.changes.writer import no_symlink
    from xmtj.ledger.encoding import decode

    path = ledger.root / record.path
    no_symlink(ledger.root, path)
    data = path.read_bytes()
    lines = data.count(b"\n")
    framing = Framing(bom=data.startswith(b"\xef\xbb\xbf"), crlf=lines > 0 and data.count(b"\r\n") == lines)
    return decode(data), framing


def show(value: Any) -> str:
    """A value as the office reads it in a commit message or a log: empty shows as （空）."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def progress_change(
    ledger: Ledger, project_id: str, month: str, amount: Decimal, text: str | None, command: Sequence[str]
) -> Change:
    """Record (or correct) a month's completed investment: ``progress.<month>``."""
    if not _MONTH_RE.match(month):
        raise XmtjError(f"--month 应为 YYYY-MM，例如 2021-11，现为“{month}”")
    if amount < 0:
        raise XmtjError("--amount 不能为负数")
    project = find_record(ledger, "projects", project_id)
    assert isinstance(project, Project)
    source, framing = _text_of(ledger, project)
    old = project.progress.get(month)
    node = yamledit.get_node(source, ["progress", month])
    order = field_names(Project)
    if isinstance(node, yamlio.MappingNode):  # {amount: …, text: …} or a block mapping: set inside
        new = yamledit.set_value(source, ["progress", month, "amount"], amount)
        if text is not None:
            new = yamledit.set_value(new, ["progress", month, "text"], text)
    else:
        value: Any = amount if text is None else {"amount": amount, "text": text}
        new = yamledit.set_value(source, ["progress", month], value, order)
    figure = f"{show(old.amount)}→{show(amount)}万元" if old is not None else f"+{show(amount)}万元"
    return Change({project.path: framing.apply(new)}, f"进度: {project.id} {month} {figure}", command)


def _path(field: str) -> list[Any]:
    parts: list[Any] = []
    for piece in field.split("."):
        parts.append(int(piece) if piece.isdigit() else piece)
    return parts


def set_change(ledger: Ledger, kind: str, rid: str, field_path: str, raw: str, command: Sequence[str]) -> Change:
    """``xmtj project set ID FIELD VALUE``: one field, the value read as that field's type.

    A text field takes the text exactly as given (quoted in the file where YAML needs it: ``说明: 已开工``,
    ``a #b``, ``@x``, ``123``); numbers only in plain form; dates as YYYY-MM-DD; lists as items
    separated by commas or 、; "" empties the field.
    """
    from xmtj.changes.fieldtypes import FieldTypeError, parse_for_field

    record = find_record(ledger, kind, rid)
    if field_path in ("id", ""):
        raise XmtjError("不能修改编号（编号就是文件名）；如需改号，请新建记录并删除旧文件")
    model = type(record)
    top = field_path.split(".")[0]
    if top not in field_names(model):
        import difflib

        close = difflib.get_close_matches(top, field_names(model), n=1)
        raise XmtjError(f"未知字段 {top}" + (f"，是否应为 {close[0]}？" if close else ""))
    source, framing = _text_of(ledger, record)
    path = _path(field_path)
    old = _lookup(as_dict(record), path)
    try:
        value = parse_for_field(model, path, raw)
    except FieldTypeError as exc:
        raise XmtjError(f"{field_path}：{exc}") from None
    new = yamledit.set_value(source, path, value, field_names(model))
    _reads_back(new, path, value, field_path)
    word = {"projects": "项目", "issues": "问题", "meetings": "活动"}[kind]
    subject = f"{word}: {rid} {field_path} {show(old)}→{show(value)}"
    return Change({record.path: framing.apply(new)}, subject, command)


def _reads_back(text: str, path: list[Any], value: Any, field_path: str) -> None:
    """The edited file must read back to exactly the value set (else the edit is refused, not written)."""
    from xmtj.changes.history import parse

    got = _lookup(parse(text.encode("utf-8")) or {}, path)
    if got != value and not (got in (None, "", []) and value in (None, "", [])):
        raise XmtjError(f"{field_path} 无法自动写成“{show(value)}”（读回为“{show(got)}”），请手工编辑该文件")


def _lookup(data: Any, path: list[Any]) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part, data.get(str(part)) if not isinstance(part, str) else None)
        else:
            return None
    return data


def resolve_change(ledger: Ledger, issue_id: str, day: dt.date, text: str, command: Sequence[str]) -> Change:
    """``xmtj issue resolve``: 已办结 with its date and 办理情况."""
    issue = find_record(ledger, "issues", issue_id)
    assert isinstance(issue, Issue)
    if issue.status == "已办结":
        raise XmtjError(f"问题 {issue_id} 已于 {issue.resolved_on} 办结")
    source, framing = _text_of(ledger, issue)
    order = field_names(Issue)
    new = yamledit.set_value(source, ["status"], "已办结", order)
    new = yamledit.set_value(new, ["resolved_on"], day, order)
    new = yamledit.set_value(new, ["resolution"], text, order)
    return Change({issue.path: framing.apply(new)}, f"办结问题: {issue_id} {day.isoformat()}", command)


def next_id(existing: Sequence[str], prefix: str) -> str:
    """``prefix`` followed by one more than the highest number already used with it (zero-padded)."""
    numbers = [int(m[1]) for rid in existing if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", rid))]
    width = max((len(rid) - len(prefix) for rid in existing if rid.startswith(prefix)), default=3)
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def new_record_change(
    ledger: Ledger, kind: str, record: dict[str, Any], subject: str, command: Sequence[str]
) -> Change:
    """A new record file, written in the house layout with comments for the clerk."""
    from xmtj.changes.yamlout import record_yaml

    rel = f"data/{kind}/{record['id']}.yaml"
    if (ledger.root / rel).exists() or any(r.id == record["id"] for r in getattr(ledger, kind)):
        raise XmtjError(f"编号 {record['id']} 已存在（{rel}）")
    return Change({rel: record_yaml(kind, record)}, subject, command, created={rel})
