"""Data problems as values, and the domain exceptions the CLI translates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in one file: where it is, which field, and what is wrong (in Chinese)."""

    path: str
    line: int | None
    column: int | None
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        mark = "[警告] " if self.severity == "warning" else ""
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {mark}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.field)


class XmtjError(Exception):
    """An error the user can act on; its text is shown as is, in Chinese."""


class LedgerNotFound(XmtjError):
    """No ledger (a folder holding xmtj.yaml) was found."""


class LedgerInvalid(XmtjError):
    """The ledger's own settings (xmtj.yaml) cannot be used."""


# What the operating system says, as the office reads it (errno → words)
_OS_WORDS = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "磁盘配额已满",
    "EISDIR": "是一个文件夹",
    "ENOTDIR": "路径中有一段不是文件夹",
    "EROFS": "磁盘是只读的",
    "EEXIST": "文件已存在",
    "ELOOP": "是符号链接",
    "ENAMETOOLONG": "文件名太长",
    "EFBIG": "文件太大",
    "EIO": "读写出错（磁盘或网络故障）",
    "EBUSY": "文件正被占用",
    "EADDRINUSE": "端口已被占用",
    "EMFILE": "打开的文件太多",
    "ENXIO": "没有程序在读取（管道或设备未就绪）",
    "EPIPE": "对方已关闭（管道断开）",
    "ETXTBSY": "文件正被占用",
    "EXDEV": "不能跨磁盘移动",
}


def os_words(exc: OSError) -> str:
    """An operating-system error in the office's words (``磁盘已满``), falling back to the system's own."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_WORDS.get(name) or exc.strerror or str(exc)
