"""Small ledgers written inside the tests, and the CLI run through CliRunner."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner

from xmtj.cli import app

REPO = Path(__file__).resolve().parent.parent
SMALL = REPO / "tests" / "fixtures" / "small"  # a small ledger with one of everything

CONFIG = """\
office: 测试市重点项目总指挥部办公室
city: 测试市
letter_prefix: 测重指办督
contact: {name: 王某（虚构）, phone: 0359-1234567}
branches: [甲分指挥部, 乙分指挥部]
levels: [省级重点项目, 市级重点项目]
sectors: [产业, 民生]
targets: {2021: 1000}
"""

PROJECT = """\
id: {id}
name: {name}
levels: [市级重点项目]
investment_type: 社会投资
sector: 产业
key_years: [2021]
branch: 甲分指挥部
responsible_unit: 甲单位
liaison_leader: 张某（副市长）
total_investment: 5000
"""


KEY_BASICS = ("但没有2021年的年度计划投资", "重点项目没有计划开工日期")  # key_project_basics' warnings


def without_key_basics(problems: list[str]) -> list[str]:
    """Problems but the warnings a minimal test project always gets (no plan, no planned start)."""
    return [p for p in problems if not any(words in p for words in KEY_BASICS)]


def project_yaml(pid: str, name: str | None = None, extra: str = "") -> str:
    return PROJECT.format(id=pid, name=name or f"项目{pid}") + textwrap.dedent(extra)


class LedgerDir:
    """A ledger folder under tmp_path, written file by file by the test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "data" / "projects").mkdir(parents=True)
        (root / "data" / "issues").mkdir()
        (root / "data" / "meetings").mkdir()
        self.write("xmtj.yaml", CONFIG)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def project(self, pid: str, extra: str = "", name: str | None = None) -> Path:
        return self.write(f"data/projects/{pid}.yaml", project_yaml(pid, name, extra))


def _repo_state() -> str:
    done = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "data", "xmtj.yaml", "letters"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    return done.stdout


@pytest.fixture(autouse=True, scope="session")
def repository_untouched() -> object:
    """No test may change the shipped demo ledger (the repository's own data): checked once, at the end."""
    before = _repo_state()
    yield
    after = _repo_state()
    assert after == before, f"a test changed the repository's demo ledger:\n{after}"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Record caches of ledgers outside git go to a temporary folder, never the user's own."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))  # the dispatch keys
    return folder


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` (the machine's configuration left out by ``git_env``) and return its output."""
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


# git without the machine's configuration: author, committer and dates pinned, far from +08:00
GIT_PINNED = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "测试员甲",
    "GIT_AUTHOR_EMAIL": "a@example.com",
    "GIT_COMMITTER_NAME": "测试员甲",
    "GIT_COMMITTER_EMAIL": "a@example.com",
    "GIT_AUTHOR_DATE": "2021-12-01T10:00:00+08:00",
    "GIT_COMMITTER_DATE": "2021-12-01T10:00:00+08:00",
    "TZ": "America/Los_Angeles",  # far from the commits' +08:00: dates must come out as written
}


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git without the machine's configuration (``GIT_PINNED``), a home of its own."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    for key, value in {"HOME": str(home), **GIT_PINNED}.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def ledger(tmp_path: Path) -> LedgerDir:
    return LedgerDir(tmp_path / "ledger")


@pytest.fixture
def small_git(tmp_path: Path, git_env: None) -> Path:
    """A copy of the small ledger, committed to git."""
    root = tmp_path / "small"
    shutil.copytree(SMALL, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "台账")
    return root


def copy_demo(root: Path) -> Path:
    """The shipped demo ledger (its xmtj.yaml and data) copied to ``root``."""
    root.mkdir()
    shutil.copy(REPO / "xmtj.yaml", root / "xmtj.yaml")
    shutil.copytree(REPO / "data", root / "data")
    return root


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A copy of the shipped demo ledger that a test may break."""
    return copy_demo(tmp_path / "demo")


Run = Callable[..., "Result"]

# typer builds the command line (every command's options) anew on each CliRunner.invoke: 15 ms with 30
# commands, a third of the suite's time. The app is complete once imported, so it is built once here.
_build_command = typer.testing._get_command
_BUILT: dict[int, object] = {}


def _built_once(typer_app: object) -> object:
    if id(typer_app) not in _BUILT:
        _BUILT[id(typer_app)] = _build_command(typer_app)
    return _BUILT[id(typer_app)]


typer.testing._get_command = _built_once


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke ``xmtj`` with a fixed terminal width and no inherited ledger."""
    monkeypatch.delenv("XMTJ_LEDGER", raising=False)

    def invoke(*args: str, ledger: Path | LedgerDir | None = None, input: str | None = None) -> Result:
        argv = list(args)
        if ledger is not None:
            root = ledger.root if isinstance(ledger, LedgerDir) else ledger
            argv += ["--ledger", str(root)]
        runner = CliRunner()
        result = runner.invoke(app, argv, input=input, env={"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke
