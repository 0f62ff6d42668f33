"""Word documents in the layout of GB/T 9704-2012 (党政机关公文格式), with python-docx.

``Gongwen`` lays out the elements a 公文 is made of, in the standard's measures: A4 with margins of
37/35/28/26 mm (top/bottom/left/right, a text block of 156 × 225 mm); body 3号 (16 pt) 仿宋 at a fixed
line pitch of 28.95 pt (22 lines a page), first lines indented two characters; the 发文机关标志 red
小标宋 with a red rule under it (a double rule, thick over thin, in the letter form); the title 2号 (22 pt)
小标宋 centred, broken into lines between words; headings 一、 in 黑体 and （一） in 楷体; 附件说明,
署名 and 成文日期; page numbers 4号 as ``— 1 —``, right on odd pages and left on even ones;
attachments on a new page; the 版记 (抄送, 印发机关 and 印发日期 between rules) last.

Fonts are named, not embedded (the office's PCs have them): every run names its Chinese font and
Times New Roman for figures, and the font table lists the usual alternative of each (方正仿宋_GBK for
仿宋_GB2312 …) so that Word or WPS substitutes it where the first is missing. The XML parts are
``wordxml``'s; titles are broken by ``titles``; tables are measured by ``tables``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from xmtj.documents import wordxml as ox
from xmtj.documents.pagenumbers import page_numbers, rotated_page_numbers
from xmtj.documents.tables import PADDING_PT, balanced, cell_lines, column_widths
from xmtj.documents.titles import chars_wide, title_lines
from xmtj.documents.wordxml import (
    BODY_PT,
    FANGSONG,
    HEITI,
    KAITI,
    LATIN,
    PAGE_NUMBER_PT,
    RED,
    TABLE_PT,
    TITLE_PT,
    XIAOBIAOSONG,
)

LETTER_MARK_PT, FILE_MARK_PT = 26, 36  # the 标志 (narrowed when the name is long: ``mark_size``)

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM, TEXT_HEIGHT_MM, RULE_MM = 156, 225, 170  # the text block; the 信函格式's red rules
CAPTION_CHARS = 28  # a paragraph of one line at most: a heading or a caption, kept with the table under it
# positions (calibrated against LibreOffice's rendering, tests/documents/test_pages.py measures them)
HEADER_MM = 29.9  # 信函格式: the first page's header (the 标志's top at 30 mm from the page's top)
MARK_LINE = 1.2  # the 标志's line, in its size
MARK_RULE_GAP_PT = 14  # 信函格式: the double rule 4 mm under the 标志
NUMBER_RULE_GAP_PT = 9  # 文件格式: the red rule 4 mm under the 发文字号
FILE_MARK_SPACER_PT = 98.5  # 文件格式: the 标志's top 35 mm under the text block's top
TABLE_LINE = 1.15  # a table's line, in its type size
TABLE_AFTER_PT = 8.0  # the space after a table (the next line comes on the grid's next line)
COLOPHON_LINE_PT, COLOPHON_PAD_PT, COLOPHON_SLACK_PT = 20.0, 8.0, -3.0


class Gongwen:
    """One 公文 being laid out; ``save()`` gives the .docx bytes. ``letter_form``: the 信函格式 (标志 and
    red double rules in the first page's header and footer, no page number on the first page); otherwise
    the 文件格式."""

    def __init__(self, letter_form: bool = False) -> None:
        from docx import Document
        from docx.enum.text import WD_LINE_SPACING

        self.letter_form = letter_form
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = ox.mm(210), ox.mm(297)
        for edge, value in MARGINS_MM.items():
            setattr(section, f"{edge}_margin", ox.mm(value))
        section.footer_distance = ox.mm(ox.FOOTER_MM)
        section.header_distance = ox.mm(HEADER_MM)
        normal = self.doc.styles["Normal"]
        normal.font.name = LATIN
        normal.font.size = ox.pt(BODY_PT)
        ox.east_asian(normal.element.get_or_add_rPr(), FANGSONG)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = ox.pt(ox.LINE_PITCH_PT)
        fmt.space_before = fmt.space_after = ox.pt(0)
        fmt.widow_control = False  # the grid's 22 lines a page, every page
        self.doc.settings.odd_and_even_pages_header_footer = True
        ox.language(self.doc)
        ox.grid(section, lines=True)
        page_numbers(section)
        if letter_form:
            section.different_first_page_header_footer = True
        ox.alternatives(self.doc)

    def properties(self, author: str, title: str, created: dt.date) -> None:
        """The file's properties: written by the office, titled as the document, created on its 成文日期."""
        props = self.doc.core_properties
        when = dt.datetime(created.year, created.month, created.day, tzinfo=dt.UTC)
        props.author = props.last_modified_by = author
        props.title = title
        props.created = props.modified = when
        props.comments = props.keywords = props.subject = props.category = ""
        props.revision = 1

    # --- the parts of a 公文 ---------------------------------------------------------------------

    def paragraph(
        self, text: str = "", font: str = FANGSONG, size: float = BODY_PT, align: str = "justify",
        indent: bool = False, bold: bool = False, color: str | None = None, where: Any = None,
    ) -> Any:  # fmt: skip
        paragraph = (where or self.doc).add_paragraph()
        paragraph.alignment = ox.alignment(align)
        if indent:
            paragraph.paragraph_format.first_line_indent = ox.pt(2 * size)
        if text:
            ox.set_font(paragraph.add_run(text), font, size, bold, color)
        return paragraph

    def mark(self, office: str) -> None:
        """发文机关标志, red 小标宋 centred. 信函格式: in the first page's header, its top 30 mm from the page's
        top, a red double rule (thick over thin) 170 mm long 4 mm under it, and another (thin over thick)
        20 mm above the page's bottom edge. 文件格式: ``…文件``, its top 35 mm below the text block's top (a
        spacer of that height first); the rule comes under the 发文字号 (``doc_number``)."""
        if self.letter_form:
            section = self.doc.sections[0]
            header = section.first_page_header
            paragraph = header.paragraphs[0]
            size, scale = mark_size(office, LETTER_MARK_PT)
            self._mark_run(paragraph, office, size, scale)
            paragraph.paragraph_format.space_after = ox.pt(0)
            for side in ("left_indent", "right_indent"):
                setattr(paragraph.paragraph_format, side, ox.mm(-(RULE_MM - TEXT_WIDTH_MM) / 2))
            ox.border(paragraph, "bottom", "thickThinSmallGap", 24, RED, space=MARK_RULE_GAP_PT)
            footer = section.first_page_footer.paragraphs[0]
            ox.exact(footer, 1)
            for side in ("left_indent", "right_indent"):
                setattr(footer.paragraph_format, side, ox.mm(-(RULE_MM - TEXT_WIDTH_MM) / 2))
            ox.border(footer, "bottom", "thinThickSmallGap", 24, RED, space=0)
            return
        name = office if office.endswith("文件") else f"{office}文件"
        spacer = self.paragraph()
        ox.exact(spacer, FILE_MARK_SPACER_PT)
        paragraph = self.paragraph()
        size, scale = mark_size(name, FILE_MARK_PT)
        self._mark_run(paragraph, name, size, scale)

    def _mark_run(self, paragraph: Any, text: str, size: float, scale: int) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph.alignment = ox.alignment("center")
        ox.exact(paragraph, size * MARK_LINE)
        run = paragraph.add_run(text)
        ox.set_font(run, XIAOBIAOSONG, size, color=RED)
        if scale < 100:  # a long name narrowed, as offices narrow it, to stay inside the text block
            width = OxmlElement("w:w")
            width.set(qn("w:val"), str(scale))
            ox.insert(run._r.get_or_add_rPr(), width, ox.RPR_AFTER_W)

    def doc_number(self, number: str) -> None:
        """发文字号. 信函格式: flush right on the first line under the double rule. 文件格式: two lines under the
        标志, centred, with the red rule as wide as the text block 4 mm under it."""
        if self.letter_form:
            self.paragraph(number, align="right")
            return
        self.paragraph()
        self.paragraph()
        paragraph = self.paragraph(number, align="center")
        ox.border(paragraph, "bottom", "single", 12, RED, space=NUMBER_RULE_GAP_PT)

    def title(self, title: str) -> None:
        """The title two lines under what precedes it, a line under it before the 主送."""
        self.paragraph()
        self.paragraph()
        for line in title_lines(title):
            paragraph = self.paragraph(line, XIAOBIAOSONG, TITLE_PT, "center")
            ox.exact(paragraph, TITLE_PT * 1.5)
            paragraph.paragraph_format.keep_with_next = True
        self.paragraph()

    def recipient(self, name: str) -> None:
        """主送机关, flush left, ending with a full-width colon."""
        self.paragraph(f"{name}：", align="left")

    def body(self, text: str) -> Any:
        return self.paragraph(text.strip("\u3000 "), indent=True)

    def heading(self, text: str, level: int = 1) -> None:
        """一、 in 黑体 (level 1), （一） in 楷体 (level 2), indented like the body, kept with what follows."""
        paragraph = self.paragraph(text, HEITI if level == 1 else KAITI, indent=True)
        paragraph.paragraph_format.keep_with_next = True

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明 a line under the body: ``附件：名称`` for one, ``附件：1.名称`` for several, a wrapped line
        aligned under the name (a hanging indent); kept with the 署名 that follows."""
        if not names:
            return
        self._keep_last()
        self.paragraph().paragraph_format.keep_with_next = True
        for i, name in enumerate(names, start=1):
            label = ("附件：" if i == 1 else "\u3000" * 3) + ("" if len(names) == 1 else f"{i}.")
            paragraph = self.paragraph(label + name, align="left")
            fmt = paragraph.paragraph_format
            hang = chars_wide(label) * BODY_PT
            fmt.left_indent = ox.pt(2 * BODY_PT + hang)
            fmt.first_line_indent = ox.pt(-hang)
            fmt.keep_with_next = True

    def signature(self, office: str, date_text: str) -> None:
        """署名 centred over the 成文日期 (room for the seal above it); the date four characters from the right
        edge; kept on the page of the body's last line (never a page of its own)."""
        self._keep_last()
        for _ in range(2):
            self.paragraph().paragraph_format.keep_with_next = True
        right = 4 * BODY_PT
        sign = self.paragraph(office, align="right")
        shift = (chars_wide(date_text) - chars_wide(office)) / 2 * BODY_PT  # negative for a name longer than the date
        sign.paragraph_format.right_indent = ox.pt(right + shift)
        sign.paragraph_format.keep_with_next = True
        date = self.paragraph(date_text, align="right")
        date.paragraph_format.right_indent = ox.pt(right)

    def _keep_last(self) -> None:
        """The paragraph written last kept with the next (a 署名 never alone on a page)."""
        paragraphs = self.doc.paragraphs
        if paragraphs:
            paragraphs[-1].paragraph_format.keep_with_next = True

    def attachment_page(self, label: str, title: str, landscape: bool = False) -> None:
        """A new page (a landscape section for a wide table): ``附件1`` in 黑体 top left, the title centred."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        if landscape and self.doc.sections[-1].orientation != WD_ORIENT.LANDSCAPE:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = ox.mm(297), ox.mm(210)
            section.top_margin, section.bottom_margin = ox.mm(28), ox.mm(26)
            # turned to the portrait page it is bound as: its top at the 订口 side, its left at the foot
            section.left_margin, section.right_margin = ox.mm(MARGINS_MM["bottom"]), ox.mm(MARGINS_MM["top"])
            ox.grid(section, lines=False)
            rotated_page_numbers(section, len(self.doc.sections), MARGINS_MM)
        else:
            self.page_break()
        self.paragraph(label, HEITI, align="left")
        for line in title_lines(title, 30 if landscape else 20):
            paragraph = self.paragraph(line, XIAOBIAOSONG, TITLE_PT, "center")
            ox.exact(paragraph, TITLE_PT * 1.5)
            paragraph.paragraph_format.keep_with_next = True

    def unit_line(self, text: str) -> None:
        """``单位：万元`` over a table, kept with it (and with a heading right above, not with a paragraph)."""
        paragraphs = self.doc.paragraphs
        if paragraphs and len(paragraphs[-1].text) <= CAPTION_CHARS:
            self._keep_last()
        paragraph = self.paragraph(text, FANGSONG, TABLE_PT, "right")
        ox.exact(paragraph, TABLE_PT * 1.6)
        paragraph.paragraph_format.keep_with_next = True

    def note(self, text: str) -> None:
        """A table's note (``注：…``) right under it, in the table's type, a wrapped line under the first
        word after ``注：``."""
        paragraph = self.paragraph(text, FANGSONG, TABLE_PT, "justify")
        ox.exact(paragraph, TABLE_PT * 1.5)
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.first_line_indent = ox.pt(2 * TABLE_PT), ox.pt(-2 * TABLE_PT)
        fmt.space_after = ox.pt(TABLE_PT)

    def text_width_pt(self) -> float:
        """The width of the current section's text block, in points (156 mm portrait, 225 mm landscape)."""
        section = self.doc.sections[-1]
        width, left, right = section.page_width, section.left_margin, section.right_margin
        assert width is not None and left is not None and right is not None  # set in __init__ and every section
        return float(width - left - right) / 12700  # EMU a point

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        align: Sequence[str] | None = None,
        size: float = TABLE_PT,
        total: Sequence[str] | None = None,
        keep_together: bool = False,
    ) -> None:
        """A table as an office builds one: columns as wide as their content needs (``tables.column_widths``:
        ids, 文号, dates and figures never wrap), filling the text width; 仿宋 (the header 黑体) at ``size``,
        at an exact line height and off the page's line grid; figures right-aligned; the header row repeated
        on every page and no row split across pages; ``total`` (a 合计 row) last, in 黑体. A short body
        table is kept on one page (``keep_together``)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT

        align = list(align or ["left"] * len(headers))
        body = [list(r) for r in rows] + ([list(total)] if total else [])
        # a group's row (一、按项目级别: only its first cell written) spans the table: not a column's content
        measured = [["", *r[1:]] if _group_row(r) else r for r in body]
        widths = column_widths(headers, measured, self.text_width_pt(), size)
        headers = [balanced(h, w, size) for h, w in zip(headers, widths, strict=True)]
        self._keep_last()
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        ox.table_properties(table, widths)
        rows_out: list[tuple[Sequence[str], str, list[str], bool]] = [(headers, HEITI, ["center"] * len(headers), True)]
        rows_out += [(r, KAITI if _group_row(r) else FANGSONG, align, False) for r in rows]
        if total:
            rows_out.append((list(total), HEITI, align, False))
        line = round(size * TABLE_LINE, 1)
        if keep_together:  # unless it takes more than half a page
            lines = [max(cell_lines(t, w, size) for t, w in zip(r, widths, strict=False)) for r, *_ in rows_out]
            keep_together = sum(lines) * line < TEXT_HEIGHT_MM * 72 / 25.4 / 2
        for n, (texts, font, aligns, is_header) in enumerate(rows_out, start=1):
            row = table.add_row()
            ox.row_properties(row, header=is_header)
            keep = is_header or (keep_together and n < len(rows_out))
            if not is_header and _group_row(list(texts)):
                cell = row.cells[0].merge(row.cells[-1])
                self._cell(cell, texts[0], font, size, line, "left", keep)
                continue
            for cell, text, width, how in zip(row.cells, texts, widths, aligns, strict=False):
                cell.width = ox.pt(width)
                self._cell(cell, text, font, size, line, how, keep)
        spacer = self.paragraph()
        ox.exact(spacer, TABLE_AFTER_PT)

    def _cell(self, cell: Any, text: str, font: str, size: float, line: float, align: str, keep: bool) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        fmt = paragraph.paragraph_format
        ox.exact(paragraph, line)
        ox.no_autospace(paragraph)
        fmt.first_line_indent = None
        fmt.keep_with_next = keep
        paragraph.alignment = ox.alignment(align)
        for i, part in enumerate(text.split("\n")):
            run = paragraph.add_run(part)
            if i:
                run._r.addprevious(ox.line_break())
            ox.set_font(run, font, size)

    def colophon(self, cc: str | None, office: str, printed: str) -> None:
        """版记, GB/T 9704 7.4 (文件格式): 抄送 (4号, a character in from each side, a wrapped line under the
        first name) and the 印发机关 with the 印发日期, between rules as wide as the text block (thick first
        and last, thin between), at the foot of the last page, an even one: a portrait section of its own,
        starting on an even page (a blank page before it when needed), unnumbered."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.doc.add_section(WD_SECTION.EVEN_PAGE)
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = ox.mm(210), ox.mm(297)
        for edge, value in MARGINS_MM.items():
            setattr(section, f"{edge}_margin", ox.mm(value))
        section.footer_distance = ox.mm(ox.FOOTER_MM)
        ox.grid(section, lines=False)
        for part in (section.footer, section.even_page_footer, section.first_page_footer, section.header,
                     section.even_page_header, section.first_page_header):  # fmt: skip
            part.is_linked_to_previous = False
        lines = ([f"抄送：{cc}。"] if cc else []) + [f"{office}\u3000\u3000{printed}印发"]
        width = TEXT_WIDTH_MM * 72 / 25.4
        heights = [
            cell_lines(text, width - 2 * PAGE_NUMBER_PT, PAGE_NUMBER_PT) * COLOPHON_LINE_PT + COLOPHON_PAD_PT
            for text in lines
        ]
        spacer = self.paragraph()
        ox.exact(spacer, TEXT_HEIGHT_MM * 72 / 25.4 - sum(heights) - COLOPHON_SLACK_PT)
        table = self.doc.add_table(rows=0, cols=1)
        ox.colophon_table(table, width)
        for i, (text, height) in enumerate(zip(lines, heights, strict=True)):
            row = table.add_row()
            ox.row_properties(row, header=False, height=height)
            cell = row.cells[0]
            cell.width = ox.pt(width)
            paragraph = cell.paragraphs[0]
            ox.exact(paragraph, COLOPHON_LINE_PT)
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = None
            if i == len(lines) - 1:  # 印发机关 a character from the left, the date a character from the right
                fmt.left_indent = fmt.right_indent = ox.pt(PAGE_NUMBER_PT)
                ox.tab_right(paragraph, width - 2 * PADDING_PT - PAGE_NUMBER_PT)
                name, _, date = text.partition("\u3000\u3000")
                ox.set_font(paragraph.add_run(f"{name}\t{date}"), FANGSONG, PAGE_NUMBER_PT)
            else:  # 抄送：, a wrapped line under the first name
                fmt.left_indent = ox.pt(PAGE_NUMBER_PT * 4)
                fmt.right_indent = ox.pt(PAGE_NUMBER_PT)
                fmt.first_line_indent = ox.pt(-PAGE_NUMBER_PT * 3)
                ox.set_font(paragraph.add_run(text), FANGSONG, PAGE_NUMBER_PT)

    def copy_to(self, cc: str) -> None:
        """版记 of a 信函格式 letter (GB/T 9704 10.1: 抄送 only, no rules and no 印发): at the foot of the last
        page's text block, a frame anchored there whatever the page holds above it."""
        paragraph = self.paragraph(f"抄送：{cc}。", FANGSONG, PAGE_NUMBER_PT, "left")
        fmt = paragraph.paragraph_format
        hang = 3 * PAGE_NUMBER_PT
        fmt.left_indent, fmt.right_indent = ox.pt(PAGE_NUMBER_PT + hang), ox.pt(PAGE_NUMBER_PT)
        fmt.first_line_indent = ox.pt(-hang)
        ox.exact(paragraph, COLOPHON_LINE_PT)
        ox.frame_at_foot(paragraph, TEXT_WIDTH_MM * 72 / 25.4)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def mark_size(name: str, largest: float) -> tuple[float, int]:
    """The 标志's size and horizontal scale (per cent): ``largest`` when the name fits the text block, else
    narrowed down to 60 %, then made smaller."""
    room = TEXT_WIDTH_MM * 72 / 25.4 * 0.96
    needed = chars_wide(name) * largest
    if needed <= room:
        return largest, 100
    scale = room / needed
    if scale >= 0.6:
        return largest, int(scale * 100)
    return largest * scale / 0.6, 60


def _group_row(row: Sequence[str]) -> bool:
    return len(row) > 1 and bool(row[0]) and not any(row[1:])
