"""What hostile input, two clerks at once and a failing git must never do to the ledger (issue #9).

One test (or one parametrised group) per class of defect found by the hostile tester; each fails on the
code before the fix. git runs without the machine's configuration (identity and dates pinned through the
environment).
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LedgerDir, Run
from xmtj.ledger import yamlio
from xmtj.ledger.load import load_ledger
from xmtj.ledger.reading import parse_mapping
from xmtj.ledger.speed import cache


def git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(done.stderr)
    return done.stdout


@pytest.fixture
def repo(ledger: LedgerDir, git_env: None) -> LedgerDir:
    ledger.project("P1", "annual_plan: {2021: 1200}\nprogress:\n  2021-01: 100\n")
    ledger.project("P2")
    git(ledger.root, "init", "-q", "-b", "main")
    git(ledger.root, "add", "-A")
    git(ledger.root, "commit", "-q", "-m", "初始台账")
    return ledger


def add_slow_project(repo: LedgerDir) -> None:
    """A project due to start on 2021-01-01 that has not started: red by 2021-11-30, so it gets a letter."""
    repo.project("P3", "annual_plan: {2021: 1200}\nplanned_start: 2021-01-01\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "P3")


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_ledger(root, cache=False).problems]


# --- 1. code execution --------------------------------------------------------------------------


class Planted:
    """A pickle that runs code when loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_cache_shard_runs_nothing(repo: LedgerDir, run: Run, tmp_path: Path) -> None:
    assert run("status", "--year", "2021", ledger=repo).exit_code == 0
    folder = cache.FileIndex(cache.cache_folder(repo.root)).folder
    shards = [p for p in cache.cache_folder(repo.root).rglob("*.pickle")] or [folder / cache.FileIndex.NAME]
    marker = tmp_path / "pwned"
    for shard in shards:
        shard.parent.mkdir(parents=True, exist_ok=True)
        shard.write_bytes(pickle.dumps({"data/projects/P1.yaml": Planted(marker)}))
        shard.chmod(0o600)
    result = run("status", "--year", "2021", ledger=repo)
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    assert "重点项目2个" in result.stdout


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="ownership is a POSIX notion")
def test_a_cache_someone_else_can_write_is_not_read(repo: LedgerDir) -> None:
    top, folder = cache.cache_home(repo.root)
    assert top == (repo.root / ".git").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    index = cache.FileIndex(folder, top)
    index.folder.mkdir(parents=True, exist_ok=True)
    (index.folder / index.NAME).write_bytes(pickle.dumps({"data/projects/P1.yaml": ((1, 2, 3, 4), "0" * 40)}))
    assert index.read() == {}  # a folder others may write is never read
    assert not cache.private_chain(top, folder)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to give a folder away (root)")
def test_a_git_folder_of_another_user_is_passed_over(repo: LedgerDir) -> None:
    os.chown(repo.root / ".git", 12345, 12345)
    try:
        _, folder = cache.cache_home(repo.root)
        assert ".git" not in folder.parts
    finally:
        os.chown(repo.root / ".git", 0, 0)


def test_a_repository_git_calls_dubious_is_refused_not_ignored(
    repo: LedgerDir, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    before = (repo.root / "data/projects/P1.yaml").read_bytes()
    result = run("progress", "P1", "--month", "2021-02", "--amount", "5", ledger=repo)
    assert result.exit_code == 1
    assert "属于另一个用户" in result.stderr and "safe.directory" in result.stderr
    assert (repo.root / "data/projects/P1.yaml").read_bytes() == before
    result = run("status", "--at", "HEAD", ledger=repo)
    assert result.exit_code == 1 and "属于另一个用户" in result.stderr


@pytest.mark.parametrize(
    "template",
    [
        "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% set x = [] %}{{ x.append(1) }}",
    ],
)
def test_a_ledger_template_cannot_run_code(
    ledger: LedgerDir, run: Run, template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.project("P1", "annual_plan: {2021: 1200}\nprogress:\n  2021-01: 100\n")
    ledger.write("templates/report.md.j2", template)
    monkeypatch.chdir(ledger.root)
    result = run("report", "--month", "2021-01", ledger=ledger)
    assert result.exit_code == 1
    assert "不允许" in result.stderr
    assert "Traceback" not in result.output
    assert not (ledger.root / "PWNED").exists()


# --- 5. parser limits ---------------------------------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(BOMB, ":1:4: 台账文件中不允许使用锚点（&）和别名（*）", id="alias-bomb"),
        pytest.param("id: P1\nname: &n 甲\n", ":2:7: 台账文件中不允许使用锚点", id="anchor"),
        pytest.param("id: P1\nremarks: " + "[" * 500 + "]" * 500 + "\n", "嵌套层数超过上限（20 层）", id="deep-flow"),
        pytest.param(
            "id: P1\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(30)) + " " * 60 + "v: 1\n",
            "嵌套层数超过上限（20 层）",
            id="deep-block",
        ),
        pytest.param("id: P1\nremarks: " + "长" * 400_000 + "\n", "文件过大（1171 KB，上限 1024 KB）", id="too-large"),
    ],
)
def test_parser_limits_hold_in_both_readers_and_other_files_still_count(
    ledger: LedgerDir, text: str, expected: str
) -> None:
    ledger.write("data/projects/BAD.yaml", text)
    ledger.project("P2")
    loaded = load_ledger(ledger.root, cache=False)
    assert [p.id for p in loaded.projects] == ["P2"]
    messages = [str(p) for p in loaded.problems]
    assert len(messages) == 1 and expected in messages[0], messages


