"""`xmtj init`: a new ledger in one step (``xmtj.changes.scaffold``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from xmtj.cli.common import command, echo, fail, say


def _ask(label: str, default: str) -> str:
    return str(typer.prompt(label, default=default, err=True)).strip() or default


@command("init")
def init(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="新台账的目录（默认当前目录）")] = Path("."),
    place: Annotated[str | None, typer.Option("--place", help="本地名称，如 稷山县（文件中称“全县”）")] = None,
    office: Annotated[
        str | None, typer.Option("--office", help="机关名称（默认“<本地>重点项目总指挥部办公室”）")
    ] = None,
    prefix: Annotated[str | None, typer.Option("--prefix", help="项目编号前缀，大写字母，如 JS（默认 XM）")] = None,
    letter_prefix: Annotated[
        str | None, typer.Option("--letter-prefix", help="督办提醒函字号前缀，如 稷重指办督")
    ] = None,
    place_level: Annotated[str | None, typer.Option("--place-level", help="县、市或区（默认取名称末字）")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="联系人")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    branch: Annotated[list[str] | None, typer.Option("--branch", help="分指挥部（可重复）")] = None,
    level: Annotated[list[str] | None, typer.Option("--level", help="项目级别（可重复）")] = None,
    sector: Annotated[list[str] | None, typer.Option("--sector", help="行业（可重复）")] = None,
    year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="首个年度（默认今年）")] = None,
    target: Annotated[str | None, typer.Option("--target", help="该年度目标任务（万元）")] = None,
    rollup: Annotated[bool, typer.Option("--rollup", help="汇总台账（市、省）：成员为各县市区的台账仓库")] = False,
    cc: Annotated[str | None, typer.Option("--cc", help="月度通报的抄送机关（版记），如 市委办公室")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="月度通报的印发机关（默认本机关）")] = None,
) -> None:
    """写出带注释的 xmtj.yaml、数据目录、.gitignore 和 templates/README.md；需要时运行 git init，并做第一次提交。
    已有台账的目录不会被覆盖。在终端上缺少的名称会逐项询问。

    --rollup 新建汇总台账（市级汇总各县，省级汇总各市），之后用 xmtj member add 添加成员、xmtj fetch 获取。

    示例：xmtj init 稷山台账 --place 稷山县 --office 稷山县重点项目总指挥部办公室 --prefix JS
    --letter-prefix 稷重指办督 --branch 开发区分指挥部 --target 450000
    """
    from xmtj.changes.scaffold import create, settings_for
    from xmtj.cli.common import parse_money

    given: dict[str, Any] = {"office": office, "id_prefix": prefix, "letter_prefix": letter_prefix}
    given["place_level"] = place_level
    given |= {"contact_name": contact, "contact_phone": phone, "branches": branch, "levels": level, "sectors": sector}
    given |= {"year": year, "target": parse_money(target, "--target"), "rollup": rollup, "cc": cc, "issuer": issuer}
    if place is None and sys.stdin.isatty():
        place = _ask("本地名称（如 稷山县）", "")
    if not place:
        fail("请用 --place 给出本地名称，例如 --place 稷山县")
        return
    if sys.stdin.isatty():
        _ask_names(place, given)
    settings = settings_for(place, given)
    paths, commit = create(folder, settings)
    numbers = f"项目编号 {settings.id_prefix}…，字号 {settings.letter_prefix}〔年〕n号"
    echo(f"已创建台账 {folder}（{settings.office}，{numbers}）")
    for path in paths:
        echo(f"已写入 {path}")
    if commit is None:
        say("注意：git 没有设置提交人（user.name、user.email），文件已暂存但未提交；设置后运行 git commit", "yellow")
    else:
        echo(f"已提交 {commit[:8]}：新建台账")
    echo("下一步：编辑 xmtj.yaml 中的分指挥部、级别和目标任务，然后 xmtj import projects 台账.xlsx 导入项目")


def _ask_names(place: str, given: dict[str, Any]) -> None:
    """On a terminal: the names not given, each with its default."""
    from xmtj.changes.scaffold import default_letter_prefix, default_office

    given["office"] = given["office"] or _ask("机关名称", default_office(place))
    given["id_prefix"] = given["id_prefix"] or _ask("项目编号前缀（大写字母）", "XM")
    given["letter_prefix"] = given["letter_prefix"] or _ask("督办提醒函字号前缀", default_letter_prefix(place))
    given["cc"] = given["cc"] or _ask("月度通报抄送机关（可留空，以后在 xmtj.yaml 中填写）", "") or None
