"""A git revision read by object id, through the blob cache (issue #15)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SMALL, LedgerDir, Run, git, project_yaml
from xmtj.ledger.checks import check_ledger
from xmtj.ledger.load import load_ledger, read_ledger
from xmtj.ledger.sources import GitRevision
from xmtj.ledger.speed import blobs


@pytest.fixture
def repo(tmp_path: Path, git_env: None) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(SMALL, root)
    (root / "data/issues/W9.yaml").write_text("id: W9\ncategory: 钱\n", encoding="utf-8")  # broken on purpose
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "初始台账")
    return root


def outputs(run: Run, root: Path, rev: str) -> tuple[str, ...]:
    return (
        run("check", "--at", rev, "--format", "json", ledger=root).stdout,
        run("status", "--at", rev, "--as-of", "2021-11-30", "--format", "json", ledger=root).stdout,
        run("report", "--month", "2021-11", "--at", rev, ledger=root).stdout,
    )


def test_the_blob_cache_gives_what_a_cold_read_gives(run: Run, repo: Path) -> None:
    os.environ["XMTJ_NO_CACHE"] = "1"
    try:
        cold = outputs(run, repo, "HEAD")
    finally:
        del os.environ["XMTJ_NO_CACHE"]
    first = outputs(run, repo, "HEAD")  # fills the blob cache
    warm = outputs(run, repo, "HEAD")  # served from it
    assert cold == first == warm
    assert "应为以下之一" in cold[0]  # the broken file's problem survives the cache


def test_a_second_revision_parses_only_the_blobs_it_has_not_seen(repo: Path) -> None:
    load_ledger(repo, "HEAD")
    path = repo / "data/projects/P1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: ", "name: 新", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "改名")
    counts = {}
    original = blobs.BlobCache.flush

    def spy(self: blobs.BlobCache, **kwargs: object) -> None:
        counts["hits"], counts["misses"] = self.hits, self.misses
        original(self, **kwargs)  # type: ignore[arg-type]

    blobs.BlobCache.flush = spy  # type: ignore[method-assign]
    try:
        ledger = load_ledger(repo, "HEAD")
    finally:
        blobs.BlobCache.flush = original  # type: ignore[method-assign]
    assert counts["misses"] == 1  # only the changed project; every other blob (xmtj.yaml too) was seen
    assert ledger.project_by_id["P1"].name.startswith("新")
    plain = read_ledger(GitRevision(repo, "HEAD"))
    assert ledger.projects == plain.projects and ledger.issues == plain.issues
    assert [str(p) for p in check_ledger(ledger)] == [str(p) for p in check_ledger(plain)]


def test_an_older_record_format_is_never_served(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_ledger(repo, "HEAD")
    from xmtj.ledger.speed import cache

    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)  # a newer xmtj reads the same cache folder
    counts = {}
    original = blobs.BlobCache.flush

    def spy(self: blobs.BlobCache, **kwargs: object) -> None:
        counts["hits"] = self.hits
        original(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(blobs.BlobCache, "flush", spy)
    load_ledger(repo, "HEAD")
    assert counts["hits"] == 0


@pytest.mark.slow
def test_symlinks_submodules_and_a_large_folder_are_read_by_id(tmp_path: Path, git_env: None, run: Run) -> None:
    ledger = LedgerDir(tmp_path / "ledger")
    for i in range(10_000):
        ledger.write(f"data/issues/W{i}.yaml", f"id: W{i}\n")  # a 10,000-entry folder (broken, quickly)
    ledger.project("P1")
    root = ledger.root
    (root / "data/projects/L.yaml").symlink_to("/etc/passwd")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "大目录")
    commit = git(root, "rev-parse", "HEAD").strip()
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{commit},data/meetings/M.yaml")  # a submodule entry
    git(root, "commit", "-q", "-m", "子模块")
    loaded = load_ledger(root, "HEAD")
    assert [p.id for p in loaded.projects] == ["P1"]
    messages = {p.path: p.message for p in loaded.problems}
    assert "符号链接" in messages["data/projects/L.yaml"]
    assert "符号链接" in messages["data/meetings/M.yaml"]  # a submodule entry: listed, reported, never read
    assert len([p for p in loaded.problems if p.path.startswith("data/issues/")]) >= 10_000
    assert "/etc/passwd" not in run("check", "--at", "HEAD", ledger=root).output


def test_log_of_a_mass_import_is_summarised_and_its_json_lists_the_ids(tmp_path: Path, git_env: None, run: Run) -> None:
    ledger = LedgerDir(tmp_path / "ledger")
    git(ledger.root, "init", "-q", "-b", "main")
    git(ledger.root, "add", "-A")
    git(ledger.root, "commit", "-q", "-m", "设置")
    for i in range(60):
        ledger.write(f"data/projects/P{i:02d}.yaml", project_yaml(f"P{i:02d}"))
    git(ledger.root, "add", "-A")
    git(ledger.root, "commit", "-q", "-m", "导入60个项目")
    data = json.loads(run("log", "--format", "json", ledger=ledger).stdout)
    mass = data["entries"][0]
    assert mass["bulk"] == {"新增": {"projects": [f"P{i:02d}" for i in range(60)]}}
    assert mass["files"] == []
    table = run("log", ledger=ledger).stdout
    assert "新增项目 60 个" in table


def test_a_fresh_clone_takes_its_first_run_from_the_blob_cache(
    repo: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xmtj.ledger.speed import cache

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    cold = run("status", "--as-of", "2021-11-30", "--format", "json", "--no-cache", ledger=clone).stdout
    load_ledger(clone, "HEAD")  # an --at run warms the blob cache
    counts: list[tuple[int, int]] = []
    original = cache.FileIndex.flush

    def spy(self: cache.FileIndex) -> None:
        counts.append((self.hits, self.misses))
        original(self)

    monkeypatch.setattr(cache.FileIndex, "flush", spy)
    first = run("status", "--as-of", "2021-11-30", "--format", "json", ledger=clone).stdout
    assert first == cold
    assert counts == [(9, 0)]  # every file of the fresh clone (8 and xmtj.yaml) came from the blob cache
    # an edit made after the clone is seen: git's index says the file changed
    path = clone / "data/projects/P1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: ", "name: 改", 1), encoding="utf-8")
    shutil.rmtree(cache.cache_folder(clone))
    load_ledger(clone, "HEAD")
    counts.clear()
    assert load_ledger(clone).project_by_id["P1"].name.startswith("改")
    assert counts == [(8, 1)]


def test_the_blob_cache_is_bounded_and_keeps_what_was_used_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = tmp_path / "cache"
    top.mkdir(mode=0o700)
    monkeypatch.setattr(blobs, "MAX_ENTRIES", 2)
    monkeypatch.setattr(blobs, "MAX_SEGMENTS", 2)
    clock = [100.0]
    monkeypatch.setattr(blobs.time, "time", lambda: clock[0])
    a, b, c, d = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)
    first = blobs.BlobCache(top, top)
    first.put("issues", a, None, ())
    first.put("issues", b, None, ())
    first.flush()
    clock[0] = 200.0
    second = blobs.BlobCache(top, top)
    second.put("issues", c, None, ())
    second.flush()
    assert len(list(second.folder.glob("seg-*"))) == 2
    clock[0] = 300.0
    third = blobs.BlobCache(top, top)
    third.put("issues", d, None, ())
    third.flush(used=lambda: [("issues", a)])  # a third segment: merged, and pruned to two entries
    assert len(list(third.folder.glob("seg-*"))) == 1
    kept = blobs.BlobCache(top, top).load_all()["issues"]
    assert sorted(kept) == [a, d]  # a was used by the last run; b and c were not, and are older than d
    assert sorted(blobs.BlobCache(top, top).known() or ()) == [f"issues:{a}", f"issues:{d}"]


ISSUE = """id: X{i}
project: NOPE
description: 待协调
category: 资金
source: 调度会
raised_on: 2021-07-04
responsible_unit: 第1责任单位
deadline: 2021-08-03
status: 推进中
"""


def test_a_revision_is_fetched_in_one_batch_even_when_checks_read_files_again(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checks read some files again (to find a warning's line): those bytes come from the same batch."""
    from xmtj.ledger import gitio

    for i in range(30):
        (repo / f"data/issues/X{i}.yaml").write_text(ISSUE.format(i=i), encoding="utf-8")  # project unknown
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "更多问题")
    from xmtj.ledger.speed.bulk import Tuning

    batches: list[int] = []
    original = gitio.read_objects
    monkeypatch.setattr(gitio, "read_objects", lambda root, specs: batches.append(len(specs)) or original(root, specs))
    for tuning in (Tuning(), Tuning(parallel_min=10)):  # parsed here, or by workers (their reads not seen here)
        batches.clear()
        ledger = load_ledger(repo, "HEAD", cache=False, tuning=tuning)
        problems = check_ledger(ledger)
        assert len({p.path for p in problems if p.path.startswith("data/issues/X")}) == 30
        assert len(batches) <= 3, batches  # xmtj.yaml first, then a batch or two: never one git process a file


def test_files_the_index_does_not_know_are_asked_of_git(repo: Path) -> None:
    """After a checkout or a pull the file index knows none of the rewritten files: git's index does."""
    from xmtj.ledger.load import caches
    from xmtj.ledger.sources import WorkingTree
    from xmtj.ledger.speed import scan

    index = caches(repo)[0]
    index.folder.mkdir(parents=True)
    rels = sorted(str(p.relative_to(repo)) for p in (repo / "data").rglob("*.yaml"))
    index.replace({rel: ((1, 2, 3, 4), "0" * 40) for rel in rels})  # every key out of date
    index.flush()
    assert len(index.read()) == len(rels) == 8
    jobs, keys, oids, _, same = scan.scan(WorkingTree(repo), index, ask_git=False)
    assert oids == [None] * 8 and not same
    jobs, keys, oids, _, same = scan.scan(WorkingTree(repo), index, ask_git=True)
    assert oids == [git(repo, "hash-object", rel).strip() for _, rel in jobs]
    assert keys[0] == cache_key(repo / jobs[0][1])  # the stat taken before git was asked


def cache_key(path: Path) -> object:
    from xmtj.ledger.speed.cache import key_of

    return key_of(str(path))
