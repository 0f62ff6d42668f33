"""Word's XML, the low-level parts a 公文 is built of (python-docx and OOXML elements in the schema's order):
fonts named for Chinese and Latin text alike, paragraph rules, fields, exact line heights, tables' fixed
widths and rows, frames; and the page furniture every 公文 shares: the line grid, the page numbers, the
Chinese language of the defaults and the fonts' usual alternatives. ``gongwen`` lays a document out with
them; nothing here knows what a 公文 says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from xmtj.documents.tables import PADDING_PT

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"  # figures and Latin letters, as offices set them (half an em a digit)
ALTERNATIVES = {FANGSONG: "方正仿宋_GBK", XIAOBIAOSONG: "方正小标宋_GBK", KAITI: "方正楷体_GBK", HEITI: "方正黑体_GBK"}
RED = "FF0000"
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16, 22, 14, 10.5
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines, less the standard's tolerance
CONDENSED_TWIPS = -5  # 28 characters of 16 pt a line in 156 mm: each 0.25 pt closer (15.75 pt a character)
FOOTER_MM = 19.5  # the footers' foot: the 信函格式's lower double rule 20 mm above the page's bottom edge
PAGE_NUMBER_LIFT_MM = 1.5  # the page number that much higher: its top 7 mm under the text block
PAGE_NUMBER_LINE_PT = 18.0


def mm(value: float) -> Any:
    from docx.shared import Mm

    return Mm(value)


def pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def set_font(
    run: Any, name: str, size: float, bold: bool = False, color: str | None = None, latin: str = LATIN
) -> None:
    """A run's font: ``name`` for Chinese text, ``latin`` for figures and Latin letters; its size and colour."""
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    run.font.name = latin
    run.font.size = pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    props = run._element.get_or_add_rPr()
    fonts = props.get_or_add_rFonts()
    for attribute, font in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", name), ("w:cs", name)):
        fonts.set(qn(attribute), font)
    if size == BODY_PT:  # the body's 28 characters a line
        from docx.oxml import OxmlElement

        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSED_TWIPS))
        insert(props, spacing, ("w:w", *RPR_AFTER_W))


def border(paragraph: Any, edge: str, style: str, size: int, color: str, space: int = 1) -> None:
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


def field(run: Any, code: str) -> None:
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


def alignment(align: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]  # fmt: skip


def exact(paragraph: Any, points: float) -> None:
    """A paragraph at an exact line height, off the line grid (a spacer, a table's line, the 标志)."""
    from docx.enum.text import WD_LINE_SPACING

    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pt(points)
    fmt.space_before = fmt.space_after = pt(0)
    off_grid(paragraph)


def east_asian(props: Any, name: str) -> None:
    from docx.oxml.ns import qn

    fonts = props.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)


def tab_right(paragraph: Any, position: float) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT

    paragraph.paragraph_format.tab_stops.add_tab_stop(pt(position), WD_TAB_ALIGNMENT.RIGHT)


def colophon_table(table: Any, width: float) -> None:
    """The 版记's table: as wide as the text block, no padding at the sides; thick rules (0.35 mm) first and
    last, a thin one (0.25 mm) between, no vertical rules."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = table._tbl.tblPr
    for tag, attributes in (("w:tblW", {"w:w": str(round(width * 20)), "w:type": "dxa"}),
                            ("w:jc", {"w:val": "center"}), ("w:tblLayout", {"w:type": "fixed"})):  # fmt: skip
        element = OxmlElement(tag)
        for key, value in attributes.items():
            element.set(qn(key), value)
        props.append(element)
    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6), ("insideV", 0)):
        line = OxmlElement(f"w:{edge}")
        for key, text in (("w:val", "single" if size else "nil"), ("w:sz", str(size)), ("w:space", "0"),
                          ("w:color", "000000")):  # fmt: skip
            line.set(qn(key), text)
        borders.append(line)
    props.append(borders)
    cell_margins(props, 0.0)
    grid = table._tbl.tblGrid
    for column in grid.findall(qn("w:gridCol")):
        column.set(qn("w:w"), str(round(width * 20)))


def frame_at_foot(paragraph: Any, width: float) -> None:
    """A paragraph in a frame at the foot of the page's text block, as wide as the block."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    frame = OxmlElement("w:framePr")
    for key, value in (("w:w", str(round(width * 20))), ("w:wrap", "notBeside"), ("w:vAnchor", "margin"),
                       ("w:hAnchor", "margin"), ("w:xAlign", "center"), ("w:yAlign", "bottom")):  # fmt: skip
        frame.set(qn(key), value)
    insert(paragraph._p.get_or_add_pPr(), frame, PPR_AFTER_FRAME)


