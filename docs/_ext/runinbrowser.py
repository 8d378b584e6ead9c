"""Run and Edit buttons on the book's examples, run in the reader's browser.

One job: the example runner. Every block that ``sphinx-build -b doctest`` runs
(``{doctest}``, ``{testcode}`` with its ``{testoutput}``, docstring examples on the API
page) gets a Run and an Edit button in the HTML book. Run executes the block in the page's
Python (provided by the ``pyodide_runtime`` extension) after the page's earlier blocks, as
the doctest builder does, and shows whether the output is the book's
(``runinbrowser_runner.py`` does that in the page; ``runinbrowser.js`` is the buttons).

What the build does here: at ``doctree-resolved`` it records each block's original text
(before ``trim_doctest_flags`` removes ``<BLANKLINE>`` and ``# doctest:`` comments from the
page), its expected output, option flags, ``:skipif:`` condition and groups, in page order,
as a JSON script tag at the end of the page; each visible block gets an id the buttons
attach to. Blocks that need PyTorch are found from the chapters themselves (their
``:skipif:`` tests for torch, or they import it); a docstring example needs what its
module imports at the top (NumPy for ``autograd.tensor``).

A block whose output is expected to differ in the browser says so in the chapter, with the
reason shown to the reader, through the ``browser-difference`` option that this extension
adds to ``{doctest}`` and ``{testcode}``::

    ```{doctest}
    ---
    browser-difference: >
      In the browser, math.tanh comes from WebAssembly's C library, ...
    ---
    >>> ...
    ```
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from pyodide_runtime import MODULES_EVENT, is_html
from runinbrowser_runner import plain_code
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.ext.doctest import DoctestDirective, TestcodeDirective
from sphinx.util.typing import ExtensionMetadata, OptionSpec

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "runinbrowser_runner.py"
DIFFERENCE_OPTION = "browser-difference"
#: What a block needs that no browser has (a second process, say), in the chapter's words.
NEEDS_OPTION = "browser-needs"

# Import statements in a block, prompts or not: `from x...` or `import x.y as z, w`.
IMPORT = re.compile(r"^\s*(?:>>>\s*|\.\.\.\s*)?(?:from\s+(\w+)|import\s+([\w., ]+))", re.M)
# The browser has the standard library and this build's packages, nothing else.
PACKAGE_NAMES = {"torch": "PyTorch", "numpy": "NumPy", "matplotlib": "Matplotlib"}


def outdated_pages(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """Every page, when this extension or its runner changed since the last build.

    Sphinx rebuilds a page when its source changes, not when an extension does; the page
    data written here (the runner's view of a block) would go stale.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes() + RUNNER.read_bytes()).hexdigest()
    if getattr(env, "runinbrowser_digest", None) == digest:
        return []
    env.runinbrowser_digest = digest
    return sorted(env.found_docs)


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


# The dotted module names a block imports: `from a.b import c` and `import a.b` give a.b.
DOTTED_IMPORT = re.compile(r"^\s*(?:>>>\s*|\.\.\.\s*)?(?:from|import)\s+([\w.]+)", re.M)


def top_level_imports(source: str) -> list[str]:
    """The modules a module's body imports (``ast``: not those inside functions or strings)."""
    names = []
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.Import):
            names += [alias.name for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            names.append(statement.module)
    return names


def module_needs(module: str, packages: list[str], seen: frozenset[str] = frozenset()) -> str:
    """What importing ``module`` needs that the browser lacks ('' if nothing or not found).

    Its own imports count, and those of this build's modules that it imports in turn.
    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return ""
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return ""
    imported = top_level_imports(Path(spec.origin).read_text(encoding="utf-8"))
    code = "\n".join(f"import {name}" for name in imported)
    found = needs({"skipif": None, "code": code}, packages)
    for name in imported:
        if found:
            break
        if name.split(".")[0] in packages and name not in seen and "." in name:
            found = module_needs(name, packages, seen | {module})
    return found


def documented_module(node: nodes.Node) -> str:
    """The module of the autodoc entry a docstring example sits in ('' outside one)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.desc):
            for signature in parent.findall(addnodes.desc_signature):
                if signature.get("module"):
                    return signature["module"]
        parent = parent.parent
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
        # A module of this build can itself need what the browser lacks (autograd.tensor
        # imports NumPy): so does a block importing it, and a docstring example on the API
        # page, which uses its module's names without importing them.
        modules = [m for m in DOTTED_IMPORT.findall(unit["code"]) if "." in m]
        if isinstance(node, nodes.doctest_block):
            modules.append(documented_module(node))
        for module in filter(None, modules):
            unit["needs"] = unit["needs"] or module_needs(module, config.runinbrowser_packages)
        unit["plain"] = plain_code(unit)
        if node.get(DIFFERENCE_OPTION):
            unit["expected_difference"] = node[DIFFERENCE_OPTION]
        if node.get(NEEDS_OPTION):
            unit["needs"] = node[NEEDS_OPTION]
        units.append(unit)
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


# ``:browser-difference: <reason>`` and ``:browser-needs: <what>`` on {doctest} and
# {testcode}: kept on the block's node, where page_units finds them; the doctest builder
# ignores them, so the book's check is unchanged.
DIFFERENCE_SPEC: OptionSpec = {
    DIFFERENCE_OPTION: directives.unchanged_required,
    NEEDS_OPTION: directives.unchanged_required,
}


def keep_difference(result: list[nodes.Node], options: dict[str, Any]) -> list[nodes.Node]:
    for option in (DIFFERENCE_OPTION, NEEDS_OPTION):
        text = " ".join(options.get(option, "").split())
        for node in result:
            if text and isinstance(node, nodes.Element):
                node[option] = text
    return result


class Doctest(DoctestDirective):
    option_spec: ClassVar[OptionSpec] = DoctestDirective.option_spec | DIFFERENCE_SPEC

    def run(self) -> list[nodes.Node]:
        return keep_difference(super().run(), self.options)


class Testcode(TestcodeDirective):
    option_spec: ClassVar[OptionSpec] = TestcodeDirective.option_spec | DIFFERENCE_SPEC

    def run(self) -> list[nodes.Node]:
        return keep_difference(super().run(), self.options)


def runner_module(app: Sphinx) -> list[Path]:
    """The Python module that runs the examples in the page (see pyodide_runtime)."""
    return [RUNNER]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx.ext.doctest")
    app.setup_extension("pyodide_runtime")
    app.add_directive("doctest", Doctest, override=True)
    app.add_directive("testcode", Testcode, override=True)
    app.connect("env-get-outdated", outdated_pages)
    app.connect("doctree-resolved", add_page_data)
    app.connect(MODULES_EVENT, runner_module)
    app.add_js_file("runinbrowser.js")
    # Pages are processed one at a time in the main process when writing.
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": False}
