"""``xmtj init``: a new ledger in one step — a commented ``xmtj.yaml``, the folders, a ``.gitignore``, a note
on templates, ``git init`` where needed, and the first commit.

Nothing is overwritten: a folder that already holds a ledger (or any of the files ``init`` writes) is
refused before anything is written. The settings are validated with the same rules ``xmtj check`` uses,
so what ``init`` writes always passes ``check``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from xmtj.changes.writer import FileTransaction
from xmtj.changes.yamlout import flow
from xmtj.ledger import gitio
from xmtj.ledger.ledger import CONFIG_FILE, DATA_DIR
from xmtj.ledger.reading import config_from_bytes
from xmtj.ledger.registry import KINDS
from xmtj.problems import XmtjError

DEFAULT_LEVELS = ("省级重点项目", "市级重点项目")  # and the place's own: 稷山县重点项目
DEFAULT_SECTORS = ("产业", "基础设施", "民生", "城市功能")
PLACE_LEVELS = ("县", "市", "区")


@dataclass
class Settings:
    """What a new office tells ``init`` about itself."""

    office: str
    place: str
    letter_prefix: str
    id_prefix: str = "XM"
    place_level: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    branches: Sequence[str] = ()
    levels: Sequence[str] = ()  # default: 省级, 市级 and the place's own 重点项目
    sectors: Sequence[str] = DEFAULT_SECTORS
    year: int = field(default_factory=lambda: dt.date.today().year)
    target: Decimal | None = None
    rollup: bool = False  # a prefecture's (or province's) ledger over its members
    cc: str | None = None  # the 通报's 抄送机关
    issuer: str | None = None  # its 印发机关 (the office when not given)


def settings_for(place: str, given: dict[str, Any]) -> Settings:
    """The settings from what the clerk gave (None or empty: the default)."""
    level = given.get("place_level")
    if level is not None and level not in PLACE_LEVELS:
        raise XmtjError(f"--place-level 应为 县、市 或 区，现为“{level}”")
    return Settings(
        office=given.get("office") or default_office(place),
        place=place,
        letter_prefix=given.get("letter_prefix") or default_letter_prefix(place),
        id_prefix=(given.get("id_prefix") or "XM").upper(),
        place_level=level,
        contact_name=given.get("contact_name"),
        contact_phone=given.get("contact_phone"),
        branches=list(given.get("branches") or []),
        levels=list(given.get("levels") or []),
        sectors=list(given.get("sectors") or DEFAULT_SECTORS),
        year=given.get("year") or dt.date.today().year,
        target=given.get("target"),
        rollup=bool(given.get("rollup")),
        cc=given.get("cc") or None,
        issuer=given.get("issuer") or None,
    )


def default_letter_prefix(place: str) -> str:
    """河津市 → 河重指办督, 稷山县 → 稷重指办督: the place's first character and 重指办督."""
    return f"{place[:1]}重指办督"


def default_office(place: str) -> str:
    return f"{place}重点项目总指挥部办公室"


def config_text(s: Settings) -> str:
    """``xmtj.yaml`` for a new ledger, every setting explained in a comment."""
    level = s.place_level or (s.place[-1:] if s.place[-1:] in PLACE_LEVELS else "市")
    contact = {k: v for k, v in (("name", s.contact_name), ("phone", s.contact_phone)) if v}
    levels = list(s.levels) or [*DEFAULT_LEVELS, f"{s.place}重点项目"]
    lines = [
        f"# {s.place}重点项目台账。每个设置的含义见注释；改动后运行 xmtj check 检查。",
        f"office: {flow(s.office)}  # 机关名称：督办提醒函、通报的发文机关",
        f"city: {flow(s.place)}  # 本地名称：文件中称“全{level}”",
        f"place_level: {level}  # 县、市或区：决定“全县/全市/全区”“县级/市级层面”等说法",
        f"letter_prefix: {flow(s.letter_prefix)}  # 督办提醒函的发文字号前缀：{s.letter_prefix}〔{s.year}〕1号",
        f"id_prefix: {s.id_prefix}  # 新项目编号的前缀：{s.id_prefix}{s.year}-001",
        f"contact: {flow(contact)}  # 联系人和电话，印在督办提醒函上，例如 {{name: 张某, phone: 0359-0000000}}",
        "branches:  # 分指挥部（项目的 branch 只能从这里选）",
        *(f"  - {flow(b)}" for b in s.branches),
        "levels:  # 项目级别（项目的 levels 只能从这里选，可多个）",
        *(f"  - {flow(x)}" for x in levels),
        f"sectors: {flow(list(s.sectors))}  # 行业（项目的 sector 只能从这里选）",
        "targets:  # 年度目标任务，万元（status 和通报以此计算完成率）",
        f"  {s.year}: {flow(s.target)}",
        "lights:  # 亮灯阈值",
        "  yellow_gap: 10  # 落后时序进度多少个百分点亮黄灯",
        "  red_gap: 30  # 落后多少个百分点亮红灯",
        "  red_start_months: 3  # 逾期未开工几个月亮红灯",
        "  basis: own_schedule  # 年内计划开工的项目自计划开工月份起算序时进度；year：一律按全年时序进度",
        "natures: [新建, 续建, 改扩建, 技改]  # 建设性质（续建 = 以前年度已开工）",
        "letters:",
        "  feedback_days: 10  # 督办提醒函的书面反馈期限（天）",
        "documents:  # 月度通报的版记",
        f"  cc: {flow(s.cc)}  # 抄送机关，例如 市委办公室，市人大常委会办公室，市政府办公室，市政协办公室",
        f"  issuer: {flow(s.issuer or s.office)}  # 印发机关",
        "import:  # xmtj import 读取本单位 Excel 表格的设置",
        "  columns: {}  # 表头的其他叫法，例如 {项目责任单位: 责任单位}",
        "  issue_category: 其他  # import progress --issues 把“存在问题”登记为问题时的类别",
        "  issue_source: 调度会  # 以及问题的来源",
        "reporting:  # 向上级报送（xmtj submit）",
        "  tag: 报送/{month}  # 报送标签的名称",
        "  remote: origin  # --push 推送到的远程仓库",
    ]
    if s.rollup:
        lines += [
            "members: []  # 汇总台账的成员（县市区）：用 xmtj member add 名称 --code 编码 --url 仓库地址 添加",
        ]
    if not s.branches:
        lines[lines.index("branches:  # 分指挥部（项目的 branch 只能从这里选）")] = (
            "branches: []  # 分指挥部（项目的 branch 只能从这里选），例如 [开发区分指挥部, 城建分指挥部]"
        )
    if s.target is None:
        at = lines.index(f"  {s.year}: null")
        lines[at - 1 : at + 1] = [f"targets: {{}}  # 年度目标任务，万元，例如 {{{s.year}: 450000}}（用于计算完成率）"]
    return "\n".join(lines) + "\n"


