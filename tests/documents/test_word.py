"""Word documents read back with python-docx: the GB/T 9704 layout, element by element."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, Run

pytestmark = pytest.mark.usefixtures("git_env")


@pytest.fixture
def small(small_git: Path) -> Path:
    return small_git


def open_docx(path: Path) -> Any:
    import docx

    return docx.Document(str(path))


def mm(length: Any) -> float:
    return float(length.mm)


def texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def east_asian_font(run: Any) -> str | None:
    from docx.oxml.ns import qn

    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def paragraph(document: Any, text: str) -> Any:
    return next(p for p in document.paragraphs if p.text == text)


def test_a_letter_in_the_letter_form(run: Run, small: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small)
    assert result.exit_code == 0, result.output
    document = open_docx(small / "letters/2021/2-P1.docx")
    section = document.sections[0]
    assert (round(mm(section.page_width)), round(mm(section.page_height))) == (210, 297)
    margins = [mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)]
    assert margins == pytest.approx([37, 35, 28, 26], abs=0.5)

    lines = texts(document)
    # 信函格式: the 标志 and the red double rules (170 mm) in the first page's header and footer
    assert section.different_first_page_header_footer
    mark = section.first_page_header.paragraphs[0]
    assert mark.text == "测试市重点项目总指挥部办公室" and mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run_ = mark.runs[0]
    assert str(run_.font.color.rgb) == "FF0000" and east_asian_font(run_) == "方正小标宋简体"
    assert run_.font.size.pt == 26 and run_.font.name == "Times New Roman"  # figures in Times New Roman
    rule = mark._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:val")) == "thickThinSmallGap" and rule.get(qn("w:color")) == "FF0000"
    assert mm(mark.paragraph_format.left_indent) == pytest.approx(-7, abs=0.1)  # 156 + 2 × 7 = 170 mm
    bottom = section.first_page_footer.paragraphs[0]
    assert bottom.text == "" and "PAGE" not in bottom._p.xml  # no page number on the first page
    rule = bottom._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:val")) == "thinThickSmallGap" and mm(bottom.paragraph_format.right_indent) == pytest.approx(
        -7, abs=0.1
    )
    number = paragraph(document, "测重指办督〔2021〕2号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT and lines[0] == number.text
    title = paragraph(document, "关于加快推进甲化工新材料项目")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22 and east_asian_font(title.runs[0]) == "方正小标宋简体"
    assert lines[lines.index(title.text) + 1] == "建设的督办提醒函"  # the title split between words
    body = next(p for p in document.paragraphs if p.text.startswith("甲化工新材料项目（项目编号P1）"))
    assert body.runs[0].font.size.pt == 16 and east_asian_font(body.runs[0]) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters
    assert paragraph(document, "甲开发区管委会：").alignment == WD_ALIGN_PARAGRAPH.LEFT

    # one attachment, not numbered; 署名 and 成文日期; the attachment on its own page; the 版记 last
    assert "附件：甲化工新材料项目未办结问题清单" in lines and not any(t.startswith("附件：1.") for t in lines)
    order = ["附件：甲化工新材料项目未办结问题清单", "测试市重点项目总指挥部办公室", "2021年12月14日", "附件",
             "甲化工新材料项目未办结问题清单", "抄送：张某（副市长，虚构）。"]  # fmt: skip
    positions = [lines.index(t, lines.index("甲开发区管委会：")) for t in order]
    assert positions == sorted(positions)
    # 信函格式's 版记: 抄送 only (no 印发, no rules), framed at the foot of the last page's text block
    assert lines[-1] == "抄送：张某（副市长，虚构）。" and "印发" not in "".join(lines)
    frame = paragraph(document, lines[-1])._p.pPr.find(qn("w:framePr"))
    assert frame.get(qn("w:yAlign")) == "bottom" and frame.get(qn("w:vAnchor")) == "margin"
    date = paragraph(document, "2021年12月14日")
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT and date.paragraph_format.right_indent.pt == 64
    # 署名 centred over the date: its right indent moved by half the difference of their widths
    sign = next(p for p in document.paragraphs if p.text == "测试市重点项目总指挥部办公室")
    from xmtj.documents.titles import chars_wide

    shift = (chars_wide("2021年12月14日") - chars_wide(sign.text)) / 2 * 16
    assert sign.paragraph_format.right_indent.pt == pytest.approx(64 + shift, abs=0.1)
    assert east_asian_font(paragraph(document, "附件").runs[0]) == "黑体"
    assert len(document.tables) == 1 and document.tables[0].rows[0].cells[1].text == "问题编号"

    # page numbers: — PAGE — right on odd pages, left on even ones, 4号
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in footer._p.xml and footer.runs[0].font.size.pt == 14


def test_the_word_file_is_chinese_throughout(run: Run, small: Path) -> None:
    """The Normal style and the defaults name the east-Asian font and language zh-CN (no ja-JP theme); the
    body is condensed to 28 characters a line on the 22-line grid; the file's properties are the office's."""
    from docx.oxml.ns import qn

    assert run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small).exit_code == 0
    document = open_docx(small / "letters/2021/2-P1.docx")
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312" and normal.get(qn("w:ascii")) == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    theme = document.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:eastAsia")) == "zh-CN"
    body = next(p for p in document.paragraphs if p.text.startswith("甲化工新材料项目（项目编号P1）"))
    assert body.runs[0]._r.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"  # 28 × 15.75 pt ≤ 156 mm
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    props = document.core_properties
    assert props.author == "测试市重点项目总指挥部办公室" and props.title.startswith("关于加快推进甲化工新材料项目")
    assert props.created.date().isoformat() == "2021-12-14" and "python-docx" not in (props.comments or "")


def test_several_attachments_are_numbered() -> None:
    from xmtj.documents.gongwen import Gongwen

    doc = Gongwen()
    doc.attachments(["甲清单", "乙清单"])
    assert [p.text for p in doc.doc.paragraphs if p.text] == ["附件：1.甲清单", "\u3000\u3000\u30002.乙清单"]


def test_the_briefing_as_a_word_file(run: Run, tmp_path: Path) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    out = tmp_path / "通报.docx"
    result = run("report", "--month", "2021-11", "--format", "docx", "--out", str(out), "--draft", ledger=REPO)
    assert result.exit_code == 0, result.output
    document = open_docx(out)
    lines = texts(document)
    assert lines[0] == "河津市重点项目总指挥部办公室文件"  # 文件格式
    from docx.oxml.ns import qn

    number = paragraph(document, "河重指办〔2021〕\u3000号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))  # the red rule under the 发文字号
    assert rule.get(qn("w:color")) == "FF0000" and number.paragraph_format.left_indent is None
    assert "关于2021年1—11月全市重点项目" in lines and "建设进展情况的通报" in lines  # broken between words
    heading = paragraph(document, "一、总体情况")
    assert east_asian_font(heading.runs[0]) == "黑体"
    ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "单位")  # 分指挥部排名
    assert ranking.rows[-1].cells[0].text == "合计" and len(ranking.rows) == 1 + 8 + 1
    assert paragraph(document, "各分指挥部、各责任单位：").alignment == WD_ALIGN_PARAGRAPH.LEFT
    # the detail table is an attachment in a landscape section, its header row repeated on every page
    assert document.sections[-2].orientation == WD_ORIENT.LANDSCAPE  # the last is the 版记's
    detail = next(t for t in document.tables if t.rows[0].cells[0].text == "项目编号")
    assert len(detail.rows) == 1 + 100 + 1 and detail.rows[-1].cells[0].text == "合计"
    assert "w:tblHeader" in detail.rows[0]._tr.xml and all("w:cantSplit" in r._tr.xml for r in detail.rows)
    assert "w:tblLayout" in detail._tbl.xml  # fixed widths, from the content
    # the 版记 last, on a portrait page of its own starting on an even page, unnumbered
    from docx.enum.section import WD_SECTION

    last = document.sections[-1]
    assert last.start_type == WD_SECTION.EVEN_PAGE and last.orientation == WD_ORIENT.PORTRAIT
    assert last.footer.paragraphs[0].text == "" and last.even_page_footer.paragraphs[0].text == ""
    colophon = document.tables[-1]
    issuer, printed = colophon.rows[-1].cells[0].text.split("\t")
    assert issuer == "河津市重点项目总指挥部办公室" and printed == f"{lines[lines.index(issuer) + 1]}印发"


def test_a_registered_letter_is_made_again(run: Run, small: Path) -> None:
    assert run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=small).exit_code == 0
    first = texts(open_docx(small / "letters/2021/2-P1.docx"))
    (small / "letters/2021/2-P1.docx").unlink()
    result = run("letter", "render", "测重指办督〔2021〕2号", ledger=small)
    assert result.exit_code == 0, result.output
    assert texts(open_docx(small / "letters/2021/2-P1.docx")) == first


def test_a_table_groups_rows_under_a_caption_row() -> None:
    """A row with only its first cell (``| 按投资类型 | | |``, as an office's own template may write) spans the
    table, in 楷体, as a caption over the rows under it."""
    import io

    import docx

    from xmtj.documents.wordfile import to_docx

    markdown = (
        "**某办公室**\n\n# 关于某事的通报\n\n各单位：\n\n| 类别 | 项目数 | 完成率 |\n| --- | ---: | ---: |\n"
        "| 按投资类型 | | |\n| 政府投资 | 32 | 105.2% |\n| 社会投资 | 68 | 100.7% |\n\n某办公室\n\n2021年12月14日\n"
    )
    document = docx.Document(io.BytesIO(to_docx(markdown, "某办公室", letter_form=False)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "类别")
    group = next(r for r in table.rows if r.cells[0].text == "按投资类型")
    assert len({id(c._tc) for c in group.cells}) == 1  # the group's row spans the table
    assert east_asian_font(group.cells[0].paragraphs[0].runs[0]) == "楷体_GB2312"


def test_a_letters_title_is_cut_without_building_the_segmenter() -> None:
    """A 督办提醒函's title is ``关于加快推进{name}建设的督办提醒函``: its fixed words are cut as jieba cuts them,
    the name kept whole; when that takes as few lines as any breaking could, jieba's dictionary (a second
    and 100 MB) is not built."""
    from xmtj.documents import titles

    titles._segmenter.cache_clear()
    cut = titles.words("关于加快推进山西某某新材料项目建设的督办提醒函", keep_name=True)
    assert cut == ["关于", "加快", "推进", "山西某某新材料项目", "建设", "的", "督办提醒函"]
    lines = titles.title_lines("关于加快推进河津市禹门口灌区节水改造工程建设的督办提醒函")
    assert lines == ["关于加快推进河津市禹门口灌区节水改造工程", "建设的督办提醒函"]  # as few lines as any breaking
    assert titles._segmenter.cache_info().currsize == 0
    for fixed, known in titles._KNOWN.items():  # the table says what jieba says
        assert titles._segmenter().lcut(fixed, HMM=False) == known


def test_titles_are_cut_as_jieba_cuts_them_from_a_small_dictionary(tmp_path: Path, monkeypatch: Any) -> None:
    """Each title is cut with a dictionary of its own substrings, looked up in a word list kept in the
    private cache: the same words as jieba's whole dictionary gives, for every demo name and title; the
    list is written once (mode 600) and read back by the next process without building jieba's."""
    import stat

    import yaml

    from tests.conftest import REPO
    from xmtj.documents import titles

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    titles._lexicon.cache_clear()
    names = [yaml.safe_load(p.read_text(encoding="utf-8"))["name"] for p in (REPO / "data/projects").glob("*.yaml")]
    names += ["关于2021年1—11月全市重点项目建设进展情况的通报", "截至2021年11月30日重点项目未办结问题清单"]
    for name in names:
        assert titles.words(name) == [w for w in titles._segmenter().lcut(name, HMM=False) if w], name
    [kept] = (tmp_path / "cache/xmtj").glob("title-words-*.txt")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    titles._lexicon.cache_clear()
    titles._segmenter.cache_clear()
    assert titles.words("河津市禹门口灌区节水改造工程") == ["河津市", "禹门口", "灌区", "节水", "改造", "工程"]
    assert titles._segmenter.cache_info().currsize == 0  # read from the list, jieba's dictionary not built
