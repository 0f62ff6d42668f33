"""Text that is safe to show: control characters escaped. Imported by the command line's start-up
path, so it imports nothing but ``re``."""

from __future__ import annotations

import re

# Characters that must never reach a terminal or a document raw: C0 and C1 controls other than tab and
# newline (an ESC sequence can retitle a window or hide text), DEL, the Unicode line and paragraph
# separators, and the non-characters U+FFFE/U+FFFF. ``xmtj.ledger.encoding`` refuses them in ledger files.
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
CONTROL_RE = re.compile(f"[{CONTROL_CHARS}]")


def visible(text: str) -> str:
    """``text`` with every control character shown as ``\\x1b``-style escapes (tab and newline kept)."""
    if not CONTROL_RE.search(text):
        return text
    return CONTROL_RE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
