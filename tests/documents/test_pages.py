"""The documents as printed: the demo's 通报 and a 督办提醒函 rendered by LibreOffice (once per test run), their
pages counted and GB/T 9704's positions measured on the PDF, ±1 mm (``rendering``).

Skipped only where LibreOffice or poppler is missing; ``.ci/run`` installs both, so CI always renders.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GIT_PINNED, copy_demo
from tests.documents import rendering
from tests.documents.rendering import Page, pages, red_rules
from xmtj.documents.tables import char_em

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not rendering.AVAILABLE, reason="LibreOffice (soffice) and poppler (pdftotext) are needed"),
]

TOLERANCE = 1.0  # mm
TEXT_TOP, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT = 37.0, 297.0 - 35.0, 28.0, 210.0 - 26.0


def xmtj(*args: str, cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "xmtj", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The demo's 通报 (a draft of November's) and the letters of a ``remind`` on a copy of the demo, as
    PDF: one LibreOffice run for all."""
    work = tmp_path_factory.mktemp("pages")
    home = work / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(work / "cache"), **GIT_PINNED)
    demo = copy_demo(work / "demo")
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "演示台账")):
        subprocess.run(["git", *args], cwd=demo, env=env, check=True, capture_output=True)
    briefing = work / "briefing.docx"
    xmtj("report", "--month", "2021-11", "--date", "2021-12-14", "--draft", "--format", "docx", "--out",
         str(briefing), cwd=demo, env=env)  # fmt: skip
    xmtj("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", cwd=demo, env=env)
    letter = demo / "letters/2021/21-HJ2021-051.docx"  # a letter with a one-table attachment
    assert letter.exists(), sorted(p.name for p in (demo / "letters/2021").glob("*.docx"))
    county = small_county(copy_demo(work / "county"), projects=35)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "35个项目的县")):
        subprocess.run(["git", *args], cwd=county, env=env, check=True, capture_output=True)
    small = work / "county.docx"
    xmtj("report", "--month", "2021-11", "--date", "2021-12-14", "--draft", "--format", "docx", "--out",
         str(small), cwd=county, env=env)  # fmt: skip
    ledger_book = work / "taizhang.xlsx"
    xmtj("status", "--as-of", "2021-11-30", "--format", "xlsx", "--out", str(ledger_book), cwd=demo, env=env)
    xmtj("dispatch", "--month", "2021-12", "--future", cwd=demo, env=env)
    sheet = demo / "dispatch/2021-12/市能源局.xlsx"  # the unit with the most projects (18)
    pdfs = rendering.to_pdf([briefing, letter, ledger_book, sheet, small], work)
    yield dict(zip(("briefing", "letter", "ledger", "dispatch", "county"), pdfs, strict=True))


