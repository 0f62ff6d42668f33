"""One table of the ledger's record kinds, and the closed vocabularies read off the record types.

Everything that varies by kind — its folder under ``data/``, its record class, its word in Chinese, how
a new one is numbered — is said here once; the rest of the code looks it up. Closed vocabularies
(活动类型, 问题类别 …) are the ``Literal`` types of the records, listed with ``typing.get_args`` rather
than typed again.
"""

from __future__ import annotations

import re
import typing
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xmtj.ledger.records import (
    Briefing,
    EventKind,
    InvestmentType,
    Issue,
    IssueCategory,
    IssueSource,
    IssueStatus,
    Letter,
    Meeting,
    Project,
    Record,
    SixNew,
    Sourced,
)


def vocabulary(literal: Any) -> tuple[str, ...]:
    """The values a ``Literal`` type allows, in its order."""
    return tuple(typing.get_args(literal))


EVENT_KINDS = vocabulary(EventKind)  # 调度会, 集中开工, 集中观摩
INVESTMENT_TYPES = vocabulary(InvestmentType)
ISSUE_CATEGORIES = vocabulary(IssueCategory)
ISSUE_SOURCES = vocabulary(IssueSource)
ISSUE_STATUSES = vocabulary(IssueStatus)
SIX_NEW = vocabulary(SixNew)
EVENT_PREFIX = dict(zip(EVENT_KINDS, ("DD", "KG", "GM"), strict=True))  # 调度会 DD2021-1, 集中开工 KG…, 集中观摩 GM…


def _project_prefix(year: int, record: Mapping[str, Any], existing: Sequence[str]) -> str:
    """The letters most project ids start with (HJ in HJ2021-001, else XM), then the year."""
    heads = Counter(m[0] for rid in existing if (m := re.match(r"[A-Za-z]+", rid)))
    return (heads.most_common(1)[0][0] if heads else "XM") + f"{year}-"


def _issue_prefix(year: int, record: Mapping[str, Any], existing: Sequence[str]) -> str:
    return f"WT{year}-"


def _meeting_prefix(year: int, record: Mapping[str, Any], existing: Sequence[str]) -> str:
    return f"{EVENT_PREFIX[record['kind']]}{year}-"


@dataclass(frozen=True)
class Kind:
    """A kind of record: ``data/<folder>/<id>.yaml`` holds one ``record``, called ``word`` in Chinese.

    ``id_prefix(year, record, existing_ids)`` starts a new record's id; the number after it is one more
    than the highest already used (``xmtj.changes.build.next_id``). Letters are numbered by the register.
    """

    folder: str
    record: type[Sourced]
    word: str
    id_prefix: Callable[[int, Mapping[str, Any], Sequence[str]], str] | None = None


KINDS: dict[str, Kind] = {
    "projects": Kind("projects", Project, "项目", _project_prefix),
    "issues": Kind("issues", Issue, "问题", _issue_prefix),
    "meetings": Kind("meetings", Meeting, "活动", _meeting_prefix),
    "letters": Kind("letters", Letter, "督办提醒函"),
    "briefings": Kind("briefings", Briefing, "通报"),
}
MODELS: dict[str, type[Sourced]] = {name: kind.record for name, kind in KINDS.items()}
RECORD_KINDS: dict[str, type[Record]] = {"projects": Project, "issues": Issue, "meetings": Meeting}  # with an id


def word(kind: str) -> str:
    """项目, 问题, 活动 or 督办提醒函."""
    return KINDS[kind].word