GITIGNORE = """\
# 汇总台账获取的成员仓库镜像（xmtj fetch），每次都可重新获取
/.xmtj/
# 打开中的 Excel/WPS、LibreOffice 文件留下的锁文件
~$*
.~lock.*#
# xmtj 写到一半被打断时留下的临时文件（xmtj check 会列出）
.*.xmtj-tmp*
# xmtj site 生成的项目驾驶舱网站，随时可以重新生成
/site/
"""

TEMPLATES_README = """\
# 自定义文件模板

xmtj 用内置模板生成督办提醒函（letter.md.j2）、月度通报（report.md.j2）和年度总结（annual.md.j2）。
要改措辞，把同名文件放在本目录中，xmtj 就用这里的文件代替内置模板（逐个文件替换，没有放的仍用内置的）。
内置模板的原文在 xmtj 安装目录的 templates/ 中，可先复制过来再改。

模板是 Jinja2 格式，只能使用 xmtj 提供的数据（项目、数字、日期），不能读取其他文件。
改好后运行 `xmtj remind --dry-run` 或 `xmtj report --month YYYY-MM` 看效果，再提交到 git。
"""


def scaffold_files(s: Settings) -> dict[str, str]:
    """Every file ``init`` writes, by path relative to the new ledger."""
    files = {CONFIG_FILE: config_text(s), ".gitignore": GITIGNORE, "templates/README.md": TEMPLATES_README}
    for kind in KINDS.values():
        files[f"{DATA_DIR}/{kind.folder}/.gitkeep"] = ""
    return files


def check_settings(s: Settings) -> None:
    """The settings as ``xmtj check`` would judge them, before anything is written."""

    _, problems = config_from_bytes(config_text(s).encode("utf-8"))
    if problems:
        raise XmtjError("设置有误，未创建台账：\n" + "\n".join(str(p) for p in problems))


def create(root: Path, s: Settings) -> tuple[list[str], str | None]:
    """Write the new ledger at ``root`` and commit it; the paths written and the commit id (None when
    git has no identity to commit with: the files are then staged, and the message says how to commit)."""

    if (root / CONFIG_FILE).exists() or (root / CONFIG_FILE).is_symlink():
        raise XmtjError(f"{root} 已经是台账目录（有 {CONFIG_FILE}），未作任何改动")
    check_settings(s)
    files = scaffold_files(s)
    taken = [rel for rel in files if (root / rel).exists() or (root / rel).is_symlink()]
    if taken:
        raise XmtjError(f"{root} 中已有 {'、'.join(taken)}，init 不覆盖已有文件，未作任何改动")
    root.mkdir(parents=True, exist_ok=True)
    if not gitio.is_repository(root):
        gitio.git(root, ["init", "--quiet"])
    # the clerk's own git (git status, git log) shows Chinese file names as they are, not as \344\270\255…
    gitio.git(root, ["config", "core.quotepath", "false"])
    transaction = FileTransaction(root)
    for rel, text in files.items():
        transaction.create(root / rel, text)
    transaction.commit()
    paths = sorted(files)
    if gitio.identity_missing(root):
        gitio.git(root, ["add", "--", *paths])
        return paths, None
    commit = gitio.commit_files(root, paths, f"新建台账: {s.office}")
    return paths, commit.id
