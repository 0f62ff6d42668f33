"""调度任务下发与回收: each 责任单位's monthly sheet, sent out as .xlsx and read back by ``import progress``.

A dispatch sheet holds the unit's key projects, prefilled (编号, 名称, 分指挥部, 年度计划, 上月末累计) and
locked, with input cells for the month (当月完成投资, 形象进度, 存在问题, and the 实际开工/竣工/投产 dates still
empty) validated by Excel itself; the sheet is protected. A very hidden sheet ``xmtj`` carries a marker:
the ledger (its first commit), the unit, the month, the revision the sheet was made from, the id of the
office's dispatch key, and an HMAC-SHA256 under that key (``xmtj.intake.keys``, kept outside the ledger)
of all of these and of every prefilled value. A sheet rebuilt from a clone of the ledger, without the
key, does not verify; a returned sheet is checked against the ledger at its revision: a locked value
changed (protection removed), another month or another unit's project are refused row by row, and a
sheet made before the base figures changed is accepted only for the rows whose figures are unchanged. A
sheet laid out as a dispatch sheet whose marker is gone (copied into a new file) is refused as such.

What was sent is registered: ``dispatch/<month>/index.yaml`` beside the sheets, committed with them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xmtj.changes.build import Change
from xmtj.changes.yamlout import emit
from xmtj.documents.xlsx import fit_rows, print_setup, put
from xmtj.figures import fmt
from xmtj.figures.metrics import key_projects
from xmtj.figures.schedule import completed_before
from xmtj.intake import cells
from xmtj.intake.cells import text
from xmtj.intake.keys import current_key, keys, sign, verify
from xmtj.intake.sheets import MARKER_SHEET, Table
from xmtj.ledger import gitio
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.load import load_ledger
from xmtj.ledger.records import Project
from xmtj.ledger.register import DISPATCH_DIR
from xmtj.months import Month
from xmtj.problems import XmtjError

HEADINGS = ["编号", "项目名称", "分指挥部", "年度计划（万元）", "上月末累计（万元）", "当月完成投资（万元）"]
HEADINGS += ["形象进度", "存在问题", "实际开工日期", "实际竣工日期", "实际投产日期"]
INPUT = {"当月完成投资（万元）", "形象进度", "存在问题"}
DATE_FIELDS = {"实际开工日期": "actual_start", "实际竣工日期": "actual_completion", "实际投产日期": "actual_production"}
STAGES = ["前期准备", "场地平整", "基础施工", "主体施工", "设备安装", "调试运行", "竣工验收", "已投产"]


@dataclass(frozen=True)
class Marker:
    """What a dispatch sheet says about itself (the hidden sheet)."""

    ledger: str  # the ledger repository's first commit
    unit: str
    month: Month
    revision: str
    key_id: str  # which of the office's keys signed it
    digest: str  # HMAC-SHA256 of ``marker_text``


def ledger_identity(root: Path) -> str:
    """The first commit of the ledger's history: the same in every clone, different for every ledger."""
    done = gitio.git(root, ["rev-list", "--max-parents=0", "HEAD"], check=False)
    first = done.stdout.decode().split()
    if done.returncode != 0 or not first:
        raise XmtjError("调度表要记录台账的版本：台账须在 git 中并至少有一次提交")
    return first[-1]


def base_figures(project: Project, month: Month) -> tuple[Decimal, Decimal]:
    """年度计划 and 上月末累计 (the year's months before ``month``) of a project."""
    return project.annual_plan.get(month.year, Decimal(0)), completed_before(project, month)


def unit_projects(ledger: Ledger, unit: str, month: Month) -> list[Project]:
    return [p for p in key_projects(ledger.projects, month.year) if p.responsible_unit == unit]


def marker_text(ledger_id: str, unit: str, month: Month, revision: str, projects: Sequence[Project]) -> str:
    """What a sheet's HMAC covers: the marker's fields and every prefilled value, in a fixed text form."""
    lines = ["xmtj-dispatch-2", ledger_id, unit, month.key, revision]
    for p in projects:
        plan, earlier = base_figures(p, month)
        lines.append("\t".join([p.id, p.name, p.branch, fmt.wan(plan), fmt.wan(earlier)]))
    return "\n".join(lines)


# --- sending ---------------------------------------------------------------------------------


