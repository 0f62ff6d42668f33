"""Bytes to text: UTF-8 (a BOM allowed), or a clear Chinese error saying what the file looks like."""

from __future__ import annotations

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


def decode(data: bytes) -> str:
    """UTF-8 text of a file (a BOM is allowed), or a clear error saying what it looks like."""
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
    return text[1:] if text.startswith("\ufeff") else text
