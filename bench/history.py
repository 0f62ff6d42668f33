"""The history targets (issue #15): a 10,000-project ledger committed to git, then 1 % of its files changed.

Called by ``bench/run.py`` (``--history``); measured in the same run against ``git cat-file
--batch-all-objects --batch`` (every object read once) and against the working tree's repeat run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "基准",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "基准",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}
Row = tuple[str, float, int, str, float, float]


def git(root: Path, *args: str) -> None:
    command = ["git", "-c", "gc.auto=0", "-C", str(root), *args]  # no background gc: this one is explicit
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def committed_ledger(source: Path, root: Path) -> None:
    """``source`` copied to ``root``, committed, then 1 % of its files changed in a second commit; packed."""
    if (root / ".git").is_dir():
        return
    print("committing the ledger to git …", flush=True)
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".git"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "导入台账")
    files = sorted((root / "data/issues").glob("*.yaml"))[:500] + sorted((root / "data/projects").glob("*.yaml"))[:100]
    for path in files:
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"responsible_unit: (.*)", r"responsible_unit: \1（更正）", text, count=1), encoding="utf-8"
        )
    git(root, "commit", "-q", "-am", "更正1%的记录")
    git(root, "gc", "-q")


def bench_history(
    source: Path,
    root: Path,
    xmtj: str,
    env: dict[str, str],
    repeat: int,
    against: Callable[..., tuple[float, int, float]],
    measure: Callable[..., tuple[float, int]],
) -> list[Row]:
    from xmtj.ledger.speed.cache import cache_home

    committed_ledger(source, root)
    folder = cache_home(root)[1]
    blob_cache = folder / "blobs"

    def stat_cache_only() -> None:  # a fresh clone whose blob cache is warm: its file index is gone
        for child in folder.glob("v*"):
            shutil.rmtree(child, ignore_errors=True)

    objects = ["git", "-C", str(root), "cat-file", "--batch-all-objects", "--batch"]
    status = [xmtj, "status", "--ledger", str(root)]
    at_head = [*status, "--at", "HEAD"]
    at_previous = [*status, "--at", "HEAD~1"]
    measure(status, root, env, 2)  # the working tree's cache, warm
    rows: list[Row] = []
    s, rss, ratio = against(
        at_head, objects, root, env, repeat, before=lambda: shutil.rmtree(blob_cache, ignore_errors=True)
    )
    rows.append(("history: status --at HEAD, blob cache empty", s, rss, "object read", ratio, 3.0))

    def only_head_cached() -> None:
        shutil.rmtree(blob_cache, ignore_errors=True)
        subprocess.run(at_head, env=env, capture_output=True, check=False)

    s, rss, ratio = against(at_previous, status, root, env, repeat, before=only_head_cached)
    rows.append(("history: status --at HEAD~1 after --at HEAD", s, rss, "status, repeat run", ratio, 1.0))
    subprocess.run(at_head, env=env, capture_output=True, check=False)
    s, rss, ratio = against(status, status, root, env, repeat, before=stat_cache_only)
    rows.append(("history: status, fresh clone, blob cache warm", s, rss, "status, repeat run", ratio, 1.0))
    # not one of the targets: a guard that checks at a revision find their lines in one batch
    check = [xmtj, "check", "--ledger", str(root)]
    subprocess.run([*check, "--at", "HEAD"], env=env, capture_output=True, check=False)
    s, rss, ratio = against([*check, "--at", "HEAD"], check, root, env, repeat)
    rows.append(("history: check --at HEAD, cache warm", s, rss, "check, repeat run", ratio, 1.2))
    for name, argv, bound in (
        ("history: xmtj log (both commits)", [xmtj, "log", "--ledger", str(root)], 3.0),
        ("history: xmtj log ID", [xmtj, "log", "XM2021-00001", "--ledger", str(root)], 0.5),
        ("history: xmtj diff HEAD~1 HEAD", [xmtj, "diff", "HEAD~1", "HEAD", "--ledger", str(root)], 0.5),
    ):
        s, rss = measure(argv, root, env, repeat)
        rows.append((name, s, rss, "seconds", s, bound))
    return rows
