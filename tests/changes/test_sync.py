"""``xmtj sync``: two offices' clones and their server (a bare repository): edits to different records,
to different fields of one record, and to the same field; nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, git


@pytest.fixture
def clones(small_git: Path, tmp_path: Path) -> tuple[Path, Path]:
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(small_git), str(server))
    git(small_git, "remote", "add", "origin", str(server))
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(server), str(other))
    return small_git, other


def text(root: Path, record: str) -> str:
    return (root / f"data/projects/{record}.yaml").read_text(encoding="utf-8")


def test_edits_on_both_sides_all_land(clones: tuple[Path, Path], run: Run) -> None:
    mine, other = clones
    assert run("progress", "P1", "--month", "2021-12", "--amount", "80", ledger=mine).exit_code == 0
    assert run("project", "set", "P2", "备注", "乙方的备注", ledger=other).exit_code == 0
    assert run("project", "set", "P1", "备注", "乙方改的P1", ledger=other).exit_code == 0  # same file, other field
    first = run("sync", ledger=other)
    assert first.exit_code == 0, first.output
    result = run("sync", ledger=mine)
    assert result.exit_code == 0, result.output
    assert "已同步：从服务器取回2次修改，推送1次" in result.output
    assert run("sync", ledger=other).exit_code == 0
    for root in (mine, other):
        assert "2021-12: 80" in text(root, "P1") and "乙方改的P1" in text(root, "P1")
        assert "乙方的备注" in text(root, "P2")
        assert git(root, "status", "--porcelain") == ""
    assert git(mine, "rev-parse", "HEAD") == git(other, "rev-parse", "HEAD")
    assert run("check", ledger=mine).exit_code == 0


def test_the_same_field_changed_on_both_sides_is_decided_by_keep(clones: tuple[Path, Path], run: Run) -> None:
    mine, other = clones
    assert run("project", "set", "P2", "备注", "本机的说法", ledger=mine).exit_code == 0
    assert run("project", "set", "P2", "备注", "服务器的说法", ledger=other).exit_code == 0
    assert run("sync", ledger=other).exit_code == 0
    before = git(mine, "rev-parse", "HEAD")
    stopped = run("sync", ledger=mine)
    assert stopped.exit_code == 1
    assert "P2 备注：本机为 本机的说法" in stopped.stderr and "服务器上为 服务器的说法" in stopped.stderr
    assert "xmtj sync --keep mine P2 备注" in stopped.stderr
    assert git(mine, "rev-parse", "HEAD") == before and git(mine, "status", "--porcelain") == ""  # nothing lost
    assert "本机的说法" in text(mine, "P2")
    kept = run("sync", "--keep", "mine", "P2", "备注", ledger=mine)
    assert kept.exit_code == 0, kept.output
    assert "按 --keep：P2 备注：保留本机的" in kept.output
    assert run("sync", ledger=other).exit_code == 0
    assert "本机的说法" in text(other, "P2") and "服务器的说法" not in text(other, "P2")
    log = git(other, "log", "--format=%s")
    assert "服务器的说法" in log and "本机的说法" in log  # both changes stay in the history


def test_neighbouring_lines_of_one_record_merge_field_by_field(clones: tuple[Path, Path], run: Run) -> None:
    """April's figure corrected on one side, November's on the other: git sees one conflict (the lines
    touch), xmtj sees two fields and takes each from the side that changed it."""
    mine, other = clones
    assert run("progress", "P1", "--month", "2021-04", "--amount", "210", ledger=mine).exit_code == 0
    assert run("progress", "P1", "--month", "2021-11", "--amount", "230", ledger=other).exit_code == 0
    assert run("sync", ledger=other).exit_code == 0
    result = run("sync", ledger=mine)
    assert result.exit_code == 0, result.output
    assert "逐字段合并：data/projects/P1.yaml" in result.output
    merged = text(mine, "P1")
    assert "2021-04: 210" in merged and "amount: 230" in merged and "<<<<" not in merged
    assert run("check", ledger=mine).exit_code == 0


def test_the_first_sync_to_an_empty_server_pushes_everything(small_git: Path, tmp_path: Path, run: Run) -> None:
    server = tmp_path / "empty.git"
    git(tmp_path, "init", "-q", "--bare", str(server))
    git(small_git, "remote", "add", "origin", str(server))
    result = run("sync", ledger=small_git)
    assert result.exit_code == 0, result.output
    assert git(server, "rev-parse", "refs/heads/" + git(small_git, "branch", "--show-current").strip()).strip() == (
        git(small_git, "rev-parse", "HEAD").strip()
    )
    again = run("sync", ledger=small_git)
    assert again.exit_code == 0 and "从服务器取回0次修改，推送0次" in again.output
