"""How large and how deep one ledger file may be: the parsers' limits, shared by both readers.

Set once per run from ``limits`` in xmtj.yaml (``configure``) before any record is read; worker
processes are given the same values. The defaults are far above anything an office writes.
"""

from __future__ import annotations

from xmtj.ledger.settings import Limits

LIMITS = Limits()  # set once per run from xmtj.yaml (``configure``), before any record is read


def configure(limits: Limits) -> None:
    global LIMITS
    LIMITS = limits


def too_large(data: bytes) -> str | None:
    """Why a file is too large to read, or None."""
    if len(data) > LIMITS.max_file_kb * 1024:
        return (
            f"文件过大（{len(data) // 1024} KB，上限 {LIMITS.max_file_kb} KB）：一个记录文件不会有这么大，"
            "请检查是否误存了其他内容；确需更大时在 xmtj.yaml 的 limits.max_file_kb 中调整"
        )
    return None
