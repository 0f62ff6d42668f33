"""A letter or briefing as a Word file: its Markdown (the office's own templates) laid out as a 公文.

The Markdown the templates write has a fixed shape, and each of its blocks is one element of
GB/T 9704 (``xmtj.documents.gongwen``): ``**机关**`` the 发文机关标志; a line like ``河重指办督〔2021〕3号``
the 发文字号; the first ``#``/``##`` heading the title; a block ending in ``：`` before the body the 主送;
``## 一、…`` and ``### （一）…`` headings; ``|`` tables; ``附件：…`` the 附件说明; the office's name followed by
a date the 署名 and 成文日期; ``---`` starts the attachments (``附件``/``附件1`` and a ``###`` title) and,
the second time, the 版记 (``抄送：…``, ``… 印发``). So a template the office edits changes the .docx too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from xmtj.documents.gongwen import Gongwen
from xmtj.documents.wordxml import TABLE_PT

ATTACHMENT_PT = 9  # the 通报's detail table, in landscape

_DOC_NO = re.compile(r"^\S+〔\d{4}〕(\d+|\u3000)号$")  # a draft's number is left blank: 河重指办〔2021〕　号
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ATTACHMENT_LABEL = re.compile(r"^附件\d*$")


def _blocks(markdown: str) -> Iterator[str]:
    for block in re.split(r"\n\s*\n", markdown.strip()):
        if block.strip():
            yield block.strip("\n")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    align: list[str]  # left, center, right: as the Markdown's delimiter row says
    total: list[str] | None  # the 合计 row, last


def _table(block: str) -> Table:
    """A Markdown table: its header, rows and alignment; figures in right-aligned columns written with
    thousands separators and the same number of decimals down the column; a last row headed 合计 apart."""
    rows = [
        [_plain(cell.strip()) for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]] for line in block.splitlines()
    ]
    delimiter = next((r for r in rows if r and all(re.fullmatch(r":?-{3,}:?", c) for c in r)), None)
    rows = [r for r in rows if r is not delimiter]
    align = [_alignment(c) for c in delimiter] if delimiter else ["left"] * len(rows[0])
    body = rows[1:]
    for i, how in enumerate(align):
        if how == "right":
            column = [r[i] for r in body if i < len(r)]
            for r, text in zip(body, _figures(column), strict=True):
                r[i] = text
    total = body.pop() if body and body[-1] and body[-1][0] == "合计" else None
    return Table(rows[0], body, align, total)


def _alignment(delimiter: str) -> str:
    if delimiter.startswith(":") and delimiter.endswith(":"):
        return "center"
    return "right" if delimiter.endswith(":") else "left"


_PLAIN_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?")


def _figures(column: list[str]) -> list[str]:
    """Plain numbers of a column (万元) with thousands separators and as many decimals as the most precise of
    them (1500.5 beside 46800 → 1,500.5 and 46,800.0); percentages, signed 百分点 and words left as they are."""
    numbers = [_PLAIN_NUMBER.fullmatch(c) for c in column]
    places = max((len(m[2]) for m in numbers if m and m[2]), default=0)
    return [
        f"{float(m[0]):,.{places}f}" if m and len(m[1]) < 16 else text for m, text in zip(numbers, column, strict=True)
    ]


def _plain(text: str) -> str:
    """Markdown escapes and emphasis taken off (the templates escape the data: ``\\*``, ``\\|``)."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text)


UNITS = ("万元", "百分点")
KEEP_ROWS = 20  # a body table this short is kept on one page (the 分类 and ranking tables)


def _units(headers: list[str]) -> tuple[list[str], str | None]:
    """Headings without their units (``年度计划（万元）`` → ``年度计划``) and the table's unit line
    (``单位：万元、百分点``), as offices print a table's units once over it."""
    found: list[str] = []
    bare = []
    for header in headers:
        match = re.fullmatch(r"(.+?)[（(](" + "|".join(UNITS) + r")[）)]", header)
        if match:
            found.append(match[2])
            header = match[1]
        bare.append(header)
    units = [u for u in UNITS if u in found]
    return bare, ("单位：" + "、".join(units)) if units else None


