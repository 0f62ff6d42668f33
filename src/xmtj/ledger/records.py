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
    OFFSET_PATTERN,
    PREFIX_PATTERN,
    After,
    AtLeastOne,
    Between,
    Check,
    Figure,
    Money,
    Month,
    Pattern,
    Points,
    RecordId,
    Text,
    Year,
    fail,
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

frozen = dataclass(frozen=True, kw_only=True)


def _make(cls: type[Any], values: dict[str, Any]) -> Any:
    """Unpickle a record without running its __init__ (the cache's fast path): one attribute set."""
    record = object.__new__(cls)
    object.__setattr__(record, "__dict__", values)
    return record


class Part:
    """Base of every record and record part: pickles compactly, validates strictly."""

    __pydantic_config__ = CONFIG

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make, (type(self), self.__dict__))


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


@frozen
class Project(Record):
    """项目: one key project (`data/projects/<id>.yaml`)."""

    name: Text
    owner: Text | None = None
    content: Text | None = None
    capacity: Text | None = None
    location: Text | None = None
    levels: list[Text] = field(default_factory=list)
    investment_type: InvestmentType
    sector: Text
    six_new: SixNew | None = None
    key_years: Annotated[list[Year], Check(not_empty)]
    branch: Text
    responsible_unit: Text
    liaison_leader: Text
    contact: Contact | None = None
    total_investment: Money
    annual_plan: dict[Year, Money] = field(default_factory=dict)
    monthly_plan: dict[Month, Money] = field(default_factory=dict)
    planned_start: dt.date | None = None
    planned_completion: dt.date | None = None
    planned_production: dt.date | None = None
    actual_start: dt.date | None = None
    actual_completion: dt.date | None = None
    actual_production: dt.date | None = None
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
    responsible_unit: Text
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
    recipient: Text
    cc: Text | None = None
    light: Literal["黄灯", "红灯"]
    as_of: dt.date | None = None
    reasons: list[Text] = field(default_factory=list)
    figures: dict[str, Figure | None] = field(default_factory=dict)
    feedback_due: dt.date
    feedback: Feedback = field(default_factory=Feedback)

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
class Lights(Part):
    """亮灯 thresholds: lag in 百分点 (0–100, red not below yellow) and months of start delay (1–60)."""

    yellow_gap: Points = Decimal(10)
    red_gap: Points = Decimal(30)
    red_start_months: Annotated[int, Between(1, 60)] = 3


def _gaps_in_order(lights: Any) -> Any:
    if isinstance(lights, Lights) and lights.red_gap < lights.yellow_gap:
        raise fail(
            "order", f"red_gap（{lights.red_gap}）不能小于 yellow_gap（{lights.yellow_gap}）：红灯的落后幅度应大于黄灯"
        )
    return lights


@frozen
class LetterSettings(Part):
    feedback_days: Annotated[int, Between(1, 365)] = 10  # 书面反馈期限（天）


@frozen
class ApprovalSettings(Part):
    """``approvals`` in xmtj.yaml: each approval item's usual department (``立项审批: 市发展和改革局``), and
    after how many days in 办理中 an approval is named among a slow project's reasons."""

    departments: dict[Text, Text] = field(default_factory=dict)
    remind_days: Annotated[int, Between(1, 3650)] = 30


@frozen
class UnitSettings(Part):
    """``units`` in xmtj.yaml: who may change what (``check --authors``, the pre-receive hook).

    ``office``: the e-mail addresses of the office's staff, who may change anything; ``members``: each
    责任单位's staff, who may change only their own projects' progress and dates, their own problems'
    resolutions and their own letters' feedback; ``keys``: SSH signing keys by e-mail address
    (``ssh-ed25519 AAAA…``); ``require_signed``: every commit signed by a key listed for its author."""

    office: list[Text] = field(default_factory=list)
    members: dict[Text, list[Text]] = field(default_factory=dict)
    keys: dict[Text, Text] = field(default_factory=dict)
    require_signed: bool = False


@frozen
class Member(Part):
    """One member of a roll-up ledger (a county of a prefecture): where its repository is and how its
    monthly submissions are tagged."""

    name: Text  # 稷山县
    code: Annotated[str, Pattern(PREFIX_PATTERN)]  # JS: namespaces its records (JS:JS2022-001)
    url: Text  # any git remote: https://…, ssh://…, git://…, a path
    branch: Text = "main"
    tag: Text = "报送/{month}"