def small_county(demo: Path, projects: int) -> Path:
    """The demo cut to a smaller county's list: ``projects`` of its 100 projects of 2021, evenly spread (the
    next year's plan kept whole), with the problems and letters of the projects kept, and the meetings
    naming only those."""
    ids = sorted(p.stem for p in (demo / "data/projects").glob("HJ2021-*.yaml"))
    kept = {ids[n * len(ids) // projects] for n in range(projects)}
    kept |= {p.stem for p in (demo / "data/projects").glob("HJ2022-*.yaml")}
    for record in (demo / "data/projects").glob("*.yaml"):
        if record.stem not in kept:
            record.unlink()
    for folder in ("issues", "letters"):
        for record in (demo / "data" / folder).glob("*.yaml"):
            if not set(re.findall(r"HJ\d{4}-\d{3}", record.read_text(encoding="utf-8"))) <= kept:
                record.unlink()
    for record in (demo / "data/meetings").glob("*.yaml"):
        text = record.read_text(encoding="utf-8")
        listed = re.sub(r"\[((?:\s*HJ\d{4}-\d{3}\s*,?)+)\]",
                        lambda m: "[" + ", ".join(i.strip() for i in m[1].split(",") if i.strip() in kept) + "]",
                        text)  # fmt: skip
        record.write_text(listed, encoding="utf-8")
    return demo


@pytest.fixture(scope="session")
def briefing(rendered: dict[str, Path]) -> list[Page]:
    return pages(rendered["briefing"])


@pytest.fixture(scope="session")
def county(rendered: dict[str, Path]) -> list[Page]:
    return pages(rendered["county"])


@pytest.fixture(scope="session")
def ledger_book(rendered: dict[str, Path]) -> list[Page]:
    return pages(rendered["ledger"])


@pytest.fixture(scope="session")
def dispatch_sheet(rendered: dict[str, Path]) -> list[Page]:
    return pages(rendered["dispatch"])


@pytest.fixture(scope="session")
def letter(rendered: dict[str, Path]) -> list[Page]:
    return pages(rendered["letter"])


def number_of(page: Page) -> int | None:
    """The page's printed number (— 3 —), if it has one."""
    found = [int(m[1]) for line in page.lines if (m := re.fullmatch(r"—\s*(\d+)\s*—", line.text))]
    return found[0] if found else None


def test_the_briefing_is_a_handful_of_pages(briefing: list[Page]) -> None:
    """The demo's 通报 (100 projects): the body on at most 7 portrait pages (the 18 lit projects' table, and
    since issue 24 the month's prose: changes since October, the ranking, early and late milestones, the
    problems, five 下步工作 blocks), the two attachments in landscape with at least 18 projects a full page,
    the 版记 on a portrait page of its own: at most 14 pages (the bound restated in issues 23 and 24's
    notes)."""
    kinds = "".join("L" if p.landscape else "P" for p in briefing)
    assert re.fullmatch(r"P{1,7}L+P{1,2}", kinds), kinds
    assert len(briefing) <= 14
    detail = [p for p in briefing if p.landscape and re.search(r"HJ2021-\d{3}", p.text)]
    rows = [len(re.findall(r"HJ2021-\d{3}", p.text)) for p in detail]
    assert sum(rows) == 100 and all(n >= 18 for n in rows[1:-1]) and len(detail) <= 5, rows


def test_a_smaller_countys_briefing(county: list[Page]) -> None:
    """A county of 35 projects: the body on at most 6 portrait pages, 附件1 on 2 landscape pages, 附件2 on
    one, the 版记 on an even page: 10 in all (the bound restated in issues 23 and 24's notes; the issue's 5
    would leave no room for the 35 rows of 附件1)."""
    kinds = "".join("L" if p.landscape else "P" for p in county)
    assert re.fullmatch(r"P{1,6}L{1,3}P{1,2}", kinds), kinds  # a blank page before the 版记 when needed
    assert len(county) <= 10 and len(county) % 2 == 0
    assert "2021年全市共安排重点项目35个" in "".join("".join(p.text.split()) for p in county[:2])


def test_the_briefing_file_form_measures(rendered: dict[str, Path], briefing: list[Page]) -> None:
    """文件格式: the 标志 35 mm under the text block's top; the 字号 two lines under it, centred; a red rule
    as wide as the text block 4 mm under the 字号; the title two lines under the rule."""
    first = briefing[0]
    mark = first.line_with("总指挥部办公室文件")
    number = first.line_with("〔2021〕")
    assert mark is not None and number is not None
    assert mark.top == pytest.approx(TEXT_TOP + 35, abs=TOLERANCE)
    assert (number.left + number.right) / 2 == pytest.approx((TEXT_LEFT + TEXT_RIGHT) / 2, abs=TOLERANCE)
    [rule] = red_rules(rendered["briefing"], 1)
    assert rule.top - number.bottom == pytest.approx(4, abs=TOLERANCE)
    assert (rule.left, rule.right) == (
        pytest.approx(TEXT_LEFT, abs=TOLERANCE),
        pytest.approx(TEXT_RIGHT, abs=TOLERANCE),
    )
    title = first.line_with("关于2021年1—11月")
    assert title is not None and title.top - rule.bottom > 15  # 空二行


def test_page_numbers_sit_7_mm_under_the_text_block(briefing: list[Page], letter: list[Page]) -> None:
    for page in briefing[:3] + letter[1:]:
        line = next(line for line in page.lines if re.fullmatch(r"—\s*\d+\s*—", line.text))
        assert line.top == pytest.approx(TEXT_BOTTOM + 7, abs=TOLERANCE)
    numbers = [number_of(p) for p in briefing[:4]]
    assert numbers == [1, 2, 3, 4]
    odd, even = (next(x for x in briefing[i].lines if re.fullmatch(r"—\s*\d+\s*—", x.text)) for i in (0, 1))
    assert odd.left > 150 and even.right < 60  # right on odd pages, left on even ones


def test_landscape_pages_are_numbered_where_the_portrait_pages_are(briefing: list[Page]) -> None:
    """A landscape page is bound with its head at the 订口: turned upright, its left edge is the portrait
    page's foot. Its number stands there, turned a quarter, at the portrait number's place: its top 7 mm under
    the text block (x = 297 − 269), its end a character in from the block's right on odd pages (y = 179), its
    start a character in from the block's left on even ones (y = 33); nothing along the long edge."""
    landscape = [(n, page) for n, page in enumerate(briefing, start=1) if page.landscape]
    assert len(landscape) >= 2
    for n, page in landscape:
        edge = sorted((w for line in page.lines for w in line.words if w.right < 30), key=lambda w: w.top)
        assert "".join(w.text for w in edge) == f"—{n}—", (n, [w.text for w in edge])
        assert max(w.right for w in edge) == pytest.approx(297 - (TEXT_BOTTOM + 7), abs=TOLERANCE)
        if n % 2:
            assert edge[-1].bottom == pytest.approx(TEXT_RIGHT - 14 * 25.4 / 72, abs=TOLERANCE)
        else:
            assert edge[0].top == pytest.approx(TEXT_LEFT + 14 * 25.4 / 72, abs=TOLERANCE)
        assert not any(re.fullmatch(r"—\s*\d+\s*—", line.text) and line.left > 30 for line in page.lines)


def test_the_colophon_is_at_the_foot_of_an_even_last_page(briefing: list[Page]) -> None:
    last = briefing[-1]
    assert len(briefing) % 2 == 0 and not last.landscape and number_of(last) is None
    printed = last.line_with("印发")
    assert printed is not None and printed.bottom == pytest.approx(TEXT_BOTTOM - 1.5, abs=1.5)


def test_a_body_line_holds_28_characters(briefing: list[Page]) -> None:
    """A full line of the body (a line of a paragraph that goes on) is 28 characters of 3号 wide."""
    full = [line for page in briefing if not page.landscape for line in page.lines
            if line.left == pytest.approx(TEXT_LEFT, abs=0.5) and line.right == pytest.approx(TEXT_RIGHT, abs=0.8)
            and (line.bottom - line.top) > 5]  # fmt: skip
    chinese = [line.text for line in full if all(char_em(ch) == 1 for ch in line.text)]  # no figures in it
    assert chinese and all(len(text) == 28 for text in chinese), chinese


def test_no_id_date_or_number_is_broken_in_a_table(briefing: list[Page]) -> None:
    """Each cell's line is a line of the PDF's text: an id cut in two (HJ2021-/001) or a date cut would not
    be found whole."""
    text = "\n".join(p.text for p in briefing if p.landscape)
    assert len(re.findall(r"HJ2021-\d{3}", text)) == 100
    open_problems = re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", text.split("附件2")[-1])
    assert len(open_problems) >= 17  # the title's date and each 办结时限, whole on their lines


def test_the_letter_form_measures(rendered: dict[str, Path], letter: list[Page]) -> None:
    """信函格式: the 标志 30 mm from the page's top; red double rules 170 mm long, 4 mm under the 标志 and
    20 mm above the page's bottom edge; no page number on the first page; three pages at most; the 抄送 at
    the foot of the last page."""
    assert len(letter) <= 3
    first = letter[0]
    mark = first.line_with("河津市重点项目总指挥部办公室")
    assert mark is not None and mark.top == pytest.approx(30, abs=TOLERANCE)
    upper, lower = red_rules(rendered["letter"], 1)
    assert upper.top - mark.bottom == pytest.approx(4, abs=TOLERANCE)
    assert upper.length == pytest.approx(170, abs=TOLERANCE) and lower.length == pytest.approx(170, abs=TOLERANCE)
    assert 297 - (lower.top + lower.bottom) / 2 == pytest.approx(20, abs=TOLERANCE)
    assert number_of(first) is None and number_of(letter[1]) == 2
    copy = letter[-1].line_with("抄送：")
    assert copy is not None and copy.bottom == pytest.approx(TEXT_BOTTOM, abs=2 * TOLERANCE)


# --- the sheets ---------------------------------------------------------------------------------------


def overprinted(page: Page, tolerance: float = 0.3) -> list[tuple[str, str]]:
    """Pairs of words on ``page`` whose boxes overlap (text drawn over text)."""
    words = sorted((w for line in page.lines for w in line.words), key=lambda w: w.top)
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.top >= a.bottom - tolerance:
                break
            if min(a.right, b.right) - max(a.left, b.left) > tolerance:
                found.append((a.text, b.text))
    return found


def test_the_ledger_workbook_prints_one_a3_page_wide_without_overprinting(ledger_book: list[Page]) -> None:
    """The 台账 (100 projects): A3 landscape pages, every page with the title, the whole header (序号 … 亮灯)
    and its number (第 N 页 共 M 页); every project on exactly one page; no wrapped name, unit, leader or
    problem runs into the next row."""
    demo = Path(__file__).resolve().parents[2] / "data/projects"
    ids = sorted(p.stem for p in demo.glob("*.yaml"))
    sheet = [p for p in ledger_book if "重点项目建设进展情况表" in p.text]
    assert sheet and len(sheet) <= 8, len(sheet)
    for n, page in enumerate(ledger_book, start=1):
        assert page.landscape and round(page.width) == 420 and round(page.height) == 297
        assert f"第{n}页共{len(ledger_book)}页" in page.text.replace(" ", "")
        assert overprinted(page) == [], overprinted(page)[:5]
    for page in sheet:
        header = page.line_with("序号")
        assert header is not None
        band = {w.text for line in page.lines for w in line.words if abs(w.top - header.top) < 6}
        assert {"序号", "项目名称", "亮灯"} <= band, band
    seen = [
        w.text for page in sheet for line in page.lines for w in line.words if re.fullmatch(r"HJ\d{4}-\d{3}", w.text)
    ]
    keys = [i for i in seen if i in ids]
    assert sorted(keys) == [i for i in ids if i in set(keys)] and len(keys) == len(set(keys)) >= 90


def test_the_ledger_workbooks_plan_line_is_the_schedule(ledger_book: list[Page]) -> None:
    """The chart's plan line is 按时序应完成 (the annual plan × 11/12: 483,450 at November's end, the basis
    of 时序进度 91.7%), labelled at its end beside the completed 539,400."""
    chart = next(p for p in ledger_book if "累计完成投资与时序进度" in p.text)
    text = chart.text.replace(" ", "")
    assert "按时序应完成" in text and "483,450" in text and "539,400" in text and "91.7%" in text


def test_a_dispatch_sheet_prints_as_an_offices_form(dispatch_sheet: list[Page]) -> None:
    """市能源局's sheet (18 projects): one A4 landscape page, its whole title and headings, every project,
    the foot line a 月报 form has; no text over text."""
    assert len(dispatch_sheet) == 1
    page = dispatch_sheet[0]
    assert page.landscape and round(page.width) == 297 and round(page.height) == 210
    text = page.text.replace(" ", "").replace("\n", "")
    assert "2021年12月重点项目调度任务（市能源局）" in text
    for heading in ("年度计划", "上月末累计", "当月完成投资", "（万元）", "形象进度", "存在问题", "实际投产日期"):
        assert heading in text, heading
    ids = [w.text for line in page.lines for w in line.words if re.fullmatch(r"HJ\d{4}-\d{3}", w.text)]
    assert len(ids) == 18
    for label in ("填报单位（盖章）：市能源局", "填报人：", "联系电话：", "审核人：", "填报日期："):
        assert label in text, label
    assert overprinted(page) == [], overprinted(page)[:5]
