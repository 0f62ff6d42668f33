"""Which column is which: the headings offices write, the header row, the unit, and rows that are not data.

A heading is compared after dropping spaces, line breaks and its unit in brackets (``总投资（万元）`` is
``总投资``; ``总投资（亿元）`` also says the column is in 亿元). ``import.columns`` in xmtj.yaml adds the
office's own names (``项目责任单位: 责任单位`` or ``项目责任单位: responsible_unit``). A column whose heading
is not known is listed and left alone, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xmtj.intake.cells import blank, text

# heading → field, for the project 台账 (``annual_plan`` headings carry their year: see ``_YEAR_PLAN``)
PROJECT_HEADINGS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "排序"),
    "id": ("项目编号", "编号", "项目代码"),
    "name": ("项目名称", "名称"),
    "owner": ("建设单位", "项目单位", "业主单位", "项目业主", "实施单位", "项目建设单位"),
    "content": ("建设内容", "建设内容及规模", "建设规模及内容", "主要建设内容", "建设规模和内容"),
    "capacity": ("建设规模", "产能"),
    "location": ("建设地点", "项目地点", "建设地址"),
    "total_investment": ("总投资", "计划总投资", "项目总投资"),
    "annual_plan": ("年度计划投资", "年度计划", "年计划投资", "本年计划投资", "年度投资计划"),
    "planned_start": ("计划开工时间", "开工时间", "计划开工日期", "开工日期"),
    "planned_completion": ("计划竣工时间", "竣工时间", "计划竣工日期", "竣工日期"),
    "planned_production": ("计划投产时间", "投产时间", "计划投产日期"),
    "actual_start": ("实际开工时间", "实际开工日期"),
    "responsible_unit": ("责任单位", "牵头责任单位", "牵头单位", "县级责任单位", "市级责任单位"),
    "liaison_leader": ("包联领导", "包联县级领导", "包联市级领导", "联系领导", "包联县领导", "包联市领导"),
    "branch": ("分指挥部", "所属分指挥部"),
    "investment_type": ("投资类型", "项目类型", "投资性质", "投资主体"),
    "nature": ("建设性质", "项目性质", "新建/续建", "新建或续建", "新续建"),
    "sector": ("行业", "产业类别", "行业类别", "项目类别", "所属行业"),
    "levels": ("级别", "项目级别"),
    "six_new": ("六新", "六新类别"),
    "contact.name": ("联系人", "项目联系人"),
    "contact.phone": ("联系电话", "电话", "联系方式"),
    "remarks": ("备注",),
}
# heading → field, for the monthly 月报 (month and cumulative headings also by pattern: ``_MONTHLY``)
PROGRESS_HEADINGS: dict[str, tuple[str, ...]] = {
    "seq": PROJECT_HEADINGS["seq"],
    "id": PROJECT_HEADINGS["id"],
    "name": PROJECT_HEADINGS["name"],
    "amount": ("当月完成投资", "本月完成投资", "当月完成", "本月完成"),
    "cumulative": ("累计完成投资", "年度累计完成投资", "本年累计完成投资", "累计完成", "自年初累计完成投资"),
    "text": ("形象进度", "工程形象进度", "项目进展情况", "进展情况", "工程进度"),
    "issue": ("存在问题", "存在的问题", "存在问题及建议", "需协调解决的问题"),
    "actual_start": ("实际开工时间", "实际开工日期", "开工时间", "开工日期"),
    "actual_completion": ("实际竣工时间", "实际竣工日期", "竣工时间", "竣工日期"),
    "actual_production": ("实际投产时间", "实际投产日期", "投产时间", "投产日期"),
    "remarks": ("备注",),
    "branch": ("分指挥部",),  # these three are read from a returned dispatch sheet, to check its locked cells
    "plan": ("年度计划", "年度计划投资"),
    "base": ("上月末累计",),
}
# headings read but not stored: counted as known, so that they are not listed as unknown
IGNORED = ("年度计划投资完成率", "完成率", "超欠序时", "亮灯", "累计完成占年度计划", "占年度计划", "时序进度")

_YEAR_PLAN = re.compile(r"((19|20)\d\d)年(度)?(计划投资|计划完成投资|投资计划|计划)")
_MONTHLY = re.compile(r"(\d{1,2})月(份)?(当月)?完成(投资)?")
_CUMULATIVE = re.compile(r"(1|一)[—\-－–~～至到](\d{1,2})月(份)?(累计)?完成(投资)?")
_UNIT = re.compile(r"单位[:：]\s*(万元|亿元|元)")
SECTION = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部类])"
)
_TOTALS = ("合计", "小计", "总计", "累计合计")
# the foot of a 月报 form (填报单位（盖章）：…　填报人：…　联系电话：…), and notes under a table
_FOOT = re.compile(
    r"^(填报单位([（(]盖章[)）])?|填报人|填表人|制表人?|审核人?|联系电话|填报日期|单位负责人|负责人|注|说明)[：:]"
)
FACTORS = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}


def normalize(heading: Any) -> tuple[str, str | None]:
    """A heading without spaces and its bracketed unit; and that unit (万元/亿元) if one was given."""
    written = "".join((text(heading) or "").split())
    unit = None
    found = re.search(r"[（(]\s*(万元|亿元|元)\s*[)）]", written)
    if found:
        unit = found[1]
    plain = re.sub(r"[（(][^)）]*[)）]", "", written)
    return plain.rstrip("：:"), unit


@dataclass
class Column:
    index: int
    heading: str  # as written (without spaces)
    field: str
    unit: str | None = None
    year: int | None = None  # annual_plan: the year its heading names
    month: int | None = None  # a 月报's month or cumulative column: the month its heading names


@dataclass
class Header:
    """The header row of a sheet and what each of its columns holds."""

    row: int  # index in the table's rows
    columns: dict[str, Column] = field(default_factory=dict)  # by field
    unknown: list[str] = field(default_factory=list)
    factor: Decimal = Decimal(1)  # 10000 when the unit row says 亿元


def _lookup(headings: Mapping[str, Sequence[str]], extra: Mapping[str, str]) -> dict[str, str]:
    table = {name: key for key, names in headings.items() for name in names}
    for written, meaning in extra.items():
        plain = normalize(written)[0]
        if meaning in headings:
            table[plain] = meaning
        elif meaning in table:
            table[plain] = table[meaning]
    return table


def classify(cell: Any, table: Mapping[str, str], group: str = "") -> Column | None:
    """What one heading cell names (its index is set by the caller), or None. ``group`` is the heading
    merged over it in a two-row header (``前期手续`` over ``用地``, ``月度计划`` over ``3月``)."""
    plain, unit = normalize(cell)
    if not plain:
        return None
    if plain in table:
        return Column(0, plain, table[plain], unit)
    year_plan = _YEAR_PLAN.fullmatch(plain)
    if year_plan and "annual_plan" in table.values():
        return Column(0, plain, "annual_plan", unit, year=int(year_plan[1]))
    if "annual_plan" in table.values():  # the project 台账: its 前期手续 and 月度计划 columns
        month_plan = _MONTH_PLAN.fullmatch(plain) or (
            _MONTH_ONLY.fullmatch(plain) if _PLAN_GROUP.search(group) else None
        )
        if month_plan:
            return Column(0, plain, f"monthly_plan.{int(month_plan[1]):02d}", unit, month=int(month_plan[1]))
        to_month = _PLAN_TO.fullmatch(plain)
        if to_month:
            return Column(0, plain, f"monthly_plan_to.{int(to_month[2]):02d}", unit, month=int(to_month[2]))
        item = approval_item(plain, bool(_APPROVAL_GROUP.search(group)))
        if item:
            return Column(0, plain, f"approval.{item}", unit)
    if "amount" in table.values():
        cumulative = _CUMULATIVE.fullmatch(plain)
        if cumulative:
            return Column(0, plain, "cumulative", unit, month=int(cumulative[2]))
        monthly = _MONTHLY.fullmatch(plain)
        if monthly:
            return Column(0, plain, "amount", unit, month=int(monthly[1]))
    return None


# 前期手续: the approvals offices track in their 台账, by the names they give the columns
APPROVAL_NAMES = ("立项", "立项审批", "立项备案", "项目备案", "项目核准", "可研批复", "用地", "用地预审", "土地",
                  "土地证", "规划", "规划许可", "规划选址", "工程规划许可", "环评", "环评批复", "能评", "节能审查",
                  "水保", "施工许可", "施工许可证")  # fmt: skip
_APPROVAL_GROUP = re.compile(r"手续|审批|要件")
_PLAN_GROUP = re.compile(r"月度计划|分月计划|月计划|投资计划")
_MONTH_PLAN = re.compile(r"(\d{1,2})月(份)?(计划|计划投资|投资计划|计划完成投资)")
_MONTH_ONLY = re.compile(r"(\d{1,2})月(份)?")
_PLAN_TO = re.compile(r"(1|一)[—\-－–~～至到](\d{1,2})月(份)?(累计)?(计划|计划投资|投资计划)")


def approval_item(heading: str, under_group: bool) -> str | None:
    """The approval a 前期手续 column is about: a name offices use (立项, 用地预审, 施工许可证 …), or any
    heading under a 前期手续 group heading."""
    if heading in APPROVAL_NAMES or (under_group and heading and not _APPROVAL_GROUP.fullmatch(heading)):
        return heading.removesuffix("证") if heading.endswith("许可证") else heading
    return None


def find_header(
    rows: Sequence[Sequence[Any]], headings: Mapping[str, Sequence[str]], extra: Mapping[str, str]
) -> Header | None:
    """The header of a sheet: the first row with at least three known headings (title, unit and blank rows
    above it skipped), with the rows that make a header block with it — a row of group headings above it
    (投资情况 merged over 总投资 and 2022年计划投资; 项目名称 merged down over two rows) and rows of
    sub-headings below it — each column named by its group and sub-heading (``投资情况/总投资``)."""
    table = _lookup(headings, extra)
    factor = Decimal(1)
    for at, row in enumerate(rows[:50]):
        for cell in row:
            unit = _UNIT.search("".join((text(cell) or "").split()))
            if unit:
                factor = FACTORS[unit[1]]
        found = [(i, c) for i, cell in enumerate(row) if (c := classify(cell, table)) is not None]
        if len({c.field for _, c in found}) < 3:
            continue
        top = at - 1 if at > 0 and _group_row(rows[at - 1]) else at
        name = next((i for i, c in found if c.field == "name"), None)
        bottom = at
        while bottom + 1 < min(len(rows), at + 4) and _sub_row(rows[bottom + 1], name, table):
            bottom += 1
        header = Header(bottom, factor=factor)
        block = [_cells(r) for r in rows[top : bottom + 1]]
        columns = [_parts(block, index) for index in range(max(len(r) for r in block))]
        unknown = []
        for index, parts in enumerate(columns):
            if not parts:
                continue
            column = _classify_parts(parts, table)
            if column is None:
                if parts[-1] not in IGNORED and "".join(parts) not in IGNORED:
                    unknown.append("/".join(parts))
                continue
            column.index = index
            header.columns.setdefault(column.field, column)
        groups = {p for parts in columns for p in parts[:-1]}
        header.unknown = [u for u in unknown if u not in groups]
        return header
    return None


def _cells(row: Sequence[Any]) -> list[str]:
    return ["".join((text(cell) or "").split()) for cell in row]


def _group_row(row: Sequence[Any]) -> bool:
    """A row of group headings over the header row: at least two headings, no figures, no 单位：万元."""
    filled = [c for c in _cells(row) if c]
    numbers = [c for c in row if isinstance(c, int | float | Decimal) and not isinstance(c, bool)]
    return len(filled) >= 2 and not numbers and not any("：" in c or ":" in c for c in filled)


def _sub_row(row: Sequence[Any], name: int | None, table: Mapping[str, str]) -> bool:
    """A row of sub-headings under the header row: no figures, nothing in the 项目名称 column, and at least
    one heading that names a column."""
    if any(isinstance(c, int | float | Decimal) and not isinstance(c, bool) for c in row):
        return False
    cells = _cells(row)
    if name is not None and name < len(cells) and cells[name]:
        return False
    return any(c and (classify(c, table) is not None or _MONTH_ONLY.fullmatch(c)) for c in cells)


def _parts(block: Sequence[Sequence[str]], index: int) -> list[str]:
    """A column's headings from the top of its header block (``block``: its rows' cells as text) down, a
    group heading merged across columns carried right over the sub-headings under it."""
    parts: list[str] = []
    for r, cells in enumerate(block):
        value = cells[index] if index < len(cells) else ""
        if not value and r < len(block) - 1:  # under a heading merged across columns: carried from its left
            below = block[r + 1]
            if index < len(below) and below[index]:
                value = next((cells[i] for i in range(min(index, len(cells)) - 1, -1, -1) if cells[i]), "")
        if value and (not parts or parts[-1] != value):
            parts.append(value)
    return parts


def _classify_parts(parts: list[str], table: Mapping[str, str]) -> Column | None:
    """A column of a header block: its sub-heading under its group, else the headings joined, else the
    group heading alone (merged down over the sub-heading rows)."""
    group = "".join(parts[:-1])
    column = classify(parts[-1], table, group) or (classify("".join(parts), table) if len(parts) > 1 else None)
    if column is not None and len(parts) > 1:
        column.heading = "/".join(parts)
    return column


def section_title(row: Sequence[Any], header: Header) -> str | None:
    """The title of a section row (``一、产业项目``), or None when the row is not one."""
    filled = [cell for cell in row if not blank(cell)]
    if not filled:
        return None
    lead = "".join((text(filled[0]) or "").split())
    name = header.columns.get("name")
    name_text = text(row[name.index]) if name is not None and name.index < len(row) else None
    if SECTION.match(lead) and (name_text is None or name_text == text(filled[0]) or len(filled) <= 2):
        return lead
    return None


def skipped(row: Sequence[Any], header: Header) -> bool:
    """A row that holds no record: blank, a 合计/小计 row, a section heading (一、产业项目), or the form's foot
    (填报单位（盖章）：…、填报人：…, a 注：)."""
    filled = [cell for cell in row if not blank(cell)]
    if not filled:
        return True
    first_texts = [text(cell) or "" for cell in row[:4]]
    if any(word in "".join(t.split()) for t in first_texts for word in _TOTALS):
        return True
    if _FOOT.match("".join((text(filled[0]) or "").split())):
        return True
    return section_title(row, header) is not None
