"""git's index read directly (a fresh clone's first run): the blob ids and the stat git verified."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SMALL, git
from xmtj.ledger.speed import gitindex
from xmtj.ledger.speed.cache import key_of


@pytest.fixture
def nested(tmp_path: Path, git_env: None) -> Path:
    """A ledger in a subfolder of its repository, committed."""
    top = tmp_path / "repo"
    root = top / "县" / "台账"
    shutil.copytree(SMALL, root)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "台账")
    return root


def hashed(root: Path, rel: str) -> str:
    return git(root, "hash-object", rel).strip()


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_every_index_version_gives_git_s_ids_and_the_files_stat(nested: Path, version: str) -> None:
    git(nested, "update-index", "--index-version", version)
    git(nested, "update-index", "--refresh")
    found = gitindex.unchanged_files(nested, "data")
    rels = sorted(str(p.relative_to(nested)) for p in (nested / "data").rglob("*.yaml"))
    assert sorted(found) == rels and len(rels) == 7
    for rel in rels:
        key, oid = found[rel]
        assert oid == hashed(nested, rel)
        assert key == key_of(str(nested / rel))  # the stat git recorded is the file's stat now


def test_changed_skipped_and_unstaged_files_are_left_out(nested: Path) -> None:
    edited = "data/projects/P1.yaml"
    (nested / edited).write_text((nested / edited).read_text(encoding="utf-8") + "# 改\n", encoding="utf-8")
    git(nested, "update-index", "--index-version", "3")
    git(nested, "update-index", "--skip-worktree", "data/projects/P2.yaml")  # extended flags (version 3)
    git(nested, "update-index", "--assume-unchanged", "data/issues/W1.yaml")
    (nested / "data/projects/P9.yaml").write_text("id: P9\n", encoding="utf-8")  # not in git at all
    found = gitindex.unchanged_files(nested, "data")
    assert edited not in found and "data/projects/P9.yaml" not in found
    assert "data/projects/P2.yaml" not in found and "data/issues/W1.yaml" not in found
    assert len(found) == 4


def test_a_split_index_is_answered_by_git_without_stat(nested: Path) -> None:
    git(nested, "update-index", "--split-index")
    found = gitindex.unchanged_files(nested, "data")
    assert len(found) == 7 and all(key is None for key, _ in found.values())
    assert found["data/projects/P1.yaml"][1] == hashed(nested, "data/projects/P1.yaml")


def test_outside_git_nothing(tmp_path: Path) -> None:
    shutil.copytree(SMALL, tmp_path / "plain")
    assert gitindex.unchanged_files(tmp_path / "plain", "data") == {}


@pytest.mark.parametrize(
    "setup",
    [
        ("config", "core.autocrlf", "true"),
        ("config", "filter.secret.clean", "cat"),
        ("attributes", "*.yaml text eol=crlf\n"),
    ],
)
def test_nothing_when_git_may_convert_files_on_checkout(nested: Path, setup: tuple[str, ...]) -> None:
    """A file's bytes need not be its blob's then (CRLF, another encoding, a filter): parse as on a first run."""
    assert gitindex.unchanged_files(nested, "data")
    if setup[0] == "config":
        git(nested, "config", setup[1], setup[2])
    else:
        (nested / ".gitattributes").write_text(setup[1], encoding="utf-8")
    assert gitindex.unchanged_files(nested, "data") == {}
