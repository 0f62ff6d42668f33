"""The roll-up targets (the reporting-upward issue): a generated province — ``--members`` county ledgers of
300 projects and about 1,500 problems each, every one committed and tagged ``报送/2021-11`` — mirrored
by a roll-up ledger, then read with ``status --by member``.

    python bench/rollup.py [--members 117] [--repeat 3] [--out /tmp/xmtj-bench/province]

Printed against ``git cat-file --batch-all-objects --batch`` over all the mirrors (every object read
once), in the same run: the first read (blob caches empty), the repeat read, one member re-submitted;
and ``xmtj fetch`` with nothing new (an absolute bound of 2 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from history import GIT_ENV, git  # noqa: E402
from run import against, measure, run_once  # noqa: E402


def province(out: Path, members: int, xmtj: str, env: dict[str, str]) -> Path:
    counties = out / "counties"
    rollup = out / "rollup"
    if (rollup / "xmtj.yaml").is_file():
        return rollup
    print(f"generating {members} county ledgers …", flush=True)
    for n in range(members):
        root = counties / f"c{n:03d}"
        generate(root, 300, seed=100 + n)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "台账")
        git(root, "tag", "-a", "报送/2021-11", "-m", "报送 2021-11")
    subprocess.run([xmtj, "init", str(rollup), "--place", "山西省", "--rollup", "--year", "2021"],
                   check=True, capture_output=True, env={**env, **GIT_ENV}, stdin=subprocess.DEVNULL)  # fmt: skip
    config = rollup / "xmtj.yaml"
    items = "".join(
        f"  - {{name: 县{n:03d}, code: X{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}, url: '{counties / f'c{n:03d}'}'}}\n"
        for n in range(members)
    )
    config.write_text(config.read_text(encoding="utf-8").replace("members: []", "members:") + items, "utf-8")
    git(rollup, "commit", "-q", "-am", "成员")
    print("fetching …", flush=True)
    subprocess.run([xmtj, "fetch", "--ledger", str(rollup)], check=True, capture_output=True, env=env)
    return rollup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=117)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/xmtj-bench/province"))
    args = parser.parse_args()
    xmtj = shutil.which("xmtj") or sys.exit("xmtj is not installed (pip install -e .)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(args.out / "cache")
    rollup = province(args.out, args.members, xmtj, env)
    mirrors = sorted((rollup / ".git" / "xmtj" / "members").glob("*.git"))
    objects = ["sh", "-c", "for m in " + " ".join(str(m) for m in mirrors)
               + "; do git -C $m cat-file --batch-all-objects --batch > /dev/null; done"]  # fmt: skip
    base, _ = measure(objects, rollup, env, 3)
    print(f"{len(mirrors)} members; cat-file of every object in every mirror: {base:.2f} s", flush=True)
    status = [xmtj, "status", "--by", "member", "--ledger", str(rollup)]
    caches = rollup / ".git" / "xmtj-cache"

    def cold() -> None:
        shutil.rmtree(caches, ignore_errors=True)

    rows = []
    s, rss, ratio = against(status, objects, rollup, env, args.repeat, before=cold)
    rows.append(("status --by member, first read", s, rss, ratio, 3.0))
    run_once(status, rollup, env)
    s, rss, ratio = against(status, objects, rollup, env, args.repeat)
    rows.append(("status --by member, repeat", s, rss, ratio, 1.0))
    first = args.out / "counties" / "c000"
    target = first / "data" / "projects"
    victim = sorted(target.iterdir())[0]
    done = subprocess.run(["git", "-C", str(first), "tag", "--list", "报送/2021-11*"], capture_output=True, text=True)
    number = len(done.stdout.split()) + 1  # the next re-submission, also on a second run of this script
    victim.write_text(victim.read_text(encoding="utf-8").replace("content: ", f"content: 第{number}次 ", 1), "utf-8")
    git(first, "commit", "-q", "-am", f"更正{number}")
    git(first, "tag", "-a", f"报送/2021-11-{number}", "-m", "重报")
    subprocess.run([xmtj, "fetch", "--ledger", str(rollup)], check=True, capture_output=True, env=env)
    s, rss, ratio = against(status, objects, rollup, env, 1)
    rows.append(("status --by member, one member re-submitted", s, rss, ratio, 1.2))
    start = time.perf_counter()
    s, rss = measure([xmtj, "fetch", "--ledger", str(rollup)], rollup, env, args.repeat)
    rows.append(("fetch, nothing new (seconds)", s, rss, s, 2.0))
    print(f"{'what':46} {'median':>8} {'peak MB':>8} {'ratio':>7} {'bound':>6}")
    for name, seconds, peak, ratio, bound in rows:
        mark = "ok" if ratio <= bound else "MISSED"
        print(f"{name:46} {seconds:7.2f}s {peak / 1024:8.0f} {ratio:7.2f} {bound:6.1f}  [{mark}]")
    del start
    return 0


if __name__ == "__main__":
    sys.exit(main())
