"""The ledger's records: what one YAML file holds, validated.

Money is ``Decimal`` in 万元, never negative. Field names are English; values are
whatever the office writes.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr
from pydantic_core import PydanticCustomError

_ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not _ID_RE.match(value):
        raise PydanticCustomError("xmtj_id", "编号只能由字母、数字、“-”和“_”组成，且不能以“-”开头")
    return value


def _check_month(value: Any) -> Any:
    if isinstance(value, str) and not _MONTH_RE.match(value):
        raise PydanticCustomError("xmtj_month", "月份应写作 YYYY-MM，例如 2021-03")
    return value


def _check_year(value: Any) -> Any:
    if isinstance(value, int) and not 1990 <= value <= 2100:
        raise PydanticCustomError("xmtj_year", "年份应为四位数字，例如 2021")
    return value


RecordId = Annotated[str, BeforeValidator(_check_id)]
Month = Annotated[str, BeforeValidator(_check_month)]
Year = Annotated[int, BeforeValidator(_check_year)]
Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Text = str

InvestmentType = Literal["政府投资", "社会投资"]
SixNew = Literal["新基建", "新技术", "新材料", "新装备", "新产品", "新业态"]
ApprovalStatus = Literal["未办理", "办理中", "已办结"]
IssueCategory = Literal["用地", "资金", "手续", "水电气路", "征地拆迁", "其他"]
IssueSource = Literal["调度会", "现场督查", "集中观摩", "企业反映", "包联领导"]
IssueStatus = Literal["新增", "推进中", "已办结"]
EventKind = Literal["调度会", "集中开工", "集中观摩"]


def _rebuild(cls: type[Strict], values: dict[str, Any], fields_set: set[str], private: dict[str, Any] | None) -> Any:
    """Unpickle a validated record without validating it again (the cache's fast path)."""
    record = object.__new__(cls)
    object.__setattr__(record, "__dict__", values)
    object.__setattr__(record, "__pydantic_fields_set__", fields_set)
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", private)
    return record


class Strict(BaseModel):
    """Unknown keys are errors; records are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.__dict__, self.__pydantic_fields_set__, self.__pydantic_private__))


class Sourced(Strict):
    """Something read from one file; ``path`` is where it came from (relative, posix)."""

    _path: str = PrivateAttr(default="")

    @property
    def path(self) -> str:
        return self._path


class Record(Sourced):
    """A record with an id, which is also its file's name."""

    id: RecordId


class Contact(Strict):
    name: Text | None = None
    phone: Text | None = None


class Approval(Strict):
    """前期手续: one approval step (立项, 用地, 规划许可, 环评, 能评, 施工许可…)."""

    item: Text
    status: ApprovalStatus = "未办理"
    date: dt.date | None = None
    doc_no: Text | None = None


def _progress_entry(value: Any) -> Any:
    if isinstance(value, (int, Decimal, float, str)) and not isinstance(value, bool):
        return {"amount": value}
    return value


class ProgressEntry(Strict):
    """One month's 当月完成投资 (万元) and 形象进度."""

    amount: Money
    text: Text | None = None


class Project(Record):
    """项目: one key project (`data/projects/<id>.yaml`)."""

    name: Text
    owner: Text | None = None
    content: Text | None = None
    capacity: Text | None = None
    location: Text | None = None
    levels: list[Text] = Field(default_factory=list)
    investment_type: InvestmentType
    sector: Text
    six_new: SixNew | None = None
    key_years: list[Year] = Field(min_length=1)
    branch: Text
    responsible_unit: Text
    liaison_leader: Text
    contact: Contact | None = None
    total_investment: Money
    annual_plan: dict[Year, Money] = Field(default_factory=dict)
    monthly_plan: dict[Month, Money] = Field(default_factory=dict)
    planned_start: dt.date | None = None
    planned_completion: dt.date | None = None
    planned_production: dt.date | None = None
    actual_start: dt.date | None = None
    actual_completion: dt.date | None = None
    actual_production: dt.date | None = None
    approvals: list[Approval] = Field(default_factory=list)
    progress: dict[Month, Annotated[ProgressEntry, BeforeValidator(_progress_entry)]] = Field(default_factory=dict)
    remarks: Text | None = None


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


class Meeting(Record):
    """活动: a 调度会, 集中开工 or 集中观摩 (`data/meetings/<id>.yaml`)."""

    kind: EventKind
    date: dt.date
    title: Text
    chair: Text | None = None
    projects: list[RecordId] = Field(default_factory=list)
    decisions: list[Text] = Field(default_factory=list)


class Feedback(Strict):
    """书面反馈 to a letter, filled in by the office when it arrives."""

    received_on: dt.date | None = None
    text: Text | None = None


class Letter(Sourced):
    """督办提醒函: one issued letter in the register (`data/letters/<year>-<number>.yaml`).

    Issued letters are records: counted, and never renumbered.
    """

    number: int = Field(ge=1)
    doc_no: Text
    date: dt.date
    project: RecordId
    recipient: Text
    cc: Text | None = None
    light: Literal["黄灯", "红灯"]
    as_of: dt.date | None = None
    reasons: list[Text] = Field(default_factory=list)
    figures: dict[str, Decimal | None] = Field(default_factory=dict)
    feedback_due: dt.date
    feedback: Feedback = Field(default_factory=Feedback)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def register_name(self) -> str:
        """The file name this letter must have: ``<year>-<number>``."""
        return f"{self.year}-{self.number}"

    def feedback_overdue_on(self, day: dt.date) -> bool:
        return self.feedback.received_on is None and self.feedback_due < day


class Lights(Strict):
    """亮灯 thresholds: lag in 百分点 and months of start delay."""

    yellow_gap: Decimal = Decimal(10)
    red_gap: Decimal = Decimal(30)
    red_start_months: int = Field(default=3, ge=1)


class LetterSettings(Strict):
    feedback_days: int = Field(default=10, ge=1)


class GitSettings(Strict):
    commit: bool = True  # change commands commit what they write


class Config(Strict):
    """The ledger's settings, `xmtj.yaml`."""

    office: Text
    city: Text
    letter_prefix: Text
    contact: Contact = Field(default_factory=Contact)
    branches: list[Text] = Field(default_factory=list)
    levels: list[Text] = Field(default_factory=list)
    sectors: list[Text] = Field(default_factory=list)
    targets: dict[Year, Money] = Field(default_factory=dict)
    lights: Lights = Field(default_factory=Lights)
    letters: LetterSettings = Field(default_factory=LetterSettings)
    git: GitSettings = Field(default_factory=GitSettings)


RECORD_KINDS: dict[str, type[Record]] = {
    "projects": Project,
    "issues": Issue,
    "meetings": Meeting,
}
