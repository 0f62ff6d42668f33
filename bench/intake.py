"""The import targets (the data-in issue): a 1,000-row 台账 and a 1,000-row 月报, each imported for real
(files written, one commit) into a ledger made by ``xmtj init``.

Called by ``bench/run.py`` (``--intake``). Each import is measured against reading the same sheet with
python-calamine alone in a fresh process (``python -c`` that imports the library and reads every row),
paired run by run; and against an absolute bound of 3 s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from history import GIT_ENV, git

Row = tuple[str, float, int, str, float, float]
BRANCHES = ["开发区分指挥部", "城建分指挥部", "工业分指挥部", "农业分指挥部"]
HEADINGS = [
    "序号", "项目名称", "建设单位", "建设内容及规模", "总投资（万元）", "2022年计划投资", "计划开工时间",
    "计划竣工时间", "分指挥部", "责任单位", "包联县级领导", "项目类型", "产业类别", "项目级别", "联系人", "联系电话",
]  # fmt: skip


def sheets(folder: Path, rows: int = 1000, seed: int = 7) -> tuple[Path, Path]:
    """The 台账 and the March 月报 (cumulative figures), written with openpyxl as an office would."""
    import openpyxl

    rng = random.Random(seed)
    ledger, monthly = folder / "台账.xlsx", folder / "月报.xlsx"
    if ledger.is_file() and monthly.is_file():
        return ledger, monthly
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2022年重点项目建设进展情况表"])
    ws.append(["单位：万元"])
    ws.append(HEADINGS)
    for i in range(1, rows + 1):
        total = rng.randint(10, 900) * 100
        start = dt.date(2022, rng.randint(1, 6), rng.randint(1, 28))
        ws.append([
            i, f"第{i}号重点建设项目", f"某某公司{i}", "新建厂房及配套设施", total, total // 3,
            start, f"{start.year + 1}/{start.month}/{start.day}", rng.choice(BRANCHES), f"责任单位{i % 40}",
            f"领导{i % 25}", rng.choice(["政府投资", "社会投资"]), rng.choice(["产业", "基础设施", "民生"]),
            "省级重点项目、县级重点项目" if i % 5 == 0 else "县级重点项目", f"联系人{i}", 13800000000 + i,
        ])  # fmt: skip
    book.save(ledger)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2022年3月重点项目月报"])
    ws.append(["单位：万元"])
    ws.append(["序号", "项目编号", "项目名称", "1—3月累计完成投资", "形象进度", "存在问题"])
    for i in range(1, rows + 1):
        ws.append([i, f"BJ2022-{i:03d}", f"第{i}号重点建设项目", rng.randint(0, 30) * 10, "主体施工", ""])
    book.save(monthly)
    return ledger, monthly


def office(root: Path, xmtj: str, env: dict[str, str]) -> None:
    if (root / "xmtj.yaml").is_file():
        return
    subprocess.run(
        [xmtj, "init", str(root), "--place", "基准县", "--prefix", "BJ", "--year", "2022", "--target", "900000",
         *[a for b in BRANCHES for a in ("--branch", b)], "--level", "省级重点项目", "--level", "县级重点项目",
         "--sector", "产业", "--sector", "基础设施", "--sector", "民生"],
        check=True, capture_output=True, env={**env, **GIT_ENV}, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def reset_to(root: Path, rev: str) -> Callable[[], None]:
    def reset() -> None:
        git(root, "reset", "-q", "--hard", rev)
        git(root, "clean", "-q", "-fd")

    return reset


def bench_intake(
    folder: Path, xmtj: str, env: dict[str, str], repeat: int, against: Callable[..., tuple[float, int, float]]
) -> list[Row]:
    folder.mkdir(parents=True, exist_ok=True)
    ledger_sheet, monthly_sheet = sheets(folder)
    root = folder / "ledger"
    office(root, xmtj, env)
    env = {**env, **GIT_ENV}
    first = ["git", "-C", str(root), "rev-list", "--max-parents=0", "HEAD"]  # the ledger as init made it
    start = subprocess.run(first, capture_output=True, text=True, check=True)
    rows: list[Row] = []
    openpyxl_read = "import openpyxl, sys; b = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True); "
    openpyxl_read += "list(b.active.iter_rows(values_only=True))"
    for library, code in (("python-calamine", None), ("openpyxl (read-only)", openpyxl_read)):
        if code is None:
            continue
        base, _, ratio = against([sys.executable, "-c", code, str(ledger_sheet)], [sys.executable, "-c",
                                 "import python_calamine as c, sys; s = c.CalamineWorkbook.from_path(sys.argv[1]); "
                                 "s.get_sheet_by_name(s.sheet_names[0]).to_python()", str(ledger_sheet)],
                                 folder, env, repeat)  # fmt: skip
        print(f"reading the 1,000-row 台账: {library} {base:.3f} s, {ratio:.1f}× python-calamine's time", flush=True)
    read = "import python_calamine as c, sys; s = c.CalamineWorkbook.from_path(sys.argv[1]); "
    read += "s.get_sheet_by_name(s.sheet_names[0]).to_python()"
    projects = ["import", "projects", str(ledger_sheet)]
    progress = ["import", "progress", str(monthly_sheet), "--month", "2022-03"]
    for name, sheet, argv, base in (
        ("import projects (1,000 rows)", ledger_sheet, projects, start.stdout.strip()),
        ("import progress (1,000 rows)", monthly_sheet, progress, None),
    ):
        if base is None:  # the 月报 needs the projects: import them once, and go back to that commit each time
            reset_to(root, start.stdout.strip())()
            subprocess.run([xmtj, "import", "projects", str(ledger_sheet)], cwd=root, env=env, check=True,
                           capture_output=True)  # fmt: skip
            base = subprocess.run(
                ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
            ).stdout.strip()
        reset_to(root, base)()
        done = subprocess.run([xmtj, *argv], cwd=root, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0 or "已提交" not in done.stdout:  # a refused or empty import is fast and wrong
            raise SystemExit(f"{name} failed:\n{done.stdout}{done.stderr}")
        library = [sys.executable, "-c", read, str(sheet)]
        s, rss, ratio = against([xmtj, *argv], library, root, env, repeat, before=reset_to(root, base))
        rows.append((name, s, rss, "calamine read", ratio, 2.0))
        rows.append((f"{name}, seconds", s, rss, "seconds", 0.0, 3.0))
    reset_to(root, start.stdout.strip())()
    os.sync()
    return rows
