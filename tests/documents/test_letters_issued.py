"""What was issued stays issued: a letter renders as it went out after later changes, a letter is voided
(作废) and never renumbered, and ``remind`` will not date letters by accident."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run, git


def issue_letter(run: Run, ledger: Path) -> str:
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-05", ledger=ledger)
    assert result.exit_code == 0, result.output
    return (ledger / "letters/2021/2-P1.md").read_text(encoding="utf-8")


def test_letter_render_is_the_issued_letter_after_later_changes(small_git: Path, run: Run) -> None:
    issued = issue_letter(run, small_git)
    # after it went out: a problem registered for its month, the figures corrected, the template edited
    assert run("issue", "new", "--project", "P1", "--description", "环评批复尚未取得", "--category", "手续",
               "--source", "现场督查", "--raised-on", "2021-11-20", "--unit", "市生态环境局", "--deadline",
               "2021-11-25", ledger=small_git).exit_code == 0  # fmt: skip
    assert run("progress", "P1", "--month", "2021-11", "--amount", "50", ledger=small_git).exit_code == 0
    (small_git / "templates").mkdir(exist_ok=True)
    (small_git / "templates/letter.md.j2").write_text("改过的模板 {{ doc_no }}\n", encoding="utf-8")
    git(small_git, "add", "-A")
    git(small_git, "commit", "-qm", "模板")
    (small_git / "letters/2021/2-P1.md").unlink()
    git(small_git, "commit", "-qam", "删掉了函件文件")
    result = run("letter", "render", "测重指办督〔2021〕2号", "--format", "md", ledger=small_git)
    assert result.exit_code == 0, result.output
    assert result.stdout == issued  # byte for byte: from the commit that registered it


def test_a_letter_is_voided_counted_as_such_and_its_number_never_reused(small_git: Path, run: Run) -> None:
    issue_letter(run, small_git)
    result = run("letter", "void", "2021-2", "--reason", "数据有误", "--date", "2021-12-06", ledger=small_git)
    assert result.exit_code == 0, result.output
    register = (small_git / "data/letters/2021-2.yaml").read_text(encoding="utf-8")
    assert "voided:\n  date: 2021-12-06\n  reason: 数据有误\n" in register
    assert git(small_git, "log", "-1", "--format=%s").startswith("作废: 测重指办督〔2021〕2号")
    listed = json.loads(run("letter", "list", "--format", "json", ledger=small_git).stdout)["letters"]
    assert any(x["feedback_state"].startswith("已作废") for x in listed)
    again = run("letter", "void", "2021-2", "--reason", "再次", ledger=small_git)
    assert again.exit_code == 1 and "已于 2021-12-06 作废" in again.stderr
    # a fresh letter takes the next number; the voided one is not reissued under its number
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-07", "--project", "P1", ledger=small_git)
    assert result.exit_code == 0, result.output
    assert "测重指办督〔2021〕4号" in (small_git / "letters/2021/4-P1.md").read_text(encoding="utf-8")  # 2, 3 taken
    report = run("report", "--month", "2021-11", "--date", "2021-12-10", ledger=small_git).stdout
    assert "作废1份" in report
    checked = run("check", ledger=small_git).output
    assert "2021-2" not in checked or "书面反馈已逾期" not in checked


def test_remind_refuses_to_date_old_data_today_and_to_number_against_the_dates(small_git: Path, run: Run) -> None:
    head = git(small_git, "rev-parse", "HEAD")
    undated = run("remind", "--as-of", "2021-05-31", ledger=small_git)  # today is years after May 2021
    assert undated.exit_code == 1 and "--date" in undated.stderr and "例如 --date 2021-06-01" in undated.stderr
    issue_letter(run, small_git)  # dated 2021-12-05
    earlier = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-01", "--project", "P2", ledger=small_git)
    assert earlier.exit_code == 1 and "早于已发的 测重指办督〔2021〕2号" in earlier.stderr
    assert git(small_git, "rev-parse", "HEAD") != head  # only the first run committed
    assert not (small_git / "data/letters/2021-4.yaml").exists()


def test_check_warns_where_numbers_and_dates_disagree(small_git: Path, run: Run) -> None:
    register = small_git / "data/letters/2021-1.yaml"
    issue_letter(run, small_git)
    second = small_git / "data/letters/2021-2.yaml"
    second.write_text(second.read_text(encoding="utf-8").replace("date: 2021-12-05", "date: 2021-11-01"), "utf-8")
    assert register.exists()
    checked = run("check", ledger=small_git).output
    assert "早于上一号（测重指办督〔2021〕1号）" in checked


def test_the_briefing_counts_letters_since_the_previous_briefing(small_git: Path, run: Run) -> None:
    """The October 通报 went out on 11月5日: November's counts the letters dated after it up to its own date
    (2号 of 12月5日 included, 1号 of 11月3日 not), and the replies received in that time."""
    issued = run(
        "report", "--month", "2021-10", "--date", "2021-11-05", "--out", str(small_git / "通报-10.md"), ledger=small_git
    )
    assert issued.exit_code == 0, issued.output
    issue_letter(run, small_git)  # 2号 and 3号, dated 12月5日
    text = run("report", "--month", "2021-11", "--date", "2021-12-10", ledger=small_git).stdout
    line = next(x for x in text.splitlines() if "督办提醒函" in x and "下发" in x)
    assert line.strip().startswith("自上期通报（测重指办〔2021〕1号，2021年11月5日）以来，共下发督办提醒函2份")
    assert "收到书面反馈1份" in line  # 1号's reply came on 11月10日, inside the period
    assert "测重指办督〔2021〕1号 |" not in text  # 1号 (11月3日) went out before the previous 通报
