"""Text that is safe to show: control characters escaped. Imported by the command line's start-up
path, so it imports nothing but ``re``."""

from __future__ import annotations

import re

# Characters that must never reach a terminal or a document raw: C0 and C1 controls other than tab and
# newline (an ESC sequence can retitle a window or hide text), DEL, the Unicode line and paragraph
# separators, and the non-characters U+FFFE/U+FFFF. ``xmtj.ledger.encoding`` refuses them in ledger files.
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
CONTROL_RE = re.compile(f"[{CONTROL_CHARS}]")
# Characters that change how text is shown without showing themselves: bidirectional controls (which can
# make 市能源局 read as another name, or hide part of a line), zero-width characters and the byte-order mark
# inside text, and the tag characters. Refused in names (``xmtj.ledger.fields.Name``), escaped on output.
INVISIBLE_CHARS = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f"
INVISIBLE_RE = re.compile(f"[{INVISIBLE_CHARS}]")
_SHOWN_RE = re.compile(f"[{CONTROL_CHARS}{INVISIBLE_CHARS}]")


def visible(text: str) -> str:
    """``text`` with every control and invisible character shown as an escape (``\\x1b``, ``\\u202e``; tab
    and newline kept)."""
    if not _SHOWN_RE.search(text):
        return text
    return _SHOWN_RE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code == 0xFEFF and match.start() == 0:
        return match[0]  # a byte-order mark at the very start (a CSV for Excel) is one, not a hidden character
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