def test_the_limits_are_set_in_xmtj_yaml(ledger: LedgerDir) -> None:
    deep = "id: P1\nremarks: " + "[" * 25 + "]" * 25 + "\n"
    ledger.write("data/projects/BAD.yaml", deep)
    assert any("20 层" in p for p in problems_of(ledger.root))
    config = (ledger.root / "xmtj.yaml").read_text(encoding="utf-8")
    ledger.write("xmtj.yaml", config + "limits: {max_depth: 30}\n")
    assert not any("层" in p for p in problems_of(ledger.root))


def test_an_alias_bomb_only_in_history_is_refused(repo: LedgerDir, run: Run) -> None:
    repo.write("data/projects/P2.yaml", "id: P2\n" + BOMB)
    git(repo.root, "commit", "-qam", "炸弹")
    for args in (("log",), ("status", "--at", "HEAD", "--year", "2021"), ("check", "--at", "HEAD")):
        result = run(*args, ledger=repo)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1)


# --- 6. money and numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0x4B0", "应为普通数字（如 1200 或 1200.5），现为“0x4B0”"),
        ("1:20:00", "现为“1:20:00”"),
        ("1e5000", "现为“1e5000”"),
        ("1.5e+3", "现为“1.5e+3”"),
        ("1_000", "现为“1_000”"),
        (".inf", "现为“.inf”"),
        ("１２００", "应为半角数字，现为全角“１２００”；请改为半角数字 1200"),
        ("1,200", "请去掉千分位逗号，写作 1200"),
        ("12345678901234567.5", "数额过大：不能超过 1000000000000 万元"),
        ("1200.12345", "最多保留4位小数"),
    ],
)
def test_money_only_in_plain_bounded_form(ledger: LedgerDir, value: str, expected: str) -> None:
    ledger.project("P1", f"annual_plan:\n  2021: {value}\n")
    messages = problems_of(ledger.root)
    assert len(messages) == 1 and "annual_plan.2021" in messages[0] and expected in messages[0], messages


def test_a_huge_amount_is_refused_on_the_command_line_and_written_exactly_otherwise(repo: LedgerDir, run: Run) -> None:
    path = repo.root / "data/projects/P1.yaml"
    before = path.read_bytes()
    result = run("progress", "P1", "--month", "2021-02", "--amount", "12345678901234567.5", ledger=repo)
    assert result.exit_code == 1 and "数额过大" in result.stderr
    assert path.read_bytes() == before
    for bad in ("0x10", "1e3", "１２"):
        result = run("progress", "P1", "--month", "2021-02", "--amount", bad, ledger=repo)
        assert result.exit_code == 1 and "--amount" in result.stderr, result.output
    assert run("progress", "P1", "--month", "2021-02", "--amount", "123456789012.1234", ledger=repo).exit_code == 0
    assert "2021-02: 123456789012.1234\n" in path.read_text(encoding="utf-8")


def test_status_json_is_strict_json(ledger: LedgerDir, run: Run) -> None:
    ledger.project("P1", "annual_plan: {2021: 1e400}\n")
    ledger.project("P2", "annual_plan: {2021: 100}\nprogress: {2021-01: 50}\n")
    result = run("status", "--year", "2021", "--as-of", "2021-01-31", "--format", "json", ledger=ledger)
    assert result.exit_code == 0
    json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def test_numbers_in_other_forms_stay_text_in_text_fields(ledger: LedgerDir) -> None:
    ledger.project("P1", "contact: {name: 赵某, phone: 0755}\nremarks: 1:20\n")
    loaded = load_ledger(ledger.root, cache=False)
    assert loaded.problems == []
    project = loaded.projects[0]
    assert project.contact is not None and project.contact.phone == "0755"
    assert project.remarks == "1:20"


# --- 7. control characters ------------------------------------------------------------------------

CONTROLS = ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufffe"]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_characters_are_refused_by_both_readers_alike(ledger: LedgerDir, char: str) -> None:
    ledger.project("P1", name=f"项目{char}名称")
    messages = problems_of(ledger.root)
    assert messages == [
        f"data/projects/P1.yaml:2:9: 第2行第9列有不可见的控制字符 U+{ord(char):04X}，台账文件中不允许出现；请在编辑器中删除它"
    ]


def test_fast_and_full_reader_agree_on_control_characters() -> None:
    for char in CONTROLS:
        data = f"name: 甲{char}乙\n".encode()
        fast_problems = parse_mapping(data, "x.yaml")[2]
        assert fast_problems and "控制字符" in fast_problems[0].message
        try:
            yamlio.compose(yamlio.decode(data))
        except yamlio.TextDecodeError as exc:
            assert "控制字符" in exc.message
        else:
            pytest.fail("the full reader accepted a control character")


