"""Draw the computational graph of an expression built from real autograd objects.

Usage in a MyST chapter::

    ```{autograd-graph}
    :backward:
    :caption: $e = a \\cdot b + c$ after `e.backward()`

    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    root = a * b + c
    ```

The body is Python, executed at build time in a fresh namespace where ``Value`` (from
``autograd.engine``) is already imported. The directive then takes the variable named by
``:root:`` (default ``root``), calls its ``backward()`` first if ``:backward:`` is given, and
renders ``autograd.draw.to_dot(root, rankdir=...)`` as an SVG through sphinx.ext.graphviz.
Any exception in the body, in ``backward()`` or in ``to_dot`` stops the build with an error.

Options:

``:root:``       name of the variable holding the output node (default ``root``).
``:backward:``   call ``root.backward()`` before drawing, so the picture shows gradients.
``:rankdir:``    Graphviz layout direction: ``LR`` (default), ``TB``, ``RL`` or ``BT``.
``:caption:``    caption under the picture (inline Markdown/math allowed).
``:alt:``        alternative text of the picture.
``:align:``      ``left``, ``center`` or ``right``.
``:name:``       target name to reference the figure.
``:show-code:``  also show the body as a Python block above the picture.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import ClassVar

from directive_errors import build_error
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.ext.graphviz import figure_wrapper, graphviz, html_visit_graphviz
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata, OptionSpec


def rankdir_option(argument: str) -> str:
    # directives.choice lower-cases its argument; Graphviz wants these in upper case.
    value = argument.strip().upper()
    if value not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"{argument!r} is not one of LR, TB, RL, BT")
    return value


def align_option(argument: str) -> str:
    return directives.choice(argument, ("left", "center", "right"))


class AutogradGraph(SphinxDirective):
    """``{autograd-graph}``: run the body, draw ``root`` with ``autograd.draw.to_dot``."""

    has_content = True
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[OptionSpec] = {
        "root": directives.unchanged_required,
        "backward": directives.flag,
        "rankdir": rankdir_option,
        "caption": directives.unchanged,
        "alt": directives.unchanged,
        "align": align_option,
        "name": directives.unchanged,
        "class": directives.class_option,
        "show-code": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        where = "autograd-graph"
        code = "\n".join(self.content)
        if not code.strip():
            raise build_error(self, f"{where}: the directive needs Python code in its body")

        try:
            from autograd import draw, engine
        except Exception:
            raise build_error(
                self,
                f"{where}: cannot import autograd.engine / autograd.draw\n{traceback.format_exc()}",
            ) from None
        # The picture depends on how the engine computes and how draw lays it out.
        for module in (engine, draw):
            if getattr(module, "__file__", None):
                self.env.note_dependency(str(Path(module.__file__).resolve()))

        root_name = self.options.get("root", "root")
        namespace: dict[str, object] = {"__name__": "__autograd_graph__", "Value": engine.Value}
        step = "running the body"
        try:
            exec(compile(code, f"<autograd-graph in {self.env.docname}>", "exec"), namespace)
            if root_name not in namespace:
                raise NameError(f"the body defines no variable named {root_name!r} (see :root:)")
            root = namespace[root_name]
            if "backward" in self.options:
                step = f"calling {root_name}.backward()"
                root.backward()
            step = f"calling autograd.draw.to_dot({root_name})"
            dot = draw.to_dot(root, rankdir=self.options.get("rankdir", "LR"))
            if not isinstance(dot, str) or not dot.strip():
                raise TypeError(f"to_dot returned {type(dot).__name__}, not DOT text")
        except Exception:
            raise build_error(
                self, f"{where}: failed while {step}\n{traceback.format_exc()}"
            ) from None

        node = graphviz()
        node["code"] = dot
        node["options"] = {"docname": self.env.docname}
        node["alt"] = self.options.get("alt", f"Computational graph of {root_name}")
        if "align" in self.options:
            node["align"] = self.options["align"]
        node["classes"] = ["autograd-graph", *self.options.get("class", [])]
        self.set_source_info(node)

        out: list[nodes.Node] = []
        if "show-code" in self.options:
            block = nodes.literal_block(code, code, language="python")
            self.set_source_info(block)
            out.append(block)
        if "caption" in self.options:
            figure = figure_wrapper(self, node, self.options["caption"])
            self.add_name(figure)
            out.append(figure)
        else:
            self.add_name(node)
            out.append(node)
        return out


# The size Graphviz gives a drawing, in points, at the top of the SVG it writes.
SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)pt"')


def html_visit_graphviz_with_width(self, node: graphviz) -> None:
    """Render a graph as sphinx.ext.graphviz does, and tell the stylesheet how wide it is.

    CSS alone cannot know a picture's natural width, so it cannot say "shrink this graph to
    the column, but never below --graph-min-scale of its size, and scroll beyond that". The
    ``<object>`` gets ``style="--graph-width: <natural width>px"``; custom.css does the rest.
    """
    start = len(self.body)
    try:
        html_visit_graphviz(self, node)
    finally:
        # html_visit_graphviz always ends by raising SkipNode, once its HTML is in self.body.
        for i in range(start, len(self.body)):
            tag = self.body[i]
            src = re.match(r'<object data="([^"]+\.svg)"', tag)
            if src is None:
                continue
            svg = Path(self.builder.outdir, self.builder.imagedir, Path(src.group(1)).name)
            try:
                width = SVG_WIDTH.search(svg.read_text(encoding="utf-8")[:2000])
            except OSError:
                width = None
            if width is not None:
                px = float(width.group(1)) * 4 / 3
                style = f'style="--graph-width: {px:.0f}px"'
                self.body[i] = tag.replace("<object ", f"<object {style} ", 1)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx.ext.graphviz")
    app.add_node(graphviz, override=True, html=(html_visit_graphviz_with_width, None))
    app.add_directive("autograd-graph", AutogradGraph)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
