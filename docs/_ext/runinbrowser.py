"""Run and Edit buttons on the book's examples, running the package in the reader's browser.

Every block that ``sphinx-build -b doctest`` runs (``{doctest}``, ``{testcode}`` with its
``{testoutput}``, docstring examples on the API page) gets a Run and an Edit button in the
HTML book. Run executes the block with Pyodide (CPython compiled to WebAssembly) after the
page's earlier blocks, as the doctest builder does, and shows whether the output is the
book's. Nothing is fetched from the network: everything the browser needs is written into
``_static/runinbrowser/`` by this extension at build time.

What the build does:

- ``builder-inited``: checks every vendored Pyodide file against the SHA-256 recorded in
  ``vendor/pyodide/MANIFEST.json`` and stops the build on a mismatch.
- ``doctree-resolved``: records each block's original text (before ``trim_doctest_flags``
  removes ``<BLANKLINE>`` and ``# doctest:`` comments from the page), its expected output,
  option flags, ``:skipif:`` condition and groups, in page order, as a JSON script tag at
  the end of the page; each visible block gets an id the buttons attach to.
- ``build-finished``: writes the runtime (``pyodide.js`` and ``pyodide.asm.js`` as they are;
  the wasm binary, the standard library zip and the lock file base64-encoded in
  ``runtime.js``) and ``sources.js``, the package's source files of this very build plus the
  runner module (``runinbrowser_runner.py``) as ``{path: text}``.

Why embedded: a page opened from ``file://`` may load classic ``<script>`` files but may not
``fetch`` files beside it (Chromium blocks it), and Pyodide fetches its wasm, standard
library and lock file. ``runinbrowser.js`` loads ``runtime.js`` with a script tag and answers
those three fetches from it, over ``file://`` and ``http://`` alike, so there is one copy.

The ``{workbook-editor}`` directive (docs/workbook.md) places the workbook in the page: an
editor holding ``autograd.workbook.STARTER`` as this build's package has it, and a Check
button that runs ``autograd.workbook``'s checker on the reader's text in the same Pyodide
(``workbook.js``, added to that page only).

Blocks that cannot give the book's output in a browser are listed in KNOWN_DIFFERENCES below,
each with its reason; blocks that need PyTorch are found from the chapters themselves (their
``:skipif:`` tests for torch, or they import it).
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from runinbrowser_runner import plain_code
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "runinbrowser_static"
RUNNER = HERE / "runinbrowser_runner.py"
OUT_DIR = "runinbrowser"  # under the HTML output's _static/
# Loaded by runinbrowser.js with <script> tags; the rest is embedded in runtime.js.
SCRIPTS = ["pyodide.js", "pyodide.asm.js"]
EMBEDDED = {
    "pyodide.asm.wasm": "application/wasm",
    "python_stdlib.zip": "application/zip",
    "pyodide-lock.json": "application/json",
}

# Blocks whose browser output is expected to differ from the book's, with the reason shown to
# the reader. "contains" is a piece of the block's text that identifies it on its page;
# tests/test_runinbrowser.py fails on an entry that matches no block, so it cannot go stale.
# Empty: the book prints nothing that rests on the last bits of a math library (see
# tests/test_book_portability.py), so every block gives the book's output in the browser too.
KNOWN_DIFFERENCES: list[dict[str, str]] = []

# Import statements in a block, prompts or not: `from x...` or `import x.y as z, w`.
IMPORT = re.compile(r"^\s*(?:>>>\s*|\.\.\.\s*)?(?:from\s+(\w+)|import\s+([\w., ]+))", re.M)
# The browser has the standard library and this build's packages, nothing else.
PACKAGE_NAMES = {"torch": "PyTorch", "numpy": "NumPy", "matplotlib": "Matplotlib"}


def project_root(app: Sphinx) -> Path:
    return Path(app.confdir).resolve()


def pyodide_files(app: Sphinx) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and the vendored files, each checked against its SHA-256."""
    vendor = project_root(app) / app.config.runinbrowser_pyodide
    manifest_path = vendor / "MANIFEST.json"
    if not manifest_path.is_file():
        raise ExtensionError(f"runinbrowser: {manifest_path} is missing")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files, problems = {}, []
    for name, digest in manifest["sha256"].items():
        path = vendor / name
        data = path.read_bytes() if path.is_file() else None
        if data is None:
            problems.append(f"{path} is missing")
        elif hashlib.sha256(data).hexdigest() != digest:
            problems.append(f"{path} does not match the SHA-256 in {manifest_path.name}")
        else:
            files[name] = data
    missing = [name for name in SCRIPTS + list(EMBEDDED) if name not in manifest["sha256"]]
    problems += [f"{manifest_path} does not list {name}" for name in missing]
    if problems:
        raise ExtensionError(
            "runinbrowser: the vendored Pyodide runtime failed its integrity check:\n  "
            + "\n  ".join(problems)
            + "\n(tools/vendor_pyodide.py re-vendors it; --check only verifies)"
        )
    return manifest, files


