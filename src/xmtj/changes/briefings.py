"""A briefing saved with ``report --out``: written (never through a symlink) and, inside the ledger,
committed with the trailer ``Xmtj-Report: <period>`` that lets ``log`` and ``diff`` flag later changes;
and a listing exported with ``--out`` (written, never committed)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xmtj.ledger import gitio
from xmtj.ledger.ledger import Ledger


def save_briefing(
    ledger: Ledger, out: Path, text: str | bytes, period: str, commit: bool = True, doc_no: str | None = None
) -> gitio.Commit | None:
    """Write a briefing; inside the ledger's git repository, commit it marked ``Xmtj-Report: <period>``.

    The mark lets ``xmtj diff`` and ``xmtj log`` flag later changes to the figures it reported.
    """
    from xmtj import __version__
    from xmtj.changes.outputs import out_target
    from xmtj.changes.writer import FileTransaction, no_symlink

    # where the clerk asked, without following any symlink: a link committed in the ledger (or put in
    # the way) must not redirect the write elsewhere; never over the ledger's own files or a device
    target, found = out_target(out, ledger.root)
    if found is not None and not stat.S_ISREG(found.st_mode):
        from xmtj.changes.outputs import write_out

        write_out(out, text.encode("utf-8") if isinstance(text, str) else text, ledger.root)
        return None
    root = Path(os.path.abspath(ledger.root))
    inside = target.is_relative_to(root)
    transaction = FileTransaction(root if inside else target.parent)
    no_symlink(transaction.root, target)
    if target.exists():
        transaction.replace(target, text, target.read_bytes())
    else:
        transaction.create(target, text)
    can_commit = commit and inside and gitio.is_repository(root)
    rel = target.relative_to(root).as_posix() if inside else ""
    if can_commit:
        gitio.check_ready(root)  # before writing: a commit that cannot be made means nothing is written
        if gitio.dirty(root, [rel]):
            can_commit = False  # edited by hand since it was last committed: leave that to the clerk
    transaction.commit()
    if not can_commit:
        return None
    numbered = f"Xmtj-Doc-No: {doc_no}\n" if doc_no else ""  # registers the number (ledger.register)
    subject = f"通报: {period}" + (f" {doc_no}" if doc_no else "")
    message = f"{subject}\n\nXmtj-Report: {period}\n{numbered}Xmtj-Version: {__version__}\n"
    try:
        return gitio.commit_files(root, [rel], message, verify=ledger.config.git.verify)
    except gitio.GitError as exc:
        transaction.rollback()
        gitio.unstage(root, [rel])
        raise gitio.GitError(f"{exc}；已撤销写入的通报文件") from None
