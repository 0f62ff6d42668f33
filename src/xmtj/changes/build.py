"""Building a change: the new texts of the files a command changes, and its commit subject.

Nothing here writes: ``xmtj.changes.apply`` validates a ``Change`` against the whole ledger, writes it
all or nothing and commits it. Existing files are edited surgically (``yamledit``), keeping every
other byte (comments, layout, BOM, line endings); new records are written in the house layout
(``yamlout``), their ids numbered by the registry's rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xmtj.changes import yamledit
from xmtj.changes.fields import parse
from xmtj.changes.fieldtypes import FieldTypeError, parse_for_field
from xmtj.changes.writer import no_symlink
from xmtj.changes.yamlout import record_yaml
from xmtj.figures.fmt import show
from xmtj.figures.periods import check_month
from xmtj.ledger import yamlio
from xmtj.ledger.checks import did_you_mean
from xmtj.ledger.encoding import decode
from xmtj.ledger.fields import NotANumber, parse_number
from xmtj.ledger.labels import field_for, label
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.records import Briefing, Issue, Letter, Project, Record, Sourced, as_dict, field_names
from xmtj.ledger.registry import KINDS, word
from xmtj.months import Month
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
    """New texts of files (relative paths), the commit subject, and the command that made them. A file
    that is not a record (a letter's .docx) may be bytes."""

    texts: dict[str, str | bytes]
    subject: str
    command: Sequence[str]
    created: set[str] = field(default_factory=set)
    warnings: list[Problem] = field(default_factory=list)
    trailers: dict[str, str] = field(default_factory=dict)  # more git trailers (``Xmtj-Dispatch: …``)
    removed: set[str] = field(default_factory=set)  # files the change deletes (``undo`` of a new record)


def find_record(ledger: Ledger, kind: str, rid: str) -> Record:
    """The record of ``kind`` with id ``rid``, typed in any case (``js2022-001`` finds ``JS2022-001``)."""

    records: list[Record] = getattr(ledger, kind)
    folded = rid.strip().casefold()
    for record in records:
        if record.id == rid or record.id.casefold() == folded:
            return record
    broken = [p for p in ledger.problems if p.path.casefold() == f"data/{kind}/{folded}.yaml"]
    hint = "（该文件有错误，请先运行 xmtj check 改正）" if broken else did_you_mean(rid, [r.id for r in records])
    raise RecordNotFound(f"{word(kind)} {rid} 不存在{hint}")


# --- building the new texts -------------------------------------------------------------------


@dataclass(frozen=True)
class Framing:
    """What an edit must give back exactly as it found it: the BOM and the line endings."""

    bom: bool
    crlf: bool

    def apply(self, text: str) -> str:
        if self.crlf:  # every line ended in CRLF: so do the lines the edit added
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "") + text


def text_of(ledger: Ledger, record: Sourced) -> tuple[str, Framing]:
    """A record file's text as the editor works on it (no BOM), and how to put it back byte for byte."""

    path = ledger.root / record.path
    no_symlink(ledger.root, path)
    data = path.read_bytes()
    lines = data.count(b"\n")
    framing = Framing(bom=data.startswith(b"\xef\xbb\xbf"), crlf=lines > 0 and data.count(b"\r\n") == lines)
    return decode(data), framing


def money_option(raw: str, option: str) -> Decimal:
    """An amount typed on the command line: a plain number only (``xmtj.ledger.fields.parse_number``)."""

    try:
        return parse_number(raw)
    except NotANumber as exc:
        raise XmtjError(f"{option} {exc}") from None


def progress_change(
    ledger: Ledger,
    project_id: str,
    month: Month,
    amount: Decimal | str,
    text: str | None,
    command: Sequence[str],
    future: bool = False,
    strict: bool = False,
) -> Change:
    """Record (or correct) a month's completed investment: ``progress.<month>`` (万元, as typed or a Decimal).

    A month not yet begun or past the next one is refused unless ``future``; a figure above the plan or
    the total is a warning, or refused when ``strict``."""
    if isinstance(amount, str):
        amount = money_option(amount, "--amount")
    if amount < 0:
        raise XmtjError("--amount 不能为负数")
    month_guard(ledger, month, future)
    project = find_record(ledger, "projects", project_id)
    assert isinstance(project, Project)
    warnings = progress_warnings(project, month, amount)
    if strict and warnings:
        raise XmtjError("；".join(warnings) + "（--strict：未保存）")
    source, framing = text_of(ledger, project)
    old = project.progress.get(month.key)
    new = progress_edit(source, month, amount, text, recorded=old is not None)
    figure = f"{show(old.amount)}→{show(amount)}万元" if old is not None else f"+{show(amount)}万元"
    change = Change({project.path: framing.apply(new)}, f"进度: {project.id} {month.key} {figure}", command)
    change.warnings.extend(Problem(project.path, None, None, f"progress.{month.key}", w, "warning") for w in warnings)
    return change


