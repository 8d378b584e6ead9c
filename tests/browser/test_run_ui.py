"""What a reader sees after clicking Run, in headless Chromium on the built book.

The verdicts themselves are test_browser.py's subject; this file checks how they are
shown: a late example shows its own result and says once how many earlier examples it
replayed; a block that prints nothing says that it ran; a traceback from edited code points
at the reader's lines; search from a book opened as files logs no errors.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from conftest import REPORT, click_run, open_page, page_data
from runinbrowser_runner import PageRunner

RUN_TIMEOUT_MS = 180_000


def runnable(data: dict) -> list[tuple[int, dict]]:
    """The blocks that have a Run button, with their index among the page's units."""
    return [
        (i, u)
        for i, u in enumerate(data["units"])
        if u["type"] != "testsetup" and not u["hidden"] and not u["needs"]
    ]


def run(page, unit_id: str) -> float:
    """Click Run on ``unit_id`` and wait for its result; the seconds it took."""
    started = time.perf_counter()
    click_run(page, unit_id, RUN_TIMEOUT_MS)
    return time.perf_counter() - started


def shown_panels(page) -> list[str]:
    return page.evaluate(
        """[...document.querySelectorAll(".runinbrowser-output")]
            .filter((p) => !p.classList.contains("runinbrowser-hidden")).map((p) => p.id)"""
    )


def test_a_late_example_shows_its_own_result_and_counts_the_replayed_ones(
    chromium, server: str, book: Path
) -> None:
    data = page_data(book, "topological-order")
    blocks = runnable(data)
    (index, late), (_, last) = blocks[-2], blocks[-1]
    # The earlier examples that really run (not skipped) are replayed first.
    replayed = [
        r
        for r in PageRunner(data).run(index)
        if r["index"] != index
        and r["status"] != "skipped"
        and not data["units"][r["index"]]["hidden"]
    ]
    assert len(replayed) >= 3 and all(r["status"] == "match" for r in replayed)
    context, page, _, errors = open_page(chromium, server + "topological-order.html")
    try:
        REPORT.append(f"run-ui: first Run (a late example) took {run(page, late['id']):.1f} s")
        assert shown_panels(page) == [f"{late['id']}-result"]
        panel = page.locator(f"#{late['id']}-result")
        assert panel.get_attribute("data-status") == "match"
        text = panel.inner_text()
        assert text.count("Replayed") == 1
        assert f"Replayed {len(replayed)} earlier examples" in text
        assert re.search(r"Python loaded in \d+\.\d s", text)
        # The next example runs alone: nothing replayed, nothing said about it.
        run(page, last["id"])
        assert shown_panels(page) == [f"{late['id']}-result", f"{last['id']}-result"]
        assert "Replayed" not in page.locator(f"#{last['id']}-result").inner_text()
    finally:
        context.close()
    assert not errors, errors


def test_a_block_that_prints_nothing_says_it_ran(chromium, server: str, book: Path) -> None:
    data = page_data(book, "accumulation")
    results = {r["index"]: r for r in PageRunner(data).run(runnable(data)[-1][0])}
    quiet = [u for i, u in runnable(data) if not results[i]["printed"]]
    loud = [u for i, u in runnable(data) if results[i]["printed"]]
    assert quiet and loud
    context, page, _, errors = open_page(chromium, server + "accumulation.html")
    try:
        run(page, quiet[0]["id"])
        status = page.locator(f"#{quiet[0]['id']}-result .runinbrowser-status").inner_text()
        assert status.startswith("Ran without an error. It prints nothing")
        assert "matches the book" not in status
        run(page, loud[-1]["id"])
        status = page.locator(f"#{loud[-1]['id']}-result .runinbrowser-status").inner_text()
        assert status.startswith("Output matches the book.")
    finally:
        context.close()
    assert not errors, errors


def test_a_traceback_from_edited_code_shows_the_readers_lines(
    chromium, server: str, book: Path
) -> None:
    first = runnable(page_data(book, "index"))[0][1]
    code = "from autograd.engine import Value\n\nx = Value(2.0)\ny = x + 'one'\n"
    context, page, _, errors = open_page(chromium, server + "index.html")
    try:
        page.click(f"#{first['id']}-bar button.runinbrowser-edit")
        page.locator("textarea.runinbrowser-editor").fill(code)
        run(page, first["id"])
        panel = page.locator(f"#{first['id']}-result")
        assert panel.get_attribute("data-status") == "edited"
        assert "stopped with an exception" in panel.locator(".runinbrowser-status").inner_text()
        transcript = panel.locator(".runinbrowser-transcript").inner_text()
        assert "File \"<your code>\", line 4, in <module>\n    y = x + 'one'" in transcript
        assert "  ...\n" not in transcript
        assert "TypeError" in transcript
    finally:
        context.close()
    assert not errors, errors


def test_search_from_files_logs_no_errors_and_http_keeps_excerpts(
    chromium, server: str, book: Path
) -> None:
    for base in (book.as_uri() + "/", server):
        context, page, _, errors = open_page(chromium, base + "search.html?q=gradient")
        try:
            page.wait_for_selector("#search-results li", timeout=60_000)
            # Excerpts arrive after the results: give them time to arrive, or to fail.
            page.wait_for_timeout(2_000)
            results = page.locator("#search-results li").count()
            excerpts = page.locator("#search-results p.context").count()
        finally:
            context.close()
        assert results > 5
        if base.startswith("file:"):
            assert not errors, errors
        else:
            assert excerpts > 0
            assert not errors, errors