def dispatch_change(
    ledger: Ledger, month: Month, units: Sequence[str], due: dt.date, command: Sequence[str]
) -> tuple[Change, list[tuple[str, int]]]:
    """Every unit's sheet and the register, as one change; and (unit, number of projects) for each."""

    ledger_id = ledger_identity(ledger.root)
    revision = gitio.resolve(ledger.root, "HEAD")
    year = month.year
    all_units = sorted({p.responsible_unit for p in key_projects(ledger.projects, year)})
    if not all_units:
        raise XmtjError(f"{year}年没有重点项目（或项目都没有责任单位），没有可下发的调度表；未写入任何文件")
    unknown = [u for u in units if u not in all_units]
    if unknown:
        raise XmtjError(f"{year}年重点项目中没有这些责任单位：{'、'.join(unknown)}")
    key = current_key(ledger_id)
    names = file_names(all_units)
    texts: dict[str, str | bytes] = {}
    sent = []
    for unit in units or all_units:
        projects = unit_projects(ledger, unit, month)
        signed = sign(key, marker_text(ledger_id, unit, month, revision, projects))
        marker = Marker(ledger_id, unit, month, revision, key.key_id, signed)
        texts[f"{DISPATCH_DIR}/{month.key}/{names[unit]}"] = _workbook(ledger, projects, marker, due)
        sent.append((unit, len(projects)))
    index = {
        "month": month.key,
        "due": due,
        "revision": revision,
        "made_on": ledger.today,
        "units": [{"unit": u, "file": names[u], "projects": n} for u, n in sent],
    }
    texts[f"{DISPATCH_DIR}/{month.key}/index.yaml"] = emit(index, {"due": "交回期限", "revision": "据以生成的版本"})
    subject = f"调度: {month.key} 下发{len(sent)}个单位（{fmt.date_cn(due)}前交回）"
    return Change(texts, subject, command, created=set(texts)), sent


def default_due(month: Month) -> dt.date:
    """The 5th of the month after ``month``: when units usually owe their figures."""
    return month.next.first_day.replace(day=5)


