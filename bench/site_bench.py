"""The site targets (issue #26): the demo's site — its 100 projects, 53 meetings, 82 problems and letters,
with a history as an office makes it (1,500+ commits) — in ≤ 3 s and ≤ 5 MB; a 10,000-project ledger's in
≤ 60 s with no page over 500 KB; an unchanged page not rewritten.

The demo's history is replayed from its files with ``git fast-import``, in the order of the days they
record: the ledger set up, each project entered, each month's figure of each project committed as a unit
reports it (its 形象进度 a second commit where it has one), each meeting, problem (and its resolution) and
letter on its day. The replay ends at exactly the demo's files (checked).

Called by ``bench/run.py`` (``--site``). (Not ``site.py``: that name is the standard library's.)
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from history import GIT_ENV, git

Row = tuple[str, float, int, str, float, float]
MONTH_LINE = re.compile(r"^  (\d{4})-(\d{2}): ")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _project_events(stem: str, text: str, year: int) -> list[tuple[str, str, str]]:
    """(date, message, file text) of a project's life in ``year``: entered in January without its figures,
    approvals and actual dates of the year, then each month's figure as its unit reports it (its 形象进度 in
    a second commit where it has one), each approval and each actual start, completion and production on its
    day."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("progress:")), len(lines))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    shown: dict[int, str] = {}  # line index → what it says now (absent: not yet written)
    steps: list[tuple[str, str, int, str]] = []  # (date, message, line, new content)
    for i, line in enumerate(lines):
        found = MONTH_LINE.match(line)
        if start < i < end and found and int(found[1]) == year:
            key = line[2:9]
            month = dt.date(int(key[:4]), int(key[5:]), 1)
            day = (month + dt.timedelta(days=32)).replace(day=4 + sum(map(ord, stem)) % 5)  # the 4th to the 8th
            amount = re.search(r"amount: ([\d.]+)", line)
            if "text:" in line and amount:
                steps.append((day.isoformat(), f"{stem} {key} 完成投资", i, f"  {key}: {amount[1]}\n"))
                steps.append((day.isoformat(), f"{stem} {key} 形象进度", i, line))
            else:
                steps.append((day.isoformat(), f"{stem} {key} 完成投资", i, line))
        elif (
            line.startswith("  - {item")
            and lines[i - 1].startswith("  - {item")  # the first approval stays: the list is never empty
            and (filed := re.search(r"date: (\d{4})-(\d{2}-\d{2})", line))
            and int(filed[1]) == year
        ):
            item = re.search(r"item: ([^,}]+)", line)
            steps.append((f"{filed[1]}-{filed[2]}", f"{stem} 手续 {item[1] if item else ''}", i, line))
        elif (done := re.match(r"^(actual_\w+): (\d{4})-\d{2}-\d{2}", line)) and int(done[2]) == year:
            shown[i] = f"{done[1]}:\n"
            steps.append((line.split(": ")[1][:10], f"{stem} {done[1]}", i, line))
        else:
            shown[i] = line
    events = [("2021-01-06", f"新建项目 {stem}", "".join(shown[k] for k in sorted(shown)))]
    for day, message, i, content in sorted(steps, key=lambda s: (s[0], s[2])):
        shown[i] = content
        events.append((day, message, "".join(shown[k] for k in sorted(shown))))
    return events


def _issue_versions(text: str) -> Iterator[tuple[str, str]]:
    """A problem as raised (no resolution yet), then as resolved when it was: (date, text)."""
    raised = re.search(r"^raised_on: (\S+)", text, re.M)
    resolved = re.search(r"^resolved_on: (\d{4}-\d{2}-\d{2})", text, re.M)
    assert raised is not None
    if resolved:
        opened = re.sub(r"^status: 已办结", "status: 推进中", text, flags=re.M)
        opened = re.sub(r"^resolved_on: .*$", "resolved_on:", opened, flags=re.M)
        opened = re.sub(r"^resolution: .*$", "resolution:", opened, flags=re.M)
        yield raised[1], opened
        yield resolved[1], text
    else:
        yield raised[1], text


