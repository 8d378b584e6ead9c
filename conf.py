"""Sphinx configuration for the book.

This file sits at the repository root and the chapters in docs/, so every builder is run as
``sphinx-build -M <builder> docs _build -c .`` (the Makefile and tox.ini do that). Two bases
for paths follow: ``exclude_patterns`` is relative to docs/, while ``html_static_path`` and
``templates_path`` are relative to this file.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

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
    # Run / Edit buttons: every executed example runs in the reader's browser, offline
    # (Pyodide vendored in vendor/pyodide/; see docs/_ext/runinbrowser.py).
    "runinbrowser",
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


# -- Autodoc ---------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True}
# Builds are nitpicky (-n) and offline (no intersphinx), so a standard-library type in a
# signature (Sequence, random.Random) has no target to link to: that is expected, while a
# missing target of our own stays an error.
nitpick_ignore_regex = [
    (
        r"py:(class|obj|exc|func|data|mod)",
        r"(argparse|collections\.abc|typing|random|math|numbers)\..*",
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
html_static_path = ["docs/_static"]
html_css_files = ["custom.css"]
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