def outdated_pages(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """Every page, when this extension or its runner changed since the last build.

    Sphinx rebuilds a page when its source changes, not when an extension does; the page
    data written here (KNOWN_DIFFERENCES, the runner's view of a block) would go stale.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes() + RUNNER.read_bytes()).hexdigest()
    if getattr(env, "runinbrowser_digest", None) == digest:
        return []
    env.runinbrowser_digest = digest
    return sorted(env.found_docs)


def is_html(app: Sphinx) -> bool:
    # singlehtml merges pages, which would merge their namespaces: no buttons there.
    return app.builder.format == "html" and app.builder.name != "singlehtml"


def add_static_path(app: Sphinx, config: Any) -> None:
    # The book's conf.py lists this folder itself: a path appended here changes the
    # configuration Sphinx saves, and every incremental build would then report it changed.
    listed = {str((Path(app.confdir) / path).resolve()) for path in config.html_static_path}
    if str(STATIC_DIR) not in listed:
        config.html_static_path.append(str(STATIC_DIR))


def check_runtime(app: Sphinx) -> None:
    if is_html(app):
        pyodide_files(app)


def is_test_node(node: nodes.Node, with_doctest_blocks: bool) -> bool:
    """The nodes sphinx.ext.doctest runs (its _condition_default/_condition_with_doctest)."""
    if isinstance(node, (nodes.literal_block, nodes.comment)) and "testnodetype" in node:
        return True
    return with_doctest_blocks and isinstance(node, nodes.doctest_block)


def needs(unit: dict[str, Any], packages: list[str]) -> str:
    """What a block needs that the browser lacks ('' if nothing).

    A ``:skipif:`` that tests for torch means PyTorch; so does importing a module that is
    neither in the standard library nor one of this build's ``packages``.
    """
    if "torch" in (unit["skipif"] or ""):
        return "PyTorch"
    for module, names in IMPORT.findall(unit["code"]):
        # "import a.b as c, d" names the modules a and d.
        imported = [n.split()[0].split(".")[0] for n in names.split(",") if n.strip()]
        for name in [module] if module else imported:
            if name not in sys.stdlib_module_names and name not in packages:
                return PACKAGE_NAMES.get(name, name)
    return ""


def page_units(app: Sphinx, doctree: nodes.document, docname: str) -> list[dict[str, Any]]:
    """The page's test blocks in order; each visible one gets an id on its node."""
    config = app.config
    default_group = config.doctest_test_doctest_blocks
    units: list[dict[str, Any]] = []
    counter = 0
    if config.doctest_global_setup:
        units.append(
            {
                "type": "testsetup",
                "code": config.doctest_global_setup,
                "groups": ["*"],
                "options": {},
                "skipif": None,
                "hidden": True,
            }
        )
    for node in doctree.findall(lambda n: is_test_node(n, bool(default_group))):
        kind = node.get("testnodetype", "doctest")
        code = node["test"] if "test" in node else node.astext()
        visible = not isinstance(node, nodes.comment)
        node_id = ""
        if visible:
            counter += 1
            node_id = f"runinbrowser-{counter}"
            node["ids"].append(node_id)
        groups = node.get("groups", [default_group])
        options = {str(flag): value for flag, value in node.get("options", {}).items()}
        if kind == "testoutput":
            # As the doctest builder does: the output belongs to the group's latest testcode.
            owner = next((u for u in reversed(units) if u["groups"] == groups), None)
            if owner is not None and owner["type"] == "testcode" and "want" not in owner:
                owner.update(
                    want=code, want_options=options, out_id=node_id, want_skipif=node.get("skipif")
                )
            continue
        if kind == "testcleanup":
            continue  # runs after the page in the builder; it changes no output
        unit = {
            "type": kind,
            "code": code,
            "groups": groups,
            "options": options,
            "skipif": node.get("skipif"),
            "hidden": not visible,
            "id": node_id,
        }
        unit["needs"] = needs(unit, config.runinbrowser_packages)
        unit["plain"] = plain_code(unit)
        units.append(unit)
    for unit in units:
        for entry in KNOWN_DIFFERENCES:
            if entry["page"] == docname and entry["contains"] in unit["code"]:
                unit["expected_difference"] = entry["reason"]
    return units


def add_page_data(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not is_html(app):
        return
    units = page_units(app, doctree, docname)
    if not any(u["type"] != "testsetup" and not u["hidden"] for u in units):
        return
    page = {"default_flags": app.config.doctest_default_flags, "units": units}
    # "<" escaped so that no text in a block can close the script element.
    text = json.dumps(page).replace("<", "\\u003c")
    doctree.append(
        nodes.raw(
            "",
            f'<script type="application/json" id="runinbrowser-data">{text}</script>\n',
            format="html",
        )
    )


def package_sources(app: Sphinx) -> dict[str, str]:
    """{path in site-packages: text} for the packages of this build and the runner."""
    root = project_root(app)
    sources = {"runinbrowser_runner.py": RUNNER.read_text(encoding="utf-8")}
    for package in app.config.runinbrowser_packages:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                try:
                    sources[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
                except UnicodeDecodeError as error:
                    raise ExtensionError(f"runinbrowser: {path} is not UTF-8 text") from error
    return sources


def write_runtime(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html(app):
        return
    manifest, files = pyodide_files(app)
    out = Path(app.outdir) / "_static" / OUT_DIR
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in SCRIPTS:
        (out / name).write_bytes(files[name])
    runtime = {
        "version": manifest["version"],
        "types": EMBEDDED,
        "files": {name: base64.b64encode(files[name]).decode("ascii") for name in EMBEDDED},
    }
    (out / "runtime.js").write_text(
        f"window.RUNINBROWSER_RUNTIME = {json.dumps(runtime)};\n", encoding="ascii"
    )
    (out / "sources.js").write_text(
        f"window.RUNINBROWSER_SOURCES = {json.dumps(package_sources(app))};\n", encoding="ascii"
    )
    (out / "LICENSE-pyodide.txt").write_bytes(files["LICENSE"])


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
        # page is rebuilt whenever autograd/workbook.py changes.
        workbook = importlib.import_module("autograd.workbook")
        self.env.note_dependency(str(Path(workbook.__file__).resolve()))
        node = nodes.raw("", workbook_editor_html(workbook.STARTER), format="html")
        node["workbook_editor"] = True  # not a class: docutils would wrap it in one more div
        return [node]


def add_workbook_script(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
) -> None:
    """workbook.js on the pages that have an editor, after runinbrowser.js (priority 500)."""
    if doctree is not None and any(
        node.get("workbook_editor") for node in doctree.findall(nodes.raw)
    ):
        app.add_js_file("workbook.js", priority=510)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx.ext.doctest")
    app.add_config_value("runinbrowser_packages", ["autograd"], "html", types=frozenset({list}))
    app.add_config_value("runinbrowser_pyodide", "vendor/pyodide", "html", types=frozenset({str}))
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", check_runtime)
    app.connect("env-get-outdated", outdated_pages)
    app.connect("doctree-resolved", add_page_data)
    app.connect("build-finished", write_runtime)
    app.add_directive("workbook-editor", WorkbookEditor)
    app.connect("html-page-context", add_workbook_script)
    app.add_js_file("runinbrowser.js")
    app.add_css_file("runinbrowser.css")
    # Pages are processed one at a time in the main process when writing.
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": False}
