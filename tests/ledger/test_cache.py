"""The record cache (records by blob id, the working tree's files by stat key): same figures and messages
with or without it, and never a stale record."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMALL, Run
from xmtj.ledger.load import caches, load_ledger
from xmtj.ledger.speed import cache

HOUR_AGO = time.time() - 3600


def age(root: Path, seconds_ago: float = 3600) -> None:
    """Make every file look old enough to be cached (the cache skips files written just now)."""
    stamp = time.time() - seconds_ago
    for path in root.rglob("*.yaml"):
        os.utime(path, (stamp, stamp))


def loaded(root: Path, use_cache: bool = True, tuning: Any = None) -> tuple[int, int]:
    store_hits = {}

    original = cache.FileIndex.flush

    def spy(self: cache.FileIndex) -> None:
        store_hits["hits"], store_hits["misses"] = self.hits, self.misses
        original(self)

    cache.FileIndex.flush = spy  # type: ignore[method-assign]
    try:
        load_ledger(root, cache=use_cache, **({"tuning": tuning} if tuning else {}))
    finally:
        cache.FileIndex.flush = original  # type: ignore[method-assign]
    return store_hits.get("hits", 0), store_hits.get("misses", 0)


def test_same_figures_and_messages_with_and_without_the_cache(run: Run, demo_copy: Path) -> None:
    broken = demo_copy / "data/projects/HJ2021-002.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "anual_plan: {2021: 1}\n", encoding="utf-8")
    (demo_copy / "data/issues/WT2021-003.yaml").write_text("id: WT2021-003\n", encoding="utf-8")
    gbk = demo_copy / "data/projects/HJ2021-004.yaml"
    gbk.write_bytes(gbk.read_text(encoding="utf-8").encode("gbk"))
    age(demo_copy)
    outputs = {}
    for label, env in (("cold", {}), ("warm", {}), ("none", {"XMTJ_NO_CACHE": "1"})):
        for key, value in env.items():
            os.environ[key] = value
        try:
            outputs[label] = (
                run("check", "--format", "json", ledger=demo_copy).stdout,
                run("status", "--as-of", "2021-11-30", "--format", "json", ledger=demo_copy).stdout,
                run("report", "--month", "2021-11", ledger=demo_copy).stdout,
            )
        finally:
            for key in env:
                del os.environ[key]
    assert outputs["cold"] == outputs["warm"] == outputs["none"]
    assert '"anual_plan"' in outputs["warm"][0] and "GBK" in outputs["warm"][0]
    hits, misses = loaded(demo_copy)
    assert (hits, misses) == (399, 0)  # 398 records and xmtj.yaml


def test_a_fresh_file_is_not_trusted_and_an_edit_is_seen(ledger_copy: Path) -> None:
    path = ledger_copy / "data/projects/P1.yaml"
    for file in ledger_copy.rglob("*.yaml"):
        os.utime(file)  # written just now
    assert loaded(ledger_copy) == (0, 8)
    # too fresh to be indexed (its mtime could repeat): read again, and found by its bytes, not parsed
    assert loaded(ledger_copy) == (8, 0)
    assert caches(ledger_copy)[0].read() == {}
    age(ledger_copy)
    loaded(ledger_copy)
    assert loaded(ledger_copy) == (8, 0)
    # an edit in place, same size, and the old mtime put back (a coarse clock): ctime still differs
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2021-04: 200", "2021-04: 900"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    project = next(p for p in load_ledger(ledger_copy).projects if p.id == "P1")
    assert project.progress["2021-04"].amount == 900


def test_a_file_replaced_by_one_of_equal_size(ledger_copy: Path) -> None:
    age(ledger_copy)
    loaded(ledger_copy)
    path = ledger_copy / "data/projects/P1.yaml"
    stat = path.stat()
    replacement = ledger_copy / "new.tmp"
    replacement.write_text(path.read_text(encoding="utf-8").replace("2021-04: 200", "2021-04: 300"), encoding="utf-8")
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, path)
    project = next(p for p in load_ledger(ledger_copy).projects if p.id == "P1")
    assert project.progress["2021-04"].amount == 300


def test_git_checkout_of_another_branch(ledger_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "甲",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "甲",
        "GIT_COMMITTER_EMAIL": "a@example.com",
    }.items():
        monkeypatch.setenv(key, value)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(ledger_copy), *args], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "a")
    git("checkout", "-qb", "other")
    path = ledger_copy / "data/projects/P1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2021-04: 200", "2021-04: 700"), encoding="utf-8")
    git("commit", "-qam", "b")
    git("checkout", "-q", "main")
    age(ledger_copy)
    loaded(ledger_copy)
    assert loaded(ledger_copy)[1] == 0
    git("checkout", "-q", "other")
    project = next(p for p in load_ledger(ledger_copy).projects if p.id == "P1")
    assert project.progress["2021-04"].amount == 700
    # the cache lives inside .git, never among the tracked files
    assert (ledger_copy / ".git" / "xmtj-cache").is_dir()
    status = subprocess.run(["git", "-C", str(ledger_copy), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""


def test_a_new_xmtj_version_starts_afresh(ledger_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(ledger_copy)
    loaded(ledger_copy)
    assert loaded(ledger_copy) == (8, 0)
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert loaded(ledger_copy) == (0, 8)
    folder = cache.cache_folder(ledger_copy)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and names[0] == "blobs"
    assert names[1].startswith(cache.FileIndex(folder).folder.name)  # the old index pruned
    blobs = [p.name for p in (folder / "blobs").iterdir()]
    assert len(blobs) == 1 and blobs[0].startswith(cache.FileIndex(folder).folder.name)  # the old records too


def test_no_cache_writes_nothing(ledger_copy: Path, run: Run) -> None:
    age(ledger_copy)
    assert run("status", "--no-cache", "--year", "2021", ledger=ledger_copy).exit_code == 0
    assert not cache.cache_folder(ledger_copy).exists()
    assert run("status", "--year", "2021", ledger=ledger_copy).exit_code == 0
    assert cache.cache_folder(ledger_copy).exists()


@pytest.fixture
def ledger_copy(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    shutil.copytree(SMALL, root)
    return root


@pytest.mark.slow
def test_parallel_parsing_gives_the_same_ledger_as_the_plain_loader(demo_copy: Path) -> None:
    from xmtj.ledger.checks import check_ledger
    from xmtj.ledger.load import read_ledger
    from xmtj.ledger.sources import WorkingTree
    from xmtj.ledger.speed.bulk import Tuning

    (demo_copy / "data/issues/WT2021-003.yaml").write_text("id: WT2021-003\n", encoding="utf-8")
    age(demo_copy)
    serial = read_ledger(WorkingTree(demo_copy))
    eager = Tuning(parallel_min=10)
    parallel_cold = load_ledger(demo_copy, tuning=eager)  # workers parse; their pickles become the cache
    assert len(caches(demo_copy)[0].read()) == 398  # the index, as the workers' parts one after another
    parallel_warm = load_ledger(demo_copy, tuning=eager)
    no_cache = load_ledger(demo_copy, cache=False)
    for other in (parallel_cold, parallel_warm, no_cache):
        assert other.projects == serial.projects
        assert other.issues == serial.issues
        assert other.letters == serial.letters
        assert [p.path for p in other.projects] == [p.path for p in serial.projects]
        assert [str(p) for p in check_ledger(other)] == [str(p) for p in check_ledger(serial)]
    assert loaded(demo_copy) == (399, 0)


@pytest.mark.slow
def test_keys_stat_in_a_forked_process_see_an_edit(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large ledger's repeat run stats its files in a forked process while the cache is unpickled."""
    from xmtj.ledger.sources import WorkingTree
    from xmtj.ledger.speed import bulk, scan

    age(demo_copy)
    leftover = "data/issues/.WT2021-001.yaml.0badf00d.xmtj-tmp"
    (demo_copy / leftover).write_text("半", encoding="utf-8")
    source = WorkingTree(demo_copy)
    assert scan.ForkedScan.possible()  # Linux, no threads: the fork is used
    with scan.ForkedScan(source) as scanning:
        jobs, keys, oids, leftovers, same = scanning.result()
    assert scanning.pid == 0  # the child was reaped
    assert leftovers == [leftover] and source.leftovers == [leftover]  # seen by the child, handed back
    assert (jobs, keys, oids, leftovers, same) == scan.scan(WorkingTree(demo_copy))
    (demo_copy / leftover).unlink()
    assert len(jobs) == 398 and all(key is not None for key in keys)
    with scan.ForkedScan(source) as unused:
        pass
    assert unused.pid == 0  # reaped even when its answer was never asked for
    small = bulk.Tuning(scan_in_child_bytes=1000)
    load_ledger(demo_copy, tuning=small)
    forked = []
    enter = scan.ForkedScan.__enter__
    monkeypatch.setattr(scan.ForkedScan, "__enter__", lambda self: forked.append(1) or enter(self))  # a spy
    assert loaded(demo_copy, tuning=small) == (399, 0)
    path = demo_copy / "data/projects/HJ2021-001.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("2021-04:", "2021-05:", 1) if "2021-04:" in text else text.replace("name:", "name: ", 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: ctime tells
    assert loaded(demo_copy, tuning=small) == (398, 1)
    assert forked == [1, 1]  # both repeat runs scanned in a child


