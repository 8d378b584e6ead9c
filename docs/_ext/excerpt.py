"""``literalinclude`` with two more options: ``:no-docstring:``, for excerpts that show code
only, and ``:installed:``, for excerpts of an installed package (the real micrograd).

Usage in a MyST chapter::

    ```{literalinclude} ../autograd/engine.py
    :pyobject: Value.backward
    :no-docstring:
    :emphasize-lines: 6-7
    ```

The chapters follow every excerpt with an executed example of their own, so the docstring
and its doctest, which stay in the source for ``help()`` and the API page, are noise on the
page: ``backward()`` would open with 18 docstring lines before 7 lines of code. With
``:no-docstring:`` the excerpt is still found by ``:pyobject:`` (a renamed object still
fails the strict build) and loses its docstring and the blank lines right after it.
``:dedent:`` and ``:emphasize-lines:`` work as usual, and ``:emphasize-lines:`` counts the
lines that are shown: line 1 is the ``def`` line, line 2 the first line of code.

The option cannot be combined with the options that pick lines themselves (``:lines:``,
``:start-after:``, ``:start-at:``, ``:end-before:``, ``:end-at:``, ``:diff:``) or with
``:lineno-match:`` (the shown lines are no longer one block of the file). It needs
``:pyobject:``, and an object without a docstring is an error, so the option never sits in
a chapter doing nothing.

``:installed:`` reads the path as a file of an installed package, found on this Python's
import path (without importing it): the first part names the package, the rest is the file
inside it. The book shows micrograd's own code this way, pulled from the pinned
``micrograd==0.1.0`` that the docs extra installs, instead of a copy pasted into a chapter::

    ```{literalinclude} micrograd/engine.py
    :installed:
    :pyobject: Value.__mul__
    ```

A package that is not installed is a warning (fatal under ``-W``), as a missing file is.
"""

from __future__ import annotations

import ast
import importlib.util
import os
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.typing import ExtensionMetadata, OptionSpec

CONFLICTING_OPTIONS = (
    "lines",
    "start-after",
    "start-at",
    "end-before",
    "end-at",
    "diff",
    "lineno-match",
)


def docstring_lines(source: Path, dotted_name: str) -> tuple[int, int]:
    """First and last line (1-based, in the file) of the docstring of ``dotted_name``.

    The blank lines right after the docstring are counted in, so that the code shown
    without it does not start with a gap. Raises ValueError if the object is not found or
    has no docstring.
    """
    text = source.read_text(encoding="utf-8")
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    body = ast.parse(text).body
    node = None
    for name in dotted_name.split("."):
        node = next((n for n in body if isinstance(n, definitions) and n.name == name), None)
        if node is None:
            raise ValueError(f"no object named {dotted_name!r} in {source.name}")
        body = node.body
    first = body[0]
    if not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        raise ValueError(f":no-docstring: given, but {dotted_name!r} has no docstring")
    if first.lineno == node.lineno:
        raise ValueError(f"the docstring of {dotted_name!r} shares a line with its code")
    lines = text.splitlines()
    last = first.end_lineno or first.lineno
    while last < len(lines) and not lines[last].strip():
        last += 1
    return first.lineno, last


def shown_lines(source: Path, dotted_name: str) -> list[int]:
    """The lines of the ``:pyobject:`` excerpt that ``:no-docstring:`` keeps, numbered from 1
    within the excerpt (the numbering Sphinx's ``:lines:`` uses for a pyobject excerpt)."""
    tags = ModuleAnalyzer.for_file(str(source), "").find_tags()
    if dotted_name not in tags:
        raise ValueError(f"no object named {dotted_name!r} in {source.name}")
    _, start, end = tags[dotted_name]
    doc_first, doc_last = docstring_lines(source, dotted_name)
    return [n - start + 1 for n in range(start, end + 1) if not doc_first <= n <= doc_last]


def installed_file(argument: str) -> Path:
    """The file ``package/inner/path.py`` of the installed ``package``; ValueError if missing."""
    package, _, inner = argument.partition("/")
    spec = importlib.util.find_spec(package) if package.isidentifier() else None
    if spec is None or not spec.submodule_search_locations or not inner:
        raise ValueError(
            f":installed: needs package/file, with the package installed: {argument!r}"
            f" (is {package!r} installed in this Python?)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / inner
    if not path.is_file():
        raise ValueError(f":installed: {package!r} has no file {inner!r}")
    return path


def line_spec(numbers: list[int]) -> str:
    """``[1, 2, 3, 7, 8]`` as ``"1-3,7-8"``."""
    parts = []
    run_start = previous = numbers[0]
    for number in numbers[1:] + [None]:
        if number != previous + 1:
            parts.append(f"{run_start}-{previous}" if run_start != previous else f"{run_start}")
            run_start = number
        previous = number
    return ",".join(parts)


class Excerpt(LiteralInclude):
    """Sphinx's ``literalinclude``, plus ``:no-docstring:``."""

    option_spec: ClassVar[OptionSpec] = {
        **LiteralInclude.option_spec,
        "no-docstring": directives.flag,
        "installed": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        if "installed" in self.options:
            # literalinclude reads paths relative to the page (and records the file as a
            # dependency, so an upgraded package rebuilds the page).
            page_dir = Path(self.env.doc2path(self.env.docname)).parent
            try:
                path = installed_file(self.arguments[0])
                # ValueError too when there is no relative path (another drive on Windows).
                self.arguments[0] = os.path.relpath(path, page_dir)
            except ValueError as error:
                return [self.state.document.reporter.warning(error, line=self.lineno)]
        if "no-docstring" not in self.options:
            return super().run()
        try:
            self.options["lines"] = self.lines_without_docstring()
        except Exception as error:  # as literalinclude does: a warning, fatal under -W
            return [self.state.document.reporter.warning(error, line=self.lineno)]
        # The rest (reading, :dedent:, :emphasize-lines:, caption) is Sphinx's own, applied
        # to the shown lines. :lines: is counted within a pyobject excerpt.
        return super().run()

    def lines_without_docstring(self) -> str:
        if "pyobject" not in self.options:
            raise ValueError(":no-docstring: needs :pyobject:")
        conflicts = [name for name in CONFLICTING_OPTIONS if name in self.options]
        if conflicts:
            raise ValueError(f":no-docstring: cannot be combined with :{conflicts[0]}:")
        _, filename = self.env.relfn2path(self.arguments[0])
        return line_spec(shown_lines(Path(filename), self.options["pyobject"]))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("literalinclude", Excerpt, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
