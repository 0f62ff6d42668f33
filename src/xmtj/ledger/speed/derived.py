"""What is worked out from the whole ledger, kept for the ledger it was worked out from.

``counting.counted`` — which records the figures leave out, because their files have errors — runs the
cross-record checks over every record: on a province's 60,000 records that is a tenth of a second, most of
a warm ``status``. The speed path's load gives each ledger a fingerprint (every file's path and blob id,
and the settings: ``bulk.fingerprint``); the errors found for a fingerprint are kept in the private cache
folder (restricted unpickling, like the records) and a repeat run with the same files reads them back.
Only the latest ledger's are kept.
"""

from __future__ import annotations

from xmtj.ledger.counting import counted, cross_errors, without
from xmtj.ledger.ledger import Ledger
from xmtj.ledger.private import private_chain, read_private, write_private
from xmtj.ledger.speed.cache import cache_home, dumps, namespace, safe_loads


def counted_cached(ledger: Ledger) -> Ledger:
    """``counting.counted(ledger)``, its errors taken from the cache when this very ledger was counted before."""

    if ledger.counted or ledger.fingerprint is None:
        return counted(ledger)
    top, home = cache_home(ledger.root)
    folder = home / "derived" / namespace()
    name = f"counted-{ledger.fingerprint}.pickle"
    try:
        if private_chain(top, folder) and (folder / name).is_file():
            errors = safe_loads(read_private(folder / name))
            if isinstance(errors, list):
                return without(ledger, errors)
    except Exception:  # a damaged or someone else's file: worked out again
        pass
    errors = cross_errors(ledger)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if private_chain(top, folder):
            for older in folder.glob("counted-*.pickle"):
                older.unlink(missing_ok=True)
            write_private(folder, name, dumps(errors))
    except OSError:
        pass
    return without(ledger, errors)