def test_the_index_names_each_file_by_the_blob_id_git_gives_it(demo_copy: Path, git_env: None) -> None:
    """The working tree's records are found by git's own blob ids: the same entries ``--at`` fills."""
    age(demo_copy)
    load_ledger(demo_copy)
    index = caches(demo_copy)[0].read()
    assert len(index) == 398
    rel = "data/projects/HJ2021-001.yaml"
    hashed = subprocess.run(["git", "hash-object", str(demo_copy / rel)], capture_output=True, text=True, check=True)
    assert index[rel][1] == hashed.stdout.strip()
    assert index[rel][0] == cache.key_of(str(demo_copy / rel))
    # a file changed back to bytes seen before is not parsed again: the blob cache has them
    path = demo_copy / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "# 备注\n", encoding="utf-8")
    assert loaded(demo_copy) == (398, 1)
    path.write_text(text, encoding="utf-8")
    assert loaded(demo_copy) == (399, 0)


@pytest.mark.slow
def test_a_broken_settings_file_stops_a_parallel_load(demo_copy: Path) -> None:
    from xmtj.ledger.speed.bulk import Tuning
    from xmtj.problems import LedgerInvalid

    settings = demo_copy / "xmtj.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "office: [\n", encoding="utf-8")
    with pytest.raises(LedgerInvalid, match=r"xmtj\.yaml"):
        load_ledger(demo_copy, tuning=Tuning(parallel_min=10))


def test_no_cache_runs_the_plain_loader_and_the_cache_never_does(
    ledger_copy: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xmtj.ledger import load

    calls: list[str] = []
    original = load.load_record

    def counting(source: Any, model: Any, rel: str) -> Any:
        calls.append(rel)
        return original(source, model, rel)

    monkeypatch.setattr(load, "load_record", counting)
    age(ledger_copy)
    plain = run("status", "--no-cache", "--year", "2021", "--format", "json", ledger=ledger_copy).stdout
    files = len(calls)
    assert files == 7  # every record file, one by one: the plain path
    calls.clear()
    speed = [run("status", "--year", "2021", "--format", "json", ledger=ledger_copy).stdout for _ in range(2)]
    assert calls == [] and speed == [plain, plain]


@pytest.mark.slow
def test_an_edit_to_the_validating_code_is_never_answered_from_the_cache(tmp_path: Path) -> None:
    """A copy of the package, run once (caching), then a message changed in its validation code: the next
    run, cache on, says the new message."""
    import sys

    from tests.conftest import REPO

    package = tmp_path / "pkg" / "xmtj"
    shutil.copytree(REPO / "src" / "xmtj", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", package / "templates")
    ledger = tmp_path / "ledger"
    shutil.copytree(SMALL, ledger)
    broken = ledger / "data/projects/P1.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "anual_plan: {2021: 1}\n", encoding="utf-8")
    age(ledger)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "pkg"), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def check() -> str:
        done = subprocess.run([sys.executable, "-m", "xmtj", "check", "--ledger", str(ledger)], env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        return done.stdout

    assert "未知字段 anual_plan" in check() and "未知字段 anual_plan" in check()  # the second from the cache
    validation = package / "ledger" / "validation.py"
    validation.write_text(
        validation.read_text(encoding="utf-8").replace("未知字段 {key}", "没有这个字段 {key}"), "utf-8"
    )
    assert "没有这个字段 anual_plan" in check()
