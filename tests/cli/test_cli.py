"""`xmtj check` and `xmtj status` through the command line, on small ledgers and the demo."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import REPO, LedgerDir, Run


def test_check_on_the_demo_judges_deadlines_as_of_the_day_asked(run: Run) -> None:
    result = run("check", "--as-of", "2021-11-30", ledger=REPO)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert (
        result.stderr == "已检查：项目245个、问题82个、活动53个、督办提醒函18份（有效文件398个）；错误0处，警告7处。\n"
    )
    assert len(lines) == 7 and all("办结时限" in line and "问题仍未办结" in line for line in lines)
    assert "data/issues/WT2021-001.yaml:9:1: deadline: [警告] 办结时限 2021-08-09 已过113天，问题仍未办结" in lines
    early = run("check", "--as-of", "2021-06-30", ledger=REPO)
    assert early.stdout.endswith("错误0处，警告0处。\n")


BAD_INPUTS = {
    "syntax": ("data/projects/HJ2021-002.yaml", "annual_plan: {2021: 100\n", ":", "YAML 语法错误"),
    "wrong-type": ("data/projects/HJ2021-002.yaml", "remarks: [1, 2]\n", "remarks", "应为文本"),
    "unknown-key": ("data/projects/HJ2021-002.yaml", "anual_plan: {2021: 1}\n", "anual_plan", "是否应为 annual_plan"),
    "duplicate": ("data/projects/HJ2021-002.yaml", "sector: 产业\n", "sector", "字段重复"),
    "yaml11": ("data/issues/WT2021-001.yaml", "remarks_placeholder", "resolution", "被 YAML 读成了布尔值"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_in_the_demo(run: Run, demo_copy: Path, case: str) -> None:
    rel, addition, field, message = BAD_INPUTS[case]
    path = demo_copy / rel
    text = path.read_text(encoding="utf-8")
    if addition == "remarks_placeholder":  # the issue files already have an empty resolution: fill it
        text = text.replace("resolution:\n", "resolution: no\n")
    else:
        text += addition
    path.write_text(text, encoding="utf-8")
    result = run("check", ledger=demo_copy)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(rel)]
    assert lines, result.output
    assert all(message in line for line in lines[:1])
    if field != ":":
        assert f": {field}: " in lines[0]
    # the rest of the ledger is still checked and counted
    kind = "项目244个" if "projects" in rel else "问题81个"
    assert kind in result.stderr


def test_gbk_and_empty_files_in_the_demo(run: Run, demo_copy: Path) -> None:
    p = demo_copy / "data/projects/HJ2021-003.yaml"
    p.write_bytes(p.read_text(encoding="utf-8").encode("gbk"))
    referenced = next(
        line.split(": ")[1]
        for f in sorted((demo_copy / "data/issues").iterdir())
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.startswith("meeting: ")
    )
    (demo_copy / f"data/meetings/{referenced}.yaml").write_text("", encoding="utf-8")
    result = run("check", "--format", "json", ledger=demo_copy)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    by_path = {p["path"]: p for p in problems if p["severity"] == "error"}
    assert by_path["data/projects/HJ2021-003.yaml"]["message"].startswith("文件不是 UTF-8 编码，看起来是 GBK")
    assert by_path[f"data/meetings/{referenced}.yaml"]["message"] == "文件为空"
    assert set(problems[0]) == {"path", "line", "column", "field", "message", "severity"}
    # the empty meeting was referenced by problems: those references are now reported too
    assert any(p["field"] == "meeting" for p in problems)


def test_check_strict_fails_on_warnings(run: Run, ledger: LedgerDir) -> None:
    ledger.project("P1", "annual_plan: {2021: 100}\nplanned_start: 2021-01-01\nprogress:\n  2021-01: 50\n")
    result = run("check", ledger=ledger)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "data/projects/P1.yaml:14:3: progress.2021-01: [警告] 项目尚未开工（无 actual_start），却填报了完成投资"
    ]
    assert run("check", "--strict", ledger=ledger).exit_code == 1


def test_check_csv_and_markdown(run: Run, ledger: LedgerDir) -> None:
    ledger.project("P1", "foo: 1\nannual_plan: {2021: 100}\nplanned_start: 2021-01-01\n")
    text = run("check", "--format", "csv", ledger=ledger).stdout
    assert text.startswith("\ufeff")  # a BOM: Excel/WPS read the file as UTF-8
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [
        ["文件", "行", "列", "字段", "说明", "级别"],
        ["data/projects/P1.yaml", "11", "1", "foo", "未知字段 foo", "错误"],
    ]
    md = run("check", "--format", "markdown", ledger=ledger).stdout
    assert md.splitlines()[0].startswith("| 文件")


def test_status_on_the_demo_shows_the_article_figures(run: Run) -> None:
    result = run("status", ledger=REPO)
    assert result.exit_code == 0
    out = result.stdout
    assert "2021年1—11月重点项目建设情况（截至2021年11月30日）" in out
    assert "（未指定 --as-of：按有进度数据的最近月份统计，截至2021年11月底）" in out
    assert "累计完成投资53.94亿元，占年度目标任务41.18亿元的131.0%" in out
    assert "进展缓慢项目（18个）" in out
    assert "【红灯】" in out and "逾期" in out


def test_status_json_keys_and_figures(run: Run) -> None:
    data = json.loads(run("status", "--as-of", "2021-11-30", "--format", "json", ledger=REPO).stdout)
    for key in [
        "year",
        "as_of",
        "time_progress",
        "projects",
        "total_investment",
        "annual_plan",
        "annual_target",
        "completed_ytd",
        "target_rate",
        "plan_rate",
        "new_start",
        "start_resume",
        "scheduled_start",
        "production",
        "progress_rate",
        "lights",
        "lagging",
        "groups",
    ]:
        assert key in data
    assert data["year"] == 2021 and data["as_of"] == "2021-11-30"
    assert data["projects"] == 100
    assert data["completed_ytd"] == 539400
    assert round(data["target_rate"], 2) == 1.31
    assert round(data["time_progress"], 4) == 0.9167
    assert len(data["lagging"]) == 18
    assert data["lights"]["red"] + data["lights"]["yellow"] == 18
    assert set(data["new_start"]) == {"planned", "started", "rate"}
    assert set(data["production"]) == {"planned", "done", "rate"}
    assert all(x["reasons"] for x in data["lagging"])


def test_status_by_branch_groups_add_up(run: Run) -> None:
    data = json.loads(run("status", "--by", "branch", "--format", "json", ledger=REPO).stdout)
    assert len(data["groups"]) == 8
    assert sum(g["projects"] for g in data["groups"]) == 100
    assert round(sum(g["completed_ytd"] for g in data["groups"]), 2) == 539400


def test_status_by_level_counts_a_project_under_each_level(run: Run, ledger: LedgerDir) -> None:
    ledger.project("P1")
    ledger.write(
        "data/projects/P1.yaml",
        (ledger.root / "data/projects/P1.yaml")
        .read_text(encoding="utf-8")
        .replace("levels: [市级重点项目]", "levels: [省级重点项目, 市级重点项目]"),
    )
    data = json.loads(run("status", "--by", "level", "--year", "2021", "--format", "json", ledger=ledger).stdout)
    assert sorted(g["key"] for g in data["groups"]) == ["市级重点项目", "省级重点项目"]


def test_status_markdown_and_csv(run: Run) -> None:
    from markdown_it import MarkdownIt

    md = run("status", "--format", "markdown", ledger=REPO).stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 2  # projects and slow projects
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == (100 + 1) + (18 + 1)
    text = run("status", "--format", "csv", ledger=REPO).stdout.removeprefix("\ufeff")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0][:3] == ["项目编号", "项目名称", "分指挥部"]
    assert len(parsed) == 101


def test_status_table_by_group(run: Run) -> None:
    out = run("status", "--by", "investment_type", ledger=REPO).stdout
    assert "政府投资" in out and "社会投资" in out


def test_ledger_found_upward_and_from_the_environment(
    run: Run, ledger: LedgerDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.project("P1")
    inner = ledger.root / "data" / "projects"
    monkeypatch.chdir(inner)
    assert run("check").exit_code == 0
    monkeypatch.chdir(ledger.root.parent)
    result = run("check")
    assert result.exit_code == 1
    assert "找不到台账（xmtj.yaml）" in result.stderr
    monkeypatch.setenv("XMTJ_LEDGER", str(ledger.root))
    assert run("check").exit_code == 0


def test_bad_as_of_is_a_clear_error(run: Run) -> None:
    result = run("status", "--as-of", "2021-13-01", ledger=REPO)
    assert result.exit_code == 2
    assert "--as-of 的值无效：日期“2021-13-01”不存在" in result.stderr


def test_status_warns_when_files_were_left_out(run: Run, ledger: LedgerDir) -> None:
    ledger.project("P1", "annual_plan: {2021: 100}\n")
    ledger.write("data/projects/P2.yaml", "id: P2\n")
    result = run("status", "--year", "2021", ledger=ledger)
    assert result.exit_code == 0
    assert "以下数字不含出错的记录（1个文件）" in result.stderr
    assert "重点项目1个" in result.stdout


def all_commands() -> list[tuple[str, object]]:
    from xmtj.cli import app

    found = [(c.name or (c.callback.__name__ if c.callback else ""), c.callback) for c in app.registered_commands]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        found += [(f"{group.name} {c.name}", c.callback) for c in group.typer_instance.registered_commands]
    return found


def test_every_command_has_chinese_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = all_commands()
    assert len(commands) == 37
    for name, callback in commands:
        doc = getattr(callback, "__doc__", "") or ""
        assert "示例" in doc, name
        assert f"xmtj {name}" in readme, name


def test_python_dash_m_works() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "xmtj", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "status" in result.stdout


def test_markdown_cjk_columns_line_up(run: Run) -> None:
    from wcwidth import wcswidth

    md = run("status", "--by", "branch", "--format", "markdown", ledger=REPO).stdout
    first_table = md.split("\n\n")[2]
    lines = first_table.splitlines()
    assert len(lines) == 2 + 8
    assert len({wcswidth(line) for line in lines}) == 1


@pytest.mark.slow
def test_each_command_is_found_by_loading_only_its_modules() -> None:
    import subprocess
    import sys

    from xmtj.cli import COMMAND_MODULES

    names = {name.split()[0] for name, _ in all_commands()}
    assert names == set(COMMAND_MODULES)
    # in a fresh interpreter, loading a command's own modules is enough to run it
    for name in sorted(names):
        code = (
            "import sys; from xmtj.cli import COMMAND_MODULES, load; "
            f"app = load(COMMAND_MODULES[{name!r}]); sys.argv = ['xmtj', {name!r}, '--help']; app()"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        assert done.returncode == 0, (name, done.stderr)
        assert "用法：" in done.stdout and "Usage" not in done.stdout


def test_the_console_entry_point_runs_a_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xmtj",
            "check",
            "--as-of",
            "2021-11-01",
            "--ledger",
            str(REPO / "tests/fixtures/small"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "错误0处" in done.stdout


@pytest.mark.parametrize("columns", [50, 80, 160])
def test_top_level_help_from_the_summaries_is_the_apps_own(columns: int) -> None:
    """``xmtj --help`` is drawn from SUMMARIES without building the commands: it must say the same."""
    import typer

    from xmtj.cli import load, summary_group

    def help_text(group: typer.core.TyperGroup) -> str:
        with group.make_context("xmtj", ["--help"], resilient_parsing=True, terminal_width=columns) as ctx:
            return group.get_help(ctx)

    full = typer.main.get_command(load())
    assert isinstance(full, typer.core.TyperGroup)
    fast = summary_group()
    assert help_text(fast) == help_text(full)
    assert fast.no_args_is_help and full.no_args_is_help
    assert "项目：新建项目文件、修改单个字段" in help_text(fast)


def test_xmtj_help_builds_no_command() -> None:
    import subprocess
    import sys

    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules if m.startswith('xmtj.cli.')), file=sys.stderr))\n"
        "sys.argv = ['xmtj', '--help']\n"
        "import xmtj.cli\n"
        "xmtj.cli.main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "progress" in result.stdout
    assert result.stderr.strip() == "['xmtj.cli.common', 'xmtj.cli.edge', 'xmtj.cli.output']"  # no command module


@pytest.mark.slow
@pytest.mark.parametrize("broken", [False, True])
def test_quick_exit_after_a_large_ledger_keeps_output_and_exit_code(demo_copy: Path, broken: bool) -> None:
    """After a large load the process ends with os._exit: everything printed must still arrive."""
    import os
    import subprocess
    import sys

    if broken:
        (demo_copy / "data/issues/WT2021-003.yaml").write_text("id: WT2021-003\n", encoding="utf-8")

    def xmtj(threshold: int, *args: str) -> subprocess.CompletedProcess[str]:
        code = f"import sys, xmtj.cli as c; c.QUICK_EXIT_RECORDS = {threshold}; sys.argv[0] = 'xmtj'; c.main()"
        return subprocess.run(
            [sys.executable, "-c", code, *args, "--ledger", str(demo_copy)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "XMTJ_NO_CACHE": "1"},
        )

    for args in (("check",), ("status", "--as-of", "2021-11-30")):
        quick, normal = xmtj(1, *args), xmtj(10**9, *args)
        assert (quick.returncode, quick.stdout, quick.stderr) == (normal.returncode, normal.stdout, normal.stderr)
        assert len(quick.stdout) + len(quick.stderr) > 40
    assert xmtj(1, "check").returncode == (1 if broken else 0)


MONTH_COMMANDS = [
    ("progress", "P1", "--amount", "5"),
    ("import", "progress", "月报.csv"),
    ("dispatch",),
    ("dispatch", "status"),
    ("report",),
    ("submit",),
]


@pytest.mark.parametrize("bad", ["2021-13", "2021-00", "0001-01", "9999-12", "2021-11\n", "2021-1", " 2021-11"])
@pytest.mark.parametrize("command", MONTH_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_month_that_cannot_be_is_a_usage_error_everywhere(
    run: Run, small_git: Path, command: tuple[str, ...], bad: str
) -> None:
    from tests.conftest import git

    head = git(small_git, "rev-parse", "HEAD")
    result = run(*command, "--month", bad, ledger=small_git)
    assert result.exit_code == 2, (command, bad, result.output)
    assert "--month 的值无效" in result.stderr and "程序内部错误" not in result.output
    assert git(small_git, "rev-parse", "HEAD") == head and git(small_git, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("command", "month"),
    [
        (("progress", "P1", "--amount", "5", "--future"), "2099-01"),
        (("dispatch", "--future"), "1989-01"),
        (("report", "--out", "通报.md", "--date", "2099-01-31", "--future"), "2099-01"),
        (("submit", "--future"), "2099-01"),
    ],
)
def test_a_month_outside_the_ledgers_years_writes_nothing(
    run: Run, small_git: Path, command: tuple[str, ...], month: str
) -> None:
    from tests.conftest import git

    head = git(small_git, "rev-parse", "HEAD")
    result = run(*command, "--month", month, ledger=small_git)
    assert result.exit_code in (1, 2) and "年份" in result.stderr, result.output
    assert git(small_git, "rev-parse", "HEAD") == head and git(small_git, "status", "--porcelain") == ""


CLICK_ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "Error", "Missing", "Invalid",
                 "env var", "default:", "required]", "<path>", "<str>", "<int", "Try ")  # fmt: skip


def test_help_screens_and_usage_errors_speak_chinese(run: Run) -> None:
    """Every command's and group's help screen, the top one (drawn from the summaries) and usage errors:
    none of typer/click's own English words."""
    import subprocess
    import sys

    from xmtj.cli import app

    groups = [g.name for g in app.registered_groups if g.name]
    screens = {"xmtj --help": subprocess.run([sys.executable, "-m", "xmtj", "--help"], capture_output=True,
                                             text=True, check=False).stdout}  # fmt: skip
    for name in [n for n, _ in all_commands()] + groups:
        result = run(*name.split(), "--help")
        assert result.exit_code == 0, (name, result.output)
        screens[name] = result.output
    for args in (("status", "--year", "abc"), ("status", "--nosuch"), ("issue", "show"), ("nosuch",),
                 ("status", "--by", "乱写"), ("issue",)):  # fmt: skip
        result = run(*args, ledger=REPO)
        assert result.exit_code == 2, (args, result.output)
        screens[" ".join(args)] = result.output
    for name, text in screens.items():
        assert "用法" in text or "错误" in text, (name, text)
        found = [word for word in CLICK_ENGLISH if word in text]
        assert not found, (name, found, text)


