"""A 公文 title broken into lines between words (GB/T 9704 7.3.1: 词意完整，排列对称): jieba's segmenter with
the office's own words added, a line never ending inside a word or between a number and its unit, the
fewest lines, then the most even.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import logging
import math
import os
import re
from pathlib import Path
from typing import Any

from xmtj.documents.tables import char_em
from xmtj.ledger.private import mine, read_private, write_private

# words a title must keep whole that the segmenter's dictionary lacks (the office's own vocabulary)
OFFICE_WORDS = ("督办提醒函", "重点项目", "全市重点项目", "全县重点项目", "全区重点项目", "智慧城市", "年产",
                "有限公司", "进展情况", "分指挥部", "总指挥部", "提质改造", "提标改造", "综合利用", "产业园", "示范园",
                "开发区")  # fmt: skip


@functools.cache
def _segmenter() -> Any:
    """jieba's tokenizer with its whole dictionary (a second and 100 MB): built only to make the word list
    ``_lexicon`` keeps, or where that cannot be kept."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tokenizer.initialized = True
    for word in OFFICE_WORDS:
        tokenizer.add_word(word)
    return tokenizer


def words(title: str, keep_name: bool = False) -> list[str]:
    """The title cut into words (jieba, with the office's words added): a line may end only between two.
    With ``keep_name``, the name in ``关于加快推进…建设的督办提醒函`` is one word."""
    found = _NAMED.fullmatch(title) if keep_name else None
    if found:
        return [*_KNOWN[found[1]], found[2], *_KNOWN[found[3]]]
    return [w for w in _small_segmenter(title).lcut(title, HMM=False) if w]


# jieba's segmenter builds a prefix dictionary of its 349,046 words (a second and 100 MB) to cut a title of
# 30 characters. Cutting needs only the dictionary's words that are parts of the title: the words and
# their frequencies (the office's words with the frequency jieba gives them, and its total) are kept once
# as a sorted word list in the user's private cache, and for each title a dictionary of its substrings is
# looked up in it. jieba cuts the title with that dictionary exactly as with the whole one: it only ever
# asks about the title's substrings (tests/documents/test_word.py compares them).
LONGEST_WORD = 32


@functools.cache
def _lexicon() -> tuple[list[str], int]:
    """``word\tfreq`` lines sorted, and jieba's total: from the private cache, else built (and kept)."""
    import jieba

    dictionary = Path(jieba.__file__).parent / "dict.txt"
    size = dictionary.stat().st_size if dictionary.exists() else 0
    key = hashlib.sha1(f"{jieba.__version__}:{size}:{','.join(OFFICE_WORDS)}".encode()).hexdigest()[:12]
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xmtj"
    name = f"title-words-{key}.txt"
    try:
        lines = read_private(folder / name).decode("utf-8").split("\n")
        return lines[1:], int(lines[0])
    except (OSError, ValueError, UnicodeDecodeError, IndexError):
        pass
    tokenizer = _segmenter()
    lines = sorted(f"{w}\t{f}" for w, f in tokenizer.FREQ.items() if f)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if mine(folder):
            write_private(folder, name, "\n".join([str(tokenizer.total), *lines]).encode("utf-8"))
    except OSError:
        pass  # no cache: built again next time
    return lines, tokenizer.total


def _small_segmenter(title: str) -> Any:
    """A jieba tokenizer whose dictionary is the title's substrings (see ``_lexicon``)."""
    import jieba

    lines, total = _lexicon()
    table: dict[str, int] = {}
    for i in range(len(title)):
        for j in range(i + 1, min(len(title), i + LONGEST_WORD) + 1):
            part = title[i:j]
            at = bisect.bisect_left(lines, part + "\t")
            found = at < len(lines) and lines[at].startswith(part + "\t")
            table[part] = int(lines[at][len(part) + 1 :]) if found else 0
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = table, total, True
    return tokenizer


_NAMED = re.compile(r"(关于加快推进)(.+?)(建设的督办提醒函)")
# the letter title's fixed words, cut as jieba cuts them: a letter's title needs no segmenter (building
# jieba's dictionary takes a second and 100 MB, which ``remind`` would pay for nothing)
_KNOWN = {"关于加快推进": ["关于", "加快", "推进"], "建设的督办提醒函": ["建设", "的", "督办提醒函"]}
TITLE_WIDTH = 20  # characters of 2号 in the 156 mm text block


def _break_cost(left: str, right: str) -> int:
    """How bad a line break between two words is: never inside a number and its unit (5000吨, 2021年), and
    badly next to a word of one character (瑞/丰 of a firm's name, 对/甲酚)."""
    if left[-1:].isdigit() or right[:1].isdigit() or right[:1] in "年月日号吨—）)、，":
        return 1_000_000
    if len(left) == 1 or len(right) == 1:
        return 2_000 if right != "的" else 100
    return 0


def title_lines(title: str, width: float = TITLE_WIDTH) -> list[str]:
    """A 公文 title broken into lines at most ``width`` characters wide (20 of 2号 fill the 156 mm block;
    digits are half as wide), only between words and never inside a number with its unit: the fewest
    lines, then the most even (least raggedness), then the best places to break."""
    if chars_wide(title) <= width:
        return [title]
    whole = _NAMED.fullmatch(title)
    if whole and chars_wide(whole[2]) <= width:  # the project's name on one line, unless that takes more lines
        kept = _broken(words(title, keep_name=True), width)
        if len(kept) <= math.ceil(chars_wide(title) / width):  # as few lines as any breaking: no segmenter needed
            return kept
        free = _broken(words(title), width)
        return kept if len(kept) <= len(free) else free
    return _broken(words(title), width)


def _broken(found: list[str], width: float) -> list[str]:
    parts = _split_long(found, width)
    n = len(parts)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)  # cost from word i, and where its line ends
    for i in range(n - 1, -1, -1):
        options = []
        length = 0.0
        for j in range(i + 1, n + 1):
            length += chars_wide(parts[j - 1])
            if length > width:
                break
            cost = 10_000 + (width - length) ** 2 + best[j][0]
            if j < n:
                cost += _break_cost(parts[j - 1], parts[j])
            options.append((cost, j))
        best[i] = min(options) if options else (float("inf"), i + 1)
    lines, i = [], 0
    while i < n:
        j = best[i][1]
        lines.append("".join(parts[i:j]))
        i = j
    return lines


def _split_long(parts: list[str], width: float) -> list[str]:
    """A single word wider than a line (a very long name) is cut at the width, as a last resort."""
    out: list[str] = []
    for part in parts:
        while chars_wide(part) > width:
            cut = next(i for i in range(1, len(part) + 1) if chars_wide(part[:i]) > width) - 1
            out.append(part[:cut])
            part = part[cut:]
        out.append(part)
    return out


def chars_wide(text: str) -> float:
    """A text's width in characters of its font (``tables.char_em``: digits and Latin letters narrower)."""
    return sum(char_em(ch) for ch in text)
