"""Word documents in the layout of GB/T 9704-2012 (党政机关公文格式), with python-docx.

``Gongwen`` lays out the elements a 公文 is made of, in the standard's measures: A4 with margins of
37/35/28/26 mm (top/bottom/left/right, a text block of 156 × 225 mm); body 3号 (16 pt) 仿宋 at a fixed
line pitch of 28.95 pt (22 lines a page), first lines indented two characters; the 发文机关标志 red
小标宋 with a red rule under it (a double rule, thick over thin, in the letter form); the title 2号 (22 pt)
小标宋 centred, broken into lines between words; headings 一、 in 黑体 and （一） in 楷体; 附件说明,
署名 and 成文日期; page numbers 4号 as ``— 1 —``, right on odd pages and left on even ones;
attachments on a new page; the 版记 (抄送, 印发机关 and 印发日期 between rules) last.

Fonts are named, not embedded (the office's PCs have them): every run names its font for Latin and
East-Asian text alike, and the font table lists the usual alternative of each (方正仿宋_GBK for
仿宋_GB2312 …) so that Word or WPS substitutes it where the first is missing.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from typing import Any

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
ALTERNATIVES = {FANGSONG: "方正仿宋_GBK", XIAOBIAOSONG: "方正小标宋_GBK", KAITI: "方正楷体_GBK", HEITI: "方正黑体_GBK"}
RED = "FF0000"
BODY_PT, TITLE_PT, MARK_PT, PAGE_NUMBER_PT = 16, 22, 26, 14
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines, less the standard's tolerance
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def _mm(value: float) -> Any:
    from docx.shared import Mm

    return Mm(value)


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def set_font(run: Any, name: str, size: float, bold: bool = False, color: str | None = None) -> None:
    """A run's font for Latin and East-Asian text alike, its size and colour."""
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    run.font.name = name
    run.font.size = _pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _border(paragraph: Any, edge: str, style: str, size: int, color: str, space: int = 1) -> None:
    """A rule on one edge of a paragraph (``size`` in eighths of a point)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()
    borders = props.find(qn("w:pBdr"))
    if borders is None:  # in the schema's order: before shd, tabs, spacing, ind, jc …
        borders = OxmlElement("w:pBdr")
        later = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                 "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                 "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                 "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                 "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
        props.insert_element_before(borders, *later)
    line = OxmlElement(f"w:{edge}")
    for key, value in (("w:val", style), ("w:sz", str(size)), ("w:space", str(space)), ("w:color", color)):
        line.set(qn(key), value)
    borders.append(line)


def _field(run: Any, code: str) -> None:
    """A Word field (``PAGE``) in a run: begin, instruction, separate, a placeholder, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    for element in (char("begin"), instruction, char("separate"), placeholder, char("end")):
        run._r.append(element)


# where a 公文 title may break: after these words, and before 建设/的 … (never inside a word)
_AFTER = ("关于", "加快推进", "有限公司", "公司", "集团", "开发区", "园区", "片区", "工程", "项目", "年", "月")
_BEFORE = ("建设", "重点项目", "的督办", "的通报", "进展情况")


def _words(title: str) -> list[str]:
    """The title cut into the pieces a line may end after."""
    cuts = {0, len(title)}
    for word in _AFTER:
        start = title.find(word)
        while start != -1:
            cuts.add(start + len(word))
            start = title.find(word, start + 1)
    for word in _BEFORE:
        start = title.find(word)
        while start != -1:
            cuts.add(start)
            start = title.find(word, start + 1)
    ordered = sorted(cuts)
    return [title[a:b] for a, b in itertools.pairwise(ordered) if title[a:b]]