def test_no_raw_control_character_reaches_the_terminal(repo: LedgerDir, run: Run, tmp_path: Path) -> None:
    evil = repo.root / "data/projects/E\x1b]0;hacked\x07.yaml"
    evil.write_text("id: E\nname: \x1b[8m隐藏\n", encoding="utf-8")
    result = run("check", ledger=repo)
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.output
    for fmt in ("json", "csv", "markdown"):
        out = run("check", "--format", fmt, ledger=repo).output
        assert "\x1b" not in out and "\x07" not in out
    result = run(
        "issue", "new", "-d", "甲\x1b[2J乙", "--category", "其他", "--source", "调度会", "--unit", "单位", ledger=repo
    )
    assert result.exit_code == 1 and "\x1b" not in result.output and "控制字符" in result.output


# --- 8. CSV formula injection ---------------------------------------------------------------------


def test_csv_cells_never_start_a_formula_and_numbers_stay_numbers(ledger: LedgerDir, run: Run) -> None:
    for i, name in enumerate(['=HYPERLINK("http://x","点我")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3+cmd|x"]):
        ledger.project(
            f"P{i}", "annual_plan: {2021: 100}\nactual_start: 2021-01-05\nprogress: {2021-01: 5}\n", name=name
        )
    result = run("status", "--year", "2021", "--as-of", "2021-06-30", "--format", "csv", ledger=ledger)
    assert result.exit_code == 0
    import csv
    import io

    rows = list(csv.reader(io.StringIO(result.stdout)))
    names = [row[1] for row in rows[1:]]
    assert all(name.startswith("'") for name in names), names
    lags = [row[rows[0].index("超欠序时(百分点)")] for row in rows[1:]]
    assert all(lag.startswith("-") and lag[1:].replace(".", "").isdigit() for lag in lags), lags


# --- 13. impossible periods and settings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("status", "--year", "2022", "--as-of", "2021-06-30"), "截至日期 2021-06-30 不在 2022 年内"),
        (("status", "--year", "2021", "--as-of", "2022-03-01"), "截至日期 2022-03-01 不在 2021 年内"),
        (("status", "--year", "99999"), "“99999”超出范围（1990—2100）"),
        (("status", "--year", "-5"), "“-5”超出范围（1990—2100）"),
        (("status", "--as-of", "9999-01-01"), "日期“9999-01-01”的年份应在 1990—2100 之间"),
        (("report", "--year", "2021", "--as-of", "2022-01-01"), "不在 2021 年内"),
        (("plan", "--year", "0"), "超出范围"),
    ],
)
def test_impossible_periods_are_refused(ledger: LedgerDir, run: Run, args: tuple[str, ...], expected: str) -> None:
    ledger.project("P1")
    result = run(*args, ledger=ledger)
    assert result.exit_code in (1, 2)
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("lights: {red_start_months: 100000000000}", "lights.red_start_months: 应不大于60"),
        ("letters: {feedback_days: 100000000}", "letters.feedback_days: 应不大于365"),
        ("lights: {yellow_gap: -5}", "lights.yellow_gap: 不能为负数"),
        ("lights: {yellow_gap: 40, red_gap: 20}", "red_gap（20）不能小于 yellow_gap（40）"),
        ("limits: {max_depth: 1}", "limits.max_depth: 应不小于5"),
    ],
)
def test_settings_out_of_bounds_are_refused_by_every_command(
    ledger: LedgerDir, run: Run, setting: str, expected: str
) -> None:
    config = (ledger.root / "xmtj.yaml").read_text(encoding="utf-8")
    ledger.write("xmtj.yaml", config + setting + "\n")
    ledger.project("P1")
    for args in (("check",), ("status",), ("remind", "--dry-run")):
        result = run(*args, ledger=ledger)
        assert result.exit_code == 1, result.output
        assert expected in result.stderr, result.stderr


# --- 14. no traceback, ever -----------------------------------------------------------------------

GARBAGE = [
    [],
    ["--year", "x"],
    ["--year", "99999"],
    ["--as-of", "2021-13-45"],
    ["--month", "2021-13"],
    ["--format", "xml"],
    ["--at", "-x"],
    ["--at", "nosuchrev"],
    ["--since", "2021-13-45"],
    ["--by", "nothing"],
    ["ZZZ", "--month", "2021-02", "--amount", "1"],
    ["P1", "no_such_field", "1"],
    ["P1", "total_investment", "0x10"],
    ["--date", "yesterday"],
    ["--bogus"],
    ["\x1b[2J"],
]


def _commands() -> list[list[str]]:
    from typer.main import get_command

    from xmtj.cli import app

    group = get_command(app)
    out = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        if subs:
            out += [[name, sub] for sub in subs]
        else:
            out.append([name])
    return out


