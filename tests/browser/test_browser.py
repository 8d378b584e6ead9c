"""Every example of the built book runs in a real browser and prints the book's output.

Drives headless Chromium over `_build/html`, both served on 127.0.0.1 and opened as files
(file://, as the README tells readers): on every page it clicks Run on every block in order
and compares the browser's verdict with the book. The only blocks allowed to differ are
those whose chapter gives the reason (the ``browser-difference`` option); blocks
that need PyTorch must say so instead of offering Run. No request may leave the page's own
origin. Timings are printed at the end of the run, never asserted.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import time
from pathlib import Path

import pytest
from conftest import OUT, REPORT, ROOT, click_run, open_page, page_data
from runinbrowser_runner import PageRunner

PAGES = sorted(path.stem for path in (ROOT / "docs").glob("*.md"))

# How long the browser may take for one click, derived from what the click runs, measured in
# CPython (process CPU time) in this same test run, instead of one fixed number:
# - Pyodide runs this package's code about 4 times slower than CPython (a reader measured the
#   two-moons weight-decay example, since moved to the build: 22.7 s in Chromium, 6.1 s in
#   CPython);
# - the first run on a page also starts Python in the page: 2.2-3.9 s on an idle machine;
# - a machine whose load average is L on C cores gives each busy process about C / L of a
#   core, so everything takes L / C times its CPU time; the browser is several processes
#   (page, compositor, network), so twice that, and never less than 3 times;
# - no click is given less than 20 s, which covers the page's own work around a run.
# The click counts too: Playwright's click waits for the page to answer after the click, and
# the page cannot answer while Python runs on its only thread.
BROWSER_SLOWDOWN = 4
COLD_START_S = 4
MIN_LOAD_FACTOR = 3
MIN_TIMEOUT_S = 20


def load_factor() -> float:
    """How many times longer than its CPU time work takes on this machine now."""
    return max(MIN_LOAD_FACTOR, 2 * os.getloadavg()[0] / (os.cpu_count() or 1))


def timeout_ms(cpython_seconds: float, cold: bool) -> float:
    """The time the browser gets for work that took ``cpython_seconds`` in CPython."""
    browser_seconds = BROWSER_SLOWDOWN * cpython_seconds + (COLD_START_S if cold else 0)
    return 1000 * max(MIN_TIMEOUT_S, load_factor() * browser_seconds)


def visible_units(data: dict) -> list[tuple[int, dict]]:
    return [
        (i, u) for i, u in enumerate(data["units"]) if u["type"] != "testsetup" and not u["hidden"]
    ]


def test_every_chapter_has_runnable_examples(book: Path) -> None:
    counts = {name: len(visible_units(page_data(book, name) or {"units": []})) for name in PAGES}
    assert sum(counts.values()) >= 150, counts
    # Further reading is a list of links; every other chapter teaches with examples.
    assert all(counts[name] > 0 for name in PAGES if name not in ("api", "further-reading")), counts


@pytest.fixture(scope="session")
def cpython_runs(book: Path) -> dict[str, dict[int, tuple[dict, float]]]:
    """Each page's blocks run in order in CPython: {page: {index: (result, CPU seconds)}}."""
    runs: dict[str, dict[int, tuple[dict, float]]] = {}
    for name in PAGES:
        data = page_data(book, name)
        if data is None:
            continue
        runner, runs[name] = PageRunner(data), {}
        for index, _ in visible_units(data):
            start = time.process_time()
            results = runner.run(index)
            seconds = time.process_time() - start
            for result in results:
                runs[name][result["index"]] = (result, seconds if result["index"] == index else 0)
    return runs


def test_runner_agrees_with_the_doctest_builder_under_cpython(book: Path, cpython_runs) -> None:
    """The same runner, in CPython, gives the book's output for every block.

    `make doctest` passing means every block matches under CPython; so a block the runner
    reports as different here would be the runner's bug, not the platform's.
    """
    problems = []
    for name, results in cpython_runs.items():
        units = page_data(book, name)["units"]
        for index, (result, _) in results.items():
            unit = units[index]
            ok = result["status"] == "match" or (result["status"] == "skipped" and unit["needs"])
            if not ok:
                problems.append(f"{name} block {index}: {result}")
    assert not problems, "\n".join(problems)


def run_block(page, unit_id: str, timeout: float) -> dict:
    click_run(page, unit_id, timeout)
    return page.evaluate(
        """(id) => {
            const panel = document.getElementById(id + "-result");
            const text = (cls) => (panel.querySelector(cls) || {}).textContent || "";
            return {status: panel.dataset.status, status_text: text(".runinbrowser-status"),
                    transcript: text(".runinbrowser-transcript"),
                    diff: text(".runinbrowser-diff pre")};
        }""",
        unit_id,
    )