def title_lines(title: str, width: int = 20) -> list[str]:
    """A 公文 title broken into lines of at most ``width`` characters (20 of 2号 fill the 156 mm block),
    only between words: the fewest lines, and of those the most even (least raggedness)."""
    if len(title) <= width:
        return [title]
    words = _split_long(_words(title), width)
    best: list[tuple[float, int]] = [(0.0, len(words))] * (len(words) + 1)  # cost from word i, next break
    for i in range(len(words) - 1, -1, -1):
        options = []
        length = 0
        for j in range(i + 1, len(words) + 1):
            length += len(words[j - 1])
            if length > width:
                break
            options.append((10_000 + (width - length) ** 2 + best[j][0], j))
        best[i] = min(options)
    lines, i = [], 0
    while i < len(words):
        j = best[i][1]
        lines.append("".join(words[i:j]))
        i = j
    return lines


def _split_long(lines: list[str], width: int) -> list[str]:
    """A single word longer than a line (a very long name) is cut at the width, as a last resort."""
    out: list[str] = []
    for line in lines:
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


class Gongwen:
    """One 公文 being laid out; ``save()`` gives the .docx bytes."""

    def __init__(self) -> None:
        from docx import Document
        from docx.enum.text import WD_LINE_SPACING

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = _mm(210), _mm(297)
        for edge, value in MARGINS_MM.items():
            setattr(section, f"{edge}_margin", _mm(value))
        section.footer_distance = _mm(28)  # the page number 7 mm below the text block (35 − 7)
        normal = self.doc.styles["Normal"]
        normal.font.name = FANGSONG
        normal.font.size = _pt(BODY_PT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = _pt(LINE_PITCH_PT)
        fmt.space_before = fmt.space_after = _pt(0)
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._grid(section)
        self._page_numbers(section)
        self._alternatives()

    # --- the parts of a 公文 ---------------------------------------------------------------------

    def paragraph(
        self, text: str = "", font: str = FANGSONG, size: float = BODY_PT, align: str = "justify",
        indent: bool = False, bold: bool = False, color: str | None = None,
    ) -> Any:  # fmt: skip
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = self.doc.add_paragraph()
        paragraph.alignment = {
            "left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]  # fmt: skip
        if indent:
            paragraph.paragraph_format.first_line_indent = _pt(2 * size)
        if text:
            set_font(paragraph.add_run(text), font, size, bold, color)
        return paragraph

    def mark(self, office: str, letter_form: bool = True) -> None:
        """发文机关标志 (red 小标宋, centred) and the red rule under it (double, thick over thin, in the
        letter form; a single rule otherwise)."""
        paragraph = self.paragraph(office, XIAOBIAOSONG, MARK_PT, "center", color=RED)
        paragraph.paragraph_format.line_spacing = _pt(MARK_PT * 1.6)
        paragraph.paragraph_format.space_after = _pt(6)
        style, size = ("thickThinSmallGap", 24) if letter_form else ("single", 12)
        _border(paragraph, "bottom", style, size, RED, space=4)

    def doc_number(self, number: str, align: str = "right") -> None:
        """发文字号: flush right on the first line below the rule (letter form), centred otherwise."""
        self.paragraph(number, align=align)

    def title(self, title: str) -> None:
        self.paragraph()
        for line in title_lines(title):
            paragraph = self.paragraph(line, XIAOBIAOSONG, TITLE_PT, "center")
            paragraph.paragraph_format.line_spacing = _pt(TITLE_PT * 1.5)
        self.paragraph()

    def recipient(self, name: str) -> None:
        """主送机关, flush left, ending with a full-width colon."""
        self.paragraph(f"{name}：", align="left")

    def body(self, text: str) -> None:
        self.paragraph(text.strip("\u3000 "), indent=True)

    def heading(self, text: str, level: int = 1) -> None:
        """一、 in 黑体 (level 1), （一） in 楷体 (level 2), indented like the body."""
        self.paragraph(text, HEITI if level == 1 else KAITI, indent=True)

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明: ``附件：名称`` for one, ``附件：1.名称`` with the next lines aligned for several."""
        if not names:
            return
        self.paragraph()
        if len(names) == 1:
            self.paragraph(f"附件：{names[0]}", indent=True)
            return
        for i, name in enumerate(names, start=1):
            paragraph = self.paragraph(("附件：" if i == 1 else "\u3000" * 3) + f"{i}.{name}", indent=True)
            paragraph.paragraph_format.first_line_indent = _pt(2 * BODY_PT)

    def signature(self, office: str, date_text: str) -> None:
        """署名 centred over the 成文日期; the date right-aligned with four characters of space after it."""
        self.paragraph()
        self.paragraph()
        right = 4 * BODY_PT
        sign = self.paragraph(office, align="right")
        shift = max(0.0, (_width(date_text) - _width(office)) / 2)  # centre the name over the date
        sign.paragraph_format.right_indent = _pt(right + shift * BODY_PT)
        date = self.paragraph(date_text, align="right")
        date.paragraph_format.right_indent = _pt(right)

    def attachment_page(self, label: str, title: str, landscape: bool = False) -> None:
        """A new page (a landscape section for a wide table): ``附件1`` in 黑体 top left, the title centred."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        if landscape:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = _mm(297), _mm(210)
            section.top_margin, section.bottom_margin = _mm(28), _mm(26)
            section.left_margin, section.right_margin = _mm(37), _mm(35)
        else:
            self.page_break()
        self.paragraph(label, HEITI, align="left")
        self.paragraph()
        for line in title_lines(title, 24 if landscape else 20):
            self.paragraph(line, XIAOBIAOSONG, TITLE_PT, "center")
        self.paragraph()

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], size: float = 10.5) -> None:
        """A table with its header row repeated on every page, in 仿宋 (header in 黑体)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header_props = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_props.append(repeat)
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, text, HEITI, size)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, text, FANGSONG, size)

    def _cell(self, cell: Any, text: str, font: str, size: float) -> None:
        from docx.enum.text import WD_LINE_SPACING

        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.paragraph_format.first_line_indent = None
        set_font(paragraph.add_run(text), font, size)

    def colophon(self, cc: str | None, office: str, printed: str) -> None:
        """版记, last: 抄送 and the 印发机关 with the 印发日期, each line between rules (thick first and last)."""
        lines = ([f"抄送：{cc}。"] if cc else []) + [f"{office}\u3000\u3000{printed}印发"]
        self.paragraph()
        for i, text in enumerate(lines):
            paragraph = self.paragraph(text, FANGSONG, PAGE_NUMBER_PT, "left")
            paragraph.paragraph_format.left_indent = _pt(PAGE_NUMBER_PT)
            paragraph.paragraph_format.keep_with_next = i < len(lines) - 1
            _border(paragraph, "top", "single", 12 if i == 0 else 4, "000000")
            if i == len(lines) - 1:
                _border(paragraph, "bottom", "single", 12, "000000")

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    # --- the page furniture ---------------------------------------------------------------------

    def _grid(self, section: Any) -> None:
        """The document grid of the standard's 22 lines a page. (A character grid for its 28 characters a
        line is left out: LibreOffice and WPS spread the text over it when the named font is missing.)"""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))

    def _page_numbers(self, section: Any) -> None:
        """``— 1 —`` 4号: right, one character in, on odd pages; left, one character in, on even pages."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, None)):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.LEFT
            side = "right_indent" if align is not None else "left_indent"
            setattr(paragraph.paragraph_format, side, _pt(PAGE_NUMBER_PT))
            for part in ("— ", None, " —"):
                run = paragraph.add_run(part or "")
                set_font(run, SONGTI, PAGE_NUMBER_PT)
                if part is None:
                    _field(run, "PAGE")

    def _alternatives(self) -> None:
        """The font table names each font's usual alternative (``w:altName``)."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import OxmlElement, parse_xml
        from docx.oxml.ns import qn

        part = next((r.target_part for r in self.doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
        if part is None:
            return
        root = parse_xml(part.blob)
        for name, alternative in ALTERNATIVES.items():
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), alternative)
            font.append(alt)
            root.append(font)
        from lxml import etree

        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _width(text: str) -> float:
    """A text's width in characters of the body font (digits and Latin letters are half as wide)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)