@frozen
class ReportingSettings(Part):
    """``reporting`` in xmtj.yaml (a county): how ``submit`` tags a month and where it pushes the tag."""

    tag: Text = "报送/{month}"
    remote: Text = "origin"


DocumentFormat = Literal["md", "docx"]


@frozen
class DocumentSettings(Part):
    """``documents`` in xmtj.yaml: which files ``remind`` writes for each letter (Markdown, Word or both)."""

    formats: Annotated[list[DocumentFormat], Check(not_empty)] = field(default_factory=lambda: ["md", "docx"])


@frozen
class GitSettings(Part):
    commit: bool = True  # change commands commit what they write
    verify: bool = True  # run the repository's commit hooks; false passes --no-verify to git


@frozen
class ImportSettings(Part):
    """``import`` in xmtj.yaml: how the office's own spreadsheets are read (``xmtj import``).

    ``columns`` maps a column heading as the office writes it to a known heading or a field name
    (``项目责任单位: 责任单位`` or ``项目责任单位: responsible_unit``); ``issue_category`` is the 问题类别
    a 存在问题 cell becomes with ``import progress --issues`` (and ``issue_source`` its 来源).
    """

    columns: dict[Text, Text] = field(default_factory=dict)
    issue_category: IssueCategory = "其他"
    issue_source: IssueSource = "调度会"  # the monthly 调度: where a 月报's 存在问题 was raised


PlaceLevel = Literal["县", "市", "区"]


LIMIT_BOUNDS = {"max_file_kb": (1, 100_000), "max_depth": (5, 200)}


@frozen
class Limits(Part):
    """What one record file may be: size and nesting (an office's file needs far less)."""

    max_file_kb: Annotated[int, Between(*LIMIT_BOUNDS["max_file_kb"])] = 1024
    max_depth: Annotated[int, Between(*LIMIT_BOUNDS["max_depth"])] = 20


@frozen
class Config(Part):
    """The ledger's settings, `xmtj.yaml`."""

    office: Text
    city: Text  # the place: 河津市, 稷山县 (its documents say 全市, 全县)
    letter_prefix: Text
    place_level: PlaceLevel | None = None  # 县, 市 or 区; by default the place name's last character
    id_prefix: Annotated[str, Pattern(PREFIX_PATTERN)] | None = None  # new project ids: JS2022-001
    report_prefix: Text | None = None  # 通报 发文字号: 河重指办〔2021〕12号 (default: letter_prefix less 督)
    contact: Contact = field(default_factory=Contact)
    branches: list[Text] = field(default_factory=list)
    levels: list[Text] = field(default_factory=list)
    sectors: list[Text] = field(default_factory=list)
    targets: dict[Year, Money] = field(default_factory=dict)
    lights: Annotated[Lights, After(_gaps_in_order)] = field(default_factory=Lights)
    letters: LetterSettings = field(default_factory=LetterSettings)
    documents: DocumentSettings = field(default_factory=DocumentSettings)
    approvals: ApprovalSettings = field(default_factory=ApprovalSettings)
    units: UnitSettings = field(default_factory=UnitSettings)
    reporting: ReportingSettings = field(default_factory=ReportingSettings)
    members: list[Member] = field(default_factory=list)  # a roll-up ledger (prefecture): its counties
    git: GitSettings = field(default_factory=GitSettings)
    limits: Limits = field(default_factory=Limits)
    timezone: Annotated[str, Pattern(OFFSET_PATTERN)] = "+08:00"  # UTC offset for dates
    import_: ImportSettings = field(default_factory=ImportSettings)  # written `import:` in xmtj.yaml

    @property
    def briefing_prefix(self) -> str:
        """The 机关代字 of the 通报's 发文字号: ``report_prefix``, else the letters' without a final 督."""
        return self.report_prefix or self.letter_prefix.removesuffix("督")

    @property
    def level(self) -> str:
        """县, 市 or 区: what the place is, for 全县/全市/全区."""
        if self.place_level is not None:
            return self.place_level
        last = self.city[-1:] if self.city else ""
        return last if last in ("县", "市", "区") else "市"


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


def with_path(record: Any, path: str) -> Any:
    """Stamp where a record was read from (once, right after validation)."""
    object.__setattr__(record, "path", path)
    return record