def demo_events(repo: Path) -> list[tuple[str, str, str, dict[str, str]]]:
    """(date, author, message, files) of the demo's life, oldest first."""
    year = 2021
    events: list[tuple[str, str, str, dict[str, str]]] = [
        ("2021-01-04", "办公室", "建立台账", {"xmtj.yaml": _text(repo / "xmtj.yaml")})
    ]
    for path in sorted((repo / "data/projects").glob("*.yaml")):
        unit = re.search(r"^responsible_unit: (.+)$", _text(path), re.M)
        for day, message, text in _project_events(path.stem, _text(path), year):
            who = "办公室" if message.startswith("新建") or not unit else unit[1]
            events.append((day, who, message, {f"data/projects/{path.name}": text}))
    for kind, date_field in (("meetings", "date"), ("letters", "date")):
        for path in sorted((repo / "data" / kind).glob("*.yaml")):
            found = re.search(rf"^{date_field}: (\d{{4}}-\d{{2}}-\d{{2}})", _text(path), re.M)
            assert found is not None
            events.append((found[1], "办公室", f"登记 {path.stem}", {f"data/{kind}/{path.name}": _text(path)}))
    for path in sorted((repo / "data/issues").glob("*.yaml")):
        for day, text in _issue_versions(_text(path)):
            events.append((day, "办公室", f"问题 {path.stem}", {f"data/issues/{path.name}": text}))
    return sorted(events, key=lambda e: e[0])


def demo_with_history(repo: Path, root: Path) -> int:
    """The demo replayed into ``root`` as a git repository; the number of its commits."""
    if (root / ".git").is_dir():
        return int(subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True,
                                  text=True, check=True).stdout)  # fmt: skip
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    stream = []
    events = demo_events(repo)
    for n, (day, who, message, files) in enumerate(events):
        stamp = int(dt.datetime.fromisoformat(f"{day}T10:00:00+08:00").timestamp()) + n
        body = message.encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer {who} <office@example.com> {stamp} +0800\n".encode())
        stream.append(b"data %d\n%s\n" % (len(body), body))
        for rel, text in files.items():
            data = text.encode()
            stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (rel.encode(), len(data), data))
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    git(root, "checkout", "-q", "-f", "main")
    differs = subprocess.run(["diff", "-r", "-q", str(repo / "data"), str(root / "data")], capture_output=True,
                             text=True, check=False)  # fmt: skip
    if differs.returncode != 0:
        raise SystemExit(f"the replayed demo differs from the demo:\n{differs.stdout[:2000]}")
    return len(events)


def _site_size(folder: Path) -> tuple[int, int]:
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return sum(sizes), max(p.stat().st_size for p in folder.rglob("*.html"))


def bench_site(
    repo: Path, out: Path, xmtj: str, env: dict[str, str], repeat: int, measure: Callable[..., tuple[float, int]]
) -> list[Row]:
    root = out / "demo-history"
    commits = demo_with_history(repo, root)
    env = {**env, **GIT_ENV}
    site = out / "demo-site"
    build = [xmtj, "site", "--ledger", str(root), "--out", str(site)]
    subprocess.run([xmtj, "status", "--ledger", str(root)], env=env, capture_output=True, check=False)  # warm cache

    def fresh() -> None:
        shutil.rmtree(site, ignore_errors=True)

    s, rss = measure(build, root, env, repeat, before=fresh)
    total, largest = _site_size(site)
    print(f"demo site: {commits} commits of history; {total / 1048576:.2f} MB, largest page {largest / 1024:.0f} KB")
    rows: list[Row] = [(f"demo ({commits} commits): xmtj site", s, rss, "seconds", s, 3.0)]
    again, rss = measure(build, root, env, repeat)
    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    time.sleep(0.01)
    subprocess.run(build, env=env, capture_output=True, check=True)
    rewritten = sum(1 for p, t in stamps.items() if p.stat().st_mtime_ns != t)
    print(f"demo site rebuilt unchanged: {rewritten} of {len(stamps)} pages rewritten")
    rows.append(("demo: xmtj site again (nothing changed)", again, rss, "seconds", again, 3.0))
    rows.append(("demo: site size, MB", total / 1048576, 0, "seconds", total / 1048576, 5.0))
    big = out / "ledger-10000"
    if (big / "xmtj.yaml").is_file():
        big_site = out / "site-10000"
        shutil.rmtree(big_site, ignore_errors=True)
        command = [xmtj, "site", "--ledger", str(big), "--out", str(big_site)]
        subprocess.run([xmtj, "status", "--ledger", str(big)], env=env, capture_output=True, check=False)  # warm

        def fresh_big() -> None:
            shutil.rmtree(big_site, ignore_errors=True)

        s, rss = measure(command, big, env, max(1, repeat // 3), before=fresh_big)
        total, largest = _site_size(big_site)
        pages = sum(1 for _ in big_site.rglob("*.html"))
        print(f"10000 site: {pages} pages, {total / 1048576:.0f} MB, largest page {largest / 1024:.0f} KB")
        rows.append(("10000: xmtj site", s, rss, "seconds", s, 60.0))
        rows.append(("10000: largest page, KB", largest / 1024, 0, "seconds", largest / 1024, 500.0))
    return rows
