"""The Excel 台账: the workbook an office would make by hand, with openpyxl (``status --format xlsx``).

Sheet 台账: a title merged across the table (2021年河津市重点项目建设进展情况表（1—11月）), 填报单位 and
单位：万元, the header, one row per key project, a 合计 row; amounts and rates are numbers with number
formats, the 亮灯 cell filled red/yellow/green, the header frozen and printed on every page (A3 landscape,
one page wide). Sheet 分指挥部: the ranking and two native Excel charts — completion rate by 分指挥部
against 时序进度, and the cumulative completed investment by month against the plan line. Sheet 问题清单:
the problems open on the day.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xmtj.documents.xlsx import DATE, MONEY, POINTS, RATE, figure, fit_rows, header, print_setup, put, title, write_row
from xmtj.documents.xlsx import styles as make_styles
from xmtj.figures import fmt
from xmtj.figures.metrics import LIGHT_WORDS, ProjectStatus, Summary
from xmtj.figures.schedule import month_figure, ratio, schedule_amount
from xmtj.figures.sentences import COLUMN_NOTE, image_text
from xmtj.figures.status import StatusReport, group_summaries
from xmtj.ledger.ledger import Ledger
from xmtj.months import expected_share_of_year, month_end

HEADERS = [
    ("序号", 6, None), ("编号", 13, None), ("项目名称", 34, None), ("建设单位", 24, None), ("总投资", 11, MONEY),
    ("年度计划", 11, MONEY), ("当月完成", 11, MONEY), ("累计完成", 11, MONEY), ("完成率", 9, RATE),
    ("序时进度", 9, RATE), ("超欠序时", 9, POINTS), ("超欠月度计划", 9, POINTS), ("形象进度", 20, None),
    ("存在问题", 30, None), ("责任单位", 26, None), ("包联领导", 20, None), ("分指挥部", 24, None), ("亮灯", 7, None),
]  # fmt: skip


def ledger_workbook(ledger: Ledger, report: StatusReport) -> bytes:
    """The 台账 workbook of a status report, as .xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    styles = make_styles(book)
    s = report.summary
    span = fmt.months_span(s.as_of)
    open_problems: dict[str, list[str]] = {}
    for issue in sorted(ledger.issues, key=lambda i: i.id):
        if issue.project and issue.is_open_on(s.as_of):
            open_problems.setdefault(issue.project, []).append(issue.description)
    _ledger_sheet(book.active, ledger, report, open_problems, styles, span)
    lights = ledger.config.lights
    branches = group_summaries(list(report.rows), "branch", s.year, s.as_of, lights)
    _branch_sheet(book.create_sheet("分指挥部"), branches, report.rows, s, styles)
    _problem_sheet(book.create_sheet("问题清单"), ledger, s.as_of, styles)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ledger_sheet(
    sheet: Any, ledger: Ledger, report: StatusReport, problems: dict[str, list[str]], styles: dict[str, Any], span: str
) -> None:
    s = report.summary
    sheet.title = "台账"
    title(sheet, f"{s.year}年{ledger.config.city}重点项目建设进展情况表（{span}）", len(HEADERS), styles,
           f"填报单位：{ledger.config.office}")  # fmt: skip
    header(sheet, 3, [(n, w) for n, w, _ in HEADERS], styles)
    formats = [h[2] for h in HEADERS]
    month_key = f"{s.as_of.year:04d}-{s.as_of.month:02d}"
    month_total = Decimal(0)
    for i, status in enumerate(report.rows, start=1):
        p = status.project
        amount, text = month_figure(p, month_key)  # an opening balance (期初数) is no month's figure
        month_total += amount or 0
        values = [
            i, p.id, p.name, p.owner, p.total_investment, status.annual_plan,
            amount, status.completed_ytd, figure(status.plan_rate),
            figure(status.schedule) if status.ahead is not None else None, figure(status.ahead),
            figure(status.monthly_ahead), image_text(status, text),
            "；".join(problems.get(p.id, [])) or None, p.responsible_unit, p.liaison_leader, p.branch,
            LIGHT_WORDS[status.light] if status.light else "未到期",
        ]  # fmt: skip
        write_row(sheet, 3 + i, values, formats)
        if status.light:
            sheet.cell(3 + i, len(HEADERS)).fill = styles["fills"][status.light]
    total = 4 + len(report.rows)
    values = ["合计", f"{s.projects}个", None, None, s.total_investment, s.annual_plan, month_total, s.completed_ytd,
              figure(s.plan_rate), figure(s.time_progress), figure(s.ahead), None, None, None, None, None, None,
              None]  # fmt: skip
    write_row(sheet, total, values, formats)
    for column in range(1, len(HEADERS) + 1):
        sheet.cell(total, column).font = styles["bold"]
    note = put(sheet, total + 1, 1, f"注：{COLUMN_NOTE}")
    note.font, note.alignment = styles["body"], styles["left"]
    sheet.merge_cells(start_row=total + 1, start_column=1, end_row=total + 1, end_column=len(HEADERS))
    fit_rows(sheet, 3, total + 1)
    print_setup(sheet)