def _put_table(doc: Gongwen, table: Table, size: float, body: bool) -> None:
    headers, unit = _units(table.headers)
    if unit:
        doc.unit_line(unit)
    keep = body and table.total is not None and len(table.rows) <= KEEP_ROWS  # figures with a 合计: read whole
    doc.table(headers, table.rows, table.align, size, table.total, keep_together=keep)


def to_docx(markdown: str, office: str, letter_form: bool, landscape_attachments: bool = False) -> bytes:
    """The document's Markdown as .docx bytes."""
    doc = Gongwen(letter_form)
    blocks = list(_blocks(markdown))
    part = "head"  # head → body → attachments → colophon
    title = ""
    signed: dt.date | None = None
    colophon: list[str] = []
    pending_label = "附件"
    i = 0
    while i < len(blocks):
        block = blocks[i]
        text = _plain(block)
        i += 1
        if block == "---":
            part = "attachments" if part in ("head", "body") else "colophon"
            continue
        if part == "colophon":
            colophon.extend(line for line in text.splitlines() if line.strip())
            continue
        if part == "attachments":
            if _ATTACHMENT_LABEL.match(text):
                pending_label = text
            elif block.startswith("#"):
                heading = block.lstrip("#").strip()
                label, _, name = heading.partition("\u3000")
                if name and _ATTACHMENT_LABEL.match(label):
                    pending_label, heading = label, name
                doc.attachment_page(pending_label, _plain(heading), landscape=landscape_attachments)
            elif block.startswith("|"):
                _put_table(doc, _table(block), ATTACHMENT_PT if landscape_attachments else TABLE_PT, body=False)
            elif text.startswith("注："):
                doc.note(text)
            else:
                doc.body(text)
            continue
        if part == "head" and block.startswith("**") and block.endswith("**"):
            doc.mark(text)
        elif part == "head" and _DOC_NO.match(text):
            doc.doc_number(text)
        elif not title and block.startswith("#"):
            title = _plain(block.lstrip("#").strip())
            doc.title(title)
        elif part == "head" and text.endswith("：") and not text.startswith("\u3000"):
            doc.recipient(text.rstrip("："))
            part = "body"
        elif block.startswith("## "):
            doc.heading(_plain(block[3:]), 1)
        elif block.startswith("### "):
            doc.heading(_plain(block[4:]), 2)
        elif block.startswith("|"):
            _put_table(doc, _table(block), TABLE_PT, body=True)
        elif text.startswith("注："):  # a table's note, under it in the table's type
            doc.note(text)
        elif text.lstrip("\u3000 ").startswith("附件："):
            lines = [line.strip("\u3000 ") for line in text.splitlines()]
            names = [re.sub(r"^(附件：)?\d+\.", "", line).removeprefix("附件：") for line in lines if line]
            doc.attachments(names)
        elif text == office and i < len(blocks) and _DATE.match(_plain(blocks[i])):
            date_text = _plain(blocks[i])
            doc.signature(office, date_text)
            signed = _date_of(date_text)
            i += 1
        else:
            for paragraph in text.splitlines():
                doc.body(paragraph)
    cc = next((line.removeprefix("抄送：").rstrip("。") for line in colophon if line.startswith("抄送：")), None)
    printed = next((line for line in colophon if line.endswith("印发")), None)
    if letter_form and cc:
        doc.copy_to(cc)
    elif printed:
        issuer, _, date = printed.removesuffix("印发").rpartition("\u3000\u3000")
        doc.colophon(cc, issuer.strip("\u3000 ") or office, date.strip("\u3000 "))
    doc.properties(office, title, signed or dt.date.today())
    return doc.save()


def _date_of(text: str) -> dt.date:
    year, month, day = map(int, re.findall(r"\d+", text))
    return dt.date(year, month, day)
