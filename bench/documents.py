"""The document targets (the documents-out issue): ``remind`` for the demo's 18 letters, Markdown and Word
together, and the Excel 台账 of the 10,000-project ledger. Absolute bounds: 2 s and 10 s.

Called by ``bench/run.py`` (``--documents``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from history import GIT_ENV, git

Row = tuple[str, float, int, str, float, float]


def demo_without_letters(repo: Path, root: Path) -> None:
    """The demo ledger with an empty letter register, in git: ``remind`` then issues its 18 letters."""
    if (root / ".git").is_dir():
        return
    root.mkdir(parents=True)
    shutil.copy(repo / "xmtj.yaml", root / "xmtj.yaml")
    for kind in ("projects", "issues", "meetings"):
        shutil.copytree(repo / "data" / kind, root / "data" / kind)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "演示台账（无督办函）")


def bench_documents(
    repo: Path, out: Path, xmtj: str, env: dict[str, str], repeat: int, measure: Callable[..., tuple[float, int]]
) -> list[Row]:
    root = out / "demo-remind"
    demo_without_letters(repo, root)
    env = {**env, **GIT_ENV}

    def reset() -> None:
        git(root, "reset", "-q", "--hard", _first(root))
        git(root, "clean", "-q", "-fdx", "letters", "data/letters")

    remind = [xmtj, "remind", "--as-of", "2021-11-30", "--date", "2021-12-14", "--ledger", str(root)]
    reset()
    done = subprocess.run(remind, env=env, capture_output=True, text=True, check=False)
    letters = sorted((root / "letters" / "2021").glob("*.docx")) if done.returncode == 0 else []
    if len(letters) != 18:  # a refused run is fast and wrong: never time one
        raise SystemExit(f"remind made {len(letters)} Word letters, not 18:\n{done.stdout}{done.stderr}")
    s, rss = measure(remind, root, env, repeat, before=reset)
    rows: list[Row] = [("demo: remind, 18 letters (.md + .docx)", s, rss, "seconds", s, 2.0)]
    big = out / "ledger-10000"
    if (big / "xmtj.yaml").is_file():
        workbook = [xmtj, "status", "--format", "xlsx", "--out", str(out / "台账-10000.xlsx"), "--ledger", str(big)]
        subprocess.run([xmtj, "status", "--ledger", str(big)], env=env, capture_output=True, check=False)  # warm
        s, rss = measure(workbook, big, env, repeat)
        rows.append(("10000: status --format xlsx (台账)", s, rss, "seconds", s, 10.0))
    reset()
    return rows


def _first(root: Path) -> str:
    command = ["git", "-C", str(root), "rev-list", "--max-parents=0", "HEAD"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout.strip()
