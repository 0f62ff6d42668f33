"""The ledger's records: what one YAML file holds, as frozen dataclasses.

Money is ``Decimal`` in 万元, never negative. Field names are English; values are whatever the
office writes. This module imports no validation library: pydantic validates these very classes
(``xmtj.ledger.validation``) when a file is read, through the markers of ``xmtj.ledger.fields``, and a
run that finds every record in the cache never imports it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal

from xmtj.ledger.fields import (
    CONFIG,
    AtLeastOne,
    Check,
    DayOrMonthDate,
    Figure,
    Money,
    Month,
    Name,
    RecordId,
    Text,
    Year,
    not_empty,
    progress_entry,
)

InvestmentType = Literal["政府投资", "社会投资"]
SixNew = Literal["新基建", "新技术", "新材料", "新装备", "新产品", "新业态"]
ApprovalStatus = Literal["未办理", "办理中", "已办结"]
IssueCategory = Literal["用地", "资金", "手续", "水电气路", "征地拆迁", "其他"]
IssueSource = Literal["调度会", "现场督查", "集中观摩", "企业反映", "包联领导"]
IssueStatus = Literal["新增", "推进中", "已办结"]
EventKind = Literal["调度会", "集中开工", "集中观摩"]
CONTINUING = "续建"  # the 建设性质 of a project started in an earlier year (docs/domain.md)

frozen = dataclass(frozen=True, kw_only=True)


class Part:
    """Base of every record and record part: validated strictly (how the cache pickles one is the cache's
    business: ``xmtj.ledger.speed.cache``)."""

    __pydantic_config__ = CONFIG


@frozen
class Sourced(Part):
    """Something read from one file; ``path`` is where it came from (relative, posix)."""

    path: str = field(default="", init=False, compare=False, repr=False)


@frozen
class Record(Sourced):
    """A record with an id, which is also its file's name."""

    id: RecordId


@frozen
class Contact(Part):
    name: Text | None = None
    phone: Text | None = None


@frozen
class Approval(Part):
    """前期手续: one approval step (立项, 用地, 规划许可, 环评, 能评, 施工许可…)."""

    item: Text
    status: ApprovalStatus = "未办理"
    date: dt.date | None = None  # 已办结: the day it was granted; 办理中: the day it was filed (受理)
    doc_no: Text | None = None
    department: Text | None = None  # 审批部门; default: ``approvals.departments`` of xmtj.yaml by item


@frozen
class ProgressEntry(Part):
    """One month's 当月完成投资 (万元) and 形象进度."""

    amount: Money
    text: Text | None = None
    # an opening balance (期初数): the amount is of the months from ``since`` to this one (1—2月), recorded
    # as the office had it on paper, never split into invented monthly figures
    since: Month | None = None


@frozen
class Project(Record):
    """项目: one key project (`data/projects/<id>.yaml`)."""

    name: Name
    owner: Name | None = None
    content: Text | None = None
    capacity: Text | None = None
    location: Text | None = None
    levels: list[Name] = field(default_factory=list)
    investment_type: InvestmentType
    nature: Name | None = None  # 建设性质: 新建, 续建, 改扩建 … (``natures`` in xmtj.yaml)
    sector: Name
    six_new: SixNew | None = None
    key_years: Annotated[list[Year], Check(not_empty)]
    branch: Name
    responsible_unit: Name
    liaison_leader: Name
    contact: Contact | None = None
    total_investment: Money
    annual_plan: dict[Year, Money] = field(default_factory=dict)
    monthly_plan: dict[Month, Money] = field(default_factory=dict)
    planned_start: DayOrMonthDate | None = None
    planned_completion: DayOrMonthDate | None = None
    planned_production: DayOrMonthDate | None = None
    actual_start: DayOrMonthDate | None = None
    actual_completion: DayOrMonthDate | None = None
    actual_production: DayOrMonthDate | None = None
    approvals: list[Approval] = field(default_factory=list)
    progress: dict[Month, Annotated[ProgressEntry, Check(progress_entry)]] = field(default_factory=dict)
    remarks: Text | None = None


