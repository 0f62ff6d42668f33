"""Tables laid out as an office lays them out: each column as wide as its content needs, measured in the
widths of the characters it holds, so that ids, 文号, dates and figures never wrap and the names and texts
share the rest in the way that makes the table shortest.

Widths are estimated from the fonts a 公文 uses: CJK and full-width characters are one em; digits and
Latin letters are set in Times New Roman (``gongwen.LATIN``, as offices set figures), whose widths are
fixed by the font (a digit half an em, ``%`` five sixths …). Pure arithmetic, no Word: ``column_widths``
gives the widths (in points) that ``gongwen.Gongwen.table`` gives the table, ``cell_lines`` how many lines
a cell will take (what the tests check).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

PADDING_PT = 2.8  # a cell's left and right padding, each (about 1 mm)
SLACK = 1.04  # renderers differ by a few per cent: a column is that much wider than its text
# text that must never wrap: figures (1,234.5, 97.0%, +5.3, —), ids (HJ2021-001, WT2021-003), 文号
# (河重指办督〔2021〕17号), dates (2021年12月14日, 2021-12-14), short codes, lights, counts (2/1/5)
_WHOLE = re.compile(
    r"[-+]?[\d,]+(\.\d+)?%?|—|-|[A-Za-z]{1,8}\d{0,4}[-:]?[A-Za-z\d-]*|\S*〔\d{4}〕\d+号|\d{4}年\d{1,2}月(\d{1,2}日)?"
    r"|\d{4}-\d{2}(-\d{2})?|[红黄绿]灯|\d+/\d+(/\d+)?|第\d+名"
)
# pieces a line may not be broken inside: runs of Latin letters and figures (with their signs), a 文号, a
# date; every other character (CJK) is a piece of its own
_PIECE = re.compile(r"\S*〔\d{4}〕\d+号|\d{4}年\d{1,2}月(?:\d{1,2}日)?|[A-Za-z0-9.,%+\-:/]+|.")
# Times New Roman's advance widths (em) for the characters tables hold; other Latin characters half an em
_LATIN_EM = {".": 0.25, ",": 0.25, ":": 0.278, "%": 0.833, "-": 0.333, "+": 0.564, "/": 0.278, " ": 0.25}
_UPPER_EM = 0.72


def char_em(ch: str) -> float:
    """One character's width in ems."""
    code = ord(ch)
    if code >= 0x2E80 or 0x2014 <= code <= 0x2026 or code == 0x00B7:  # CJK, full-width, —, …, ·
        return 1.0
    if ch in _LATIN_EM:
        return _LATIN_EM[ch]
    return _UPPER_EM if ch.isupper() else 0.5


AUTOSPACE_EM = 0.25  # LibreOffice spaces Chinese characters from figures by this much at each change


def text_width(text: str, size: float) -> float:
    """``text``'s width in points at ``size`` (with the space a renderer puts between 年 and 2021)."""
    ems = [char_em(ch) for ch in text]
    changes = sum(1 for a, b in itertools.pairwise(ems) if (a == 1.0) != (b == 1.0))
    return (sum(ems) + AUTOSPACE_EM * changes) * size


def unbreakable(text: str) -> bool:
    """A cell that must stay on one line: a figure, an id, a 文号, a date, a light."""
    return bool(_WHOLE.fullmatch(text.strip())) if text.strip() else True


def pieces(text: str, size: float) -> list[list[float]]:
    """The widths of the pieces a cell's text may be broken between, line by line (``\\n`` a new line)."""
    return [[text_width(p, size) for p in _PIECE.findall(part)] for part in text.split("\n")]


def lines_of(widths: list[list[float]], width: float) -> int:
    """How many lines pieces of these widths take in a cell ``width`` points wide."""
    room = width / SLACK - 2 * PADDING_PT
    lines = 0
    for part in widths:
        used, count = 0.0, 1
        for w in part:
            if used + w > room + 0.01 and used > 0:
                count += 1
                used = 0.0
            used += w
        lines += count
    return lines


def cell_lines(text: str, width: float, size: float) -> int:
    """How many lines ``text`` takes in a cell ``width`` points wide (breaking anywhere in CJK text, never
    inside an unbreakable piece)."""
    return lines_of(pieces(text, size), width)


@dataclass(frozen=True)
class Column:
    """What a column needs: the least width it may take (its widest unbreakable content; a heading wraps
    but keeps two characters a line and its unit whole) and the width that holds every cell on one line."""

    least: float
    natural: float
    free: bool  # free text that may wrap (names, problems)


def _width_for(text_width_pt: float) -> float:
    return text_width_pt * SLACK + 2 * PADDING_PT


def measure(header: str, cells: Sequence[str], size: float, header_size: float) -> Column:
    header_least = max(
        text_width(line, header_size) if line.startswith(("（", "(")) else min(text_width(line, header_size),
                                                                              2 * header_size)
        for line in header.split("\n") if line
    )  # fmt: skip
    header_natural = max(text_width(line, header_size) for line in header.split("\n"))
    whole = [c for c in cells if unbreakable(c)]
    free = len(whole) < len(cells)
    longest_piece = max((max((w for part in pieces(c, size) for w in part), default=0.0) for c in cells), default=0.0)
    least = _width_for(max([header_least, *(text_width(c, size) for c in whole), longest_piece, 2 * size]))
    natural = _width_for(max([header_natural, *(text_width(c, size) for c in cells)]))
    return Column(least, max(natural, least), free)


