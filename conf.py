"""Sphinx configuration for the book.

This file sits at the repository root and the chapters in docs/, so every builder is run as
``sphinx-build -M <builder> docs _build -c .`` (the Makefile and tox.ini do that). Two bases
for paths follow: ``exclude_patterns`` is relative to docs/, while ``html_static_path`` and
``templates_path`` are relative to this file.
"""

from __future__ import annotations

import doctest
import logging
import os
import shutil
import sys
from pathlib import Path

import sphinx_copybutton

ROOT = Path(__file__).resolve().parent
# The package is importable for autodoc and the executed examples even without an install.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

project = "autograd: backpropagation from first principles"
author = "The autograd authors"
copyright = "2026, the autograd authors"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.graphviz",
    "sphinx.ext.mathjax",
    "runmodule",
    "autograd_graph",
    "excerpt",  # literalinclude with :no-docstring:, for excerpts that show code only
    # Python in the page, offline: Pyodide vendored in vendor/pyodide/, checked by SHA-256.
    "pyodide_runtime",
    # Run / Edit buttons: every executed example runs in the reader's browser.
    "runinbrowser",
    # The workbook's editor and Check button (docs/workbook.md).
    "workbook_editor",
    "sphinx_copybutton",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
# Relative to docs/. (The figures that executed scripts write go to the build directory.)
exclude_patterns = ["_build", "_ext", "_static", "**/.ipynb_checkpoints"]

# -- MyST ------------------------------------------------------------------------------
myst_enable_extensions = [
    "dollarmath",  # $x$ and $$...$$ for the derivations
    "amsmath",  # \begin{align} ... \end{align} blocks
    "colon_fence",  # :::{note} admonitions that read well as plain Markdown
    "deflist",  # glossary-style definition lists
    "attrs_inline",  # {.class} on inline elements
]
# Chapters link to each other's sections as [text](chapter.md#anchor).
myst_heading_anchors = 3
# MathJax typesets only what MyST marks as math. MyST writes these classes into the
# MathJax configuration when the builder starts; setting both here, from one constant, makes
# that write a no-op, so the configuration Sphinx saves with a build equals the one it reads
# from this file next time, and incremental builds do not report a changed configuration.
MATHJAX_CLASSES = "tex2jax_process|mathjax_process|math|output_area"
myst_mathjax_classes = MATHJAX_CLASSES
mathjax4_config = {"options": {"processHtmlClass": MATHJAX_CLASSES}}


# -- A quiet build log -------------------------------------------------------------------
class _Hide(logging.Filter):
    """Drop the log records whose message contains ``text``; keep every other record."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.text not in record.getMessage()


# myst-parser logs its whole configuration, about 1,000 characters, on every build.
logging.getLogger("sphinx.myst_parser.sphinx_ext.main").addFilter(_Hide("MdParserConfig("))
# furo registers its option pygments_dark_style only when the HTML builder starts, after
# Sphinx has compared this configuration with the one saved by the last build, so every
# incremental build reported that option as changed (furo refuses to be listed in
# `extensions`, which would register it in time). Sphinx cannot see that option change at
# that point either way, so the message carries no information.
logging.getLogger("sphinx.sphinx.environment").addFilter(
    _Hide("The configuration has changed (1 option: 'pygments_dark_style')")
)


# -- Executed examples -----------------------------------------------------------------
# Sphinx's default also has IGNORE_EXCEPTION_DETAIL, which would let a chapter print a stale
# error message and still pass; the book's messages are part of what it teaches, so they
# are checked like any other output.
doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1


# -- Autodoc ---------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True}
# Signatures name NumPy's array types by their aliases, not as
# ndarray[tuple[Any, ...], dtype[float64]] (the modules use `from __future__ import annotations`,
# which these names need).
autodoc_type_aliases = {
    "Array": "autograd.tensor.Array",
    "Labels": "autograd.train_digits.Labels",
    "Counts": "autograd.train_digits.Counts",
}
# ...and every type in a signature by its own name (Array, not autograd.tensor.Array): the
# name still links to its entry.
python_use_unqualified_type_names = True
# Builds are nitpicky (-n) and offline (no intersphinx), so a standard-library type in a
# signature (Sequence, random.Random, argparse.ArgumentParser) has no target to link to:
# that is expected, while a missing target of our own stays an error.
nitpick_ignore_regex = [
    (
        r"py:(class|obj|exc|func|data|mod)",
        r"(argparse|collections\.abc|typing|random|math|numbers|pathlib|numpy)\..*",
    ),
]

# -- Graphs ----------------------------------------------------------------------------
# A system Graphviz when there is one; otherwise the self-contained renderer that the docs
# extra installs next to this Python (it only supports SVG output, which is what we use).
graphviz_output_format = "svg"
_bin_dir = Path(sys.executable).parent
graphviz_dot = shutil.which("dot") or str(
    _bin_dir / ("graphviz-pure.exe" if os.name == "nt" else "graphviz-pure")
)

# -- HTML ------------------------------------------------------------------------------
html_theme = "furo"
html_title = "autograd: backpropagation from first principles"
# Every folder of static files is listed here, the extensions' too: sphinx-copybutton (and
# pyodide_runtime when a project does not list it) append theirs when the builder starts, after
# Sphinx has compared this configuration with the one it saved, so a path added there would
# make every incremental build report "The configuration has changed". With the paths listed
# here, _keep_static_path_as_listed (below) removes the copy an extension appends.
html_static_path = [
    "docs/_static",
    "docs/_ext/runinbrowser_static",  # Python in the page (docs/_ext/pyodide_runtime.py)
    str(Path(sphinx_copybutton.__file__).parent / "_static"),
]
# With its priority spelled out: Sphinx fills in the default (800) in this very dict when
# it builds, and the changed dict, saved with the build, would differ from this file's.
html_css_files = [("custom.css", {"priority": 800})]
# After documentation_options.js (priority 200), whose settings it adjusts for file://.
html_js_files = [("search_file_url.js", {"priority": 300})]
# MathJax from the book itself, not a CDN, so the math renders offline.
mathjax_path = "mathjax/tex-svg.js"
html_show_sourcelink = False
html_copy_source = False

# -- Copy buttons ----------------------------------------------------------------------
# Copying a {doctest} block gives only its code: the >>> and ... prompts are stripped and
# the output lines (those without a prompt) are left out, so the text pastes into `python`.
copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True


def _keep_static_path_as_listed(app) -> None:
    """Drop the duplicates that extensions append to ``html_static_path`` at builder-inited."""
    seen: set[str] = set()
    kept = []
    for path in app.config.html_static_path:
        key = str((Path(app.confdir) / path).resolve())
        if key not in seen:
            seen.add(key)
            kept.append(path)
    app.config.html_static_path[:] = kept


def setup(app) -> None:
    # After sphinx-copybutton's own builder-inited handler (default priority 500).
    app.connect("builder-inited", _keep_static_path_as_listed, priority=900)