@frozen
class Issue(Record):
    """问题: one problem found at a meeting or on site (`data/issues/<id>.yaml`)."""

    project: RecordId | None = None
    description: Text
    category: IssueCategory
    source: IssueSource
    meeting: RecordId | None = None
    raised_on: dt.date
    responsible_unit: Name
    deadline: dt.date | None = None
    status: IssueStatus = "新增"
    resolved_on: dt.date | None = None
    resolution: Text | None = None

    def is_open_on(self, day: dt.date) -> bool:
        """Raised by ``day`` and not yet resolved on it."""
        if self.raised_on > day:
            return False
        return not (self.status == "已办结" and self.resolved_on is not None and self.resolved_on <= day)

    def is_overdue_on(self, day: dt.date) -> bool:
        """逾期: still open on ``day`` and its deadline has passed."""
        return self.deadline is not None and self.deadline < day and self.is_open_on(day)

    def days_overdue(self, day: dt.date) -> int:
        """逾期天数 on ``day`` (0 when not overdue)."""
        return (day - self.deadline).days if self.deadline is not None and self.is_overdue_on(day) else 0


@frozen
class Meeting(Record):
    """活动: a 调度会, 集中开工 or 集中观摩 (`data/meetings/<id>.yaml`)."""

    kind: EventKind
    date: dt.date
    title: Text
    chair: Text | None = None
    projects: list[RecordId] = field(default_factory=list)
    decisions: list[Text] = field(default_factory=list)


@frozen
class Feedback(Part):
    """书面反馈 to a letter, filled in by the office when it arrives."""

    received_on: dt.date | None = None
    text: Text | None = None


@frozen
class Letter(Sourced):
    """督办提醒函: one issued letter in the register (`data/letters/<year>-<number>.yaml`).

    Issued letters are records: counted, and never renumbered.
    """

    number: Annotated[int, AtLeastOne()]
    doc_no: Text
    date: dt.date
    project: RecordId
    recipient: Name
    cc: Name | None = None
    light: Literal["黄灯", "红灯"]
    as_of: dt.date | None = None
    reasons: list[Text] = field(default_factory=list)
    figures: dict[str, Figure | None] = field(default_factory=dict)
    feedback_due: dt.date
    feedback: Feedback = field(default_factory=Feedback)
    voided: Void | None = None

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def register_name(self) -> str:
        """The file name this letter must have: ``<year>-<number>``."""
        return f"{self.year}-{self.number}"

    def feedback_overdue_on(self, day: dt.date) -> bool:
        return self.feedback.received_on is None and self.feedback_due < day


@frozen
class Void(Part):
    """作废: an issued document withdrawn — when and why. Its number is never given again."""

    date: dt.date
    reason: Text


@frozen
class Briefing(Sourced):
    """通报: one issued briefing in the register (`data/briefings/<year>-<number>.yaml`), written by
    ``report --out``. Its 发文字号 comes from here — never from a commit message — and is never reused."""

    number: Annotated[int, AtLeastOne()]
    doc_no: Text
    period: Month  # the month reported on (YYYY-MM)
    date: dt.date  # 成文日期
    as_of: dt.date | None = None  # 数据截至
    file: Text | None = None  # where it was saved, relative to the ledger (empty when saved elsewhere)
    voided: Void | None = None

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def register_name(self) -> str:
        return f"{self.year}-{self.number}"


def field_names(cls: type[Any]) -> list[str]:
    """The fields a file may hold, in the record's order (``path`` is not one)."""
    return [f.name for f in dataclasses.fields(cls) if f.init]


def as_dict(record: Any) -> Any:
    """A record as plain values (for JSON, ``to_plain``)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {name: as_dict(getattr(record, name)) for name in field_names(type(record))}
    if isinstance(record, dict):
        return {k: as_dict(v) for k, v in record.items()}
    if isinstance(record, (list, tuple)):
        return [as_dict(v) for v in record]
    return record


def to_plain(value: Any) -> Any:
    """Records, dates and numbers as JSON-ready values — the one converter: records become dicts (keys as
    text), dates ISO text, a whole Decimal an int, any other Decimal stays an exact Decimal (the JSON
    writer prints its digits; nothing goes through float)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_plain(getattr(value, name)) for name in field_names(type(value))}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else value.normalize()
    return value


def plain_decimal(value: Decimal) -> str:
    """A Decimal's exact digits in plain notation: 1E+3 → 1000, 1200.50 → 1200.5, 0E-4 → 0."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def replaced(record: Any, path: str, **changes: Any) -> Any:
    """A copy of ``record`` with some values changed and read from ``path`` (no validation: the values are
    the record's own, renamed — a roll-up namespacing a member's ids)."""
    values = dict(record.__dict__)
    values.update(changes)
    copy = object.__new__(type(record))
    object.__setattr__(copy, "__dict__", values)
    return with_path(copy, path)


def with_path(record: Any, path: str) -> Any:
    """Stamp where a record was read from (once, right after validation)."""
    object.__setattr__(record, "path", path)
    return record