def file_names(units: Sequence[str]) -> dict[str, str]:
    """Each unit's sheet's file name: its name without the characters no file name may hold, made unique
    (``市能源/局`` and ``市能源局`` never share one; the second gets ``市能源局-2.xlsx``, the index says whose)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for unit in sorted(units):
        stem = "".join(ch for ch in unit if ch not in '\\/:*?"<>|' and ch.isprintable()).strip(". ") or "单位"
        name, n = f"{stem}.xlsx", 1
        while name.casefold() in taken:  # Windows and macOS file systems ignore case
            n += 1
            name = f"{stem}-{n}.xlsx"
        taken.add(name.casefold())
        names[unit] = name
    return names


WIDTHS = {
    "项目名称": 30,
    "存在问题": 30,
    "编号": 13,
    "分指挥部": 18,
    "当月完成投资（万元）": 14,
    "实际开工日期": 14,
    "实际竣工日期": 14,
    "实际投产日期": 14,
}  # the others 12
# the form's foot: each label's column, and the last column of the space after it
FOOT = (("填报人：", 3, 4), ("联系电话：", 5, 6), ("审核人：", 7, 8), ("填报日期：", 9, 11))
FONT = "宋体"
ASKED = "灰底单元格为台账数据，不能修改；表下方填写填报人、联系电话、审核人和填报日期，单位盖章。"


def _workbook(ledger: Ledger, projects: Sequence[Project], marker: Marker, due: dt.date) -> bytes:
    """The unit's sheet as an office's 月报 form: title, what to do, the bordered table (header printed on
    every page), the form's foot line (填报单位（盖章）、填报人、联系电话、审核人、填报日期); A4 landscape, one
    page wide, 宋体, every row as tall as its text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "调度任务"
    width = len(HEADINGS)
    body, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(vertical="center", wrap_text=True)
    title = put(sheet, 1, 1, f"{marker.month.cn}重点项目调度任务（{marker.unit}）")
    title.font, title.alignment = Font(name="黑体", size=16), Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 30
    asked = put(sheet, 2, 1, f"请于{fmt.date_cn(due)}前填写白底单元格并交回{ledger.config.office}；{ASKED}")
    asked.font, asked.alignment = Font(name=FONT, size=10.5), Alignment(vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for column, heading in enumerate(HEADINGS, start=1):
        cell = put(sheet, 3, column, heading.replace("（", "\n（"))  # the unit on a line of its own
        cell.font, cell.border = bold, box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS.get(heading, 12)
    grey = PatternFill("solid", start_color="E7E6E6", end_color="E7E6E6")
    money = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="请填写不小于0的数字（万元）",
        errorTitle="当月完成投资",
        showErrorMessage=True,
    )
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        error="请填写日期，例如 2022-03-15",
        errorTitle="日期",
        showErrorMessage=True,
    )
    stages = DataValidation(type="list", formula1='"' + ",".join(STAGES) + '"', allow_blank=True,
                            errorStyle="information", showErrorMessage=False)  # fmt: skip
    for validation in (money, dates, stages):
        sheet.add_data_validation(validation)
    for row, project in enumerate(projects, start=4):
        plan, earlier = base_figures(project, marker.month)
        values: list[Any] = [project.id, project.name, project.branch, plan, earlier, None, None, None]
        values += [getattr(project, field) for field in DATE_FIELDS.values()]
        for column, (heading, value) in enumerate(zip(HEADINGS, values, strict=True), start=1):
            cell = put(sheet, row, column, value)
            cell.font, cell.border, cell.alignment = body, box, wrap
            open_date = heading in DATE_FIELDS and value is None
            if heading in INPUT or open_date:
                cell.protection = Protection(locked=False)  # validated by the ranges below
            else:
                cell.fill = grey
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.####"
            if heading in DATE_FIELDS:
                cell.number_format = "yyyy-mm-dd"
        letter = {h: get_column_letter(i) for i, h in enumerate(HEADINGS, start=1)}
        money.add(f"{letter['当月完成投资（万元）']}{row}")
        stages.add(f"{letter['形象进度']}{row}")
        for heading, field in DATE_FIELDS.items():
            if getattr(project, field) is None:
                dates.add(f"{letter[heading]}{row}")
    last = 3 + len(projects)
    fit_rows(sheet, 2, last)
    _foot(sheet, last + 2, marker.unit, body)
    sheet.freeze_panes = "C4"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may still be changed
    sheet.protection.formatRows = False
    print_setup(sheet, landscape=True, a3=False)
    sheet.print_title_rows = "1:3"
    hidden = book.create_sheet(MARKER_SHEET)
    for row, (key, value) in enumerate(
        (("xmtj-dispatch", "2"), ("ledger", marker.ledger), ("unit", marker.unit), ("month", marker.month.key),
         ("revision", marker.revision), ("key", marker.key_id), ("digest", marker.digest)), start=1):  # fmt: skip
        put(hidden, row, 1, key)
        put(hidden, row, 2, value)
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _foot(sheet: Any, row: int, unit: str, font: Any) -> None:
    """The form's foot line: 填报单位（盖章） with the unit's name, then each label and a space to fill in
    (underlined, open to the unit) after it."""
    from openpyxl.styles import Alignment, Border, Protection, Side

    line = Border(bottom=Side(style="thin", color="000000"))
    bottom = Alignment(vertical="bottom")
    cell = put(sheet, row, 1, f"填报单位（盖章）：{unit}")
    cell.font, cell.alignment = font, bottom
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    for label, at, last in FOOT:
        cell = put(sheet, row, at, label)
        cell.font, cell.alignment = font, Alignment(horizontal="right", vertical="bottom")
        filled = sheet.cell(row, at + 1)
        filled.font, filled.alignment, filled.protection = font, bottom, Protection(locked=False)
        for column in range(at + 1, last + 1):
            sheet.cell(row, column).border = line
        if last > at + 1:
            sheet.merge_cells(start_row=row, start_column=at + 1, end_row=row, end_column=last)
    sheet.row_dimensions[row].height = 28


# --- reading back ----------------------------------------------------------------------------


def read_marker(table: Table) -> Marker | None:
    """The marker of a returned dispatch sheet, or None when the file is not one (any other sheet).
    Refused: a sheet laid out as a dispatch sheet whose marker is gone, and a marker that cannot be read."""
    rows = table.marker
    if rows is None:
        if _laid_out_as_dispatch(table):
            raise XmtjError(
                f"{table.file} 看起来是下发的调度表，但其中的标记已丢失（可能是复制到了新文件或另存过）；"
                "请让该单位在原表上填写后交回，或重新下发"
            )
        return None
    values = {str(r[0]): str(r[1]) for r in rows if len(r) >= 2 and r[0] != ""}
    if values.get("xmtj-dispatch") not in ("1", "2"):
        return None
    month = Month.maybe(values.get("month", ""))
    if values.get("xmtj-dispatch") != "2" or month is None:
        raise XmtjError(f"{table.file} 的调度表标记无法验证（标记不完整，或是旧版本 xmtj 生成的表）；请重新下发")
    return Marker(values.get("ledger", ""), values.get("unit", ""), month, values.get("revision", ""),
                  values.get("key", ""), values.get("digest", ""))  # fmt: skip


