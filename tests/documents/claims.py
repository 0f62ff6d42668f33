"""Reading a document's sentences back into figures: every percentage pair with a difference, every count
that says what it adds up to, every light word — so that a test can hold them to ``status --format json``.

The patterns are the shapes xmtj's sentences take (``xmtj.figures.sentences``, ``xmtj.figures.reasons``,
``xmtj.documents.letters``); a sentence that states a difference in another shape is caught by
``unread_differences``, so a new wording cannot slip past unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

PCT = r"(-?\d+\.\d)%"
# 完成年度计划的98.4%，时序进度为91.7%，超过6.7个百分点 / 落后… / 持平 (letters and reasons)
RATE_AGAINST = re.compile(
    rf"完成年度计划的{PCT}，(?P<basis>[^，。；]*?(?:序时进度|时序进度|月度计划进度))为{PCT}，"
    r"(?:(?P<word>落后|超过)(?P<points>\d+\.\d)个百分点|(?P<level>持平))"
)
# 完成年度计划的100.4%，时序进度91.7%，超序时8.7个百分点 (headlines; the 通报's with 较上月…, checked against the
# previous month's figures in test_prose)
HEADLINE = re.compile(
    rf"完成年度计划的{PCT}，(?:较上月(?:提高|下降)\d+\.\d个百分点，|与上月持平，)?时序进度{PCT}，"
    r"(?:(?P<word>超|欠)序时(?P<points>\d+\.\d)个百分点|与时序进度持平)"
)
# 亮灯：红灯7个，黄灯11个，绿灯78个，未到计划开工时间（不亮灯）4个，共100个
LIGHTS = re.compile(r"亮灯：红灯(\d+)个，黄灯(\d+)个，绿灯(\d+)个(?P<rest>(?:，[^，；。]*?(\d+)个)*?)，共(\d+)个")
# 完成率74.3%，序时进度（自5月）77.2%，落后2.9个百分点 (the 通报's 亮灯 list)
BRIEF = re.compile(
    rf"完成率{PCT}，(?P<basis>(?:时序进度|序时进度（自\d+月）|月度计划进度)){PCT}，(?P<word>落后|超过)(?P<points>\d+\.\d)个百分点"
)
ANY_DIFFERENCE = re.compile(r"(落后|超过|超序时|欠序时|低于)\s*\d+(\.\d+)?个百分点")


@dataclass(frozen=True)
class Difference:
    rate: Fraction
    basis_name: str
    basis: Fraction
    said: Fraction  # rate − basis as the sentence says it (negative: 落后)
    text: str


def differences(text: str) -> list[Difference]:
    """Every ``rate … basis … difference`` the text states."""
    found = []
    for m in RATE_AGAINST.finditer(text):
        rate, basis = Fraction(m[1]), Fraction(m[3])
        said = Fraction(0) if m["level"] else Fraction(m["points"]) * (-1 if m["word"] == "落后" else 1)
        found.append(Difference(rate, m["basis"], basis, said, m[0]))
    for m in BRIEF.finditer(text):
        rate, basis = Fraction(m[1]), Fraction(m[3])
        said = Fraction(m["points"]) * (-1 if m["word"] == "落后" else 1)
        found.append(Difference(rate, m["basis"], basis, said, m[0]))
    for m in HEADLINE.finditer(text):
        rate, basis = Fraction(m[1]), Fraction(m[2])
        said = Fraction(0) if m["word"] is None else Fraction(m["points"]) * (-1 if m["word"] == "欠" else 1)
        found.append(Difference(rate, "时序进度", basis, said, m[0]))
    return found


def unread_differences(text: str) -> list[str]:
    """Differences stated in a shape ``differences`` does not read (each must be read to be checked)."""
    spans = [(m.start(), m.end()) for pattern in (RATE_AGAINST, BRIEF, HEADLINE) for m in pattern.finditer(text)]
    return [
        text[max(0, m.start() - 40) : m.end()]
        for m in ANY_DIFFERENCE.finditer(text)
        if not any(a <= m.start() < b for a, b in spans)
    ]


def wrong_differences(text: str) -> list[str]:
    """Each stated difference that is not the difference of the two printed figures, or whose word
    contradicts its sign (a project ahead told 落后)."""
    return [d.text for d in differences(text) if d.said != d.rate - d.basis]


def light_counts(text: str) -> list[tuple[list[int], int]]:
    """Each 亮灯 sentence's counts and the total it says."""
    found = []
    for m in LIGHTS.finditer(text):
        counts = [int(m[1]), int(m[2]), int(m[3])] + [int(n) for n in re.findall(r"(\d+)个", m["rest"] or "")]
        found.append((counts, int(m[6])))
    return found
