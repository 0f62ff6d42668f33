"""Render the README's pictures from the real output on the demo ledger: the first page of a 督办提醒函 and of
the 通报 (Word), the first page and the chart sheet of the Excel 台账, a unit's dispatch sheet, and the site's
总览 at a desktop's width and a project page at a phone's.

A developer's tool, not needed by the tests or CI. It needs LibreOffice, the CJK fonts, poppler and Chromium:

    apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils chromium
    python scripts/render_pictures.py            # writes docs/pictures/*.png

The office's fonts (仿宋_GB2312, 方正小标宋简体 …) are not on a Linux machine: LibreOffice substitutes Noto
CJK, so the pictures show the layout, not the office's typefaces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PICTURES = REPO / "docs" / "pictures"


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def page_with(pdf: Path, words: str) -> int:
    """The first page of ``pdf`` whose text contains ``words``."""
    pages = run("pdftotext", "-layout", str(pdf), "-").split("\f")
    return next((n for n, text in enumerate(pages, start=1) if words in text.replace(" ", "")), 1)


def picture(document: Path, out: Path, words: str | None = None, dpi: int = 80) -> None:
    folder = document.parent
    run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(document))
    pdf = document.with_suffix(".pdf")
    page = page_with(pdf, words) if words else 1
    stem = folder / out.stem
    run("pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem))
    shutil.copy(stem.with_suffix(".png"), out)
    print(f"{out.relative_to(REPO)}  ← {document.name}, page {page}")


def screenshot(page: Path, out: Path, width: int, height: int) -> None:
    """A page of the site as headless Chromium shows it in a window ``width`` px wide (the top ``height`` px)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or sys.exit("chromium is missing")
    run(browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={width},{height}",
        f"--screenshot={out}", page.as_uri())  # fmt: skip
    print(f"{out.relative_to(REPO)}  ← {page.name}, {width} px")


def main() -> None:
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: see this script's docstring")
    xmtj = shutil.which("xmtj") or sys.exit("xmtj is not installed (pip install -e .)")
    PICTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = work / "demo"  # a copy of the demo ledger, in git, for a fresh round of letters
        demo.mkdir()
        shutil.copy(REPO / "xmtj.yaml", demo / "xmtj.yaml")
        shutil.copytree(REPO / "data", demo / "data")
        setup = (
            ["init", "-q"],
            ["config", "user.name", "xmtj"],
            ["config", "user.email", "xmtj@example.com"],
            ["add", "-A"],
            ["commit", "-qm", "演示台账"],
        )  # the identity the letters' commits carry too
        for args in setup:
            run("git", *args, cwd=demo)
        briefing, book = work / "briefing.docx", work / "ledger.xlsx"
        ledger = ["--ledger", str(demo)]
        run(xmtj, "report", "--month", "2021-11", "--date", "2021-12-14", "--draft", "--format", "docx", "--out",
            str(briefing), *ledger)  # fmt: skip
        run(xmtj, "remind", "--as-of", "2021-11-30", "--date", "2021-12-14", *ledger)
        letter = demo / "letters/2021/21-HJ2021-051.docx"
        run(xmtj, "status", "--as-of", "2021-11-30", "--format", "xlsx", "--out", str(book), *ledger)
        picture(letter, PICTURES / "letter.png")
        picture(briefing, PICTURES / "briefing.png")
        picture(briefing, PICTURES / "briefing-attachment.png", words="项目编号")
        picture(book, PICTURES / "workbook.png", words="重点项目建设进展情况表", dpi=50)
        picture(book, PICTURES / "workbook-charts.png", words="各分指挥部年度计划完成率", dpi=70)
        keys = dict(os.environ, XDG_CONFIG_HOME=str(work / "config"))  # the demo's dispatch key, thrown away
        run(xmtj, "dispatch", "--month", "2021-12", "--future", *ledger, env=keys)
        picture(demo / "dispatch/2021-12/市能源局.xlsx", PICTURES / "dispatch-sheet.png", dpi=70)
        site = work / "site"
        run(xmtj, "site", "--as-of", "2021-11-30", "--out", str(site), *ledger)
        screenshot(site / "index.html", PICTURES / "site-overview.png", 1366, 1500)
        screenshot(site / "p" / "HJ2021-001.html", PICTURES / "site-project-phone.png", 390, 1400)


if __name__ == "__main__":
    main()
