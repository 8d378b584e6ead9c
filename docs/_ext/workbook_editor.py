"""The ``{workbook-editor}`` directive: the workbook's editor and Check button in the page.

One job: place the workbook (docs/workbook.md) in the HTML book. The directive writes an
editor placeholder holding ``autograd.workbook.STARTER`` as this build's package has it;
``workbook.js``, added to that page only, builds the editor and a Check button that runs
``autograd.workbook``'s checker on the reader's text in the page's Python, which the
``pyodide_runtime`` extension provides.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from docutils import nodes
from pyodide_runtime import MODULES_EVENT
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

WORKBOOK_CLASS = "workbook-editor"


def workbook_editor_html(starter: str) -> str:
    """The editor's placeholder: workbook.js builds the editor from the starter text in it.

    Without JavaScript the reader sees only the sentence saying so; the chapter's commands
    do the same in a terminal.
    """
    text = json.dumps(starter).replace("<", "\\u003c")  # no text can close the script
    return (
        f'<div class="{WORKBOOK_CLASS}">\n'
        '<p class="workbook-nojs"><em>The editor that goes here needs JavaScript. The commands '
        "under Start and Check below do the same in a terminal.</em></p>\n"
        f'<script type="application/json" class="workbook-starter">{text}</script>\n'
        "</div>\n"
    )


class WorkbookEditor(SphinxDirective):
    """``{workbook-editor}``: the workbook's editor, starter and Check button (HTML only)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        # Taken from the package at build time, so the page never holds a stale copy; the
        # page is rebuilt whenever the workbook package or its starter file changes.
        workbook = importlib.import_module("autograd.workbook")
        self.env.note_dependency(str(Path(workbook.__file__).resolve()))
        self.env.note_dependency(str(Path(workbook.STARTER_PATH).resolve()))
        node = nodes.raw("", workbook_editor_html(workbook.STARTER), format="html")
        node["workbook_editor"] = True  # not a class: docutils would wrap it in one more div
        return [node]


def add_workbook_script(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
) -> None:
    """workbook.js on the pages that have an editor, after the runtime's script."""
    if doctree is not None and any(
        node.get("workbook_editor") for node in doctree.findall(nodes.raw)
    ):
        app.add_js_file("workbook.js", priority=510)


def checker_module(app: Sphinx) -> list[Path]:
    # workbook.js calls check_workbook() from the example runner's module.
    return [Path(__file__).resolve().parent / "runinbrowser_runner.py"]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pyodide_runtime")
    app.connect(MODULES_EVENT, checker_module)
    app.add_directive("workbook-editor", WorkbookEditor)
    app.connect("html-page-context", add_workbook_script)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