def insert(parent: Any, element: Any, successors: Sequence[str]) -> None:
    """``element`` into ``parent`` where the schema puts it: before the first of ``successors`` present."""
    parent.insert_element_before(element, *successors)


PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                   "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
PPR_AFTER_FRAME = ("w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
                    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
                    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                    *PPR_AFTER_SNAP)  # fmt: skip
RPR_AFTER_W = ("w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
                "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                "w:specVanish", "w:oMath")  # fmt: skip
TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")  # fmt: skip


def child(parent: Any, tag: str) -> Any:
    """``parent``'s element ``tag`` (``w:lang``), appended when it has none."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def table_put(props: Any, element: Any) -> None:
    """A table property in the schema's place, replacing one of the same name."""
    from docx.oxml.ns import qn

    tag = element.tag
    old = props.find(tag)
    if old is not None:
        props.remove(old)
    names = [qn(t) for t in TBLPR_ORDER]
    later = TBLPR_ORDER[names.index(tag) + 1 :]
    insert(props, element, later)


def table_properties(table: Any, widths: Sequence[float]) -> None:
    """A fixed layout (the widths as given, in the table's grid too: LibreOffice lays a table out by its
    grid), the table's width, thin borders all round, and cells padded ``PADDING_PT`` left and right."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = table._tbl.tblPr
    for tag, attributes in (("w:tblW", {"w:w": str(round(sum(widths) * 20)), "w:type": "dxa"}),
                            ("w:tblLayout", {"w:type": "fixed"})):  # fmt: skip
        element = OxmlElement(tag)
        for key, value in attributes.items():
            element.set(qn(key), value)
        table_put(props, element)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, text in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(key), text)
        borders.append(line)
    table_put(props, borders)
    cell_margins(props, PADDING_PT)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(round(width * 20)))


def cell_margins(props: Any, sides: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for edge, points in (("top", 0.0), ("left", sides), ("bottom", 0.0), ("right", sides)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(points * 20)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table_put(props, margins)


def row_properties(row: Any, header: bool, height: float | None = None) -> None:
    """A row never split across pages; the header row repeated on every page; an exact ``height``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if height is not None:
        element = OxmlElement("w:trHeight")
        element.set(qn("w:val"), str(round(height * 20)))
        element.set(qn("w:hRule"), "exact")
        props.append(element)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        props.append(repeat)


def off_grid(paragraph: Any) -> None:
    """A paragraph that keeps its own line height (a table's, a spacer's): not snapped to the line grid."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()
    if props.find(qn("w:snapToGrid")) is not None:
        return
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    insert(props, snap, PPR_AFTER_SNAP)


def no_autospace(paragraph: Any) -> None:
    """No extra space between Chinese characters and figures (Word's and LibreOffice's default adds a quarter
    of an em at each change): a table's 2021年12月31日 and 河重指办督〔2021〕17号 as wide as measured."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()
    for tag, later in (("w:autoSpaceDE", ("w:autoSpaceDN",)), ("w:autoSpaceDN", ())):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        insert(props, element, (*later, "w:bidi", "w:adjustRightInd", "w:snapToGrid", *PPR_AFTER_SNAP))


def line_break() -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement("w:br")


def grid(section: Any, lines: bool) -> None:
    """The line grid of the standard's 22 lines a page (``lines``), or none (a table's pages). The 28
    characters a line come from the body's type set 0.25 pt closer (``set_font``), not from a character
    grid: LibreOffice gives a 16 pt character two cells of a 15.79 pt grid (14 characters a line)."""
    from docx.oxml.ns import qn

    grid = child(section._sectPr, "w:docGrid")
    for key in list(grid.attrib):
        del grid.attrib[key]
    if lines:
        grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def page_numbers(section: Any) -> None:
    """``— 1 —`` 4号 宋体, its top 7 mm under the text block: right, a character in, on odd pages; left,
    a character in, on even pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, None)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.LEFT
        exact(paragraph, PAGE_NUMBER_LINE_PT)
        paragraph.paragraph_format.space_after = mm(PAGE_NUMBER_LIFT_MM)
        side = "right_indent" if align is not None else "left_indent"
        setattr(paragraph.paragraph_format, side, pt(PAGE_NUMBER_PT))
        for part in ("— ", None, " —"):
            run = paragraph.add_run(part or "")
            set_font(run, SONGTI, PAGE_NUMBER_PT, latin=SONGTI)
            if part is None:
                field(run, "PAGE")


# A landscape page is bound with its head at the 订口 (GB/T 9704 10.3): printed on portrait paper its top
# faces the sheet's left edge, so the foot of the portrait page — where its number belongs, as on every other
# page — is the landscape page's left edge. The number stands there in a text box turned a quarter clockwise
# (it reads left to right once the sheet is turned upright): its top 7 mm under the portrait text block, a
# character in from the block's right edge on odd pages and from its left on even ones.
_ROTATED_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" locked="1"
 layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="{id}" name="页码{id}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent><w:p/></w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0">
<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"""
EMU_MM = 36000
ROTATED_BOX_MM = 50.0  # the box's length along the edge; the number aligned to its end


def rotated_page_numbers(
    section: Any, ordinal: int, portrait_margins: Mapping[str, float], page_height_mm: float = 297
) -> None:
    """The page numbers of a landscape ``section`` (the ``ordinal``-th of its document: it numbers the
    drawings, which must be unique) at the foot of the portrait page it is bound as (its own headers and
    footers: the portrait pages' numbers along the long edge are not carried over)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for part in (section.header, section.even_page_header, section.footer, section.even_page_footer):
        part.is_linked_to_previous = False
    foot = page_height_mm - portrait_margins["bottom"] + 7  # the number's top on the portrait page
    depth = PAGE_NUMBER_LINE_PT * 25.4 / 72
    odd_end = 210 - portrait_margins["right"] - PAGE_NUMBER_PT * 25.4 / 72
    even_start = portrait_margins["left"] + PAGE_NUMBER_PT * 25.4 / 72
    for n, (header, top, align) in enumerate(
        ((section.header, odd_end - ROTATED_BOX_MM, WD_ALIGN_PARAGRAPH.RIGHT),
         (section.even_page_header, even_start, WD_ALIGN_PARAGRAPH.LEFT)), start=1):  # fmt: skip
        # the landscape page's x runs against the portrait page's height; its y along the portrait width
        left = page_height_mm - foot - depth
        run = parse_xml(_ROTATED_BOX.format(x=round(left * EMU_MM), y=round(top * EMU_MM), id=1000 + 2 * ordinal + n,
                                            cx=round(depth * EMU_MM), cy=round(ROTATED_BOX_MM * EMU_MM)))  # fmt: skip
        anchor = header.paragraphs[0]
        exact(anchor, 1)
        anchor._p.append(run)
        box = Paragraph(run.find(".//" + qn("w:txbxContent")).find(qn("w:p")), anchor._parent)
        box.alignment = align
        exact(box, PAGE_NUMBER_LINE_PT)
        for text in ("— ", None, " —"):
            number = box.add_run(text or "")
            set_font(number, SONGTI, PAGE_NUMBER_PT, latin=SONGTI)
            if text is None:
                field(number, "PAGE")


def language(doc: Any) -> None:
    """Chinese throughout: the default run properties name the east-Asian font and language (zh-CN), and
    so does the theme's font language (python-docx's template says ja-JP)."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    props = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    languages = [child(doc.settings.element, "w:themeFontLang")]
    if props is not None:
        east_asian(props, FANGSONG)
        languages.append(child(props, "w:lang"))
    for element in languages:
        element.set(qn("w:val"), "en-US")
        element.set(qn("w:eastAsia"), "zh-CN")


def alternatives(doc: Any) -> None:
    """The font table names each font's usual alternative (``w:altName``)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
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
