"""The ledger's records: what one YAML file holds, as frozen dataclasses.

Money is ``Decimal`` in 万元, never negative. Field names are English; values are whatever the
office writes. This module imports no validation library: pydantic validates these very classes
(``xmtj.ledger.validation``) when a file is read, through the markers below, and a run that finds every record
in the cache never imports it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_-]*$"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
YEARS = (1990, 2100)
OFFSET_PATTERN = r"^[+-](0[0-9]|1[0-4]):[0-5][0-9]$"
# what a failed pattern or bound means, in the office's words (the loader turns pydantic's errors into these)
PATTERN_WORDS = {
    ID_PATTERN: "编号只能由字母、数字、“-”和“_”组成，且不能以“-”开头",
    MONTH_PATTERN: "月份应写作 YYYY-MM，例如 2021-03",
    OFFSET_PATTERN: '时区应写作与 UTC 的时差，例如 "+08:00"（北京时间）',
}
YEAR_WORDS = "年份应为四位数字，例如 2021"
CONFIG = {"extra": "forbid", "str_strip_whitespace": True}  # pydantic's settings for every record


def _fail(kind: str, message: str) -> Exception:
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(f"xmtj_{kind}", message)


class Check:
    """Annotation marker: run ``fn`` on the raw value before pydantic's own validation."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.fn, handler(source))


class Pattern:
    """Annotation marker: text matching a regular expression, checked in pydantic's Rust core."""

    def __init__(self, regex: str) -> None:
        self.regex = regex

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.str_schema(pattern=self.regex, strip_whitespace=True)


class Between:
    """Annotation marker: an integer within bounds (years)."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(ge=self.low, le=self.high)


MONEY_MAX = Decimal(10) ** 12  # 万元: a trillion 万元, far above any county's, province's or nation's figure
MONEY_PLACES = 4  # 万元 to the yuan


class NonNegative:
    """Annotation marker: a finite number that is not negative (money), bounded, at most 4 decimals."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.decimal_schema(ge=Decimal(0), le=MONEY_MAX, decimal_places=MONEY_PLACES, allow_inf_nan=False)


class Bounded:
    """Annotation marker: a finite number within ±bound (ratios and thresholds)."""

    def __init__(self, low: Decimal, high: Decimal) -> None:
        self.low, self.high = low, high

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.decimal_schema(ge=self.low, le=self.high, allow_inf_nan=False)


_PLAIN_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


class NotANumber(ValueError):
    """Text that is not a number in the plain form the office writes; the message says why, in Chinese."""


def parse_number(text: str) -> Decimal:
    """A number typed as text (a command-line value, a quoted YAML value): plain decimal digits only.

    Hex, octal, base 60, ``1_000``, exponents, ``inf``/``nan`` and thousands separators are refused,
    as are full-width digits (typed with a Chinese input method): the message shows the plain form.
    """
    raw = text.strip()
    if _PLAIN_NUMBER.match(raw):
        return Decimal(raw)
    if any("０" <= ch <= "９" for ch in raw):
        plain = raw.translate(_FULL_WIDTH)
        hint = f"；请改为半角数字 {plain}" if _PLAIN_NUMBER.match(plain) else ""
        raise NotANumber(f"应为半角数字，现为全角“{raw}”{hint}")
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", raw):
        raise NotANumber(f"应为数字，现为“{raw}”；请去掉千分位逗号，写作 {raw.replace(',', '')}")
    if not re.match(r"^[-+.0-9]", raw):
        raise NotANumber(f"应为数字，现为“{raw}”")
    raise NotANumber(
        f"应为普通数字（如 1200 或 1200.5），现为“{raw}”；十六进制、八进制、六十进制（1:20）、"
        "科学计数法（1e5）等写法不能用于金额和数字字段"
    )


