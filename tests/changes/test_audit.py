"""The audit trail on real git repositories made in temporary folders.

Author, committer and dates are pinned through the environment; no global or system git config is
read, so the tests do not depend on the machine's git identity or time zone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SMALL, Run, git

FIXTURE = SMALL


@pytest.fixture
def repo(tmp_path: Path, git_env: None) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(FIXTURE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "初始台账")
    return root


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def last_commit(root: Path) -> tuple[str, list[str], str]:
    subject = git(root, "log", "-1", "--format=%s").strip()
    files = git(root, "show", "--name-only", "--format=", "HEAD").split()
    body = git(root, "log", "-1", "--format=%b")
    return subject, files, body


def test_progress_commits_one_file_with_a_parseable_message(run: Run, repo: Path) -> None:
    result = run("progress", "P1", "--month", "2021-11", "--amount", "300", "-m", "按统计局核定数更正", ledger=repo)
    assert result.exit_code == 0, result.output
    subject, files, body = last_commit(repo)
    assert subject == "进度: P1 2021-11 220→300万元"
    assert files == ["data/projects/P1.yaml"]
    assert "按统计局核定数更正" in body
    assert "Xmtj-Command: xmtj progress P1 --month 2021-11 --amount 300" in body
    assert git(repo, "status", "--porcelain") == ""
    run("progress", "P1", "--month", "2021-12", "--amount", "100", ledger=repo)
    assert last_commit(repo)[0] == "进度: P1 2021-12 +100万元"


def test_each_change_command_makes_one_commit(run: Run, repo: Path) -> None:
    steps = [
        (
            ("project", "set", "P2", "actual_start", "2021-12-05"),
            "项目: P2 实际开工时间 （空）→2021-12-05",
            ["data/projects/P2.yaml"],
        ),
        (
            ("project", "set", "P1", "annual_plan.2022", "1500"),
            "项目: P1 2022年计划投资 （空）→1500",
            ["data/projects/P1.yaml"],
        ),
        (
            (
                "issue",
                "new",
                "-p",
                "P1",
                "-d",
                "资金未到位",
                "--category",
                "资金",
                "--source",
                "现场督查",
                "--unit",
                "甲化工有限公司",
                "--raised-on",
                "2021-12-02",
                "--deadline",
                "2021-12-20",
            ),
            "新增问题: WT2021-001 (P1)",
            ["data/issues/WT2021-001.yaml"],
        ),
        (
            ("issue", "resolve", "W1", "--date", "2021-12-03", "--text", "已接通"),
            "办结问题: W1 2021-12-03",
            ["data/issues/W1.yaml"],
        ),
        (
            ("meeting", "new", "--kind", "调度会", "--date", "2021-12-07", "--title", "第11次调度会", "-p", "P1"),
            "新建活动: DD2021-001 第11次调度会",
            ["data/meetings/DD2021-001.yaml"],
        ),
        (
            (
                "project",
                "new",
                "--name",
                "丁新项目",
                "--investment-type",
                "政府投资",
                "--sector",
                "民生",
                "--key-year",
                "2022",
                "--branch",
                "乙分指挥部",
                "--unit",
                "市教育局",
                "--leader",
                "李某（副市长，虚构）",
                "--total",
                "5000",
                "--level",
                "市级重点项目",
                "--plan",
                "2000",
            ),
            "新建项目: P2022-001 丁新项目",
            ["data/projects/P2022-001.yaml"],
        ),
    ]
    for args, subject, files in steps:
        before = int(git(repo, "rev-list", "--count", "HEAD"))
        result = run(*args, ledger=repo)
        assert result.exit_code == 0, (args, result.output)
        assert int(git(repo, "rev-list", "--count", "HEAD")) == before + 1
        got_subject, got_files, _ = last_commit(repo)
        assert (got_subject, got_files) == (subject, files)
    assert run("check", ledger=repo).exit_code == 0
    resolved = (repo / "data/issues/W1.yaml").read_text(encoding="utf-8")
    assert "status: 已办结\nresolved_on: 2021-12-03\nresolution: 已接通\n" in resolved
    new_project = (repo / "data/projects/P2022-001.yaml").read_text(encoding="utf-8")
    assert "investment_type: 政府投资  # 政府投资 | 社会投资" in new_project
    assert "actual_start:\n" in new_project  # the empty slots a clerk fills in later


def test_an_invalid_change_writes_and_commits_nothing(run: Run, repo: Path) -> None:
    before_head, before_files = head(repo), {p: p.read_bytes() for p in repo.rglob("*.yaml")}
    cases = [
        (
            ("project", "set", "P1", "branch", "丙分指挥部"),
            "data/projects/P1.yaml:8:1: branch: 分指挥部“丙分指挥部”不在 xmtj.yaml 的 branches 中",
        ),
        (
            ("project", "set", "P1", "actual_start", "2021-02-30"),
            "data/projects/P1.yaml:14:1: actual_start: 日期“2021-02-30”不存在",
        ),
        (
            ("project", "set", "P1", "anual_plan.2022", "5"),
            "未知字段 anual_plan，是否应为 年度计划投资（annual_plan）？",
        ),
        (("progress", "P9", "--month", "2021-11", "--amount", "5"), "项目 P9 不存在"),
        (
            ("issue", "new", "-p", "P9", "-d", "x", "--category", "资金", "--source", "现场督查", "--unit", "甲"),
            "项目 P9 不存在",
        ),
        (
            ("issue", "new", "-d", "x", "--category", "钱", "--source", "现场督查", "--unit", "甲"),
            "category: 应为以下之一",
        ),
        (
            ("project", "set", "P3", "actual_completion", "2021-01-01"),
            "actual_completion: 实际竣工日期早于实际开工日期",
        ),
    ]
    for args, message in cases:
        result = run(*args, ledger=repo)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
    assert head(repo) == before_head
    assert {p: p.read_bytes() for p in repo.rglob("*.yaml")} == before_files
    assert git(repo, "status", "--porcelain") == ""


HAND_WRITTEN = """\
# 甲项目（手工维护，请勿删除注释）
id: P1
name:   甲化工新材料项目      # 名称按批复
owner: "甲化工有限公司"
levels:
- 省级重点项目
- 市级重点项目
investment_type: 社会投资
sector: 产业
key_years: [ 2021 ]
branch: 甲分指挥部
responsible_unit: 甲开发区管委会
liaison_leader: 张某（副市长，虚构）
total_investment: 3000

