"""Word's XML, the low-level parts a 公文 is built of (python-docx and OOXML elements in the schema's order):
fonts named for Chinese and Latin text alike, paragraph rules, fields, exact line heights, tables' fixed
widths and rows, frames; and the page furniture every 公文 shares: the line grid, the page numbers, the
Chinese language of the defaults and the fonts' usual alternatives. ``gongwen`` lays a document out with
them; nothing here knows what a 公文 says.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
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
    """A run's font: ``name`` for Chinese text, ``latin`` for figures and Latin letters; its size and colour
    (the body's type 0.25 pt closer: 28 characters a line). The run properties are made once per kind of
    run and copied: a letter sets some 800 runs, and python-docx's one property at a time took 0.6 s."""
    import copy

    from docx.oxml.ns import qn

    element = run._element
    old = element.find(qn("w:rPr"))
    if old is not None:
        element.remove(old)
    element.insert(0, copy.deepcopy(_run_properties(name, size, bold, color, latin)))


@functools.cache
def _run_properties(name: str, size: float, bold: bool, color: str | None, latin: str) -> Any:
    """``w:rPr`` in schema order: fonts (Latin, East Asian), bold, colour, the body's spacing, size."""
    from docx.oxml import parse_xml

    parts = [f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{name}" w:cs="{name}"/>',
             "<w:b/>" if bold else '<w:b w:val="0"/>']  # fmt: skip
    if color:
        parts.append(f'<w:color w:val="{color.upper()}"/>')
    if size == BODY_PT:  # the body's 28 characters a line
        parts.append(f'<w:spacing w:val="{CONDENSED_TWIPS}"/>')
    parts.append(f'<w:sz w:val="{round(size * 2)}"/>')
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return parse_xml(f'<w:rPr xmlns:w="{namespace}">{"".join(parts)}</w:rPr>')


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