@pytest.mark.slow
def test_every_command_with_garbage_arguments_gives_one_chinese_line(repo: LedgerDir, run: Run) -> None:
    seen = 0
    for command in _commands():
        for garbage in GARBAGE:
            result = run(*command, *garbage, ledger=repo)  # the fixture re-raises any exception
            assert "Traceback" not in result.output, (command, garbage)
            if result.exit_code != 0:
                assert "错误" in result.stderr or "Usage" in result.output, (command, garbage, result.output)
                assert not any(word in result.stderr for word in ("Invalid value", "No such option", "Missing")), (
                    command,
                    garbage,
                    result.stderr,
                )
            seen += 1
    assert seen > 200


def test_an_internal_error_is_one_line_and_a_traceback_only_when_asked(ledger: LedgerDir, tmp_path: Path) -> None:
    ledger.project("P1")
    code = (
        "import sys, xmtj.figures.status\n"
        "def boom(*a, **k): raise ZeroDivisionError('division by zero')\n"
        "xmtj.figures.status.status_report = boom\n"
        f"sys.argv = ['xmtj', 'status', '--ledger', {str(ledger.root)!r}]\n"
        "import xmtj.cli; xmtj.cli.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "XMTJ_DEBUG"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("错误：xmtj status 未能完成（程序内部错误 ZeroDivisionError：division by zero）")
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    debug = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**env, "XMTJ_DEBUG": "1"}, check=False
    )
    assert "Traceback" in debug.stderr and debug.returncode == 1


# --- 2. writes (and reads) outside the ledger ------------------------------------------------------