SHORT_EMS = 8  # a free text this short goes on one line when it can
HEADER_LINES = 2  # a figures' column is made wide enough for its heading on two lines
MAX_SAMPLE = 240  # rows the layout is worked out on (evenly spaced): a roll-up's thousands need no more


def column_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], total: float, size: float, header_size: float | None = None
) -> list[float]:
    """Widths (points) filling ``total``: every column at least its unbreakable content; the room left
    given where it saves the most lines over the whole table (the header counted once a page), a column at
    a time or the header's tallest headings together; what is left when nothing wraps less, shared in
    proportion.

    Widths go in quarter-characters; each cell's lines at every width its column may take are worked out
    once, so a layout of a roll-up's hundreds of rows takes a few hundredths of a second."""
    header_size = header_size or size
    n = len(headers)
    columns = [measure(h, [r[i] for r in rows if i < len(r)], size, header_size) for i, h in enumerate(headers)]
    least = sum(c.least for c in columns)
    if least >= total:  # too little room for anything: shrink every column alike
        return [c.least * total / least for c in columns]
    quantum = size / 4
    sample = list(rows) if len(rows) <= MAX_SAMPLE else [rows[i * len(rows) // MAX_SAMPLE] for i in range(MAX_SAMPLE)]
    grid = [[pieces(h, header_size) for h in headers]] + [[pieces(r[i] if i < len(r) else "", size)
                                                            for i in range(n)] for r in sample]  # fmt: skip
    # steps[i]: how many quanta column i may grow; at[i][k][r]: row r's lines in column i grown k quanta
    steps = [max(0, math.ceil((c.natural - c.least) / quantum)) for c in columns]
    at = [
        [[lines_of(row[i], columns[i].least + k * quantum) for row in grid] for k in range(steps[i] + 1)]
        for i in range(n)
    ]
    # the header is printed on every page: a line saved there counts once a page
    weights = [max(1, len(rows) // 20)] + [1] * len(sample)
    grown = [0] * n

    def score(ks: list[int]) -> int:
        """The table's height in lines (weighted), then, to break ties, the lines of all its cells: a column
        that wraps less brings a row closer to a line less even while another cell still holds it."""
        cells = [at[i][ks[i]] for i in range(n)]
        return sum(w * (100 * max(c[r] for c in cells) + sum(c[r] for c in cells)) for r, w in enumerate(weights))

    def next_change(i: int) -> int | None:
        """The fewest quanta more at which some cell of column ``i`` takes fewer lines."""
        now = at[i][grown[i]]
        return next((k for k in range(grown[i] + 1, steps[i] + 1) if at[i][k] != now), None)

    def header_move() -> dict[int, int]:
        """Each of the header's tallest headings grown until it takes a line less."""
        tallest = max(at[i][grown[i]][0] for i in range(n))
        move = {}
        for i in range(n):
            if tallest > 1 and at[i][grown[i]][0] == tallest:
                k = next((k for k in range(grown[i] + 1, steps[i] + 1) if at[i][k][0] < tallest), None)
                if k is None:
                    return {}
                move[i] = k
        return move

    room = round((total - least) / quantum)
    free = [i for i, c in enumerate(columns) if c.free] or list(range(n))
    # first the headings of figures' columns on at most two lines (年度/计划), where room allows
    for i in range(n):
        if i in free:
            continue
        k = next((k for k in range(grown[i], steps[i] + 1) if at[i][k][0] <= HEADER_LINES), grown[i])
        if k - grown[i] <= room:
            room -= k - grown[i]
            grown[i] = k
    # short texts (a 分指挥部, a 形象进度) on one line, as an office sets them, when the room allows
    for i in sorted(free, key=lambda i: columns[i].natural):
        if columns[i].natural <= SHORT_EMS * size + 2 * PADDING_PT and steps[i] - grown[i] <= room:
            room -= steps[i] - grown[i]
            grown[i] = steps[i]
    current = score(grown)
    # then the free text's columns (names, problems), where width saves the most lines
    while room > 0:
        moves = [{i: change} for i in free if (change := next_change(i)) is not None]
        moves.append({i: k for i, k in header_move().items() if i in free})
        best: tuple[float, int, dict[int, int]] | None = None
        for move in moves:
            cost = sum(k - grown[i] for i, k in move.items())
            if not move or cost > room:
                continue
            after = score([move.get(i, grown[i]) for i in range(n)])
            if after < current and (best is None or (current - after) / cost > best[0]):
                best = ((current - after) / cost, after, move)
        if best is None:
            break
        for i, k in best[2].items():
            room -= k - grown[i]
            grown[i] = k
        current = best[1]
    widths = [c.least + k * quantum for c, k in zip(columns, grown, strict=True)]
    spare = total - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]


def balanced(header: str, width: float, size: float) -> str:
    """A heading that must wrap, broken into lines of even length (年度/计划, not 年度计/划); a unit in
    brackets keeps a line of its own."""
    out = []
    for line in header.split("\n"):
        count = lines_of(pieces(line, size), width)
        if count <= 1 or line.startswith(("（", "(")):
            out.append(line)
            continue
        per = math.ceil(len(line) / count)
        out.extend(line[i : i + per] for i in range(0, len(line), per))
    return "\n".join(out)
