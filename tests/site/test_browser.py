"""The demo's site opened in headless Chromium from ``file://``: every page loads with no console error and
no request outside the folder, the 总览 and a project page fit 1366 and 390 px, the 总览's figures are
``status``'s, the project table's filters and sorting work, a project page lists its problems and history,
and a hostile record's page runs nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.site.browser import Browser, Tab, chromium
from tests.site.test_site import demo_site, demo_status  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(chromium() is None, reason="Chromium is not installed")]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    found = Browser(str(chromium()))
    try:
        yield found
    finally:
        found.close()


@pytest.fixture(scope="module")
def tab(browser: Browser, demo_site: Path) -> Tab:  # noqa: F811
    return browser.open((demo_site / "index.html").as_uri())


def test_every_page_loads_offline_with_no_console_error(browser: Browser, demo_site: Path) -> None:  # noqa: F811
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 100
    tabs = [browser.open("about:blank") for _ in range(6)]  # six pages at a time
    try:
        for start in range(0, len(pages), len(tabs)):
            batch = pages[start : start + len(tabs)]
            browser.visit(tabs, [page.as_uri() for page in batch])
            for tab, page in zip(tabs, batch, strict=False):
                assert tab.console == [], f"{page.relative_to(demo_site)}: {tab.console}"
                outside = [url for url in tab.requests if not url.startswith(demo_site.as_uri() + "/")]
                assert outside == [], f"{page.relative_to(demo_site)} asked for {outside}"
                assert tab.evaluate("document.styleSheets.length") == 1  # the stylesheet loaded under the CSP
    finally:
        for tab in tabs:
            tab.close()


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("page", ["index.html", "projects.html", "p/HJ2021-001.html", "issues.html", "returns.html"])
def test_no_horizontal_overflow(
    browser: Browser,
    demo_site: Path,  # noqa: F811
    width: int,
    page: str,
    tmp_path: Path,
) -> None:
    shown = browser.open((demo_site / page).as_uri(), width, 900, mobile=width < 500)
    try:
        assert shown.overflow() <= 0, f"{page} at {width}px is {shown.overflow()}px too wide"
        picture = tmp_path / "page.png"
        shown.screenshot(picture)
        assert int.from_bytes(picture.read_bytes()[16:20], "big") == width  # the PNG's width: nothing sticks out
        if width == 390:  # each chart fits the phone
            assert shown.evaluate("Math.max(0, ...[...document.querySelectorAll('svg')].map(s => "
                                  "s.getBoundingClientRect().right))") <= 390  # fmt: skip
    finally:
        shown.close()


def test_the_overview_shows_the_status_figures(tab: Tab, demo_site: Path, demo_status: dict) -> None:  # noqa: F811
    tab.goto((demo_site / "index.html").as_uri())
    shown = json.loads(tab.evaluate(
        "JSON.stringify(Object.fromEntries([...document.querySelectorAll('.card[data-figure]')].map(c => "
        "[c.dataset.figure, [c.dataset.value, c.querySelector('.figure').textContent]])))"
    ))  # fmt: skip
    assert shown["projects"] == [str(demo_status["projects"]), f"{demo_status['projects']}个"]
    assert shown["completed_ytd"][1] == f"{demo_status['completed_ytd'] / 10000:.2f}亿元"
    assert shown["plan_rate"][1] == f"{float(demo_status['plan_rate']) * 100:.1f}%"
    assert shown["start_resume"][1] == f"{float(demo_status['start_resume']['rate']) * 100:.1f}%"
    lights = json.loads(tab.evaluate(
        "JSON.stringify([...document.querySelectorAll('.light-counts li[data-light] strong')].map(s => +s.textContent))"
    ))  # fmt: skip
    status = demo_status["lights"]
    assert lights == [status["red"], status["yellow"], status["green"], status["not_due"] + status["unscheduled"]]


def test_the_project_table_filters_and_sorts(tab: Tab, demo_site: Path, demo_status: dict) -> None:  # noqa: F811
    tab.goto((demo_site / "projects.html").as_uri())
    visible = "[...document.querySelectorAll('table.projects tbody tr')].filter(r => !r.hidden)"
    assert tab.evaluate(f"{visible}.length") == demo_status["projects"]

    def choose(name: str, value: str) -> int:
        tab.evaluate(f"(() => {{ const f = document.getElementById('filters'); f.elements['{name}'].value = "
                     f"{json.dumps(value)}; f.dispatchEvent(new Event('input')); }})()")  # fmt: skip
        return int(tab.evaluate(f"{visible}.length"))

    red = sum(1 for r in demo_status["rows"] if r["light"] == "red")
    assert choose("light", "红灯") == red
    branch = demo_status["rows"][0]["branch"]
    both = sum(1 for r in demo_status["rows"] if r["light"] == "red" and r["branch"] == branch)
    assert choose("branch", branch) == both
    assert "显示" in tab.evaluate("document.getElementById('filters').elements.count.value")
    choose("light", "")
    choose("branch", "")
    assert choose("text", "HJ2021-001") == 1
    choose("text", "")
    tab.evaluate("[...document.querySelectorAll('table.projects th button')].find(b => b.textContent === '完成率')"
                 ".click()")  # fmt: skip
    rates = json.loads(tab.evaluate(
        f"JSON.stringify({visible}.map(r => r.cells[6].dataset.value).filter(v => v !== '').map(Number))"
    ))  # fmt: skip
    assert rates == sorted(rates) and len(rates) > 50


def test_the_overviews_light_counts_open_the_table_filtered(tab: Tab, demo_site: Path, demo_status: dict) -> None:  # noqa: F811
    tab.goto((demo_site / "index.html").as_uri())
    href = tab.evaluate("document.querySelector('.light-counts li[data-light=yellow] a').href")
    tab.goto(href)
    shown = tab.evaluate("[...document.querySelectorAll('table.projects tbody tr')].filter(r => !r.hidden).length")
    assert shown == sum(1 for r in demo_status["rows"] if r["light"] == "yellow") > 0
    assert tab.evaluate("document.getElementById('filters').elements.light.value") == "黄灯"


def test_the_table_is_whole_without_the_script(browser: Browser, demo_site: Path) -> None:  # noqa: F811
    shown = browser.open("about:blank")
    try:
        shown.send("Emulation.setScriptExecutionDisabled", {"value": True})
        shown.goto((demo_site / "projects.html").as_uri())
        assert shown.evaluate("document.querySelectorAll('table.projects tbody tr').length") == 100
        assert shown.evaluate("document.getElementById('filters').hidden") is True  # no dead controls
    finally:
        shown.close()


def test_a_project_page_lists_its_problems_and_history(tab: Tab, demo_site: Path) -> None:  # noqa: F811
    tab.goto((demo_site / "p" / "HJ2021-001.html").as_uri())
    issues = json.loads(
        tab.evaluate("JSON.stringify([...document.querySelectorAll('[data-issue]')].map(e => e.dataset.issue))")
    )
    mine = sorted(p.stem for p in (REPO / "data/issues").glob("*.yaml")
                  if re.search(r"^project: HJ2021-001\b", p.read_text(encoding="utf-8"), re.M))  # fmt: skip
    assert sorted(issues) == mine and mine
    history = tab.evaluate("document.querySelectorAll('ol.history > li').length")
    assert history >= 2 and "2021年11月完成投资" in tab.evaluate("document.querySelector('ol.history').textContent")


def test_a_hostile_record_runs_nothing_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    from tests.conftest import LedgerDir
    from tests.site.test_site import HOSTILE, xmtj

    ledger = LedgerDir(tmp_path / "ledger")
    ledger.project("P1", extra=f"""\
        content: '{HOSTILE[0]}'
        location: '{HOSTILE[1].replace("'", "''")}'
        remarks: '{HOSTILE[2]}'
        capacity: '{HOSTILE[3]}{HOSTILE[5]}'
        annual_plan: {{2021: 1000}}
        planned_start: 2021-03-01
        progress:
          2021-03: {{amount: 100, text: '{HOSTILE[4]}'}}
    """)  # fmt: skip
    done = xmtj("site", "--ledger", str(ledger.root), "--as-of", "2021-03-31", cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    shown = browser.open((ledger.root / "site/p/P1.html").as_uri())
    try:
        dialogs = [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
        assert dialogs == [] and shown.console == []
        assert shown.evaluate("document.scripts.length") == 1 and shown.evaluate("document.images.length") == 0
        text = shown.evaluate("document.body.innerText")
        assert HOSTILE[0] in text and HOSTILE[1] in text and "javascript:alert(3)" in text
        assert shown.evaluate("[...document.links].every(a => a.protocol === 'file:')")
    finally:
        shown.close()


CONTRAST = """(() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 :
    Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const back = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c; } return [255, 255, 255]; };
  const worst = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('svg') || !el.getClientRects().length) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(back(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([n.textContent.trim().slice(0, 20), ratio.toFixed(2)]);
  }
  for (const t of document.querySelectorAll('svg text')) {
    if (t.classList.contains('on-light')) continue;  // on the lights' colours: checked below
    const a = lum(rgb(getComputedStyle(t).fill)), b = lum([255, 255, 255]);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([t.textContent.slice(0, 20), ratio.toFixed(2)]);
  }
  for (const t of document.querySelectorAll('svg text.on-light')) {
    const rect = [...t.parentNode.querySelectorAll('rect.light')].find(r => r.classList.contains(t.classList[1]));
    const a = lum(rgb(getComputedStyle(t).fill)), b = lum(rgb(getComputedStyle(rect).fill));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([t.textContent, ratio.toFixed(2)]);
  }
  return JSON.stringify(worst);
})()"""


@pytest.mark.parametrize("page", ["index.html", "projects.html", "p/HJ2021-001.html", "returns.html"])
def test_text_is_dark_on_light_with_contrast_of_at_least_4_5(tab: Tab, demo_site: Path, page: str) -> None:  # noqa: F811
    tab.goto((demo_site / page).as_uri())
    assert json.loads(tab.evaluate(CONTRAST)) == []


def test_keyboard_focus_is_visible(tab: Tab, demo_site: Path) -> None:  # noqa: F811
    tab.goto((demo_site / "index.html").as_uri())
    for _ in range(3):  # 跳到正文, then the menu
        for kind in ("keyDown", "keyUp"):
            tab.send("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})
    focused = json.loads(tab.evaluate(
        "JSON.stringify([document.activeElement.tagName, getComputedStyle(document.activeElement).outlineStyle, "
        "parseFloat(getComputedStyle(document.activeElement).outlineWidth)])"
    ))  # fmt: skip
    assert focused[0] == "A" and focused[1] == "solid" and focused[2] >= 2


def test_the_print_stylesheet_leaves_out_the_menu(tab: Tab, demo_site: Path) -> None:  # noqa: F811
    tab.goto((demo_site / "index.html").as_uri())
    tab.send("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert tab.evaluate("getComputedStyle(document.querySelector('header nav')).display") == "none"
        assert tab.evaluate("getComputedStyle(document.querySelector('.office')).display") != "none"  # who, when
    finally:
        tab.send("Emulation.setEmulatedMedia", {"media": ""})