@pytest.fixture(params=["http", "file"])
def base(request, server: str, book: Path) -> tuple[str, str]:
    """(the book's base URL, the origin requests may go to) for each way of reading it."""
    if request.param == "http":
        return server, server
    return book.as_uri() + "/", "file://"


@pytest.mark.parametrize("name", PAGES)
def test_every_block_gives_the_books_output(
    chromium, base, book: Path, name: str, cpython_runs
) -> None:
    data = page_data(book, name)
    cost = {index: seconds for index, (_, seconds) in cpython_runs.get(name, {}).items()}
    url, origin = base
    context, page, outside, errors = open_page(chromium, url + f"{name}.html", origin)
    try:
        problems, expected, needs = [], [], []
        python_started = False  # the first Run on the page also starts Python
        for index, unit in visible_units(data or {"units": []}):
            if unit["needs"]:
                bar = page.locator(f"#{unit['id']}-bar")
                assert bar.locator("button").count() == 0
                assert f"Needs {unit['needs']}" in bar.inner_text()
                needs.append(index)
                continue
            result = run_block(page, unit["id"], timeout_ms(cost.get(index, 0), not python_started))
            python_started = True
            if result["status"] == "expected" and unit.get("expected_difference"):
                expected.append(
                    f"{name} block {index}: {unit['expected_difference']}\n{result['diff']}"
                )
            elif result["status"] != "match":
                shown = result["diff"] or result["transcript"]
                problems.append(
                    f"{name} block {index} ({unit['id']}): {result['status']}: "
                    f"{result['status_text']}\n{shown}"
                )
        timings = page.evaluate("window.runinbrowserTimings || null")
    finally:
        context.close()
    assert not outside, f"requests outside {origin}: {outside}"
    assert not errors, errors
    assert not problems, "\n\n".join(problems)
    if timings and timings["runs"]:
        runs = timings["runs"]
        later = [r["click_to_output_ms"] for r in runs[1:]]
        slowest = max(runs[1:], key=lambda r: r["python_ms"], default=None)
        cold, load = runs[0]["click_to_output_ms"] / 1000, timings["load_ms"] / 1000
        REPORT.append(
            f"{url.split(':')[0]:5} {name:18} {len(runs):3} runs  cold click-to-output "
            f"{cold:5.2f} s (load {load:.2f} s {timings.get('phases')})  later runs median "
            f"{statistics.median(later) if later else 0:.0f} ms, max {max(later, default=0):.0f} ms"
            + (f" (block {slowest['index']})" if slowest else "")
            + (f"  not offered (needs a package the browser lacks): {needs}" if needs else "")
        )
    REPORT.extend(f"expected difference: {line}" for line in expected)


def test_edit_run_and_back(chromium, server: str, book: Path) -> None:
    """Edit shows the code without prompts, runs the reader's version, and goes back."""
    data = page_data(book, "index")
    unit = visible_units(data)[0][1]
    context, page, outside, errors = open_page(chromium, server + "index.html", server)
    try:
        page.click(f"#{unit['id']}-bar button.runinbrowser-edit")
        editor = page.locator("textarea.runinbrowser-editor")
        assert editor.input_value() == unit["plain"]
        assert ">>>" not in editor.input_value() and "Value(3.0)" in editor.input_value()
        assert not page.locator(f"#{unit['id']}").is_visible()
        editor.fill(editor.input_value().replace("Value(3.0)", "Value(4.0)"))
        # The page's first block: a few arithmetic operations, so only Python's start counts.
        result = run_block(page, unit["id"], timeout_ms(0, cold=True))
        assert result["status"] == "edited", result
        # y = x*x + 2*x at x = 4: 24, and dy/dx = 2x + 2 = 10.
        assert ">>> y.data, x.grad\n(24.0, 10.0)\n" in result["transcript"]
        page.click(f"#{unit['id']}-bar button.runinbrowser-edit")  # back to the book's version
        assert editor.count() == 0 and page.locator(f"#{unit['id']}").is_visible()
        # Keyboard only: focus Run and press Enter.
        page.focus(f"#{unit['id']}-bar button.runinbrowser-run")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "(id) => document.getElementById(id + '-result').dataset.status === 'match'",
            arg=unit["id"],
            timeout=timeout_ms(0, cold=False),
        )
    finally:
        context.close()
    assert not outside and not errors, (outside, errors)