annual_plan:
    2021: 1000   # 年初计划
planned_start: 2021-03-01
actual_start: 2021-03-15
progress:
    2021-04: 200     # 四月
    2021-11:
        amount: 220
        text: 主体施工
remarks: >
  折叠的
  备注
"""


def changed_lines(before: str, after: str) -> list[str]:
    import difflib

    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_hand_written_layout_survives_edits(run: Run, repo: Path) -> None:
    path = repo / "data/projects/P1.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    git(repo, "commit", "-qam", "手工整理格式")
    assert run("progress", "P1", "--month", "2021-11", "--amount", "250", ledger=repo).exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert changed_lines(HAND_WRITTEN, after) == ["-        amount: 220", "+        amount: 250"]
    run("progress", "P1", "--month", "2021-06", "--amount", "80", "--text", "基础", ledger=repo)
    run("project", "set", "P1", "annual_plan.2022", "900", ledger=repo)
    run("project", "set", "P1", "contact.phone", "13800000000", ledger=repo)
    final = path.read_text(encoding="utf-8")
    assert changed_lines(after, final) == [
        "+contact:",
        "+  phone: '13800000000'",
        "+    2022: 900",
        "+    2021-06: {amount: 80, text: 基础}",
    ]
    assert final.startswith("# 甲项目（手工维护，请勿删除注释）\nid: P1\nname:   甲化工新材料项目      # 名称按批复\n")
    assert "    2021-04: 200     # 四月\n    2021-06: {amount: 80, text: 基础}\n    2021-11:\n" in final
    assert run("check", ledger=repo).exit_code == 0


def test_a_failed_write_leaves_the_old_file(run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xmtj.changes.writer

    def killed(staged: xmtj.changes.writer._Staged) -> None:
        raise OSError(5, "Input/output error", str(staged.path))  # after the temp file, before the rename

    monkeypatch.setattr(xmtj.changes.writer, "_place", killed)
    before = (repo / "data/projects/P1.yaml").read_bytes()
    result = run("progress", "P1", "--month", "2021-11", "--amount", "999", ledger=repo)
    assert result.exit_code == 1
    assert (repo / "data/projects/P1.yaml").read_bytes() == before
    assert sorted(p.name for p in (repo / "data/projects").iterdir()) == ["P1.yaml", "P2.yaml", "P3.yaml"]
    assert git(repo, "status", "--porcelain") == ""


def test_uncommitted_edits_are_written_but_not_committed(run: Run, repo: Path) -> None:
    path = repo / "data/projects/P1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("owner: 甲化工有限公司", "owner: 甲化工集团"), encoding="utf-8"
    )
    before = head(repo)
    result = run("progress", "P1", "--month", "2021-12", "--amount", "10", ledger=repo)
    assert result.exit_code == 0
    assert "原本就有未提交的修改，因此没有自动提交" in result.stderr
    assert head(repo) == before
    assert "2021-12: 10" in path.read_text(encoding="utf-8")


def test_no_commit_and_no_identity(run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = head(repo)
    result = run("progress", "P1", "--month", "2021-12", "--amount", "10", "--no-commit", ledger=repo)
    assert "未提交（--no-commit）" in result.stderr
    assert head(repo) == before
    git(repo, "checkout", "-q", "--", ".")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var)
    result = run("progress", "P1", "--month", "2021-12", "--amount", "10", ledger=repo)
    assert result.exit_code == 1  # all or nothing: a commit that cannot be made means no file is written
    assert 'git config --global user.name "您的姓名"' in result.stderr
    assert head(repo) == before
    assert "2021-12: 10" not in (repo / "data/projects/P1.yaml").read_text(encoding="utf-8")


def test_a_ledger_outside_git_works_without_commits(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(FIXTURE, root)
    result = run("progress", "P1", "--month", "2021-12", "--amount", "10", ledger=root)
    assert result.exit_code == 0
    assert "已写入 data/projects/P1.yaml" in result.stdout
    assert "已提交" not in result.output


def test_log_reads_xmtj_and_hand_made_commits_and_follows_renames(
    run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("progress", "P1", "--month", "2021-10", "--amount", "800", ledger=repo)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "测试员乙")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2021-12-02T09:30:00+08:00")
    path = repo / "data/projects/P1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2021-10: 800", "2021-10: 950"), encoding="utf-8")
    git(repo, "commit", "-qam", "手工更正十月数")
    # a rename by hand: P3 becomes P4
    git(repo, "mv", "data/projects/P3.yaml", "data/projects/P4.yaml")
    p4 = repo / "data/projects/P4.yaml"
    p4.write_text(p4.read_text(encoding="utf-8").replace("id: P3", "id: P4"), encoding="utf-8")
    git(repo, "commit", "-qam", "P3 改编号为 P4")
    data = json.loads(run("log", "P1", "--format", "json", ledger=repo).stdout)
    [hand, tool, initial] = data["entries"]
    assert (hand["author"], hand["date"], hand["message"]) == (
        "测试员乙",
        "2021-12-02T09:30:00+08:00",
        "手工更正十月数",
    )
    assert hand["files"][0]["changes"] == [
        {"field": "progress.2021-10", "label": "2021年10月完成投资", "old": 800, "new": 950, "retroactive": None}
    ]
    assert tool["files"][0]["changes"] == [
        {"field": "progress.2021-10", "label": "2021年10月完成投资", "old": None, "new": 800, "retroactive": None}
    ]
    assert initial["files"][0]["status"] == "新增"
    table = run("log", "P1", ledger=repo).stdout
    assert "2021年10月完成投资：800 → 950" in table and "2021年10月完成投资：（空） → 800" in table
    renamed = json.loads(run("log", "P4", "--format", "json", ledger=repo).stdout)["entries"]
    assert len(renamed) == 2
    assert renamed[0]["files"][0]["status"] == "改名"
    assert renamed[0]["files"][0]["old_path"] == "data/projects/P3.yaml"
    assert renamed[0]["files"][0]["changes"] == [
        {"field": "id", "label": "编号", "old": "P3", "new": "P4", "retroactive": None}
    ]
    whole = json.loads(run("log", "--since", "2021-12-02", "--format", "json", ledger=repo).stdout)["entries"]
    assert [e["message"] for e in whole] == ["P3 改编号为 P4", "手工更正十月数"]


def test_diff_and_at_read_the_ledger_as_it_was(run: Run, repo: Path) -> None:
    first = head(repo)
    run("project", "set", "P2", "actual_start", "2021-12-05", ledger=repo)
    path = repo / "data/projects/P1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2021-04: 200", "2021-04: 260"), encoding="utf-8")
    (repo / "data/issues/W2.yaml").unlink()
    diff = json.loads(run("diff", first, "--format", "json", ledger=repo).stdout)
    assert diff["summary"] == {"added": 0, "removed": 1, "changed": 2, "retroactive": 0}
    files = {f["path"]: f for f in diff["files"]}
    assert files["data/projects/P1.yaml"]["changes"] == [
        {"field": "progress.2021-04", "label": "2021年4月完成投资", "old": 200, "new": 260, "retroactive": None}
    ]
    assert files["data/projects/P2.yaml"]["changes"] == [
        {"field": "actual_start", "label": "实际开工时间", "old": None, "new": "2021-12-05", "retroactive": None}
    ]
    assert files["data/issues/W2.yaml"]["status"] == "删除"
    between = json.loads(run("diff", first, "HEAD", "--format", "json", ledger=repo).stdout)
    assert [f["path"] for f in between["files"]] == ["data/projects/P2.yaml"]
    # --at: the old figures, while the working tree has new ones
    now = json.loads(run("status", "--year", "2021", "--as-of", "2021-11-30", "--format", "json", ledger=repo).stdout)
    then = json.loads(
        run("status", "--year", "2021", "--as-of", "2021-11-30", "--format", "json", "--at", first, ledger=repo).stdout
    )
    assert (now["completed_ytd"], then["completed_ytd"]) == (1080, 1020)
    assert run("check", "--at", first, ledger=repo).exit_code == 0
    assert path.read_text(encoding="utf-8").count("2021-04: 260") == 1  # the working tree was not touched
    issues = json.loads(run("issue", "list", "--format", "json", "--at", first, ledger=repo).stdout)
    assert [i["id"] for i in issues["issues"]] == ["W1", "W2"]


def test_report_at_a_revision_regenerates_the_briefing_that_went_out(run: Run, repo: Path) -> None:
    out = str(repo / "reports/2021-11.md")
    assert run("report", "--month", "2021-11", "--date", "2021-12-14", "--out", out, ledger=repo).exit_code == 0
    sent = head(repo)
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "data/briefings/2021-1.yaml",
        "reports/2021-11.md",
    ]
    original = (repo / "reports/2021-11.md").read_text(encoding="utf-8")
    run("progress", "P1", "--month", "2021-11", "--amount", "500", ledger=repo)
    (repo / "templates").mkdir()
    (repo / "templates/report.md.j2").write_text("改过的模板\n", encoding="utf-8")
    assert run("report", "--month", "2021-11", "--at", sent, ledger=repo).stdout == original
    assert run("report", "--month", "2021-11", ledger=repo).stdout == "改过的模板\n"


def test_a_retroactive_change_is_flagged(run: Run, repo: Path) -> None:
    run("report", "--month", "2021-11", "--date", "2021-12-14", "--out", str(repo / "reports/2021-11.md"), ledger=repo)
    run("progress", "P1", "--month", "2021-04", "--amount", "250", ledger=repo)  # a month already reported
    run("progress", "P1", "--month", "2021-12", "--amount", "50", ledger=repo)  # a month not yet reported
    entries = json.loads(run("log", "P1", "--format", "json", ledger=repo).stdout)["entries"]
    assert entries[0]["files"][0]["changes"][0]["retroactive"] is None
    assert entries[1]["files"][0]["changes"] == [
        {"field": "progress.2021-04", "label": "2021年4月完成投资", "old": 200, "new": 250, "retroactive": "2021-11"}
    ]
    path = repo / "data/projects/P1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2021-11: {amount: 220", "2021-11: {amount: 330"), encoding="utf-8"
    )
    result = run("diff", ledger=repo)
    assert "2021年11月完成投资：220 → 330（注意：2021-11通报已发出后的追溯修改）" in result.stdout
    assert "注意：1处修改涉及已发出通报的月份数据" in result.stderr


def test_ids_and_revisions_are_never_git_options(
    run: Run, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    for args in (
        ("status", "--at", f"--output={marker}"),
        ("diff", f"--output={marker}"),
        ("log", "--since", f"--output={marker}"),
    ):
        result = run(*args, ledger=repo)
        assert result.exit_code != 0, args
        assert not marker.exists()
    monkeypatch.setenv("XMTJ_LEDGER", str(repo))  # "--" ends the options: the ledger comes from the environment
    result = run("diff", "--", "-p")
    assert result.exit_code == 1 and "不能以“-”开头" in result.stderr
    result = run("log", "--", "-P1")
    assert result.exit_code == 1 and "不能以“-”开头" in result.stderr
    result = run("project", "set", "--", "-P1", "name", "x")
    assert result.exit_code == 1 and "项目 -P1 不存在" in result.stderr


def test_remind_commits_its_letters(run: Run, repo: Path) -> None:
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-14", ledger=repo)
    assert result.exit_code == 0, result.output
    subject, files, _ = last_commit(repo)
    assert subject == "督办: 测重指办督〔2021〕2号—3号（2份）"
    assert files == [
        "data/letters/2021-2.yaml",
        "data/letters/2021-3.yaml",
        "letters/2021/2-P1.docx",
        "letters/2021/2-P1.md",
        "letters/2021/3-P2.docx",
        "letters/2021/3-P2.md",
    ]


def test_project_new_asks_on_a_terminal(run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xmtj.cli.common

    monkeypatch.setattr(xmtj.cli.common, "stdin_is_terminal", lambda: True)
    answers = [
        *("戊项目", "戊公司", "新建厂房3万平方米", "2", "1", "1", "2"),  # …, 社会投资, 新建, 产业, 乙分指挥部
        *("", "市某局"),  # 责任单位 left blank: asked again, not failed at the end
        *("王某（虚构）", "8000", "1、2", "2022", "3000", "2022-13-01", "2022-04-01", "2023-10-31"),
    ]
    result = run("project", "new", input="\n".join(answers) + "\n", ledger=repo)
    assert result.exit_code == 0, result.output
    text = (repo / "data/projects/P2022-001.yaml").read_text(encoding="utf-8")
    for line in (
        "name: 戊项目",
        "owner: 戊公司",
        "content: 新建厂房3万平方米",
        "investment_type: 社会投资",
        "nature: 新建",
        "sector: 产业",
        "branch: 乙分指挥部",
        "levels: [省级重点项目, 市级重点项目]",
        "key_years: [2022]",
        "total_investment: 8000",
        "  2022: 3000",
        "planned_start: 2022-04-01",
        "planned_completion: 2023-10-31",
    ):
        assert line in text, line
    assert "  1. 甲分指挥部" in result.stderr  # the vocabulary offered as choices
    assert "责任单位是必填项" in result.stderr and "“2022-13-01”不是日期" in result.stderr


def test_project_new_without_a_terminal_names_what_is_missing(run: Run, repo: Path) -> None:
    result = run("project", "new", "--name", "己项目", ledger=repo)
    assert result.exit_code == 1
    assert "缺少：投资类型、行业、分指挥部、责任单位、包联领导、总投资（万元）、重点年度（--key-year）" in result.stderr


def test_log_and_diff_name_every_field_in_chinese(run: Run) -> None:
    """On the demo's own history (every kind of record and xmtj.yaml in the diff from the first commit; a
    project's, a problem's and a letter's log): no field is shown by its YAML key."""
    import re

    from tests.conftest import REPO

    first = git(REPO, "rev-list", "--max-parents=0", "HEAD").split()[-1]
    texts = [run("log", record, ledger=REPO).stdout for record in ("HJ2021-001", "WT2021-001", "2021-2")]
    texts.append(run("diff", first, "HEAD", ledger=REPO).stdout)
    assert "月完成投资：" in texts[0] and "手续（" in texts[0]  # the project's log has field changes, labelled
    data = json.loads(run("diff", first, "HEAD", "--format", "json", ledger=REPO).stdout)
    labels = {c["label"] for f in data["files"] for c in f["changes"]}
    assert len(labels) > 30 and not [w for w in labels if re.search(r"[A-Za-z_]{2,}", w)]
    for text in texts:
        keys = re.findall(r"^\s*([a-z_]+(?:[.\[][^\s：:]*)?)[：:] ", text, re.M)
        assert keys == [], keys[:5]


