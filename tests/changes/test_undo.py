"""``xmtj undo``: one xmtj change taken back as a new commit; what was issued is voided, never removed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run, git


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_undoing_a_remind_voids_its_letters_and_keeps_what_went_out(small_git: Path, run: Run) -> None:
    earlier = {p.name for p in (small_git / "data/letters").glob("*.yaml")}
    sent = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-05", ledger=small_git)
    assert sent.exit_code == 0, sent.output
    registered = sorted(p.name for p in (small_git / "data/letters").glob("*.yaml"))
    documents = sorted(p.name for p in (small_git / "letters/2021").iterdir())
    result = run("undo", "-m", "误发督办函", ledger=small_git)
    assert result.exit_code == 0, result.output
    assert git(small_git, "log", "-1", "--format=%s").startswith("撤销: 督办")
    assert "Xmtj-Undo: " in git(small_git, "log", "-1", "--format=%B")
    assert sorted(p.name for p in (small_git / "data/letters").glob("*.yaml")) == registered  # none removed
    assert sorted(p.name for p in (small_git / "letters/2021").iterdir()) == documents  # as they went out
    letters = json.loads(run("letter", "list", "--format", "json", ledger=small_git).stdout)["letters"]
    voided = {f"2021-{x['number']}.yaml" for x in letters if x["feedback_state"].startswith("已作废")}
    assert voided == set(registered) - earlier and voided  # the remind's letters, and only those
    for name in voided:
        assert "reason: 撤销：误发督办函" in (small_git / "data/letters" / name).read_text(encoding="utf-8")
    again = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-07", "--project", "P1", ledger=small_git)
    assert again.exit_code == 0, again.output
    numbers = sorted(int(p.stem.split("-")[1]) for p in (small_git / "data/letters").glob("*.yaml"))
    assert numbers[-1] == max(int(n.split("-")[1].split(".")[0]) for n in registered) + 1  # never renumbered
    assert run("check", ledger=small_git).exit_code == 0


def test_undo_puts_a_figure_back_once_and_refuses_what_changed_since(small_git: Path, run: Run) -> None:
    project = small_git / "data/projects/P1.yaml"
    before = project.read_bytes()
    assert run("progress", "P1", "--month", "2021-12", "--amount", "80", ledger=small_git).exit_code == 0
    made = head(small_git)
    assert run("undo", "--last", "-m", "填错了", ledger=small_git).exit_code == 0
    assert project.read_bytes() == before
    twice = run("undo", made, "-m", "再来", ledger=small_git)
    assert twice.exit_code == 1 and "已经撤销过" in twice.stderr
    assert run("project", "set", "P1", "备注", "甲", ledger=small_git).exit_code == 0
    first = head(small_git)
    assert run("project", "set", "P1", "备注", "乙", ledger=small_git).exit_code == 0
    blocked = run("undo", first, "-m", "改回", ledger=small_git)
    assert blocked.exit_code == 1 and "之后又被修改" in blocked.stderr and "乙" in blocked.stderr
    assert head(small_git) != first and git(small_git, "status", "--porcelain") == ""


def test_undo_removes_a_record_it_created_and_refuses_a_hand_commit(small_git: Path, run: Run) -> None:
    made = run("issue", "new", "--project", "P1", "--description", "电力未接通", "--category", "水电气路",
               "--source", "现场督查", "--raised-on", "2021-11-20", "--unit", "供电公司", ledger=small_git)  # fmt: skip
    assert made.exit_code == 0, made.output
    issues = {p.name for p in (small_git / "data/issues").glob("*.yaml")}
    assert run("undo", "-m", "重复登记", ledger=small_git).exit_code == 0
    left = {p.name for p in (small_git / "data/issues").glob("*.yaml")}
    assert len(left) == len(issues) - 1 and git(small_git, "status", "--porcelain") == ""
    (small_git / "data/projects/P1.yaml").write_text(
        (small_git / "data/projects/P1.yaml").read_text(encoding="utf-8") + "# 手工\n", encoding="utf-8"
    )
    git(small_git, "commit", "-qam", "手工修改")
    hand = run("undo", "-m", "撤销", ledger=small_git)
    assert hand.exit_code == 1 and "不是 xmtj 做的修改" in hand.stderr
    nothing = run("undo", ledger=small_git)
    assert nothing.exit_code == 1 and "写明撤销原因" in nothing.stderr