def test_copy_button_copies_only_code(chromium, server: str, book: Path) -> None:
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    try:
        page.goto(server + "index.html")
        unit = visible_units(page_data(book, "index"))[0][1]
        page.hover(f"#{unit['id']} pre")
        page.click(f"#{unit['id']} button.copybtn")
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()
    assert copied == unit["plain"].rstrip("\n"), copied


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(chromium, server: str, book: Path, scheme: str, cpython_runs) -> None:
    """Light and dark screenshots of a page after a run; the output panel follows the theme."""
    data = page_data(book, "graphs")
    first = visible_units(data)[1][1]
    context, page, outside, errors = open_page(chromium, server + "graphs.html", server, scheme)
    try:
        # Running the page's second block replays the first.
        seconds = sum(cost for _, cost in list(cpython_runs["graphs"].values())[:2])
        run_block(page, first["id"], timeout_ms(seconds, cold=True))
        panel = page.locator(f"#{first['id']}-result")
        panel.scroll_into_view_if_needed()
        background = panel.evaluate("(el) => getComputedStyle(el).backgroundColor")
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"graphs-{scheme}.png"))
    finally:
        context.close()
    red, green, blue = (int(c) for c in re.findall(r"\d+", background)[:3])
    brightness = (red + green + blue) / 3
    assert brightness > 200 if scheme == "light" else brightness < 80, background
    assert not outside and not errors, (outside, errors)


def test_the_browser_gets_this_builds_package(book: Path) -> None:
    """sources.js holds the autograd/ files as they are now, so engine edits reach the page."""
    text = (book / "_static" / "runinbrowser" / "sources.js").read_text(encoding="ascii")
    sources = json.loads(text.removeprefix("window.RUNINBROWSER_SOURCES = ").rstrip(";\n"))
    package = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in (ROOT / "autograd").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert {k: v for k, v in sources.items() if k.startswith("autograd/")} == package
    assert "runinbrowser_runner.py" in sources


# -- The workbook in the browser (docs/workbook.md, "Try it here") -----------------------------

CLOSURE_ENGINE = ROOT / "tests" / "workbook_engines" / "closure_engine.py"


def cpython_report(text: str, last_step: int = 6) -> str:
    """What the checker prints for ``text`` in CPython without PyTorch, as the browser lacks it."""
    from autograd.workbook import check_source

    report = check_source(text, "engine.py", last_step=last_step, use_torch=False).format()
    # use_torch=False names only the references; the browser, which has no torch at all,
    # says why, as the command does on a machine without PyTorch.
    plain = "Expected numbers come from central finite differences."
    assert report.count(plain) == 1
    return report.replace(plain, plain[:-1] + " (PyTorch is not installed).")


def check_in_page(page, text: str | None = None, steps: str = "6") -> dict:
    editor = page.locator("textarea.workbook-text")
    if text is not None:
        editor.fill(text)
    page.select_option("select.workbook-steps", steps)
    # The same check in CPython first, to know how long the browser may take for it.
    start = time.process_time()
    cpython_report(editor.input_value(), int(steps))
    cold = not page.evaluate("(window.workbookTimings || {checks: []}).checks.length")
    timeout = timeout_ms(time.process_time() - start, cold)
    page.click("button.workbook-check", timeout=timeout)
    page.wait_for_function(
        """() => {
            const panel = document.querySelector(".workbook-result");
            return ["pass", "fail", "failed"].includes(panel.dataset.status)
                && !document.querySelector("button.workbook-check").disabled;
        }""",
        timeout=timeout,
    )
    return page.evaluate(
        """() => ({status: document.querySelector(".workbook-result").dataset.status,
                   status_text: document.querySelector(".workbook-status").textContent,
                   report: document.querySelector(".workbook-report").textContent})"""
    )


def test_workbook_editor_keys_and_download(chromium, server: str) -> None:
    """Tab indents with spaces, Shift+Tab dedents, Escape lets Tab leave; Download saves."""
    context, page, outside, errors = open_page(chromium, server + "workbook.html", server)
    try:
        editor = page.locator("textarea.workbook-text")
        editor.fill("def f():\nreturn 1\n")
        editor.evaluate("(e) => e.setSelectionRange(9, 9)")  # the start of "return"
        page.keyboard.press("Tab")
        assert editor.input_value() == "def f():\n    return 1\n"
        page.keyboard.press("Shift+Tab")
        assert editor.input_value() == "def f():\nreturn 1\n"
        editor.evaluate("(e) => e.setSelectionRange(11, 11)")  # column 2: to the next stop, 4
        page.keyboard.press("Tab")
        assert editor.input_value() == "def f():\nre  turn 1\n"
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        assert editor.input_value() == "def f():\nre  turn 1\n"
        assert page.evaluate("document.activeElement.className") == "workbook-check"
        with page.expect_download() as info:
            page.click("button.workbook-download")
        download = info.value
        assert download.suggested_filename == "engine.py"
        assert Path(download.path()).read_text(encoding="utf-8") == "def f():\nre  turn 1\n"
    finally:
        context.close()
    assert not outside and not errors, (outside, errors)


def test_workbook_page_without_javascript_says_so_and_keeps_the_commands(
    chromium, server: str
) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server + "workbook.html")
        text = page.inner_text("article")
    finally:
        context.close()
    assert "The editor that goes here needs JavaScript" in text
    assert "python -m autograd.workbook start mine" in text
    assert "python -m autograd.workbook check mine --step 1" in text