def test_fields_are_named_in_chinese_or_english(run: Run, repo: Path) -> None:
    """project set and issue set take a field's Chinese name (计划开工时间, 2022年计划投资, 办结时限) as well as
    its YAML key; the commit names it in Chinese; a name that is neither is refused with where to look."""
    assert run("project", "set", "P2", "实际开工时间", "2021-12-05", ledger=repo).exit_code == 0
    assert run("project", "set", "P1", "2022年计划投资", "1500", ledger=repo).exit_code == 0
    assert run("project", "set", "P1", "2021年6月计划投资", "120", ledger=repo).exit_code == 0
    p1, p2 = ((repo / f"data/projects/{p}.yaml").read_text(encoding="utf-8") for p in ("P1", "P2"))
    assert "actual_start: 2021-12-05" in p2 and "2022: 1500" in p1 and "2021-06: 120" in p1
    assert git(repo, "log", "-3", "--format=%s").splitlines() == [
        "项目: P1 2021年6月计划投资 （空）→120", "项目: P1 2022年计划投资 （空）→1500", "项目: P2 实际开工时间 （空）→2021-12-05"
    ]  # fmt: skip
    assert run("issue", "set", "W1", "办结时限", "2021-12-31", ledger=repo).exit_code == 0
    assert "deadline: 2021-12-31" in (repo / "data/issues/W1.yaml").read_text(encoding="utf-8")
    wrong = run("project", "set", "P1", "计划开始", "2021-03", ledger=repo)
    assert wrong.exit_code == 1 and "未知字段 计划开始" in wrong.stderr and "xmtj project fields" in wrong.stderr
    resolved = run("issue", "set", "W1", "状态", "已办结", ledger=repo)
    assert resolved.exit_code == 1 and "issue resolve" in resolved.stderr
    before = head(repo)
    bad = run("issue", "set", "W1", "问题类别", "乱写", ledger=repo)
    assert bad.exit_code == 1 and head(repo) == before
    fields = json.loads(run("project", "fields", "--format", "json").stdout)["fields"]
    assert {"label": "计划开工时间", "field": "planned_start"} in fields and len(fields) > 25


def test_a_new_computer_is_asked_once_who_is_changing(run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No git identity (a new computer): on a terminal the first change asks for a name and an e-mail,
    keeps them in the ledger's git settings, and commits; the next change asks nothing."""
    import xmtj.cli.common

    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(xmtj.cli.common, "stdin_is_terminal", lambda: True)
    first = run("progress", "P1", "--month", "2021-12", "--amount", "80", input="王某\nwang@example.gov.cn\n",
                ledger=repo)  # fmt: skip
    assert first.exit_code == 0, first.output
    assert "只问这一次" in first.output and "已提交" in first.output
    assert git(repo, "config", "user.name").strip() == "王某"
    assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == "王某 <wang@example.gov.cn>"
    second = run("progress", "P2", "--month", "2021-12", "--amount", "10", ledger=repo)
    assert second.exit_code == 0 and "只问这一次" not in second.output
