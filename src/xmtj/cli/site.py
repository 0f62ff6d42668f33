"""`xmtj site`: the ledger as a static 项目驾驶舱 that opens from a folder (``xmtj.site``), or served on
127.0.0.1 read-only with ``--serve``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from xmtj.cli.common import AtOption, LedgerOption, NoCacheOption, command, date_option, fail, month_option, say
from xmtj.months import Month
from xmtj.problems import os_words


@command("site")
def site_command(
    ledger: LedgerOption = None,
    at: AtOption = None,
    no_cache: NoCacheOption = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="<文件夹>", help="网站写到哪个文件夹（默认：台账下的 site/，git 不跟踪）"),
    ] = None,
    as_of: Annotated[dt.date | None, date_option("--as-of", "数据截至日期（默认：有进度数据的最近月份月末）")] = None,
    month: Annotated[Month | None, month_option("按某月月末（YYYY-MM）")] = None,
    serve: Annotated[
        bool, typer.Option("--serve", help="生成后在本机（127.0.0.1）提供浏览，台账变化时自动重新生成")
    ] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="--serve 的端口")] = 8000,
) -> None:
    """数字与 status、通报一致；每页写明数据截至日期。再次生成时只改写有变化的页面；--out 只能是新文件夹、
    空文件夹或以前生成的网站文件夹。--serve 只在本机提供浏览，只能看、不能改。

    示例：xmtj site　　xmtj site --month 2021-11 --out 驾驶舱　　xmtj site --serve
    """
    from xmtj.cli.common import open_ledger

    if as_of is not None and month is not None:
        fail("--as-of 和 --month 只能指定一个")
    day = month.last_day if month is not None else as_of
    data = open_ledger(ledger, at, cache=not no_cache)
    folder = out if out is not None else data.root / "site"
    say(built_words(build(data, folder, day, at)))
    if serve:
        serve_site(ledger, at, not no_cache, data.root, folder, day, port)


def build(data: Any, folder: Path, day: dt.date | None, at: str | None) -> Any:
    from xmtj.site.build import build_site

    return build_site(data, folder, day, at)


def built_words(built: Any) -> str:
    w = built.written
    hint = (
        "\n提示：git 没有忽略这个文件夹；在台账的 .gitignore 中加一行 /site/，网站就不会混进台账的修改里"
        if built.unignored
        else ""
    )
    return (
        f"网站已生成：{built.folder / 'index.html'}（数据截至{built.as_of.isoformat()}；{w.files}个文件，"
        f"{w.size / 1048576:.1f} MB；改写{w.written}个，未变{w.unchanged}个，删除{w.removed}个）{hint}"
    )


def serve_site(ledger: Path | None, at: str | None, cache: bool, root: Path, folder: Path, day: Any, port: int) -> None:
    """Serve the folder until Ctrl+C, rebuilding from a fresh read of the ledger when it changed."""
    from xmtj.cli.common import open_ledger
    from xmtj.site.serve import Site, server

    def rebuild() -> None:
        say(built_words(build(open_ledger(ledger, at, cache=cache), folder, day, at)))

    try:
        httpd = server(Site(root, folder, rebuild, say), port)
    except OSError as exc:
        fail(f"无法在 127.0.0.1:{port} 提供浏览：{os_words(exc)}（可用 --port 换一个端口，例如 --port 8080）")
        return
    bound = httpd.server_address[1]
    say(f"项目驾驶舱：http://127.0.0.1:{bound}/ （只读，仅本机可访问；按 Ctrl+C 停止）")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        say("已停止")
    finally:
        httpd.server_close()