def month_guard(ledger: Ledger, month: Month, future: bool = False) -> None:
    """A month of the ledger's years (``check_month``); unless ``future``, one that has begun and that does
    not skip months after the latest reported one — either is almost always a typo."""

    check_month(ledger.config, month, ledger.today, ledger.projects, writes=True, future=future)
    latest = max((m for p in ledger.projects for m in p.progress), default=None)
    if latest is not None and not future:
        following = Month.parse(latest).next
        if month > following:
            raise XmtjError(f"台账中最近的进度是 {latest}，{month} 跳过了中间的月份；确需填报请加 --future")


def progress_warnings(project: Project, month: Month, amount: Decimal) -> list[str]:
    """A month above the year's plan, or a total above the total investment (warnings; errors with --strict)."""
    found = []
    year = month.year
    planned = project.annual_plan.get(year)
    if planned is not None and amount > planned:
        found.append(f"{project.id} {month} 当月{show(amount)}万元超过{year}年计划投资{show(planned)}万元")
    total = sum((e.amount for m, e in project.progress.items() if m != month.key), Decimal(0)) + amount
    if total > project.total_investment:
        found.append(f"{project.id} 累计完成{show(total)}万元超过总投资{show(project.total_investment)}万元")
    return found


def progress_edit(
    source: str, month: Month, amount: Decimal, text: str | None, recorded: bool = True, since: Month | None = None
) -> str:
    """A project file's text with ``progress.<month>`` set (inside ``{amount: …, text: …}`` if it is one);
    ``since``: an opening balance of the months from ``since`` (``{amount: …, since: 2022-01}``).
    ``recorded`` false: the month is known not to be in the file yet (one parse of the file fewer)."""
    key = month.key
    node = yamledit.get_node(source, ["progress", key]) if recorded else None
    if isinstance(node, yamlio.MappingNode):  # {amount: …, text: …} or a block mapping: set inside
        new = yamledit.set_value(source, ["progress", key, "amount"], amount)
        new = yamledit.set_value(new, ["progress", key, "text"], text) if text is not None else new
        return yamledit.set_value(new, ["progress", key, "since"], since.key) if since is not None else new
    value: Any = {"amount": amount, **({"text": text} if text is not None else {})}
    if since is not None:
        value["since"] = since.key
    if len(value) == 1:
        value = amount
    return yamledit.set_value(source, ["progress", key], value, field_names(Project))


def _path(field: str) -> list[Any]:
    parts: list[Any] = []
    for piece in field.split("."):
        parts.append(int(piece) if piece.isdigit() else piece)
    return parts


def set_change(
    ledger: Ledger, kind: str, rid: str, field_path: str, raw: str | Sequence[str], command: Sequence[str]
) -> Change:
    """``xmtj project set ID FIELD VALUE``: one field, the value read as that field's type.

    A text field takes the text exactly as given (quoted in the file where YAML needs it: ``说明: 已开工``,
    ``a #b``, ``@x``, ``123``); numbers only in plain form; dates as YYYY-MM-DD; lists as items
    separated by commas or 、, or as several values (``raw`` a sequence); "" empties the field.
    """

    record = find_record(ledger, kind, rid)
    field_path = field_for(field_path, kind) or field_path  # 计划开工时间 as well as planned_start
    if field_path in ("id", ""):
        raise XmtjError("不能修改编号（编号就是文件名）；如需改号，请新建记录并删除旧文件")
    model = type(record)
    top = field_path.split(".")[0]
    if top not in field_names(model):
        import difflib

        close = difflib.get_close_matches(top, field_names(model), n=1)
        hint = f"，是否应为 {label(close[0], kind)}（{close[0]}）？" if close else ""
        raise XmtjError(f"未知字段 {top}{hint}（可用的字段：xmtj {kind.rstrip('s')} fields）")
    source, framing = text_of(ledger, record)
    path = _path(field_path)
    old = _lookup(as_dict(record), path)
    several = not isinstance(raw, str)
    text = raw if isinstance(raw, str) else "、".join(raw)
    try:
        value = parse_for_field(model, path, text)
        if several and not isinstance(value, list):
            raise FieldTypeError("只能有一个值（只有列表字段，如 levels、key_years，可以给多个值）")
    except FieldTypeError as exc:
        raise XmtjError(f"{field_path}：{exc}") from None
    new = yamledit.set_value(source, path, value, field_names(model))
    _reads_back(new, path, value, field_path)
    subject = f"{word(kind)}: {record.id} {label(field_path, kind)} {show(old)}→{show(value)}"
    return Change({record.path: framing.apply(new)}, subject, command)


def _reads_back(text: str, path: list[Any], value: Any, field_path: str) -> None:
    """The edited file must read back to exactly the value set (else the edit is refused, not written)."""

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
    """``xmtj issue resolve``: 已办结 with its date and 办理情况 (which must say something)."""
    if not text.strip():
        raise XmtjError("--text 不能为空：请写明办理情况（如 已协调供电公司接通）")
    issue = find_record(ledger, "issues", issue_id)
    assert isinstance(issue, Issue)
    if issue.status == "已办结":
        raise XmtjError(f"问题 {issue_id} 已于 {issue.resolved_on} 办结")
    source, framing = text_of(ledger, issue)
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


