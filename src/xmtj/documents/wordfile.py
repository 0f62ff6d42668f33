"""A letter or briefing as a Word file: its Markdown (the office's own templates) laid out as a 公文.

The Markdown the templates write has a fixed shape, and each of its blocks is one element of
GB/T 9704 (``xmtj.documents.gongwen``): ``**机关**`` the 发文机关标志; a line like ``河重指办督〔2021〕3号``
the 发文字号; the first ``#``/``##`` heading the title; a block ending in ``：`` before the body the 主送;
``## 一、…`` and ``### （一）…`` headings; ``|`` tables; ``附件：…`` the 附件说明; the office's name followed by
a date the 署名 and 成文日期; ``---`` starts the attachments (``附件``/``附件1`` and a ``###`` title) and,
the second time, the 版记 (``抄送：…``, ``… 印发``). So a template the office edits changes the .docx too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from xmtj.documents.gongwen import Gongwen

_DOC_NO = re.compile(r"^\S+〔\d{4}〕\d+号$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ATTACHMENT_LABEL = re.compile(r"^附件\d*$")


def _blocks(markdown: str) -> Iterator[str]:
    for block in re.split(r"\n\s*\n", markdown.strip()):
        if block.strip():
            yield block.strip("\n")


def _table(block: str) -> tuple[list[str], list[list[str]]]:
    rows = [[cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            for line in block.splitlines()]  # fmt: skip
    rows = [r for r in rows if not all(re.fullmatch(r":?-{3,}:?", c) for c in r)]
    return rows[0], rows[1:]


def _plain(text: str) -> str:
    """Markdown escapes and emphasis taken off (the templates escape the data: ``\\*``, ``\\|``)."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text)


def to_docx(markdown: str, office: str, letter_form: bool, landscape_attachments: bool = False) -> bytes:
    """The document's Markdown as .docx bytes."""
    doc = Gongwen()
    blocks = list(_blocks(markdown))
    part = "head"  # head → body → attachments → colophon
    titled = False
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
                label, _, title = heading.partition("\u3000")
                if title and _ATTACHMENT_LABEL.match(label):
                    pending_label, heading = label, title
                doc.attachment_page(pending_label, _plain(heading), landscape=landscape_attachments)
            elif block.startswith("|"):
                doc.table(*_table(block), size=9 if landscape_attachments else 10.5)
            else:
                doc.body(text)
            continue
        if part == "head" and block.startswith("**") and block.endswith("**"):
            doc.mark(text, letter_form)
        elif part == "head" and _DOC_NO.match(text):
            doc.doc_number(text, "right" if letter_form else "center")
        elif not titled and block.startswith("#"):
            doc.title(_plain(block.lstrip("#").strip()))
            titled = True
        elif part == "head" and text.endswith("：") and not text.startswith("\u3000"):
            doc.recipient(text.rstrip("："))
            part = "body"
        elif block.startswith("## "):
            doc.heading(_plain(block[3:]), 1)
        elif block.startswith("### "):
            doc.heading(_plain(block[4:]), 2)
        elif block.startswith("|"):
            doc.table(*_table(block))
        elif text.lstrip("\u3000 ").startswith("附件："):
            lines = [line.strip("\u3000 ") for line in text.splitlines()]
            names = [re.sub(r"^(附件：)?\d+\.", "", line).removeprefix("附件：") for line in lines if line]
            doc.attachments(names)
        elif text == office and i < len(blocks) and _DATE.match(_plain(blocks[i])):
            doc.signature(office, _plain(blocks[i]))
            i += 1
        else:
            for paragraph in text.splitlines():
                doc.body(paragraph)
    if colophon:
        cc = next((line.removeprefix("抄送：").rstrip("。") for line in colophon if line.startswith("抄送：")), None)
        printed = next((line for line in colophon if line.endswith("印发")), "")
        date = printed.removesuffix("印发").split("\u3000")[-1] if printed else ""
        doc.colophon(cc, office, date)
    return doc.save()
