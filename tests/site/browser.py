"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: no port, no
network): open a page at a width, collect what its console and the browser's log said and every request
it made, evaluate script in it, take a screenshot. Chromium from the system's packages; tests skip when
it is missing (``.ci/run`` installs it)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def chromium() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@dataclass
class Tab:
    browser: Browser
    session: str
    console: list[str] = field(default_factory=list)  # errors and warnings: console, exceptions, the log
    requests: list[str] = field(default_factory=list)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        found = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in found:
            raise AssertionError(f"script failed: {found['exceptionDetails']}")
        return found["result"].get("value")

    def goto(self, url: str) -> None:
        """Load another page in this tab; what the last one logged and requested is cleared."""
        self.browser.visit([self], [url])

    def overflow(self) -> int:
        """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
        return int(self.evaluate("document.documentElement.scrollWidth - window.innerWidth"))

    def screenshot(self, path: Path, full: bool = True) -> None:
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": full}
        if full:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params)["data"]))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.browser.targets.pop(self.session)})


class Browser:
    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="xmtj-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def fds() -> None:  # the protocol's pipe is the child's fds 3 (commands in) and 4 (answers out)
            commands, answers = os.dup(to_browser_r), os.dup(from_browser_w)  # out of the way of 3 and 4 first
            os.dup2(commands, 3)  # dup2's copies are inherited; every other fd of ours is close-on-exec
            os.dup2(answers, 4)

        args = [binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                "--hide-scrollbars", "--mute-audio",
                f"--user-data-dir={self.profile}", "about:blank"]  # fmt: skip
        env = {**os.environ, "TZ": "UTC", "LANG": "zh_CN.UTF-8"}
        self.process = subprocess.Popen(args, preexec_fn=fds, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.tabs: dict[str, Tab] = {}
        self.targets: dict[str, str] = {}
        self.events: list[dict[str, Any]] = []

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the protocol pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def _event(self, message: dict[str, Any]) -> None:
        tab = self.tabs.get(message.get("sessionId", ""))
        method, params = message.get("method", ""), message.get("params", {})
        if tab is None:
            self.events.append(message)
            return
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            tab.console.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            tab.console.append(json.dumps(params["exceptionDetails"], ensure_ascii=False)[:500])
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            tab.console.append(params["entry"]["text"])
        elif method == "Network.requestWillBeSent":
            tab.requests.append(params["request"]["url"])
        self.events.append(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})  # type: ignore[no-any-return]
            self._event(answer)

    def wait(self, session: str, method: str, since: int, timeout: float = 30) -> None:
        """Until ``session`` has had the event ``method`` (looked for from the event numbered ``since``)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for message in self.events[since:]:
                if message.get("sessionId") == session and message.get("method") == method:
                    return
            since = len(self.events)
            self._event(self._read())
        raise TimeoutError(method)

    def visit(self, tabs: list[Tab], urls: list[str]) -> None:
        """Load ``urls`` in ``tabs`` at once (one each), each tab's log and requests cleared first."""
        since = len(self.events)
        for tab, url in zip(tabs, urls, strict=False):
            tab.console.clear()
            tab.requests.clear()
            tab.send("Page.navigate", {"url": url})
        for tab, _ in zip(tabs, urls, strict=False):
            self.wait(tab.session, "Page.loadEventFired", since)

    def open(self, url: str, width: int = 1366, height: int = 900, mobile: bool = False) -> Tab:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, session)
        self.tabs[session] = tab
        self.targets[session] = target
        for domain in ("Page", "Runtime", "Log", "Network"):
            tab.send(f"{domain}.enable")
        tab.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})  # fmt: skip
        self.visit([tab], [url])
        tab.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return tab

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)