def new_ids(existing: Sequence[str], prefix: str) -> Iterator[str]:
    """``next_id`` again and again, without reading ``existing`` each time (an import numbers hundreds)."""
    first = next_id(existing, prefix)
    width = len(first) - len(prefix)
    number = int(first[len(prefix) :])
    while True:
        yield f"{prefix}{number:0{width}d}"
        number += 1


def id_prefix(ledger: Ledger, kind: str, year: int, values: dict[str, Any]) -> str:
    """How a new record's id of ``year`` starts: the ledger's own ``id_prefix`` for projects (JS2022-),
    else the registry's rule for the kind."""
    if kind == "projects" and ledger.config.id_prefix:
        return f"{ledger.config.id_prefix}{year}-"
    prefix = KINDS[kind].id_prefix
    assert prefix is not None, kind
    return prefix(year, values, [r.id for r in getattr(ledger, kind)])


def new_record_change(
    ledger: Ledger, kind: str, values: dict[str, Any], year: int, command: Sequence[str], rid: str | None = None
) -> Change:
    """A new record file in the house layout (fields in order, comments for the clerk); its id is ``rid``
    or the next of its kind's rule for ``year`` (``xmtj.ledger.registry``)."""

    existing = [r.id for r in getattr(ledger, kind)]
    record = {"id": rid or next_id(existing, id_prefix(ledger, kind, year, values)), **values}
    rel = f"data/{kind}/{record['id']}.yaml"
    if (ledger.root / rel).exists() or record["id"] in existing:
        raise XmtjError(f"编号 {record['id']} 已存在（{rel}）")
    subject = NEW_SUBJECTS[kind](record)
    return Change({rel: record_yaml(kind, record)}, subject, [*command, "--id", record["id"]], created={rel})


NEW_SUBJECTS = {  # the commit subject of a new record, in the fixed forms the audit trail reads
    "projects": lambda r: f"新建项目: {r['id']} {r['name']}",
    "issues": lambda r: f"新增问题: {r['id']}" + (f" ({r['project']})" if r.get("project") else ""),
    "meetings": lambda r: f"新建活动: {r['id']} {r['title']}",
}


@dataclass(frozen=True)
class Question:
    """A field ``project new`` asks for on a terminal: its label, and where its choices come from."""

    field: str
    label: str
    required: bool = True
    choices: str | None = None  # an attribute of Config (branches, sectors, levels), or "investment_type"


PROJECT_QUESTIONS = (
    Question("name", "项目名称"),
    Question("owner", "建设单位", required=False),
    Question("content", "建设内容", required=False),
    Question("investment_type", "投资类型", choices="investment_type"),
    Question("nature", "建设性质", choices="natures", required=False),
    Question("sector", "行业", choices="sectors"),
    Question("branch", "分指挥部", choices="branches"),
    Question("responsible_unit", "责任单位"),
    Question("liaison_leader", "包联领导"),
    Question("total_investment", "总投资（万元）"),
)


def project_values(
    given: dict[str, Any],
    levels: Sequence[str],
    years: Sequence[int],
    plan: str | None,
    planned_start: dt.date | None,
    planned_completion: dt.date | None = None,
) -> tuple[dict[str, Any], int]:
    """A new project's fields from what ``project new`` was given, and its first key year (its id's year).

    Raises with every missing field named at once; amounts must be plain numbers (``parse_number``).
    """
    missing = [q.label for q in PROJECT_QUESTIONS if q.required and not given.get(q.field)]
    if not years:
        missing.append("重点年度（--key-year）")
    if missing:
        raise XmtjError("缺少：" + "、".join(missing) + "（请用相应选项给出，或在终端上运行以逐项填写）")
    first_year = min(years)

    values = {q.field: given.get(q.field) for q in PROJECT_QUESTIONS if q.field != "total_investment"}
    values |= {
        "levels": list(levels),
        "key_years": sorted(years),
        "total_investment": money_option(str(given["total_investment"]), "--total"),
        "annual_plan": {first_year: money_option(plan, "--plan")} if plan else {},
        "planned_start": planned_start,
        "planned_completion": planned_completion,
    }
    return values, first_year


def void_text(ledger: Ledger, record: Briefing | Letter, day: dt.date, reason: str) -> str:
    """A register entry's text (a 通报's or a letter's) with ``voided: {date, reason}`` set, surgically: 作废,
    its number never given again."""

    if not reason.strip():
        raise XmtjError("作废须写明原因（-m 或 --reason）")
    source, framing = text_of(ledger, record)
    value = {"date": day, "reason": reason.strip()}
    return framing.apply(yamledit.set_value(source, ["voided"], value, field_names(type(record))))
