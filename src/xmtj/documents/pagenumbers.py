"""Page numbers as GB/T 9704 places them: ``— 1 —`` in 4号 宋体, its top 7 mm under the text block, right on
odd pages and left on even ones, a character in; on a landscape page, where the portrait pages have them
once the sheet is turned upright (its left edge, turned a quarter)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xmtj.documents.wordxml import (
    PAGE_NUMBER_LIFT_MM,
    PAGE_NUMBER_LINE_PT,
    PAGE_NUMBER_PT,
    SONGTI,
    exact,
    field,
    mm,
    pt,
    set_font,
)  # fmt: skip


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
