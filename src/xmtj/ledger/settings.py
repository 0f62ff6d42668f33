"""The ledger's settings, ``xmtj.yaml``, as frozen dataclasses validated like the records (each setting's
bounds are checked when the file is read; ``check`` and every command refuse values outside them)."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import Annotated, Any, Literal

from xmtj.ledger.fields import (
    OFFSET_PATTERN,
    PREFIX_PATTERN,
    After,
    Between,
    Check,
    Money,
    Name,
    Pattern,
    Points,
    Text,
    Year,
    fail,
    not_empty,
)
from xmtj.ledger.records import Contact, IssueCategory, IssueSource, Part, frozen

LightBasis = Literal["own_schedule", "year"]


@frozen
class Lights(Part):
    """亮灯 thresholds: lag in 百分点 (0–100, red not below yellow) and months of start delay (1–60); and
    ``basis``: what a project without a monthly plan is measured against — ``own_schedule`` (the default:
    a project planned to start inside the year, from its planned start month) or ``year`` (every project
    against the year's 时序进度)."""

    yellow_gap: Points = Decimal(10)
    red_gap: Points = Decimal(30)
    red_start_months: Annotated[int, Between(1, 60)] = 3
    basis: LightBasis = "own_schedule"


def _gaps_in_order(lights: Any) -> Any:
    if isinstance(lights, Lights) and lights.red_gap < lights.yellow_gap:
        raise fail(
            "order", f"red_gap（{lights.red_gap}）不能小于 yellow_gap（{lights.yellow_gap}）：红灯的落后幅度应大于黄灯"
        )
    return lights


NATURES = ("新建", "续建", "改扩建", "技改")


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

    ``office``: the office's staff — their e-mail addresses and their accounts on the git server — who
    may change anything; ``members``: each 责任单位's staff (addresses and accounts), who may change only
    their own projects' progress and dates, their own problems' resolutions and their own letters'
    feedback; ``keys``: SSH signing keys by e-mail address (``ssh-ed25519 AAAA…``); ``require_signed``:
    every commit signed by a key listed for its author. For the pre-receive hook: ``other_tags`` lets the
    office push tags other than 报送 tags; ``max_blob_mb`` bounds every file a push brings."""

    office: list[Text] = field(default_factory=list)
    members: dict[Name, list[Text]] = field(default_factory=dict)
    keys: dict[Text, Text] = field(default_factory=dict)
    require_signed: bool = False
    other_tags: bool = False
    max_blob_mb: Annotated[int, Between(1, 1000)] = 20


@frozen
class Member(Part):
    """One member of a roll-up ledger (a county of a prefecture): where its repository is and how its
    monthly submissions are tagged."""

    name: Name  # 稷山县
    code: Annotated[str, Pattern(PREFIX_PATTERN)]  # JS: namespaces its records (JS:JS2022-001)
    url: Text  # any git remote: https://…, ssh://…, git://…, a path
    branch: Text = "main"
    tag: Text = "报送/{month}"


def _unique_members(members: Any) -> Any:
    """Two members with one code would be one county counted twice and the other never fetched."""
    for attribute, word in (("code", "编码"), ("name", "名称")):
        seen: set[str] = set()
        for member in members:
            value = getattr(member, attribute)
            if value in seen:
                raise fail("unique", f"成员{word}“{value}”重复：每个成员的编码和名称都只能出现一次")
            seen.add(value)
    return members


@frozen
class ReportingSettings(Part):
    """``reporting`` in xmtj.yaml (a county): how ``submit`` tags a month and where it pushes the tag."""

    tag: Text = "报送/{month}"
    remote: Text = "origin"


DocumentFormat = Literal["md", "docx"]


@frozen
class DocumentSettings(Part):
    """``documents`` in xmtj.yaml: which files ``remind`` writes for each letter (Markdown, Word or both), and
    the 通报's 版记: ``cc`` (抄送机关, as the office writes them) and ``issuer`` (印发机关; the office itself
    when not given)."""

    formats: Annotated[list[DocumentFormat], Check(not_empty)] = field(default_factory=lambda: ["md", "docx"])
    cc: Text | None = None
    issuer: Name | None = None


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
    # a section row's title → the values it gives the rows under it (一、产业项目: {sector: 产业})
    sections: dict[Text, dict[Text, Text]] = field(default_factory=dict)
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
class YearSettings(Part):
    """``years`` in xmtj.yaml: which years this ledger's figures may be for — from ``first`` to the later of
    this year and the latest key year, plus ``ahead`` (``--month 9999-12`` is a typo, never a report)."""

    first: Annotated[int, Between(1990, 2100)] = 2000
    ahead: Annotated[int, Between(0, 10)] = 1


@frozen
class Config(Part):
    """The ledger's settings, `xmtj.yaml`."""

    office: Name
    city: Name  # the place: 河津市, 稷山县 (its documents say 全市, 全县)
    letter_prefix: Name
    place_level: PlaceLevel | None = None  # 县, 市 or 区; by default the place name's last character
    id_prefix: Annotated[str, Pattern(PREFIX_PATTERN)] | None = None  # new project ids: JS2022-001
    report_prefix: Text | None = None  # 通报 发文字号: 河重指办〔2021〕12号 (default: letter_prefix less 督)
    contact: Contact = field(default_factory=Contact)
    branches: list[Name] = field(default_factory=list)
    levels: list[Name] = field(default_factory=list)
    sectors: list[Name] = field(default_factory=list)
    natures: list[Name] = field(default_factory=lambda: list(NATURES))  # 建设性质; 续建 means started earlier
    targets: dict[Year, Money] = field(default_factory=dict)
    lights: Annotated[Lights, After(_gaps_in_order)] = field(default_factory=Lights)
    letters: LetterSettings = field(default_factory=LetterSettings)
    documents: DocumentSettings = field(default_factory=DocumentSettings)
    approvals: ApprovalSettings = field(default_factory=ApprovalSettings)
    units: UnitSettings = field(default_factory=UnitSettings)
    reporting: ReportingSettings = field(default_factory=ReportingSettings)
    members: Annotated[list[Member], After(_unique_members)] = field(default_factory=list)  # a roll-up's counties
    git: GitSettings = field(default_factory=GitSettings)
    limits: Limits = field(default_factory=Limits)
    years: YearSettings = field(default_factory=YearSettings)
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
