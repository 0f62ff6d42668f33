"""Bytes to text: UTF-8 (a BOM allowed), or a clear Chinese error saying what the file looks like."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


class TextDecodeError(Exception):
    """The bytes are not UTF-8; carries a Chinese explanation and the position."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# C0 controls but tab, LF and CR; DEL; C1 controls; U+2028, U+2029; U+FFFE, U+FFFF (xmtj.textsafe). Searched
# in the decoded text: one character class, 0.07 s over a province's 34 MB (a bytes pattern with
# alternatives took 0.25 s).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def decode(data: bytes) -> str:
    """UTF-8 text of a file (a BOM is allowed), or a clear error saying what it looks like.

    Control characters are refused here, for every reader alike (libyaml refuses some, the fast reader
    none): they are invisible in an editor, and an ESC in a name would reach the clerk's terminal.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        try:
            data.decode("gbk")
            looks = "看起来是 GBK 编码（Windows 中文系统的默认编码）"
        except UnicodeDecodeError:
            looks = "编码无法识别"
        raise TextDecodeError(
            f"文件不是 UTF-8 编码，{looks}；请转换为 UTF-8 后再保存，例如 "
            f"`iconv -f GBK -t UTF-8 原文件 > 新文件`，或在记事本“另存为”时选择 UTF-8",
            Position(line, column),
        ) from None
    bad = _CONTROL.search(text)
    if bad is not None:
        head = text[: bad.start()]
        line = head.count("\n") + 1
        column = bad.start() - (head.rfind("\n") + 1) + 1 - (1 if line == 1 and text.startswith("\ufeff") else 0)
        raise TextDecodeError(
            f"第{line}行第{column}列有不可见的控制字符 U+{ord(bad[0]):04X}，台账文件中不允许出现；请在编辑器中删除它",
            Position(line, column),
        )
    return text[1:] if text.startswith("\ufeff") else text
