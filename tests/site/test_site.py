"""``xmtj site``: the demo's pages (made once a run), their figures against ``status``, their links, sizes
and safety; the folder rules; incremental writes; a roll-up's pages; ``--serve``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, SMALL, LedgerDir, Run, git


def xmtj(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "160"}
    env.pop("XMTJ_LEDGER", None)
    return subprocess.run([sys.executable, "-m", "xmtj", *args], capture_output=True, text=True, env=env, check=False)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped demo's site, built once a run (as the office would: ``xmtj site``)."""
    out = tmp_path_factory.mktemp("demo-site") / "site"
    done = xmtj("site", "--ledger", str(REPO), "--out", str(out), cache=tmp_path_factory.mktemp("cache"))
    assert done.returncode == 0, done.stderr
    assert "网站已生成" in done.stderr
    return out


@pytest.fixture(scope="session")
def demo_status(tmp_path_factory: pytest.TempPathFactory) -> dict:
    done = xmtj("status", "--format", "json", "--ledger", str(REPO), cache=tmp_path_factory.mktemp("cache"))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


class Page(HTMLParser):
    """A page's links, resources, scripts and the ``data-figure`` values of the 总览."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.sources: list[str] = []
        self.scripts = 0
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.figures: dict[str, dict[str, str | None]] = {}
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag in ("link", "script", "img", "iframe", "object", "embed") and (found.get("href") or found.get("src")):
            self.sources.append(str(found.get("href") or found.get("src")))
        if tag == "script":
            self.scripts += 1
        if found.get("data-figure"):
            self.figures[str(found["data-figure"])] = found


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_demo_site_has_every_page_and_is_small(demo_site: Path, demo_status: dict) -> None:
    names = {p.relative_to(demo_site).as_posix() for p in pages(demo_site)}
    for top in ("index.html", "projects.html", "branches.html", "units.html", "leaders.html", "issues.html",
                "approvals.html", "letters.html", "returns.html"):  # fmt: skip
        assert top in names
    assert {f"p/{row['id']}.html" for row in demo_status["rows"]} <= names
    assert len([n for n in names if n.startswith("p/")]) == demo_status["projects"] == 100
    branches = {row["branch"] for row in demo_status["rows"]}
    assert len([n for n in names if n.startswith("g/branch-")]) == len(branches)
    size = sum(p.stat().st_size for p in demo_site.rglob("*") if p.is_file())
    assert size <= 5 * 1024 * 1024
    assert max(p.stat().st_size for p in pages(demo_site)) <= 500 * 1024


def test_every_page_is_chinese_dated_closed_to_the_outside_and_its_links_resolve(demo_site: Path) -> None:
    for path in pages(demo_site):
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        assert '<html lang="zh-CN">' in text
        assert "河津市重点项目总指挥部办公室" in text and "数据截至2021年11月30日" in text, path
        assert "default-src 'none'" in text and 'http-equiv="Content-Security-Policy"' in text
        assert page.scripts == 1  # the one small script of ours
        for ref in page.links + page.sources:
            assert not re.match(r"^[a-z]+:", ref), f"{path}: {ref}"  # relative: no http:, file:, javascript:
            if ref.startswith("#"):
                assert f'id="{ref[1:]}"' in text
                continue
            target = (path.parent / ref.split("#")[0]).resolve()
            assert target.is_file(), f"{path.relative_to(demo_site)} links to a missing {ref}"


def test_the_overview_figures_are_the_status_figures(demo_site: Path, demo_status: dict) -> None:
    page = Page((demo_site / "index.html").read_text(encoding="utf-8"))
    for key in ("projects", "total_investment", "annual_plan", "completed_ytd", "plan_rate", "time_progress",
                "target_rate"):  # fmt: skip
        assert Decimal(str(page.figures[key]["data-value"])) == Decimal(str(demo_status[key])), key
    for key in ("new_start", "start_resume", "scheduled_start", "completion", "production"):
        found = page.figures[key]
        assert Decimal(str(found["data-value"])) == Decimal(str(demo_status[key]["rate"])), key
        assert int(str(found["data-planned"])) == demo_status[key]["planned"]
    text = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "53.94亿元" in text and "102.3%" in text and "91.7%" in text  # as status prints them
    lights = demo_status["lights"]
    counts = re.findall(r'<li data-light="(\w+)">.*?<strong>(\d+)</strong>个</li>', text)
    shown = {css: int(n) for css, n in counts}
    assert shown == {"red": lights["red"], "yellow": lights["yellow"], "green": lights["green"],
                     "none": lights["not_due"] + lights["unscheduled"]}  # fmt: skip
    assert sum(shown.values()) == demo_status["projects"]


def test_the_branch_ranking_is_status_by_branch(demo_site: Path, tmp_path: Path) -> None:
    done = xmtj("status", "--by", "分指挥部", "--format", "json", "--ledger", str(REPO), cache=tmp_path)
    groups = json.loads(done.stdout)["groups"]
    text = (demo_site / "branches.html").read_text(encoding="utf-8")
    rows = re.findall(r'<td data-label="分指挥部"><a href="[^"]+">([^<]+)</a></td><td data-label="项目数" class="num">(\d+)'
                      r'</td><td data-label="年度计划" class="num">(\d+)</td><td data-label="累计完成" class="num">(\d+)</td>'
                      r'<td data-label="完成率" class="num">([\d.]+)%', text)  # fmt: skip
    assert [(g["key"], g["projects"], g["annual_plan"], g["completed_ytd"]) for g in groups] == [
        (name, int(n), int(plan), int(done)) for name, n, plan, done, _ in rows
    ]
    assert [f"{Decimal(str(g['plan_rate'])) * 100:.1f}" for g in groups] == [rate for *_, rate in rows]


def test_a_project_page_lists_its_problems_letters_and_history(demo_site: Path, tmp_path: Path) -> None:
    text = (demo_site / "p" / "HJ2021-001.html").read_text(encoding="utf-8")
    mine = sorted(p.stem for p in (REPO / "data/issues").glob("*.yaml")
                  if re.search(r"^project: HJ2021-001\b", p.read_text(encoding="utf-8"), re.M))  # fmt: skip
    assert mine and sorted(re.findall(r'data-issue="([^"]+)"', text)) == mine
    history = json.loads(xmtj("log", "HJ2021-001", "--format", "json", "--ledger", str(REPO), cache=tmp_path).stdout)
    assert [e["commit"][:8] for e in history["entries"]] == re.findall(r'data-commit="([0-9a-f]+)"', text)
    assert "2021年11月完成投资" in text  # the fields changed, by their labels


def test_charts_carry_titles_and_no_chart_library(demo_site: Path) -> None:
    text = (demo_site / "index.html").read_text(encoding="utf-8")
    assert text.count('<svg class="chart"') == 3 and 'role="img"' in text
    assert "11月 累计完成：539400万元" in text  # a point's exact figure in its <title>
    assert (demo_site / "site.js").stat().st_size < 8 * 1024
    assert {p.name for p in demo_site.iterdir() if p.is_file()} == {"index.html", "projects.html", "branches.html",
        "units.html", "leaders.html", "issues.html", "approvals.html", "letters.html", "returns.html", "site.css",
        "site.js", ".xmtj-site"}  # fmt: skip


def test_the_registers_count_what_the_listings_list(demo_site: Path, demo_status: dict, tmp_path: Path) -> None:
    def listing(*args: str) -> dict:
        done = xmtj(*args, "--format", "json", "--ledger", str(REPO), cache=tmp_path)
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    issues = listing("issue", "list", "--as-of", "2021-11-30")["issues"]
    raised = [i for i in issues if i["raised_on"] <= "2021-11-30"]
    still = [i for i in raised if not i["resolved_on"] or i["resolved_on"] > "2021-11-30"]
    late = [i for i in still if i["overdue_days"]]
    text = (demo_site / "issues.html").read_text(encoding="utf-8")
    assert (
        f"登记问题{len(raised)}个：未办结<strong>{len(still)}</strong>个（其中逾期<strong>{len(late)}</strong>个）"
        in text
    )
    assert f"已办结{len(raised) - len(still)}个" in text
    overview = Page((demo_site / "index.html").read_text(encoding="utf-8"))
    assert overview.figures[
        "open_issues"
    ] and f'>{len(still)}</strong>个，其中逾期<strong data-figure="overdue_issues">{len(late)}<' in (
        demo_site / "index.html"
    ).read_text(encoding="utf-8")
    letters = [x for x in listing("letter", "list")["letters"] if x["date"] <= "2021-11-30"]
    text = (demo_site / "letters.html").read_text(encoding="utf-8")
    assert f"发出督办提醒函{len(letters)}份" in text
    assert text.count("<tr") - 1 == len(letters)  # one row a letter, the heading's row besides
    keyed = {row["id"] for row in demo_status["rows"]}  # the year's key projects: the site's
    pending = [
        a for a in listing("approvals", "--pending", "--as-of", "2021-11-30")["approvals"] if a["project"] in keyed
    ]
    assert f"待办（办理中、未办理）{len(pending)}项" in (demo_site / "approvals.html").read_text(encoding="utf-8")


def test_a_long_list_is_paged_and_its_pages_link_each_other(
    small: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xmtj.site import context

    monkeypatch.setattr(context, "PAGE_ROWS", 1)
    assert run("site", ledger=small).exit_code == 0
    site = small / "site"
    tables = sorted(p.name for p in site.glob("projects*.html"))
    assert tables == ["projects-2.html", "projects-3.html", "projects.html"]
    for name in tables:
        page = Page((site / name).read_text(encoding="utf-8"))
        assert {"projects.html", "projects-2.html", "projects-3.html"} - {name} <= set(page.links)
        assert len(re.findall(r"<tr data-light=", (site / name).read_text(encoding="utf-8"))) == 1
    branch = sorted(p.name for p in (site / "g").glob("branch-*.html"))
    assert any(name.endswith("-2.html") for name in branch)


def test_the_returns_say_who_recorded_a_units_last_figure_and_when(ledger: LedgerDir, run: Run, git_env: None) -> None:
    ledger.project("P1", extra="""\
        annual_plan: {2021: 1000}
        planned_start: 2021-03-01
        actual_start: 2021-03-05
        progress:
          2021-10: 100
    """)  # fmt: skip
    git(ledger.root, "init", "-q", "-b", "main")
    git(ledger.root, "add", "-A")
    git(ledger.root, "commit", "-qm", "台账")
    assert run("progress", "P1", "--month", "2021-11", "--amount", "120", ledger=ledger).exit_code == 0
    assert run("site", "--as-of", "2021-11-30", ledger=ledger).exit_code == 0
    text = (ledger.root / "site/returns.html").read_text(encoding="utf-8")
    assert (
        'title="甲单位 2021年11月：1/1个项目有数据；最后一项2021-12-01由测试员甲录入">已报<br><span class="small">12-01'
        in text
    )
    assert 'title="甲单位 2021年9月：0/1个项目有数据">未报' in text


# --- the folder -----------------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    shutil.copytree(SMALL, root)
    return root


def test_an_unchanged_page_is_not_rewritten_and_a_changed_one_is(small: Path, run: Run) -> None:
    out = small / "site"
    first = run("site", ledger=small)
    assert first.exit_code == 0 and "改写" in first.stderr
    page, other = out / "p" / "P1.html", out / "p" / "P2.html"
    before = {p: p.stat().st_mtime_ns for p in (page, other)}
    os.utime(page, ns=(1, 1))
    os.utime(other, ns=(1, 1))
    again = run("site", ledger=small)
    assert again.exit_code == 0 and "改写0个" in again.stderr
    assert page.stat().st_mtime_ns == 1 and other.stat().st_mtime_ns == 1 and before
    project = small / "data/projects/P1.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("name: 甲化工新材料项目", "name: 项目P1改"), "utf-8")
    third = run("site", ledger=small)
    assert third.exit_code == 0
    assert page.stat().st_mtime_ns != 1 and "项目P1改" in page.read_text(encoding="utf-8")
    assert other.stat().st_mtime_ns == 1  # P2's page did not change: not touched


def test_a_removed_project_page_goes_and_nothing_else_is_removed(small: Path, run: Run) -> None:
    assert run("site", ledger=small).exit_code == 0
    mine = small / "site" / "notes.txt"
    mine.write_text("办公室自己放的文件", "utf-8")
    (small / "data/projects/P3.yaml").unlink()
    done = run("site", ledger=small)
    assert done.exit_code == 0 and re.search(r"删除[1-9]个", done.stderr)
    assert not (small / "site/p/P3.html").exists() and mine.read_text("utf-8") == "办公室自己放的文件"


def test_the_site_is_never_written_over_what_xmtj_did_not_make(small: Path, tmp_path: Path, run: Run) -> None:
    foreign = tmp_path / "资料"
    foreign.mkdir()
    (foreign / "index.html").write_text("别人的网页", "utf-8")
    done = run("site", "--out", str(foreign), ledger=small)
    assert done.exit_code != 0 and "不是 xmtj 生成的网站" in done.stderr
    assert (foreign / "index.html").read_text("utf-8") == "别人的网页"
    for inside in ("data", "templates", ".git", "."):
        refused = run("site", "--out", str(small / inside), ledger=small)
        assert refused.exit_code != 0 and "属于台账本身" in refused.stderr, inside
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    assert "符号链接" in run("site", "--out", str(link), ledger=small).stderr
    assert not (tmp_path / "elsewhere").exists()


def test_a_symlink_inside_the_site_stops_the_build_before_anything_is_written(small: Path, run: Run) -> None:
    assert run("site", ledger=small).exit_code == 0
    target = small.parent / "target.html"
    target.write_text("不可改写", "utf-8")
    page = small / "site" / "p" / "P2.html"
    page.unlink()
    page.symlink_to(target)
    index = small / "site" / "index.html"
    os.utime(index, ns=(1, 1))
    (small / "data/projects/P1.yaml").write_text(
        (small / "data/projects/P1.yaml").read_text("utf-8").replace("name: 甲化工新材料项目", "name: 项目甲"), "utf-8"
    )
    done = run("site", ledger=small)
    assert done.exit_code != 0 and "不是普通文件" in done.stderr and "Traceback" not in done.output
    assert target.read_text("utf-8") == "不可改写" and index.stat().st_mtime_ns == 1


def test_the_list_of_the_last_build_removes_only_its_own_pages(small: Path, tmp_path: Path, run: Run) -> None:
    assert run("site", ledger=small).exit_code == 0
    outside, elsewhere = tmp_path / "outside.txt", tmp_path / "elsewhere"
    outside.write_text("外面的文件", "utf-8")
    elsewhere.mkdir()
    (elsewhere / "x.html").write_text("链接过去的文件", "utf-8")
    (small / "site" / "linked").symlink_to(elsewhere)
    mark = small / "site" / ".xmtj-site"
    mark.write_text(
        mark.read_text("utf-8") + f"../outside.txt\n{outside}\nlinked/x.html\np/../../../outside.txt\n", "utf-8"
    )
    done = run("site", ledger=small)
    assert done.exit_code == 0 and "删除0个" in done.stderr
    assert outside.read_text("utf-8") == "外面的文件" and (elsewhere / "x.html").read_text("utf-8") == "链接过去的文件"


def test_a_ledger_with_errors_gets_its_site_with_the_errors_said(small: Path, run: Run) -> None:
    project = small / "data/projects/P2.yaml"
    project.write_text(project.read_text("utf-8").replace("total_investment: ", "total_investment: 三千#"), "utf-8")
    done = run("site", ledger=small)
    files = re.search(r"以下数字不含出错的记录（(\d+)个文件）", done.stderr)
    assert done.exit_code == 0 and files, done.stderr
    index = (small / "site/index.html").read_text(encoding="utf-8")
    assert f"台账中有{files[1]}个文件有错误，其中的记录未计入以下数字" in index
    assert not (small / "site/p/P2.html").exists()  # its record is not counted, so not shown as if it were


def test_at_a_revision_the_site_is_the_ledger_as_it_was(small: Path, run: Run, git_env: None) -> None:
    git(small, "init", "-q", "-b", "main")
    git(small, "add", "-A")
    git(small, "commit", "-qm", "台账")
    project = small / "data/projects/P1.yaml"
    project.write_text(project.read_text("utf-8").replace("name: 甲化工新材料项目", "name: 改过的名字"), "utf-8")
    git(small, "commit", "-qam", "改名")
    assert run("site", "--at", "HEAD~1", ledger=small).exit_code == 0
    page = (small / "site/p/P1.html").read_text(encoding="utf-8")
    assert "甲化工新材料项目" in page and "改过的名字" not in page and "改名" not in page  # nor the later commit


def test_a_site_git_would_pick_up_is_pointed_out(small: Path, run: Run, git_env: None) -> None:
    git(small, "init", "-q", "-b", "main")
    done = run("site", ledger=small)
    assert done.exit_code == 0 and "在台账的 .gitignore 中加一行 /site/" in done.stderr
    (small / ".gitignore").write_text("/site/\n", "utf-8")
    assert "gitignore" not in run("site", ledger=small).stderr


def test_a_renamed_project_page_says_the_rename_as_log_does(small: Path, run: Run, git_env: None) -> None:
    git(small, "init", "-q", "-b", "main")
    git(small, "add", "-A")
    git(small, "commit", "-qm", "台账")
    git(small, "mv", "data/projects/P3.yaml", "data/projects/P4.yaml")
    p4 = small / "data/projects/P4.yaml"
    p4.write_text(p4.read_text(encoding="utf-8").replace("id: P3", "id: P4"), encoding="utf-8")
    for issue in (small / "data").rglob("*.yaml"):  # what pointed at P3 points at P4
        issue.write_text(re.sub(r"\bP3\b", "P4", issue.read_text(encoding="utf-8")), encoding="utf-8")
    git(small, "commit", "-qam", "P3 改编号为 P4")
    assert run("site", ledger=small).exit_code == 0
    page = (small / "site/p/P4.html").read_text(encoding="utf-8")
    logged = run("log", "P4", ledger=small).stdout
    for line in ("改名 data/projects/P3.yaml → data/projects/P4.yaml", "编号：P3 → P4"):
        assert line in logged and line in page


def test_as_of_and_month_are_one_choice(small: Path, run: Run) -> None:
    done = run("site", "--as-of", "2021-11-30", "--month", "2021-11", ledger=small)
    assert done.exit_code != 0 and "只能指定一个" in done.stderr


# --- hostile records ---------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "javascript:alert(3)",
    "</textarea><svg onload=alert(4)>",
    "{{ 7*7 }}{% raw %}",
    "正常文字\u202e倒序\u202c",
]


def test_a_hostile_record_renders_as_text(ledger: LedgerDir, run: Run, git_env: None) -> None:
    ledger.project("P1", extra=f"""\
        content: '{HOSTILE[0]}'
        location: '{HOSTILE[1].replace("'", "''")}'
        remarks: '{HOSTILE[2]}'
        capacity: '{HOSTILE[3]}'
        owner: 建设单位
        annual_plan: {{2021: 1000}}
        planned_start: 2021-03-01
        progress:
          2021-03: {{amount: 100, text: '{HOSTILE[4]}'}}
    """)  # fmt: skip
    ledger.write("data/issues/W1.yaml", f"""\
        id: W1
        project: P1
        description: '{HOSTILE[5]}{HOSTILE[0]}'
        category: 其他
        source: 调度会
        raised_on: 2021-03-10
        responsible_unit: 甲单位
    """)  # fmt: skip
    git(ledger.root, "init", "-q", "-b", "main")
    git(ledger.root, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_NAME": "办公室\u202e<b>员甲</b>"}
    subprocess.run(["git", "-C", str(ledger.root), "commit", "-qm", "<script>alert(5)</script>"], env=env, check=True)
    done = run("site", "--as-of", "2021-03-31", ledger=ledger)
    assert done.exit_code == 0, done.output
    for path in pages(ledger.root / "site"):
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        assert page.scripts == 1  # ours, and nothing a record injected
        assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)  # no event handler
        assert not any(tag in ("img", "textarea", "iframe", "object") for tag, _ in page.tags)
        assert "\u202e" not in text  # shown as an escape, never obeyed
        assert not any(ref.lower().startswith("javascript") for ref in page.links + page.sources)
    project = (ledger.root / "site/p/P1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in project
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in project
    assert "javascript:alert(3)" in project  # as text, never a link
    assert "{{ 7*7 }}" in project  # never evaluated
    assert "正常文字\\u202e倒序\\u202c" in project  # the bidi controls shown, not obeyed
    assert 'data-issue="W1"' in project  # the hostile problem is counted, and shown as text
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in project and "办公室\\u202eb员甲/b" in project  # git drops <>


# --- a roll-up ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_rollup_site_ranks_the_members_and_names_those_missing(tmp_path: Path, run: Run, git_env: None) -> None:
    from tests.changes.test_rollup import county

    a = county(tmp_path / "甲县", rename="A")
    b = county(tmp_path / "乙县", rename="B", submit=False)
    pref = tmp_path / "运城"
    assert run("init", str(pref), "--place", "运城市", "--rollup").exit_code == 0
    assert run("member", "add", "甲县", "--code", "JX", "--url", str(a), ledger=pref).exit_code == 0
    assert run("member", "add", "乙县", "--code", "YX", "--url", str(b), ledger=pref).exit_code == 0
    assert run("fetch", ledger=pref).exit_code == 0
    done = run("site", ledger=pref)
    assert done.exit_code == 0, done.output
    status = json.loads(run("status", "--format", "json", ledger=pref).stdout)
    index = (pref / "site/index.html").read_text(encoding="utf-8")
    figures = Page(index).figures
    assert Decimal(str(figures["completed_ytd"]["data-value"])) == Decimal(str(status["total"]["completed_ytd"]))
    assert "已报送<strong>1</strong>个，未报送<strong>1</strong>个" in index
    lit = status["total"]["lights"]
    assert f"红灯{lit['red']}个" in index and "进展缓慢" not in index  # the sums carry no list of slow projects
    member = (pref / "site/m/JX.html").read_text(encoding="utf-8")
    assert "报送/2021-11" in member and "名次 1" in member
    assert "未报送" in (pref / "site/m/YX.html").read_text(encoding="utf-8")


# --- --serve -----------------------------------------------------------------------------------------


@pytest.fixture
def served(small: Path, run: Run) -> Iterator[tuple[str, Path, list[str]]]:
    from xmtj.cli.site import build
    from xmtj.ledger.load import counted_ledger, load_ledger
    from xmtj.site.serve import Site, server

    assert run("site", ledger=small).exit_code == 0

    def rebuild() -> None:
        build(counted_ledger(load_ledger(small, None, False), False), small / "site", None, None)

    told: list[str] = []  # what the clerk's terminal is told
    httpd = server(Site(small, small / "site", rebuild, told.append), 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", small, told
    finally:
        httpd.shutdown()
        httpd.server_close()


def fetch(url: str, method: str = "GET", host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def test_serve_shows_the_pages_read_only_on_the_local_machine(served: tuple[str, Path, list[str]]) -> None:
    url, root, told = served
    assert url.startswith("http://127.0.0.1:")
    code, headers, body = fetch(url + "/")
    assert code == 200 and "default-src 'none'" in headers["Content-Security-Policy"] and b"zh-CN" in body
    assert fetch(url + "/p/P1.html")[0] == 200
    for bad in ("/p/", "/../xmtj.yaml", "/%2e%2e/xmtj.yaml", "/.xmtj-site", "/data/projects/P1.yaml"):
        assert fetch(url + bad)[0] == 404, bad
    assert fetch(url + "/index.html", host="evil.example:80")[0] == 403  # DNS rebinding: another name, refused
    assert fetch(url.replace("127.0.0.1", "localhost") + "/index.html")[0] == 200
    for method in ("POST", "PUT", "DELETE"):
        code, headers, body = fetch(url + "/index.html", method)
        assert code == 405 and "只读" in body.decode("utf-8")
    project = root / "data/projects/P1.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace("name: 甲化工新材料项目", "name: 项目P1新名"), "utf-8"
    )
    assert "项目P1新名" in fetch(url + "/p/P1.html")[2].decode("utf-8")  # rebuilt when the ledger changed
    (root / "site" / "p" / "P2.html").unlink()
    (root / "site" / "p" / "P2.html").mkdir()  # a rebuild that cannot write: the last pages stay, and it is said
    project.write_text(project.read_text(encoding="utf-8").replace("项目P1新名", "项目P1再改"), "utf-8")
    code, _, body = fetch(url + "/p/P1.html")
    assert code == 200 and "项目P1新名" in body.decode("utf-8")
    assert told and "重新生成失败，仍显示上一次的页面" in told[-1] and "不是普通文件" in told[-1]


def test_serve_on_a_port_in_use_says_so_in_chinese(small: Path, run: Run) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run("site", "--serve", "--port", str(port), ledger=small)
    assert done.exit_code != 0 and f"无法在 127.0.0.1:{port} 提供浏览：端口已被占用" in done.stderr
    assert "Traceback" not in done.output and "Address" not in done.output
