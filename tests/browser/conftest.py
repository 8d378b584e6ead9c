"""Fixtures for the browser test: the built book, a local server, and headless Chromium.

Run with `make browser` (it builds the book first). It needs a Chromium on PATH (Debian:
`apt-get install chromium`) and Playwright (the `browser` extra). Playwright's own browser
download is not used. Without Chromium the tests are skipped with one line saying why,
except under CI=true, where that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "browser"
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Lines printed at the end of the run (timings, differences): measured, never asserted.
REPORT: list[str] = []


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = None
    if chromium_path() is None:
        problem = "no Chromium on PATH (apt-get install chromium)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            problem = "Playwright is not installed (pip install -e '.[browser]')"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"browser test cannot run under CI=true: {problem}")
    marker = pytest.mark.skip(reason=f"browser test skipped: {problem}")
    for item in items:
        item.add_marker(marker)


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    if REPORT:
        # Timings on a shared machine mean little without the load they were taken under.
        REPORT.append(f"load average at the end: {os.getloadavg()} on {os.cpu_count()} CPUs")
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "report.txt").write_text("\n".join(REPORT) + "\n")
        terminalreporter.section("browser measurements (printed, not asserted)")
        for line in REPORT:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def book() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail("no built book in _build/html: run `make html` first (`make browser` does)")
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def server(book: Path):
    handler = functools.partial(_QuietHandler, directory=str(book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Helpers the browser test files share (pytest puts this folder on sys.path, so the test
# files import them from conftest like the constants above).

DATA = re.compile(r'<script type="application/json" id="runinbrowser-data">(.*?)</script>', re.S)


def page_data(book: Path, name: str) -> dict | None:
    """The page's examples as the build wrote them for its runner (None: a page without)."""
    match = DATA.search((book / f"{name}.html").read_text(encoding="utf-8"))
    return json.loads(match.group(1)) if match else None


def open_page(
    chromium,
    url: str,
    origin: str = "",
    color_scheme: str = "light",
    *,
    viewport: tuple[int, int] = (1100, 900),
):  # noqa: ANN001
    """A fresh page (no cache shared with other tests) with every exercise answer open.

    Returns ``(context, page, outside, errors)``: the requests refused for leaving
    ``origin`` (none are refused when it is empty), and the page's uncaught errors and
    console errors. Chromium asks every http site for /favicon.ico, which the book has
    not: that request gets an empty answer instead of a 404 in the console.
    """
    width, height = viewport
    context = chromium.new_context(
        color_scheme=color_scheme, viewport={"width": width, "height": height}
    )
    outside: list[str] = []
    errors: list[str] = []

    def route(route):  # noqa: ANN001
        url = route.request.url
        if url.endswith("/favicon.ico"):
            route.fulfill(status=204)
        elif origin and not url.startswith(origin):
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    # Exercise answers are folded away; open them so their examples can be clicked.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    return context, page, outside, errors


def click_run(page, unit_id: str, timeout_ms: float) -> None:  # noqa: ANN001
    """Click the block's Run button and wait until its result is shown and Run is back."""
    page.click(f"#{unit_id}-bar button.runinbrowser-run", timeout=timeout_ms)
    page.wait_for_function(
        """(id) => {
            const panel = document.getElementById(id + "-result");
            const button = document.querySelector("#" + id + "-bar button.runinbrowser-run");
            return panel.dataset.status && panel.dataset.status !== "running" && !button.disabled;
        }""",
        arg=unit_id,
        timeout=timeout_ms,
    )