def test_by_takes_the_groupings_chinese_names(run: Run) -> None:
    chinese = run("status", "--by", "分指挥部", "--format", "json", ledger=REPO)
    english = run("status", "--by", "branch", "--format", "json", ledger=REPO)
    assert chinese.exit_code == 0 and chinese.stdout == english.stdout
    assert json.loads(chinese.stdout)["groups"]


def manual_examples() -> list[list[str]]:
    """Every ``xmtj …`` command line in the clerk's manual's shell blocks (``tests.cli.test_manual.steps``
    without the ``cd``s), the ``xmtj`` left off."""
    from tests.cli.test_manual import steps

    return [words[1:] for words in steps() if words[0] == "xmtj"]


def test_every_command_in_the_manual_is_a_valid_command_line() -> None:
    """The manual's examples name commands and options that exist, with values of their types (months,
    dates, choices): parsed as the command line parses them, without running them."""
    import typer

    from xmtj.cli import load

    examples = manual_examples()
    assert len(examples) > 35
    root = typer.main.get_command(load())
    for args in examples:
        command, rest, path = root, list(args), ["xmtj"]
        while isinstance(command, typer.core.TyperGroup) and rest and rest[0] in command.commands:
            path.append(rest[0])
            command = command.commands[rest.pop(0)]
        with command.make_context(" ".join(path), rest) as ctx:
            assert ctx.params is not None, args
