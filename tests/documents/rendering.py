"""Documents rendered as an office would print them: LibreOffice (headless) turns the .docx and .xlsx files
into PDF, and poppler's ``pdftotext -bbox-layout`` gives every word's box on every page, in millimetres
from the page's top-left corner — what the tests measure GB/T 9704's positions with.

LibreOffice runs once per test run for every document (one process, a private profile), and only where it
is installed; ``.ci/run`` installs it, so CI always renders.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MM = 25.4 / 72  # millimetres a PDF point

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
AVAILABLE = SOFFICE is not None and PDFTOTEXT is not None


@dataclass(frozen=True)
class Word:
    text: str
    left: float  # mm from the page's left edge
    top: float  # mm from the page's top edge
    right: float
    bottom: float


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def left(self) -> float:
        return min(w.left for w in self.words)

    @property
    def right(self) -> float:
        return max(w.right for w in self.words)


@dataclass(frozen=True)
class Page:
    width: float  # mm
    height: float
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def line_with(self, words: str) -> Line | None:
        return next((line for line in self.lines if words in line.text), None)


# Word files with the pages LibreOffice inserts to start a section on an even page (the 版记's) kept, as a
# printer prints them; by default its PDF export leaves them out
WRITER_PDF = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def to_pdf(documents: Sequence[Path], folder: Path) -> list[Path]:
    """Every document as a PDF in ``folder``, by LibreOffice with a profile of its own (one run for the
    Word files, one for the others)."""
    assert SOFFICE is not None
    profile = folder / "libreoffice-profile"
    for target, group in (
        (WRITER_PDF, [d for d in documents if d.suffix == ".docx"]),
        ("pdf", [d for d in documents if d.suffix != ".docx"]),
    ):
        if group:
            subprocess.run(
                [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
                 "--outdir", str(folder), *map(str, group)],
                check=True, capture_output=True, timeout=600,
            )  # fmt: skip
    return [folder / f"{d.stem}.pdf" for d in documents]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def pages(pdf: Path) -> list[Page]:
    """The PDF's pages, each with its lines of words and their boxes."""
    assert PDFTOTEXT is not None
    done = subprocess.run([PDFTOTEXT, "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    found = []
    for width, height, body in _PAGE.findall(done.stdout):
        lines = []
        for line in _LINE.findall(body):
            words = tuple(
                Word(html.unescape(text), float(x0) * MM, float(y0) * MM, float(x1) * MM, float(y1) * MM)
                for x0, y0, x1, y1, text in _WORD.findall(line)
            )
            if words:
                lines.append(Line(words))
        found.append(Page(float(width) * MM, float(height) * MM, tuple(lines)))
    return found


@dataclass(frozen=True)
class Rule:
    top: float  # mm from the page's top edge
    bottom: float
    left: float  # mm from the page's left edge
    right: float

    @property
    def length(self) -> float:
        return self.right - self.left


def red_rules(pdf: Path, page: int, dpi: int = 100) -> list[Rule]:
    """The red horizontal rules on a page (rows where a third of the width is red, grouped), from poppler's
    bitmap of it."""
    done = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf)],
        check=True, capture_output=True,
    )  # fmt: skip
    magic, size, _depth, data = done.stdout.split(b"\n", 3)
    assert magic == b"P6"
    width, height = map(int, size.split())
    rows: list[tuple[int, int, int]] = []
    for y in range(height):
        line = data[y * width * 3 : (y + 1) * width * 3]
        red = [x for x in range(0, width, 2) if line[3 * x] > 180 and line[3 * x + 1] < 100 and line[3 * x + 2] < 100]
        if len(red) * 2 > width / 3:
            rows.append((y, min(red), max(red)))
    rules: list[Rule] = []
    per = 25.4 / dpi
    for y, x0, x1 in rows:
        if rules and y * per - rules[-1].bottom <= 1.0:  # one rule (or a double rule's two lines)
            last = rules[-1]
            rules[-1] = Rule(last.top, (y + 1) * per, min(last.left, x0 * per), max(last.right, (x1 + 1) * per))
        else:
            rules.append(Rule(y * per, (y + 1) * per, x0 * per, (x1 + 1) * per))
    return rules
