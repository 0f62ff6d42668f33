"""Reporting upward through git: a county tags the commit that holds a month's figures (``submit``), a
prefecture mirrors its counties' repositories (``fetch``) and keeps its members in ``xmtj.yaml``.

No server of xmtj's own: any git remote works (a Gitea or GitLab repository, an SSH host, a shared
folder), and credentials are git's business (credential helpers, SSH keys) — xmtj stores no secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xmtj.changes import yamledit
from xmtj.changes.build import Change
from xmtj.changes.history import diff
from xmtj.figures import fmt
from xmtj.figures.status import ledger_status
from xmtj.ledger import gitio
from xmtj.ledger.checks import check_ledger
from xmtj.ledger.ledger import CONFIG_FILE, Ledger
from xmtj.ledger.records import as_dict
from xmtj.ledger.settings import Member
from xmtj.ledger.validation import validate_record
from xmtj.months import Month
from xmtj.problems import XmtjError
from xmtj.rollup.members import submission_tags, tag_for
from xmtj.rollup.mirrors import check_url


@dataclass(frozen=True)
class Submission:
    tag: str
    commit: str
    figures: str  # the tag's message
    diff: list[str] = field(default_factory=list)  # re-submission: what changed since the last one
    pushed: bool = False


def submit(ledger: Ledger, month: Month, note: str | None, again: bool, push: bool) -> Submission:
    """Tag HEAD as the month's submission (``报送/2021-11``), its message carrying the headline figures;
    refused when ``check`` finds errors, or when the month was submitted already (unless ``again``)."""

    errors = [p for p in check_ledger(ledger) if p.severity == "error"]
    if errors:
        shown = "\n".join(str(p) for p in errors[:20]) + (f"\n……另有{len(errors) - 20}处" if len(errors) > 20 else "")
        raise XmtjError(f"台账有{len(errors)}处错误，不能报送；先改正：\n{shown}")
    if gitio.dirty(ledger.root, ["xmtj.yaml", "data"]):
        raise XmtjError("台账有未提交的修改：报送的是已提交的版本，请先提交（git commit）")
    report, _ = ledger_status(ledger, month.year, month.last_day)
    s = report.summary
    base = tag_for(ledger.config.reporting.tag, month)
    earlier = submission_tags(ledger.root, ledger.config.reporting.tag, month, mirror=False)
    if earlier and not again:
        raise XmtjError(f"{month} 已报送（{earlier[-1]}）；如需重新报送，请加 --again")
    tag = base if not earlier else f"{base}-{len(earlier) + 1}"
    lines = [
        f"{ledger.config.city}重点项目{month}报送" + (f"（第{len(earlier) + 1}次）" if earlier else ""),
        "",
        f"xmtj-month: {month}",
        f"xmtj-projects: {s.projects}",
        f"xmtj-annual-plan: {fmt.wan(s.annual_plan)}",
        f"xmtj-completed: {fmt.wan(s.completed_ytd)}",
        f"xmtj-target-rate: {fmt.pct(s.target_rate)}",
        f"xmtj-lights: 红{s.lights['red']} 黄{s.lights['yellow']} 绿{s.lights['green']}",
    ]
    if note:
        lines[1:1] = ["", note.strip()]
    changes = [
        f"{c.words()}：" + "；".join(f.words(c.kind) for f in c.changes)
        for c in (diff(ledger.root, earlier[-1], "HEAD") if earlier else [])
    ]
    gitio.git(ledger.root, ["tag", "-a", tag, "-m", "\n".join(lines) + "\n", "HEAD"])
    commit = gitio.resolve(ledger.root, "HEAD")
    pushed = False
    if push:
        remote = ledger.config.reporting.remote
        done = gitio.git(ledger.root, ["push", remote, f"refs/tags/{tag}"], check=False)
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise XmtjError(f"已打标签 {tag}，但推送到 {remote} 失败：{reason[-1] if reason else done.returncode}")
        pushed = True
    return Submission(tag, commit, "\n".join(lines), changes, pushed)


def members_change(ledger: Ledger, members: Sequence[Member], subject: str, command: Sequence[str]) -> Change:
    """``xmtj.yaml`` with ``members`` replaced, edited in place, as a change."""

    source = (ledger.root / CONFIG_FILE).read_text(encoding="utf-8")
    value = [{k: v for k, v in as_dict(m).items() if v not in (None, "")} for m in members]
    return Change({CONFIG_FILE: yamledit.set_value(source, ["members"], value)}, subject, command)


def with_member(members: Sequence[Member], name: str, code: str, url: str, branch: str) -> list[Member]:
    """``members`` and a new one; refused when its code or name is taken (the message gives the address
    the member has, and says so when it differs), or when its address is not one git may use."""

    for known in members:
        if known.code == code or known.name == name:
            moved = f"，现有地址为 {known.url}" + ("（与给出的地址不同）" if known.url != url else "")
            raise XmtjError(
                f"已有成员 {known.name}（{known.code}）{moved}；如需更改，先 xmtj member remove {known.code} 再添加"
            )
    return [*members, new_member(name, code, check_url(url), branch)]


def new_member(name: str, code: str, url: str, branch: str) -> Member:
    """A member as ``member add`` makes it, validated as xmtj.yaml would be (the code's pattern …)."""
    from pydantic import ValidationError

    try:
        return validate_record(Member, {"name": name, "code": code, "url": url, "branch": branch})
    except ValidationError:
        raise XmtjError(f"成员编码应为 1—8 个大写字母，例如 JS，现为“{code}”") from None
