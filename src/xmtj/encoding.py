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


# In UTF-8 bytes: C0 controls but tab, LF and CR; DEL; C1 controls (U+0080–U+009F); U+2028, U+2029;
# U+FFFE, U+FFFF. Searched in the bytes once they decode: one pass in C over every file read.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbf[\xbe\xbf]")


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
    bad = _CONTROL.search(data)
    if bad is not None:
        before = data[: bad.start()]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        code = ord(bad[0].decode("utf-8", "replace")) if len(bad[0]) > 1 else bad[0][0]
        raise TextDecodeError(
            f"第{line}行第{column}列有不可见的控制字符 U+{code:04X}，台账文件中不允许出现；请在编辑器中删除它",
            Position(line, column),
        )
    return text[1:] if text.startswith("\ufeff") else text
