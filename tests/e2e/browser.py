"""A real browser for end-to-end tests: Debian's headless Chromium, driven by Playwright.

Playwright's own browser download is not reachable from our machines, so the browser is the
distribution's ``chromium`` package, installed here when missing (we run as root). Without a
browser the tests skip on a developer's machine and fail in CI (``CI`` set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",  # root in a container has no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # the browser's own traffic too: anything not on loopback goes to a closed port and fails
    "--proxy-server=http://127.0.0.1:9",
]
APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]


def chromium() -> Path:
    """The browser's path, installing Debian's package first when it is missing."""
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        _install()
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"no browser at {CHROMIUM}, and `{' '.join(INSTALL)}` could not install one"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _install() -> None:
    if subprocess.run(INSTALL, env=APT_ENV, capture_output=True, timeout=900).returncode != 0:
        # a machine whose package lists are missing or stale: fetch them once, then try again
        subprocess.run(["apt-get", "update"], env=APT_ENV, capture_output=True, timeout=600)
        subprocess.run(INSTALL, env=APT_ENV, capture_output=True, timeout=900)


class Offline:
    """A browser context that reaches only ``origin``: every other request is recorded and aborted.

    ``problems`` collects what a page got wrong: scripts that threw, and the browser console's
    errors (a Content-Security-Policy refusal, a failed load).
    """

    def __init__(self, browser: Browser, origin: str) -> None:
        self.origin = origin
        self.outside: list[str] = []
        self.problems: list[str] = []
        self.context: BrowserContext = browser.new_context(viewport={"width": 1440, "height": 900})
        self.context.route("**/*", self._guard)

    def _guard(self, route: Route) -> None:
        parts = urlsplit(route.request.url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort("blockedbyclient")

    def page(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self._console(page.url, message))
        return page

    def _console(self, url: str, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"{url}: {message.text}")


@contextmanager
def offline_browser(origin: str) -> Iterator[Offline]:
    executable = chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=ARGS, headless=True)
        try:
            yield Offline(browser, origin)
        finally:
            browser.close()
