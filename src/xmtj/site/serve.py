"""``xmtj site --serve``: the built pages on 127.0.0.1 only, read-only, rebuilt when the ledger changes.

The standard library's server, narrowed: GET and HEAD only (anything else is 405), no folder listings, only
the files the build listed, sent with the pages' Content-Security-Policy as a header too; a request naming
any host but 127.0.0.1 or localhost is refused (a web page elsewhere cannot point its own name here and read
the ledger through the reader's browser). Before a page is
sent the ledger's state (its files' sizes and times, and git's HEAD) is compared with the one the site was
built from; when it changed, the site is rebuilt first — so a reader's reload shows the clerk's latest
commit. Nothing a request says reaches the ledger.
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xmtj.problems import XmtjError, os_words
from xmtj.site.output import MARK

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


def ledger_state(root: Path) -> tuple[Any, ...]:
    """What changes when the ledger does: every record file's size and mtime, xmtj.yaml's, and git's HEAD."""
    found: list[Any] = []
    for folder in (root / "data", root / "dispatch"):
        if folder.is_dir():
            for entry in sorted(folder.rglob("*")):
                try:
                    st = entry.stat()
                except OSError:
                    continue
                found.append((str(entry), st.st_size, st.st_mtime_ns))
    for name in ("xmtj.yaml", ".git/HEAD", ".git/index"):
        try:
            st = (root / name).stat()
            found.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            pass
    return tuple(found)


class Site:
    """The built folder, and the one function that rebuilds it; rebuilt at most once at a time. A rebuild
    that fails leaves the last good pages served, and ``told`` says why (on the clerk's terminal)."""

    def __init__(self, root: Path, folder: Path, rebuild: Callable[[], None], told: Callable[[str], None]) -> None:
        self.root, self.folder, self.rebuild, self.told = root, folder, rebuild, told
        self.state = ledger_state(root)
        self.lock = threading.Lock()
        self.port = 0  # the port served on, once bound (``server``)

    def fresh(self) -> None:
        with self.lock:
            now = ledger_state(self.root)
            if now == self.state:
                return
            self.state = now
            try:
                self.rebuild()
            except XmtjError as exc:
                self.told(f"重新生成失败，仍显示上一次的页面：{exc}")
            except OSError as exc:
                self.told(f"重新生成失败，仍显示上一次的页面：{os_words(exc)}")

    def listed(self) -> set[str]:
        try:
            return set((self.folder / MARK).read_text(encoding="utf-8").splitlines())
        except OSError:
            return set()


def handler(site: Site) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "xmtj"
        sys_version = ""

        def do_GET(self) -> None:
            self.send(body=True)

        def do_HEAD(self) -> None:
            self.send(body=False)

        def refuse(self) -> None:
            self.answer(405, "只读：这里只能查看页面。", [("Allow", "GET, HEAD")])

        def answer(self, code: int, words: str, headers: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
            data = words.encode("utf-8")
            self.send_response(code)  # the status line in HTTP's own words; the reader's in the body
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse

        def send(self, body: bool) -> None:
            port = site.port
            if self.headers.get("Host", "") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
                self.answer(403, "只接受本机地址的访问。")  # a page elsewhere, its name pointed here (DNS rebinding)
                return
            path = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/") or "index.html"
            if path.endswith("/"):
                path += "index.html"
            if path.endswith(".html"):
                site.fresh()
            if path not in site.listed():  # only what the build wrote: no listing, no other file, no ``..``
                self.answer(404, "没有这个页面。")
                return
            try:
                data = (site.folder / path).read_bytes()
            except OSError:
                self.answer(404, "没有这个页面。")
                return
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(os.path.splitext(path)[1], "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the terminal shows the address and rebuild failures, not every request

    return Handler


def server(site: Site, port: int) -> http.server.ThreadingHTTPServer:
    """The server on 127.0.0.1:``port`` (0: any free port), not yet serving."""
    bound = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(site))
    site.port = bound.server_address[1]
    return bound