def _number(value: Any) -> Any:
    """Before pydantic's own check of a number field: text must be a plain decimal number."""
    if isinstance(value, bool):
        raise _fail("number", "应为数字，现为是/否值")
    if isinstance(value, str):
        try:
            return parse_number(value)
        except NotANumber as exc:
            raise _fail("number", str(exc)) from None
    return value


class AtLeastOne:
    """Annotation marker: an integer of 1 or more."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(ge=1)


def _not_empty(value: Any) -> Any:
    if isinstance(value, list) and not value:
        raise _fail("empty", "不能为空")
    return value


def _progress_entry(value: Any) -> Any:
    if isinstance(value, (int, Decimal, float, str)) and not isinstance(value, bool):
        return {"amount": value}
    return value


RecordId = Annotated[str, Pattern(ID_PATTERN)]
Month = Annotated[str, Pattern(MONTH_PATTERN)]
Year = Annotated[int, Between(*YEARS)]
Money = Annotated[Decimal, NonNegative(), Check(_number)]
Points = Annotated[Decimal, Bounded(Decimal(0), Decimal(100)), Check(_number)]  # 百分点 thresholds
Figure = Annotated[Decimal, Bounded(-MONEY_MAX, MONEY_MAX), Check(_number)]  # a figure kept in a letter
Text = str  # control characters are refused by the readers (xmtj.ledger.encoding, xmtj.ledger.yamlio), escapes included

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
    date: dt.date | None = None
    doc_no: Text | None = None


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
    key_years: Annotated[list[Year], Check(_not_empty)]
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
    progress: dict[Month, Annotated[ProgressEntry, Check(_progress_entry)]] = field(default_factory=dict)
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
        raise _fail(
            "order", f"red_gap（{lights.red_gap}）不能小于 yellow_gap（{lights.yellow_gap}）：红灯的落后幅度应大于黄灯"
        )
    return lights


class After:
    """Annotation marker: run ``fn`` on the validated value (checks across fields)."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.fn, handler(source))


@frozen
class LetterSettings(Part):
    feedback_days: Annotated[int, Between(1, 365)] = 10  # 书面反馈期限（天）


@frozen
class GitSettings(Part):
    commit: bool = True  # change commands commit what they write
    verify: bool = True  # run the repository's commit hooks; false passes --no-verify to git


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
    city: Text
    letter_prefix: Text
    contact: Contact = field(default_factory=Contact)
    branches: list[Text] = field(default_factory=list)
    levels: list[Text] = field(default_factory=list)
    sectors: list[Text] = field(default_factory=list)
    targets: dict[Year, Money] = field(default_factory=dict)
    lights: Annotated[Lights, After(_gaps_in_order)] = field(default_factory=Lights)
    letters: LetterSettings = field(default_factory=LetterSettings)
    git: GitSettings = field(default_factory=GitSettings)
    limits: Limits = field(default_factory=Limits)
    timezone: Annotated[str, Pattern(OFFSET_PATTERN)] = "+08:00"  # UTC offset for dates


def field_names(cls: type[Any]) -> list[str]:
    """The fields a file may hold, in the record's order (``path`` is not one)."""
    return [f.name for f in dataclasses.fields(cls) if f.init]


def as_dict(record: Any, json: bool = False) -> Any:
    """A record as plain values (dates and Decimals as JSON-friendly values when ``json``)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {name: as_dict(getattr(record, name), json) for name in field_names(type(record))}
    if isinstance(record, dict):
        return {(str(k) if json else k): as_dict(v, json) for k, v in record.items()}
    if isinstance(record, (list, tuple)):
        return [as_dict(v, json) for v in record]
    if json and isinstance(record, dt.date):
        return record.isoformat()
    if json and isinstance(record, Decimal):
        return int(record) if record == record.to_integral_value() else float(record)
    return record


def with_path(record: Any, path: str) -> Any:
    """Stamp where a record was read from (once, right after validation)."""
    object.__setattr__(record, "path", path)
    return record
