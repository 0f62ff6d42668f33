"""The clerk's manual, run: every ``xmtj`` example of docs/使用手册.md, in its order, on a new county's ledger
— the 台账 it imports is the committed office-style fixture, the unit's returned sheet is the dispatched
one filled in, the server and the prefecture's member are local bare repositories. An example the manual
changes breaks this test, not a clerk's afternoon."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, Run, git

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("git_env")]


def steps() -> list[list[str]]:
    """The manual's shell lines as commands (``cd`` and ``xmtj …``), continued lines joined, comments dropped."""
    text = (REPO / "docs/使用手册.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #")[0].strip()
            for part in line.split("&&"):
                words = shlex.split(part.strip())
                if words[:1] in (["xmtj"], ["cd"]):
                    found.append(words)
    return found


def filled_return(ledger: Path, unit: str) -> None:
    """The unit's dispatched sheet as it comes back: figures, 形象进度 and problems typed in."""
    import openpyxl

    from xmtj.documents.xlsx import put

    book = openpyxl.load_workbook(ledger / "dispatch/2022-03" / f"{unit}.xlsx")
    sheet = book["调度任务"]
    heads = {"".join(str(c.value).split()): c.column for c in sheet[3] if c.value}
    for row, (amount, text, issue) in enumerate(
        [(50, "场地平整", "用地指标尚未落实"), (0, None, "环评未批复")], start=4
    ):
        put(sheet, row, heads["当月完成投资（万元）"], amount)
        if text:
            put(sheet, row, heads["形象进度"], text)
        put(sheet, row, heads["存在问题"], issue)
    book.save(ledger / f"{unit}.xlsx")


def test_every_example_in_the_manual_runs(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    work = tmp_path / "work"
    work.mkdir()
    cwd = work
    server = tmp_path / "server.git"
    ran = []
    for words in steps():
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        args = words[1:]
        monkeypatch.chdir(cwd)
        if args[:2] == ["import", "projects"]:
            shutil.copy(REPO / "tests/fixtures/sheets/office-ledger.xlsx", cwd / args[2])
        if args[:2] == ["import", "progress"] and not (cwd / args[2]).exists():
            filled_return(cwd, Path(args[2]).stem)
        if args[:1] in (["sync"], ["submit"]) and not server.exists():  # the office's server
            git(tmp_path, "init", "-q", "--bare", str(server))
            git(cwd, "remote", "add", "origin", str(server))
        if args[:1] == ["submit"] and "--again" in args:  # 更正后重新报送: a correction first
            assert run("progress", "JS2022-002", "--month", "2022-03", "--amount", "10").exit_code == 0
        if args[:2] == ["member", "add"]:  # the county's server stands in for the member's address
            args = [*args[: args.index("--url") + 1], str(server)]
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        ran.append(args[0])
    assert len(ran) > 35 and {"init", "import", "dispatch", "remind", "letter", "report", "undo", "sync", "submit",
                              "fetch"} <= set(ran)  # fmt: skip