def _laid_out_as_dispatch(table: Table) -> bool:
    """A dispatch sheet's own title and headings, whatever happened to its marker."""

    top = [["".join((text(v) or "").split()) for v in row] for row in table.rows[:4]]
    titled = bool(top) and bool(top[0]) and "重点项目调度任务（" in top[0][0]
    headed = any(row[: len(HEADINGS)] == HEADINGS for row in top)
    return titled and headed


def verify_marker(ledger: Ledger, marker: Marker, month: Month, label: str) -> Ledger:
    """The ledger as it was when the sheet was made; raises when the marker does not hold."""

    ledger_id = ledger_identity(ledger.root)
    if marker.ledger != ledger_id:
        raise XmtjError(f"{label} 不是本台账下发的调度表（台账标识不符）")
    if marker.month != month:
        raise XmtjError(f"{label} 是 {marker.month} 的调度表，与 --month {month} 不符")
    if not keys(ledger_id):
        raise XmtjError(
            f"{label} 无法验证：本机没有本台账的调度表密钥（下发调度表的电脑上才有）；请在那台电脑上导入，"
            "或把它的密钥文件夹复制过来（见 xmtj dispatch key）"
        )
    try:
        then = load_ledger(ledger.root, marker.revision)
    except XmtjError:
        raise XmtjError(f"{label} 据以生成的版本 {marker.revision[:8]} 不在本台账的历史中") from None
    projects = unit_projects(then, marker.unit, month)
    text = marker_text(marker.ledger, marker.unit, month, marker.revision, projects)
    if not verify(ledger_id, marker.key_id, text, marker.digest):
        raise XmtjError(f"{label} 的调度表标记无法验证（标记被改动，或不是本办公室用自己的密钥生成的表）")
    return then


def check_locked(then: Ledger, marker: Marker, sheet: Any, rows: list[tuple[Project, int]], plan: Any) -> None:
    """The locked cells of the rows that give no figure: a changed one is refused there too (protection
    removed and 年度计划 lowered on a row left empty is still a changed sheet)."""
    for project, row in rows:
        _locked_intact(then, marker, sheet, project, row, plan)


def _locked_intact(then: Ledger, marker: Marker, sheet: Any, project: Project, row: int, plan: Any) -> bool:
    """Whether the row is the unit's project with its locked cells (名称, 分指挥部, 年度计划, 上月末累计) as
    sent; a problem at the first that is not."""
    old = next((p for p in then.projects if p.id == project.id), None)
    if project.responsible_unit != marker.unit or old is None:
        plan.problems.append(sheet.problem(row, "id", f"{project.id} 不是{marker.unit}的项目，不能由此表填报"))
        return False
    was = dict(zip(("plan", "base"), base_figures(old, marker.month), strict=True))
    shown = {"name": old.name, "branch": old.branch, **{k: fmt.wan(v) for k, v in was.items()}}
    for key, expected in shown.items():
        raw = sheet.cell(row, key)
        value = fmt.wan(cells.number(raw)) if key in was and not cells.blank(raw) else cells.text(raw)
        if key in sheet.header.columns and value != expected:
            plan.problems.append(sheet.problem(row, key, f"锁定的单元格被改动：应为“{expected}”，表中为“{value}”"))
            return False
    return True


def check_returned(
    ledger: Ledger, then: Ledger, marker: Marker, sheet: Any, figures: list[Any], plan: Any
) -> list[Any]:
    """The rows of a returned sheet that may be recorded; a problem for every other: a project that is not
    the unit's, a locked value changed, or base figures changed since the sheet was made."""

    before = {p.id: p for p in then.projects}
    kept = []
    for figure in figures:
        project, row = figure.project, figure.row
        if not _locked_intact(then, marker, sheet, project, row, plan):
            continue
        was = dict(zip(("plan", "base"), base_figures(before[project.id], marker.month), strict=True))
        now = dict(zip(("plan", "base"), base_figures(project, marker.month), strict=True))
        changed = [f"{label}{fmt.wan(was[k])}→{fmt.wan(now[k])}" for k, label in (("plan", "年度计划"),
                   ("base", "上月末累计")) if was[k] != now[k]]  # fmt: skip
        if changed:
            message = (
                f"{project.id} 的数据在此表下发后已改动（{'；'.join(changed)}），请按新数据重新下发或核对后手工登记"
            )
            plan.problems.append(sheet.problem(row, None, message))
            continue
        kept.append(figure)
    return kept
