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
