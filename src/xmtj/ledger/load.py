"""The one way records come in: find the ledger, read every file, collect every problem.

``read_ledger`` is the plain loader, to be read top to bottom: list the files, read each, validate
it, keep the record or its problems. ``load_ledger = cached(read_ledger)`` is the front door every command
uses: the same ``Ledger`` through the speed path (``xmtj.ledger.speed``: the record cache by blob id,
workers), or ``read_ledger`` itself with ``--no-cache``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from xmtj.ledger import limits
from xmtj.ledger.counting import counted
from xmtj.ledger.ledger import DATA_DIR, Ledger, sort_registers
from xmtj.ledger.reading import limits_of, linked_folder_problems, load_config, load_record
from xmtj.ledger.registry import MODELS
from xmtj.ledger.sources import GitRevision, Source, source_for
from xmtj.ledger.speed import bulk
from xmtj.ledger.speed.blobs import BlobCache
from xmtj.ledger.speed.bulk import DEFAULT, Progress, Tuning
from xmtj.ledger.speed.cache import FileIndex, cache_home
from xmtj.ledger.speed.derived import counted_cached
from xmtj.ledger.speed.revision import load_revision

if TYPE_CHECKING:
    from xmtj.ledger.speed.blobs import BlobCache
    from xmtj.ledger.speed.cache import FileIndex


def read_ledger(source: Source) -> Ledger:
    """Every record of ``source`` and every problem found reading it; a broken file is left out and
    reported, never fatal (only a broken xmtj.yaml stops the load: ``LedgerInvalid``)."""
    limits.configure(limits_of(source))  # before any file is parsed
    if isinstance(source, GitRevision):
        source.fetch(source.blob_ids)  # every blob in one batch, not one git process a file
    ledger = Ledger(root=source.root, config=load_config(source)[0], source=source)
    for kind, model in MODELS.items():
        records = getattr(ledger, kind)
        for rel in source.list(f"{DATA_DIR}/{kind}"):
            record, problems = load_record(source, model, rel)
            if record is not None:
                records.append(record)
            ledger.problems.extend(problems)
    ledger.problems.extend(linked_folder_problems(source))
    sort_registers(ledger)
    return ledger


def cached(plain: Callable[[Source], Ledger]) -> Callable[..., Ledger]:
    """``plain`` with the speed path around it, as beancount wraps its loader in a cache: the same
    ``Ledger``, faster for a large one (``xmtj.ledger.speed``: the record cache by blob id, the file index,
    the forked scan, worker processes) — and ``plain`` itself when ``cache`` is false or ``XMTJ_NO_CACHE``
    is set, so ``--no-cache`` runs the loader that can be read top to bottom. Tests hold both to the same
    output on ledgers with and without errors."""

    def load(
        root: Path, at: str | None = None, cache: bool = True, progress: Progress | None = None,
        tuning: Tuning = DEFAULT,
    ) -> Ledger:  # fmt: skip
        source = source_for(root, at)
        limits.configure(limits_of(source))
        if not cache or os.environ.get("XMTJ_NO_CACHE"):
            return plain(source)

        index, blobs = caches(root)
        if isinstance(source, GitRevision):
            return load_revision(source, blobs, progress, tuning)
        return bulk.load(source, index, progress, tuning, blobs)

    load.__doc__ = (
        "The whole ledger as it is on disk, or at git revision ``at`` (read straight from git): ``"
        + plain.__name__
        + "`` through the speed path (see ``cached``)."
    )
    return load


load_ledger = cached(read_ledger)


def counted_ledger(ledger: Ledger, cache: bool = True) -> Ledger:
    """The ledger as the figures count it (``counting.counted``), the work kept for a repeat run of the very
    same files (``speed.derived``) unless ``cache`` is false or ``XMTJ_NO_CACHE`` is set."""
    if cache and not os.environ.get("XMTJ_NO_CACHE"):
        return counted_cached(ledger)

    return counted(ledger)


def caches(root: Path) -> tuple[FileIndex, BlobCache]:
    """The ledger's file index and blob cache, for records parsed under the limits now configured."""

    top, folder = cache_home(root)
    salt = f"lim{limits.LIMITS.max_file_kb}.{limits.LIMITS.max_depth}"  # records parsed under these limits
    return FileIndex(folder, top, salt), BlobCache(folder, top, salt)