def _branch_sheet(
    sheet: Any, branches: list[Summary], rows: Sequence[ProjectStatus], s: Summary, styles: dict[str, Any]
) -> None:
    headers = [("分指挥部", 22, None), ("项目数", 8, "0"), ("年度计划", 12, MONEY), ("累计完成", 12, MONEY),
               ("完成率", 9, RATE), ("时序进度", 9, RATE), ("超欠序时", 9, POINTS), ("开工率", 9, RATE),
               ("红灯", 6, "0"), ("黄灯", 6, "0"), ("绿灯", 6, "0"), ("名次", 6, "0")]  # fmt: skip
    title(sheet, f"{s.year}年{fmt.months_span(s.as_of)}各分指挥部重点项目推进情况", len(headers), styles)
    header(sheet, 3, [(n, w) for n, w, _ in headers], styles)
    formats = [h[2] for h in headers]
    for rank, g in enumerate(branches, start=1):
        values = [g.key, g.projects, g.annual_plan, g.completed_ytd, figure(g.plan_rate), float(s.time_progress),
                  figure(g.ahead), figure(g.start_resume.rate), g.lights.get("red", 0), g.lights.get("yellow", 0),
                  g.lights.get("green", 0), rank]  # fmt: skip
        write_row(sheet, 3 + rank, values, formats)
    last = 3 + len(branches)
    fit_rows(sheet, 3, last)
    print_setup(sheet)
    if branches:
        _rate_chart(sheet, last)
    _month_table_and_chart(sheet, rows, s, last + 3, styles)


def _rate_chart(sheet: Any, last: int) -> None:
    """完成率 by 分指挥部 (bars) against 时序进度 (a line), native Excel charts."""
    from openpyxl.chart import BarChart, LineChart, Reference

    bars = BarChart()
    bars.title = "各分指挥部年度计划完成率与时序进度"
    bars.y_axis.title = "完成率"
    bars.y_axis.numFmt = "0%"
    bars.add_data(Reference(sheet, min_col=5, min_row=3, max_row=last), titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=4, max_row=last))
    line = LineChart()
    line.add_data(Reference(sheet, min_col=6, min_row=3, max_row=last), titles_from_data=True)
    bars += line
    bars.height, bars.width = 9, 22
    sheet.add_chart(bars, "N3")


SCHEDULE_LINE = "按时序应完成"  # the annual plan times the share of the year gone


def _month_table_and_chart(
    sheet: Any, rows: Sequence[ProjectStatus], s: Summary, top: int, styles: dict[str, Any]
) -> None:
    """Cumulative completed investment by month against the 时序进度 line — the annual plan times the share
    of the year gone, the basis of every other figure of the 台账, the 通报 and ``status`` (91.7% at the end
    of November) — as a table and a line chart whose lines are named in its legend and valued at their ends."""
    from openpyxl.chart import LineChart, Reference
    from openpyxl.chart.label import DataLabel, DataLabelList

    headers = [("月份", 10, None), ("累计完成", 12, MONEY), (SCHEDULE_LINE, 14, MONEY), ("完成率", 9, RATE),
               ("时间进度", 9, RATE)]  # fmt: skip
    for column, (name, _, _) in enumerate(headers, start=1):
        cell = put(sheet, top, column, name)
        cell.font, cell.alignment, cell.border = styles["bold"], styles["center"], styles["border"]
    done = Decimal(0)
    for month in range(1, s.as_of.month + 1):
        key = f"{s.year:04d}-{month:02d}"
        done += sum((r.project.progress[key].amount for r in rows if key in r.project.progress), Decimal(0))
        share = expected_share_of_year(s.year, month_end(s.year, month))
        values = [f"{month}月", done, schedule_amount(s.annual_plan, share), figure(ratio(done, s.annual_plan)),
                  figure(share)]  # fmt: skip
        write_row(sheet, top + month, values, [h[2] for h in headers])
    last = top + s.as_of.month
    basis = f"注：按时序应完成＝年度计划×时间进度（{fmt.pct(s.time_progress)}），与台账、通报同一口径"
    note = put(sheet, last + 1, 1, basis)
    note.font = styles["body"]
    fit_rows(sheet, top, top)
    chart = LineChart()
    chart.title = "累计完成投资与时序进度（万元）"
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
    chart.legend.position = "b"
    for series in chart.series:  # straight lines between the months' figures, each valued at its end only
        series.smooth = False
        end = DataLabel(idx=s.as_of.month - 1, dLblPos="r", numFmt=MONEY, **{**_NO_LABELS, "showVal": True})
        series.dLbls = DataLabelList(dLbl=[end], **_NO_LABELS)
    chart.y_axis.numFmt = MONEY
    chart.height, chart.width = 9, 22
    sheet.add_chart(chart, f"N{max(top, 23)}")  # below the first chart (about 18 rows high)


_NO_LABELS = {f"show{part}": False for part in ("Val", "SerName", "CatName", "LegendKey", "Percent", "BubbleSize")}


def _problem_sheet(sheet: Any, ledger: Ledger, day: dt.date, styles: dict[str, Any]) -> None:
    headers = [("编号", 13, None), ("所属项目", 30, None), ("存在问题", 40, None), ("类别", 10, None),
               ("来源", 10, None), ("提出日期", 12, DATE), ("责任单位", 22, None), ("办结时限", 12, DATE),
               ("状态", 8, None), ("逾期天数", 9, "0")]  # fmt: skip
    title(sheet, f"截至{fmt.date_cn(day)}未办结问题清单", len(headers), styles)
    sheet.cell(2, len(headers)).value = None
    header(sheet, 3, [(n, w) for n, w, _ in headers], styles)
    projects = ledger.project_by_id
    open_issues = sorted((i for i in ledger.issues if i.is_open_on(day)), key=lambda i: i.id)
    for n, issue in enumerate(open_issues, start=1):
        project = projects.get(issue.project or "")
        values = [issue.id, project.name if project else issue.project, issue.description, issue.category,
                  issue.source, issue.raised_on, issue.responsible_unit, issue.deadline, issue.status,
                  issue.days_overdue(day) or None]  # fmt: skip
        write_row(sheet, 3 + n, values, [h[2] for h in headers])
    fit_rows(sheet, 3, 3 + len(open_issues))
    print_setup(sheet)