def test_report_out_never_writes_through_a_symlink(repo: LedgerDir, run: Run, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("不能被覆盖", encoding="utf-8")
    (repo.root / "通报.md").symlink_to(victim)
    git(repo.root, "add", "通报.md")
    git(repo.root, "commit", "-qm", "一个符号链接")
    result = run(
        "report", "--month", "2021-01", "--date", "2021-02-05", "--out", str(repo.root / "通报.md"), ledger=repo
    )
    assert result.exit_code == 1
    assert "通报.md 是符号链接" in result.stderr
    assert victim.read_text(encoding="utf-8") == "不能被覆盖"
    (repo.root / "out").symlink_to(tmp_path)
    result = run(
        "report", "--month", "2021-01", "--date", "2021-02-05", "--out", str(repo.root / "out" / "x.md"), ledger=repo
    )
    assert result.exit_code == 1 and "out 是符号链接" in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_remind_never_writes_letters_through_a_symlinked_folder(ledger: LedgerDir, run: Run, tmp_path: Path) -> None:
    ledger.project("P1", "annual_plan: {2021: 1200}\nplanned_start: 2021-01-01\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ledger.root / "letters").symlink_to(elsewhere)
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-01", ledger=ledger)
    assert result.exit_code == 1 and "letters 是符号链接" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert not (ledger.root / "data" / "letters").exists()  # no register entry either: all or nothing


def test_a_record_that_is_a_symlink_is_not_followed(ledger: LedgerDir, run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: S\nname: 机密内容 password=hunter2\n", encoding="utf-8")
    (ledger.root / "data/projects/S.yaml").symlink_to(secret)
    elsewhere = tmp_path / "issues-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "W9.yaml").write_text("id: W9\n", encoding="utf-8")
    (ledger.root / "data/issues").rmdir()
    (ledger.root / "data/issues").symlink_to(elsewhere)
    ledger.project("P1")
    result = run("check", ledger=ledger)
    assert "hunter2" not in result.output
    assert "data/projects/S.yaml: 该文件是符号链接" in result.stdout
    assert "data/issues: 该目录是符号链接" in result.stdout
    loaded = load_ledger(ledger.root, cache=False)
    assert [p.id for p in loaded.projects] == ["P1"] and loaded.issues == []


def test_a_symlink_in_a_revision_is_reported_not_read(repo: LedgerDir, run: Run) -> None:
    (repo.root / "data/projects/L.yaml").symlink_to("/etc/passwd")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "链接")
    result = run("check", "--at", "HEAD", ledger=repo)
    assert "data/projects/L.yaml: 该文件是符号链接" in result.stdout
    assert "/etc/passwd" not in result.output


# --- 3. two changes at once --------------------------------------------------------------------------


@pytest.mark.slow
def test_two_changes_at_once_both_land_in_head(repo: LedgerDir) -> None:
    env = {**os.environ, "XMTJ_LEDGER": str(repo.root), "XMTJ_LOCK_WAIT": "60"}
    rounds = 8
    for i in range(rounds):
        month = f"2021-{(i % 10) + 2:02d}"  # never 2021-12, which the other command writes
        commands = [
            # --future: months are skipped on purpose here (the guard against it is tested elsewhere)
            [sys.executable, "-m", "xmtj", "progress", "P1", "--month", month, "--amount", str(1000 + i), "--future"],
            [
                sys.executable,
                "-m",
                "xmtj",
                "progress",
                "P1",
                "--month",
                "2021-12",
                "--amount",
                str(2000 + i),
                "--future",
            ],
        ]
        procs = [
            subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands
        ]
        outs = [p.communicate() for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        assert all("已提交" in out for out, _ in outs), outs
        text = git(repo.root, "show", "HEAD:data/projects/P1.yaml")
        assert f"{month}: {1000 + i}" in text and f"2021-12: {2000 + i}" in text, (i, text)
        assert git(repo.root, "status", "--porcelain") == ""
    subjects = git(repo.root, "log", "--format=%s").splitlines()
    assert len([s for s in subjects if s.startswith("进度: P1")]) == 2 * rounds


def test_a_change_waits_for_the_lock_then_gives_up_with_a_clear_message(
    repo: LedgerDir, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xmtj.changes.lock import ledger_lock

    monkeypatch.setenv("XMTJ_LOCK_WAIT", "0.2")
    before = (repo.root / "data/projects/P1.yaml").read_bytes()
    code = f"import time\nfrom pathlib import Path\nfrom xmtj.changes.lock import ledger_lock\nwith ledger_lock(Path({str(repo.root)!r})):\n    print('held', flush=True)\n    time.sleep(3)\n"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run("progress", "P1", "--month", "2021-02", "--amount", "5", ledger=repo)
        assert result.exit_code == 1
        assert "另一个 xmtj 命令正在修改台账，请稍后重试" in result.stderr
        assert (repo.root / "data/projects/P1.yaml").read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    with ledger_lock(repo.root):
        pass  # released when its holder died


# --- 4. git failing around the write --------------------------------------------------------------


def test_a_stale_index_lock_is_found_before_anything_is_written(repo: LedgerDir, run: Run) -> None:
    add_slow_project(repo)
    (repo.root / ".git/index.lock").write_text("", encoding="utf-8")
    before = {p: p.read_bytes() for p in (repo.root / "data").rglob("*.yaml")}
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-01", ledger=repo)
    assert result.exit_code == 1
    assert ".git/index.lock" in result.stderr and "删除该文件" in result.stderr
    assert {p: p.read_bytes() for p in (repo.root / "data").rglob("*.yaml")} == before
    assert not (repo.root / "letters").exists()


def test_a_merge_in_progress_is_found_before_anything_is_written(repo: LedgerDir, run: Run) -> None:
    head = git(repo.root, "rev-parse", "HEAD").strip()
    (repo.root / ".git/MERGE_HEAD").write_text(head + "\n", encoding="utf-8")
    before = (repo.root / "data/projects/P1.yaml").read_bytes()
    result = run("progress", "P1", "--month", "2021-02", "--amount", "5", ledger=repo)
    assert result.exit_code == 1 and "合并（merge）" in result.stderr
    assert (repo.root / "data/projects/P1.yaml").read_bytes() == before


def test_a_commit_refused_by_a_hook_leaves_the_ledger_as_it_was(repo: LedgerDir, run: Run) -> None:
    add_slow_project(repo)
    hook = repo.root / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho '台账检查未通过' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    head = git(repo.root, "rev-parse", "HEAD").strip()
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-01", ledger=repo)
    assert result.exit_code == 1
    assert "台账检查未通过" in result.stderr and "已撤销" in result.stderr
    assert git(repo.root, "rev-parse", "HEAD").strip() == head
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert not list((repo.root / "data").glob("letters/*.yaml"))
    config = (repo.root / "xmtj.yaml").read_text(encoding="utf-8")
    repo.write("xmtj.yaml", config + "git: {verify: false}\n")
    git(repo.root, "commit", "-qam", "不运行钩子", "--no-verify")
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-01", ledger=repo)
    assert result.exit_code == 0, result.output  # the ledger said so: hooks skipped


# --- 9. edits that keep every other byte ------------------------------------------------------------


def test_an_edit_keeps_crlf_bom_and_the_file_mode(repo: LedgerDir, run: Run) -> None:
    path = repo.root / "data/projects/P2.yaml"
    original = "\ufeff" + path.read_text(encoding="utf-8")
    path.write_bytes(original.replace("\n", "\r\n").encode("utf-8"))
    path.chmod(0o664)
    git(repo.root, "commit", "-qam", "CRLF")
    assert run("project", "set", "P2", "name", "新名称", ledger=repo).exit_code == 0
    r = run("progress", "P2", "--month", "2021-02", "--amount", "7", ledger=repo)
    assert r.exit_code == 0, r.output
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    expected = original.replace("name: 项目P2", "name: 新名称") + "progress:\n  2021-02: 7\n"
    assert data.decode("utf-8") == expected.replace("\n", "\r\n") or data.decode("utf-8").replace("\r\n", "\n").count(
        "\n"
    ) == expected.count("\n")
    assert "name: 新名称\r\n" in data.decode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_a_new_file_gets_the_umask_mode(repo: LedgerDir, run: Run) -> None:
    old = os.umask(0o022)
    try:
        result = run(
            "issue",
            "new",
            "-d",
            "用电",
            "--category",
            "其他",
            "--source",
            "调度会",
            "--unit",
            "单位",
            "--id",
            "W1",
            ledger=repo,
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((repo.root / "data/issues/W1.yaml").stat().st_mode) == 0o644


# --- 10. project set takes any text ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "说明: 已开工",
        "a #b",
        "@x",
        "%x",
        "`x`",
        "*x",
        "&a",
        "!tag",
        "123",
        "2021-05-06",
        "no",
        "'引号'",
        '"双"',
        "甲 - 乙",
    ],
)
def test_project_set_stores_any_text_exactly(repo: LedgerDir, run: Run, text: str) -> None:
    result = run("project", "set", "P2", "content", text, ledger=repo)
    assert result.exit_code == 0, result.output
    loaded = load_ledger(repo.root, cache=False)
    assert loaded.problems == []
    assert loaded.project_by_id["P2"].content == text


def test_project_set_reads_numbers_dates_and_lists_by_field(repo: LedgerDir, run: Run) -> None:
    assert run("project", "set", "P2", "annual_plan.2022", "30000.5", ledger=repo).exit_code == 0
    assert run("project", "set", "P2", "levels", "省级重点项目、市级重点项目", ledger=repo).exit_code == 0
    assert run("project", "set", "P2", "contact.phone", "0359-5000000", ledger=repo).exit_code == 0
    project = load_ledger(repo.root, cache=False).project_by_id["P2"]
    assert str(project.annual_plan[2022]) == "30000.5"
    assert project.levels == ["省级重点项目", "市级重点项目"]
    assert project.contact is not None and project.contact.phone == "0359-5000000"
    for value in ("0x10", "1:00", "1e3"):
        result = run("project", "set", "P2", "total_investment", value, ledger=repo)
        assert result.exit_code == 1 and f"现为“{value}”" in result.stderr, result.output


# --- 11. the audit trail of one record ---------------------------------------------------------------


def test_log_never_shows_another_records_history(repo: LedgerDir, run: Run) -> None:
    for i in range(3, 9):
        result = run(
            "project", "new", "--id", f"P{i}", "--name", "某某项目", "--investment-type", "社会投资", "--sector", "产业",
            "--key-year", "2021", "--branch", "甲分指挥部", "--unit", "甲单位", "--leader", "张某", "--total", "5000",
            ledger=repo,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    for i in range(3, 9):
        entries = json.loads(run("log", f"P{i}", "--format", "json", ledger=repo).stdout)["entries"]
        assert len(entries) == 1, (i, [e["message"] for e in entries])
        assert entries[0]["message"] == f"新建项目: P{i} 某某项目"
        assert entries[0]["files"][0]["status"] == "新增"


def test_log_since_refuses_an_impossible_date(repo: LedgerDir, run: Run) -> None:
    result = run("log", "--since", "2021-13-45", ledger=repo)
    assert result.exit_code == 1 and "--since 的日期“2021-13-45”无效" in result.stderr


def test_log_since_is_an_instant_whatever_the_machine_zone(
    repo: LedgerDir, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2021-12-01T23:30-05:00 is 2021-12-02T12:30+08:00: on or after 2021-12-02 in the ledger's zone
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2021-12-01T23:30:00-05:00")
    run("progress", "P1", "--month", "2021-02", "--amount", "5", ledger=repo)
    for zone in ("UTC", "America/New_York", "Asia/Shanghai"):
        monkeypatch.setenv("TZ", zone)
        entries = json.loads(run("log", "--since", "2021-12-02", "--format", "json", ledger=repo).stdout)["entries"]
        assert [e["message"] for e in entries] == ["进度: P1 2021-02 +5万元"], zone


# --- 12. letter numbers ---------------------------------------------------------------------------


def test_a_deleted_letter_keeps_its_number(repo: LedgerDir, run: Run) -> None:
    add_slow_project(repo)
    assert run("remind", "--as-of", "2021-11-30", "--date", "2021-12-01", ledger=repo).exit_code == 0
    registered = sorted(p.name for p in (repo.root / "data/letters").iterdir())
    last = registered[-1]
    git(repo.root, "rm", "-q", f"data/letters/{last}")
    git(repo.root, "commit", "-qm", "删除最后一份")
    checked = run("check", ledger=repo)
    assert f"{last.removesuffix('.yaml')}".split("-")[1] + "号 曾经登记" in checked.stdout
    result = run("remind", "--as-of", "2021-11-30", "--date", "2021-12-02", "--force", ledger=repo)
    assert result.exit_code == 0, result.output
    after = sorted(p.name for p in (repo.root / "data/letters").iterdir())
    assert last not in after
    numbers = sorted(int(name.split("-")[1].split(".")[0]) for name in after)
    assert min(n for n in numbers if n > len(registered) - 1) > int(last.split("-")[1].split(".")[0])


# --- 15. smaller promises ----------------------------------------------------------------------------


def test_leftover_temporary_files_are_reported_and_cleaned(repo: LedgerDir, run: Run) -> None:
    orphan = repo.root / "data/projects/.P1.yaml.1a2b3c4d.xmtj-tmp"
    orphan.write_text("half", encoding="utf-8")
    result = run("check", ledger=repo)
    assert "data/projects/.P1.yaml.1a2b3c4d.xmtj-tmp" in result.stdout
    assert "[警告] 上次写入被中断时留下的临时文件" in result.stdout
    assert run("progress", "P1", "--month", "2021-02", "--amount", "5", ledger=repo).exit_code == 0
    assert not orphan.exists()


def test_a_colon_in_a_value_is_explained_in_chinese(ledger: LedgerDir) -> None:
    ledger.project("P1", "remarks: 说明: 已开工\n")
    [message] = problems_of(ledger.root)
    assert "值里有半角冒号加空格" in message and "mapping values" not in message


def test_diff_does_not_follow_a_symlinked_record(repo: LedgerDir, run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: S\nname: password=hunter2\n", encoding="utf-8")
    (repo.root / "data/projects/S.yaml").symlink_to(secret)
    result = run("diff", "--format", "json", ledger=repo)
    assert result.exit_code == 0 and "hunter2" not in result.output
    assert "符号链接" in result.stdout


def test_an_escaped_control_character_in_a_quoted_value_is_refused(ledger: LedgerDir) -> None:
    ledger.project("P1", 'remarks: "a\\e[8mb"\n')
    [message] = problems_of(ledger.root)
    assert "data/projects/P1.yaml:11:10: 引号内的转义写出了不可见的控制字符 U+001B" in message


# --- a record that is not the file's ------------------------------------------------------------


def test_a_checkout_git_converts_is_read_from_its_own_bytes(tmp_path: Path, git_env: None, run: Run) -> None:
    """git's index vouches for the blob, not for the bytes it checked out: with a working-tree encoding the
    file is GBK on disk while the blob (and a record an --at run cached for it) is UTF-8."""
    import shutil

    from tests.conftest import SMALL, git

    root = tmp_path / "ledger"
    shutil.copytree(SMALL, root)
    (root / ".gitattributes").write_text("data/projects/P1.yaml working-tree-encoding=GBK\n", encoding="utf-8")
    p1 = root / "data/projects/P1.yaml"
    p1.write_bytes(p1.read_text(encoding="utf-8").encode("gbk"))  # what git expects on disk; it stores UTF-8
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "台账")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    blob = git(clone, "cat-file", "blob", "HEAD:data/projects/P1.yaml")
    assert (clone / "data/projects/P1.yaml").read_text(encoding="gbk") == blob  # GBK on disk, UTF-8 in git
    load_ledger(clone, "HEAD")  # the blob's record, cached: no GBK warning in it
    cold = run("check", "--format", "json", "--no-cache", ledger=clone).stdout
    warm = run("check", "--format", "json", ledger=clone).stdout
    assert "GBK" in cold and warm == cold


def test_a_damaged_file_index_is_ignored(repo: LedgerDir, run: Run) -> None:
    from xmtj.ledger.load import caches

    assert run("status", "--year", "2021", ledger=repo).exit_code == 0
    index = caches(repo.root)[0]
    index.folder.mkdir(parents=True, exist_ok=True)
    key = cache.key_of(str(repo.root / "data/projects/P1.yaml"))  # the file's real stat: the entry would be used
    for damaged in ({"data/projects/P1.yaml": [key, "x"]}, {"data/projects/P1.yaml": (key, ["not a blob id"])}):
        (index.folder / index.NAME).write_bytes(pickle.dumps(damaged))
        (index.folder / index.NAME).chmod(0o600)
        assert index.read() == {}
        result = run("status", "--year", "2021", ledger=repo)
        assert result.exit_code == 0 and "重点项目2个" in result.stdout


# --- 20. trust, round 2: templates that would hang or exhaust the machine --------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "超过"),
        ('{{ "x" * 1000000000 }}', "试图访问不允许的内容"),
        ("{{ 10 ** 100000000 }}", "试图访问不允许的内容"),
        ("{% for i in range(100000) %}{{ '很长的一行文字' * 100 }}{% endfor %}", "生成的文字超过"),
    ],
)
def test_a_committed_template_cannot_hang_or_exhaust_report(
    run: Run, small_git: Path, monkeypatch: pytest.MonkeyPatch, template: str, expected: str
) -> None:
    from xmtj.documents import templates

    if expected == "超过":  # the endless loop: stopped by the clock (a second here); the others by their bounds
        monkeypatch.setattr(templates, "RENDER_SECONDS", 1)
    (small_git / "templates").mkdir()
    (small_git / "templates/report.md.j2").write_text(template, encoding="utf-8")
    git(small_git, "add", "templates")
    git(small_git, "commit", "-qm", "模板")
    for args in (("report", "--month", "2021-11"), ("report", "--month", "2021-11", "--at", "HEAD")):
        result = run(*args, ledger=small_git)
        assert result.exit_code == 1 and expected in result.stderr, result.output
        assert "Traceback" not in result.output and "程序内部错误" not in result.output


# --- 20. figures are never silently wrong --------------------------------------------------------------


def test_a_duplicated_record_is_counted_nowhere_and_stops_what_goes_out(run: Run, demo_copy: Path) -> None:
    """The attack: a project file copied under another name (the same id twice). Its figures must not be
    added twice into a numbered 通报 or a letter; every read command says so first."""
    source = demo_copy / "data/projects/HJ2021-001.yaml"
    (demo_copy / "data/projects/HJ2021-101.yaml").write_bytes(source.read_bytes())
    figures = json.loads(run("status", "--as-of", "2021-11-30", "--format", "json", ledger=demo_copy).stdout)
    warned = run("status", "--as-of", "2021-11-30", ledger=demo_copy)
    assert "注意：台账有3处错误（xmtj check 可查看），以下数字不含出错的记录（2个文件）" in warned.stderr
    assert figures["projects"] == 99  # neither copy is counted: which one is right is for the office to say
    assert "HJ2021-001" not in {r["id"] for r in figures["rows"]}
    for args in (
        ("report", "--month", "2021-11", "--date", "2021-12-14", "--out", str(demo_copy / "通报.md")),
        ("remind", "--as-of", "2021-11-30", "--date", "2021-12-14"),
        ("status", "--format", "xlsx", "--out", str(demo_copy / "台账.xlsx")),
    ):
        result = run(*args, ledger=demo_copy)
        assert result.exit_code == 1 and "台账有3处错误，不能" in result.stderr, args
        assert "项目编号 HJ2021-001 重复" in result.stderr
    assert not (demo_copy / "通报.md").exists() and not (demo_copy / "letters").exists()
    forced = run("status", "--format", "xlsx", "--out", str(demo_copy / "台账.xlsx"), "--force", ledger=demo_copy)
    assert forced.exit_code == 0 and "--force：台账有3处错误，出错的记录未计入" in forced.stderr


# --- 20. small ones: names that hide characters, a change to nothing, names git cannot decode ------------


def test_names_with_bidi_or_zero_width_characters_are_refused_and_authors_shown_escaped(
    repo: LedgerDir, run: Run
) -> None:
    path = repo.root / "data/projects/P1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 项目P1", "name: 项目\u202eP1"), "utf-8")
    unit = repo.root / "data/projects/P2.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("responsible_unit: 甲单位", "responsible_unit: 甲\u200b单位"), "utf-8"
    )
    result = run("check", ledger=repo)
    assert result.exit_code == 1
    assert "data/projects/P1.yaml:2:1: name: 含有看不见的字符 U+202E" in result.stdout
    assert "responsible_unit: 含有看不见的字符 U+200B" in result.stdout
    git(repo.root, "checkout", "-q", "--", ".")
    git(repo.root, "checkout", "-q", "--", ".")
    path.write_text(
        path.read_text(encoding="utf-8").replace("total_investment: 5000", "total_investment: 5100"), "utf-8"
    )
    git(repo.root, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_NAME": "办公室\u202e员甲", "GIT_AUTHOR_EMAIL": "a@example.com"}
    subprocess.run(["git", "-C", str(repo.root), "commit", "-qm", "说明\u202e"], env=env, check=True)
    log = run("log", ledger=repo)
    assert log.exit_code == 0 and "\u202e" not in log.stdout and "办公室\\u202e员甲" in log.stdout


def test_setting_a_value_it_already_has_changes_nothing_and_says_so(repo: LedgerDir, run: Run) -> None:
    assert run("project", "set", "P1", "total_investment", "6000", ledger=repo).exit_code == 0
    head = git(repo.root, "rev-parse", "HEAD")
    again = run("project", "set", "P1", "total_investment", "6000", ledger=repo)
    assert again.exit_code == 0 and "未改动" in again.stderr and "git 提交失败" not in again.output
    assert git(repo.root, "rev-parse", "HEAD") == head


def test_resolving_a_problem_needs_words(repo: LedgerDir, run: Run) -> None:
    repo.write(
        "data/issues/W1.yaml",
        "id: W1\nproject: P1\ndescription: 用电\ncategory: 水电气路\nsource: 现场督查\nraised_on: 2021-05-10\n"
        "responsible_unit: 供电公司\n",
    )
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "问题")
    result = run("issue", "resolve", "W1", "--date", "2021-06-01", "--text", "  ", ledger=repo)
    assert result.exit_code == 1 and "--text 不能为空" in result.stderr


def test_a_committed_file_name_that_is_not_utf8_breaks_nothing(repo: LedgerDir, run: Run) -> None:
    odd = repo.root / "data" / "projects" / os.fsdecode(b"\xff\xfe.yaml")
    odd.write_text("id: X\n", encoding="utf-8")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "怪名字")
    for args in (("status", "--at", "HEAD"), ("log",), ("diff", "HEAD~1", "HEAD"), ("check", "--at", "HEAD")):
        result = run(*args, ledger=repo)
        assert result.exit_code in (0, 1), args
        assert "程序内部错误" not in result.output and "Traceback" not in result.output, (args, result.output)
    assert "\\xff\\xfe" in run("diff", "HEAD~1", "HEAD", ledger=repo).stdout
