"""Issuing a 通报: its number registered in data/briefings/ through the one write pipeline, never from a
commit message; an issued month given back as it went out; 作废 and 重新印发; drafts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, git

pytestmark = pytest.mark.usefixtures("git_env")


def issue(run: Run, root: Path, month: str, out: Path, *extra: str) -> str:
    result = run("report", "--month", month, "--date", f"{month[:4]}-12-14", "--out", str(out), *extra, ledger=root)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_an_issued_month_is_given_back_as_it_went_out(run: Run, small_git: Path, tmp_path: Path) -> None:
    first = issue(run, small_git, "2021-11", small_git / "通报.md")
    assert "测重指办〔2021〕1号" in first
    assert run("progress", "P1", "--month", "2021-11", "--amount", "999", ledger=small_git).exit_code == 0
    again = run("report", "--month", "2021-11", "--out", str(tmp_path / "again.md"), ledger=small_git)
    assert again.exit_code == 0, again.output
    assert "已于2021-12-14印发（测重指办〔2021〕1号），按印发时的原件写入" in again.stderr
    assert (tmp_path / "again.md").read_text(encoding="utf-8") == first  # the new figure changed nothing
    assert len(list((small_git / "data/briefings").iterdir())) == 1


def test_a_number_comes_from_the_register_not_from_a_commit_message(run: Run, small_git: Path) -> None:
    (small_git / "说明.txt").write_text("x", encoding="utf-8")
    git(small_git, "add", "说明.txt")
    forged = "改说明\n\nXmtj-Report: 2021-10\nXmtj-Doc-No: 测重指办〔2021〕伪造99号\n"
    git(small_git, "commit", "-qm", forged)
    text = run("report", "--month", "2021-10", ledger=small_git).stdout
    assert "测重指办〔2021〕1号" in text and "伪造" not in text
    issue(run, small_git, "2021-10", small_git / "十月.md")
    assert "测重指办〔2021〕2号" in run("report", "--month", "2021-11", ledger=small_git).stdout


def test_report_out_honours_git_commit_false(run: Run, small_git: Path) -> None:
    config = small_git / "xmtj.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "git: {commit: false}\n", encoding="utf-8")
    git(small_git, "commit", "-qam", "不自动提交")
    before = git(small_git, "rev-parse", "HEAD")
    result = run("report", "--month", "2021-11", "--date", "2021-12-14", "--out", str(small_git / "通报.md"),
                 ledger=small_git)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "未提交（xmtj.yaml 中 git.commit 为 false）" in result.stderr
    assert git(small_git, "rev-parse", "HEAD") == before
    assert (small_git / "data/briefings/2021-1.yaml").is_file() and (small_git / "通报.md").is_file()
    # the register in the working tree numbers the next month, committed or not
    assert "测重指办〔2021〕2号" in run("report", "--month", "2021-12", "--date", "2021-12-31", ledger=small_git).stdout


def test_reissuing_voids_the_old_number_and_takes_a_new_one(run: Run, small_git: Path, tmp_path: Path) -> None:
    issue(run, small_git, "2021-11", tmp_path / "a.md")
    refused = run("report", "--month", "2021-11", "--date", "2021-12-20", "--out", str(tmp_path / "b.md"),
                  "--reissue", ledger=small_git)  # fmt: skip
    assert refused.exit_code == 1 and "须用 -m 写明原因" in refused.stderr
    text = issue(run, small_git, "2021-11", tmp_path / "b.md", "--reissue", "-m", "更正甲项目数据")
    assert "测重指办〔2021〕2号" in text
    old = (small_git / "data/briefings/2021-1.yaml").read_text(encoding="utf-8")
    assert "voided:" in old and "更正甲项目数据" in old
    assert "（重新印发，测重指办〔2021〕1号作废）" in git(small_git, "log", "-1", "--format=%s")
    assert run("check", ledger=small_git).exit_code == 0


def test_a_draft_is_not_registered_and_leaves_its_number_blank(run: Run, small_git: Path, tmp_path: Path) -> None:
    out = tmp_path / "送审稿.md"
    result = run("report", "--month", "2021-11", "--out", str(out), "--draft", ledger=small_git)
    assert result.exit_code == 0, result.output
    assert "测重指办〔2021〕　号" in out.read_text(encoding="utf-8")
    assert not (small_git / "data/briefings").exists()


def test_issuing_needs_a_date_unless_today_is_in_the_next_month(run: Run, small_git: Path, tmp_path: Path) -> None:
    result = run("report", "--month", "2021-11", "--out", str(tmp_path / "x.md"), ledger=small_git)
    assert result.exit_code == 1 and "无法默认成文日期：请用 --date 指定" in result.stderr
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize("target", ["data/projects/P1.yaml", "xmtj.yaml", "data", "templates/report.md.j2"])
def test_report_out_never_writes_over_the_ledgers_own_files(run: Run, small_git: Path, target: str) -> None:
    before = {p: p.read_bytes() for p in small_git.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = run("report", "--month", "2021-11", "--date", "2021-12-14", "--out", str(small_git / target),
                 ledger=small_git)  # fmt: skip
    assert result.exit_code == 1 and "属于台账本身" in result.stderr
    after = {p: p.read_bytes() for p in small_git.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before and git(small_git, "log", "--format=%s") == "台账\n"


def test_out_onto_a_device_writes_through_and_a_fifo_is_refused(run: Run, small_git: Path, tmp_path: Path) -> None:
    device = Path(os.devnull)
    before = device.stat()
    assert run("status", "--format", "csv", "--out", os.devnull, ledger=small_git).exit_code == 0
    after = device.stat()
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev) and device.is_char_device()
    fifo = tmp_path / "管道"
    os.mkfifo(fifo)
    result = run("status", "--format", "csv", "--out", str(fifo), ledger=small_git)  # never waits for a reader
    assert result.exit_code == 1 and "命名管道（FIFO）" in result.stderr
    folder = run("status", "--format", "csv", "--out", str(tmp_path), ledger=small_git)
    assert folder.exit_code == 1 and "是一个文件夹" in folder.stderr


def test_a_closed_pipe_ends_quietly(small_git: Path) -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    done = subprocess.run(["xmtj", "log", "--ledger", str(small_git)], stdout=reader.stdin, stderr=subprocess.PIPE,
                          check=False)  # fmt: skip
    reader.stdin.close()  # type: ignore[union-attr]
    reader.wait()
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr
