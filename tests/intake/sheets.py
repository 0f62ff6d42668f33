"""Spreadsheets as an office makes them, built with openpyxl for the import tests (and the benchmark)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HEADINGS = [
    "序号",
    "项目名称",
    "建设单位",
    "建设内容及规模",
    "总投资\n（万元）",
    "2022年计划投资",
    "计划开工时间",
    "计划竣工时间",
    "分指挥部",
    "责任单位",
    "包联县级领导",
    "项目类型",
    "产业类别",
    "项目级别",
    "联系人",
    "联系电话",
    "备注",
]


def project_rows() -> list[list[Any]]:
    """Three projects in two sections, with the forms offices type: text numbers, full-width digits,
    four date forms, a phone number as a number."""
    return [
        ["一、产业项目"],
        [
            1,
            "稷山县甲新材料项目",
            "甲公司",
            "年产1万吨新材料",
            "５０００",
            3000,
            dt.date(2022, 3, 15),
            "2023/6/30",
            "开发区分指挥部",
            "稷山经济技术开发区管委会",
            "张某某",
            "社会投资",
            "产业",
            "省级重点项目、稷山县重点项目",
            "赵某",
            13800000000,
            "",
        ],
        [
            2,
            "稷山县乙食品项目",
            "乙公司",
            "食品加工线",
            "12,000",
            "2,000",
            "2022年4月",
            "2023.12.31",
            "开发区分指挥部",
            "稷山经济技术开发区管委会",
            "李某某",
            "社会投资",
            "产业",
            "稷山县重点项目",
            "钱某",
            "0359-5550000",
            "新签约",
        ],
        ["二、基础设施项目"],
        [
            3,
            "稷山县丙道路项目",
            "县交通局",
            "新建道路5公里",
            8000.5,
            1500,
            44635,
            "2022年10月31日",
            "城建分指挥部",
            "稷山县交通运输局",
            "王某某",
            "政府投资",
            "基础设施",
            "稷山县重点项目",
            "",
            "",
            "",
        ],
        ["合计", "", "", "", 25000.5, 6500],
    ]


def write_workbook(
    path: Path,
    title: str,
    unit: str | None,
    headings: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    sheet: str = "Sheet1",
) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    if unit:
        ws.append([unit])
    ws.append(list(headings))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


def project_workbook(path: Path) -> Path:
    return write_workbook(path, "2022年稷山县重点项目建设进展情况表", "单位：万元", HEADINGS, project_rows())


def workbook(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Sheet") -> Path:
    """A plain one-sheet workbook of ``rows``, the first row its headings."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def office_ledger(path: Path) -> Path:
    """A 台账 as a county office keeps it (``tests/fixtures/sheets/office-ledger.xlsx`` is this, saved): a
    title, a unit row, a two-row header — 投资情况 merged over 总投资 and 2022年计划投资, 前期手续 over 立项 …
    施工许可, 月度计划 over 3月 6月 9月 12月, the other headings merged down over both rows — section rows
    (一、产业项目 …) in place of a 行业 column, a 合计 row, notes and the form's foot."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2022年重点项目"
    top = ["序号", "项目名称", "建设单位", "建设内容及规模", "投资情况", None, "计划开工时间", "分指挥部",
           "责任单位", "包联县级领导", "项目类型", "前期手续", None, None, None, None, "月度计划", None, None, None,
           "存在问题"]  # fmt: skip
    sub = [None, None, None, None, "总投资", "2022年计划投资", None, None, None, None, None, "立项", "用地", "规划",
           "环评", "施工许可", "3月", "6月", "9月", "12月", None]  # fmt: skip
    ws.append(["2022年稷山县重点项目建设台账"])
    ws.append(["填报单位：稷山县项目推进中心", *([None] * 19), "单位：万元"])
    ws.append(top)
    ws.append(sub)
    for first, last in (("A1", "U1"), ("E3", "F3"), ("L3", "P3"), ("Q3", "T3")):
        ws.merge_cells(f"{first}:{last}")
    for column in "ABCDGHIJKU":
        ws.merge_cells(f"{column}3:{column}4")
    rows: list[list[Any]] = [
        ["一、产业项目"],
        [1, "稷山县甲新材料项目", "甲公司", "年产1万吨新材料", 5000, 3000, "2022年3月", "开发区分指挥部",
         "稷山经济技术开发区管委会", "张某某", "社会投资", "2021-12-20 稷发改〔2021〕88号", "已办结", "办理中", "未启动",
         None, 300, 600, 900, 1200, "用地指标尚未落实"],
        [2, "稷山县乙食品项目", "乙公司", "食品加工线", 12000, 2000, "2022年4月", "开发区分指挥部",
         "稷山经济技术开发区管委会", "李某某", "社会投资", "已备案", "2022/1/15", None, None, None, 0, 500, 500, 1000,
         None],
        ["二、基础设施项目"],
        [3, "稷山县丙道路项目", "县交通局", "新建道路5公里", 8000, 1500, "2022年3月", "城建分指挥部",
         "稷山县交通运输局", "王某某", "政府投资", "稷发改〔2022〕3号", "不涉及", "已办结", "已批复", "办理中",
         200, 400, 400, 500, None],
        ["合计", None, None, None, 25000, 6500],
        ["注：计划开工时间按月填写；前期手续填办结日期或批复文号。"],
        ["填报单位（盖章）：稷山县项目推进中心", None, None, "填报人：赵某", None, None, "联系电话：0359-5550000"],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    book.save(path)
    return path
