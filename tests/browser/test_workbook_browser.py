"""The workbook in a real browser (docs/workbook.md, "Try it here"): headless Chromium, Pyodide.

Check must give, in the page, the report that CPython gives for the same text, with the same
diagnoses; an endless loop must end in a report, not a tab frozen for good; and the editor
wraps long lines. Screenshots land in _build/browser/ for a person to look at.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import OUT, REPORT, open_page

ROOT = Path(__file__).resolve().parents[2]
CLOSURE = (ROOT / "tests" / "workbook_engines" / "closure_engine.py").read_text(encoding="utf-8")
CHECK_TIMEOUT_MS = 180_000


def cpython_report(text: str, last_step: int = 6) -> str:
    from autograd.workbook import check_source

    return check_source(text, "engine.py", last_step=last_step).format()


def replaced(old: str, new: str) -> str:
    assert CLOSURE.count(old) == 1, old
    return CLOSURE.replace(old, new)


def open_workbook(chromium, url: str, origin: str):  # noqa: ANN001
    return open_page(chromium, url + "workbook.html", origin, viewport=(1000, 1000))


def check_in_page(page, text: str, steps: str = "6") -> dict:
    page.locator("textarea.workbook-text").fill(text)
    page.select_option("select.workbook-steps", steps)
    page.click("button.workbook-check")
    page.wait_for_function(
        """() => {
            const panel = document.querySelector(".workbook-result");
            return ["pass", "fail", "failed"].includes(panel.dataset.status)
                && !document.querySelector("button.workbook-check").disabled;
        }""",
        timeout=CHECK_TIMEOUT_MS,
    )
    return page.evaluate(
        """() => ({status: document.querySelector(".workbook-result").dataset.status,
                   report: document.querySelector(".workbook-report").textContent})"""
    )


@pytest.fixture(params=["http", "file"])
def base(request, server: str, book: Path) -> tuple[str, str]:
    if request.param == "http":
        return server, server
    return book.as_uri() + "/", "file://"


MISSING_FACTOR = replaced("self.grad += e * out.grad", "self.grad += e")
RADD_RECURSION = replaced(
    "    def __radd__(self, other):\n        return self + other",
    "    def __radd__(self, other):\n        return other + self",
)
NO_RESET = replaced(
    "        for node in topo:\n            if node._prev:\n"
    "                node.grad = 0.0  # interior nodes start afresh; leaves keep adding up\n",
    "",
)


def test_check_in_the_page_gives_cpythons_report_and_diagnoses(chromium, base) -> None:
    from autograd.workbook import STARTER

    url, origin = base
    context, page, outside, errors = open_workbook(chromium, url, origin)
    try:
        starter = check_in_page(page, STARTER)
        assert starter["status"] == "fail" and starter["report"] == cpython_report(STARTER)
        assert starter["report"].count("not yet written") == 6
        right = check_in_page(page, CLOSURE)
        assert right["status"] == "pass", right["report"]
        assert right["report"] == cpython_report(CLOSURE)
        for text, said in [
            (MISSING_FACTOR, "exp()'s _backward does not multiply by the gradient arriving"),
            (RADD_RECURSION, "__radd__ calls itself forever"),
            (NO_RESET, "does not reset the grad of the nodes that have inputs"),
        ]:
            checked = check_in_page(page, text)
            assert checked["status"] == "fail"
            assert checked["report"] == cpython_report(text), checked["report"]
            assert said in checked["report"]
            if text is MISSING_FACTOR:
                panel = page.locator(".workbook-result")
                panel.screenshot(path=str(OUT / f"workbook-report-{base[1][:4]}.png"))
        only_one = check_in_page(page, MISSING_FACTOR, steps="4")
        assert only_one["status"] == "pass" and "step 5" not in only_one["report"]
    finally:
        context.close()
    assert not outside and not errors, (outside, errors)


LOOP = """\
        while True:
            try:
                pass
            except BaseException:
                pass
"""


def test_an_endless_loop_ends_in_a_report_and_the_tab_answers_again(chromium, book) -> None:
    url, origin = book.as_uri() + "/", "file://"
    context, page, outside, errors = open_workbook(chromium, url, origin)
    text = replaced(
        "        out = Value(self.data**other", LOOP + "        out = Value(self.data**other"
    )
    try:
        check_in_page(page, CLOSURE)  # Python loaded, so the time below is the loop's
        started = time.monotonic()
        looping = check_in_page(page, text)
        seconds = time.monotonic() - started
        assert looping["status"] == "fail"
        said = " ".join(looping["report"].split())  # as one line, whatever the wrapping
        assert "Value.__pow__: still running after 10 s: an endless loop?" in said, said
        # The report names the loop's line that was running when time ran out: any of them.
        loop_lines = [line.strip() for line in LOOP.splitlines()]
        assert any(f"in Value.__pow__: {line})" in said for line in loop_lines), said
        assert "blocked by step 2" in said  # step 3's x / y uses **
        # The tab answers again: the page runs script, and the editor takes typing.
        assert page.evaluate("1 + 1") == 2
        page.locator("textarea.workbook-text").press("End")
        page.keyboard.type("# still here")
        assert page.locator("textarea.workbook-text").input_value().endswith("# still here")
        page.locator(".workbook-result").screenshot(path=str(OUT / "workbook-endless-loop.png"))
    finally:
        context.close()
    REPORT.append(f"workbook: an endless loop in __pow__ was reported after {seconds:.1f} s")
    assert seconds < 60
    assert not outside and not errors, (outside, errors)


def test_the_editor_wraps_long_lines(chromium, server: str) -> None:
    context, page, outside, errors = open_workbook(chromium, server, server)
    long_line = "# " + "a long comment that goes on " * 12 + "\n"
    try:
        editor = page.locator("textarea.workbook-text")
        editor.fill(long_line + CLOSURE)
        assert editor.get_attribute("wrap") == "soft"
        wrapped = page.evaluate(
            """() => { const e = document.querySelector("textarea.workbook-text");
                       return {white: getComputedStyle(e).whiteSpace,
                               scroll: e.scrollWidth, client: e.clientWidth}; }"""
        )
        assert wrapped["white"] == "pre-wrap"
        assert wrapped["scroll"] <= wrapped["client"], wrapped  # no horizontal scrolling
        assert editor.input_value().startswith(long_line)  # wrapping adds no line breaks
        editor.scroll_into_view_if_needed()
        page.evaluate("document.querySelector('textarea.workbook-text').scrollTop = 0")
        OUT.mkdir(parents=True, exist_ok=True)
        editor.screenshot(path=str(OUT / "workbook-wrapped-editor.png"))
    finally:
        context.close()
    assert not outside and not errors, (outside, errors)
