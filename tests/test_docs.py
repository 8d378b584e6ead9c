"""Guards for the book's excerpts that Sphinx itself cannot check.

``:emphasize-lines:`` counts lines from the start of a ``:pyobject:`` excerpt: the docstring
included, or, with our ``:no-docstring:`` option (docs/_ext/excerpt.py), the lines that are
shown. If the code grows, the highlight silently moves to the wrong line, and Sphinx gives
no warning. These tests pin each highlight to the line it is meant to mark, and check that
``:no-docstring:`` really drops the docstring, in a real Sphinx build.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVE = re.compile(r"^```\{literalinclude\} (\S+)\n((?::[\w-]+:.*\n)+)", re.M)


def highlighted_excerpts() -> list[tuple[str, str, str, list[str]]]:
    """(chapter, file, object, emphasized lines) for each highlighted :pyobject: excerpt."""
    found = []
    for chapter in sorted((ROOT / "docs").glob("*.md")):
        for match in DIRECTIVE.finditer(chapter.read_text()):
            options = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", match.group(2), flags=re.M))
            if "pyobject" not in options or "emphasize-lines" not in options:
                continue
            source = excerpt_source(chapter, match.group(1), options)
            lines = excerpt_lines(source, options["pyobject"], "no-docstring" in options)
            wanted = []
            for part in options["emphasize-lines"].split(","):
                first, _, last = part.strip().partition("-")
                wanted += range(int(first), int(last or first) + 1)
            found.append(
                (chapter.name, source.name, options["pyobject"], [lines[n - 1] for n in wanted])
            )
    return found


def excerpt_source(chapter: Path, argument: str, options: dict[str, str]) -> Path:
    """The file an excerpt reads: relative to the chapter, or, with ``:installed:``, a file
    of the installed package its path starts with (micrograd's engine, for instance)."""
    if "installed" not in options:
        return (chapter.parent / argument).resolve()
    package, _, inner = argument.partition("/")
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, f"{package} is not installed"
    return Path(list(spec.submodule_search_locations)[0]) / inner


def excerpt_lines(source: Path, dotted_name: str, no_docstring: bool = False) -> list[str]:
    """The lines Sphinx shows for ``:pyobject: dotted_name`` of ``source``.

    With ``no_docstring``, the docstring and the blank lines after it are left out, as the
    ``:no-docstring:`` option does. (Computed here with ``ast`` on its own, so this test
    does not simply repeat the extension's code; ``test_no_docstring_in_a_real_build``
    checks that the two agree.)
    """
    lines = source.read_text().splitlines()
    body = ast.parse(source.read_text()).body
    node = None
    for name in dotted_name.split("."):
        node = next(n for n in body if getattr(n, "name", None) == name)
        body = getattr(node, "body", [])
    shown = list(range(node.lineno - 1, node.end_lineno))
    if no_docstring:
        docstring = node.body[0]
        assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
        gone = set(range(docstring.lineno - 1, docstring.end_lineno))
        after = docstring.end_lineno
        while not lines[after].strip():
            gone.add(after)
            after += 1
        shown = [n for n in shown if n not in gone]
    return [lines[n] for n in shown]


EXCERPTS = highlighted_excerpts()


def test_the_book_has_highlighted_excerpts() -> None:
    assert len(EXCERPTS) >= 10


@pytest.mark.parametrize(
    ("chapter", "source", "name", "lines"),
    EXCERPTS,
    ids=[f"{c}:{n}" for c, _, n, _ in EXCERPTS],
)
def test_highlights_mark_the_lines_they_are_meant_to(chapter, source, name, lines) -> None:
    if name == "Value.backward":
        # The highlights in backward() mark its code, never its docstring.
        assert all(line.strip() and not line.strip().startswith(">>>") for line in lines)
        marked = ("_backward(node.grad)", "topological_order", "node.grad = 0.0")
        assert any(mark in line for line in lines for mark in marked), lines
    elif name == "SGD.step":
        # The optimizers chapter marks what momentum adds: its block, and nothing else.
        assert lines[0].strip() == "if self.momentum != 0:", lines
        assert lines[-1].strip() == "grad = buffer", lines
    else:
        # In an operation, the highlight marks the chain-rule lines.
        assert all(".grad +=" in line for line in lines), lines


def test_excerpts_show_code_only() -> None:
    """Every :pyobject: excerpt of an object that has a docstring shows code only.

    The docstring stays in the source for help() and the API page; in a chapter, the prose
    around an excerpt does its job, and a docstring before the code only delays it.
    """
    for chapter in sorted((ROOT / "docs").glob("*.md")):
        for match in DIRECTIVE.finditer(chapter.read_text()):
            options = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", match.group(2), flags=re.M))
            name = options.get("pyobject", "")
            source = excerpt_source(chapter, match.group(1), options)
            if not name or not has_docstring(source, name):
                continue
            if "start-at" in options or "start-after" in options:
                continue  # the excerpt starts inside the body, after the docstring
            assert "no-docstring" in options, f"{chapter.name}: {name} shows its docstring"


def has_docstring(source: Path, dotted_name: str) -> bool:
    body = ast.parse(source.read_text()).body
    for name in dotted_name.split("."):
        node = next(n for n in body if getattr(n, "name", None) == name)
        body = node.body
    return ast.get_docstring(node) is not None


def literal_blocks(tmp_path: Path, page: str) -> tuple[list, str]:
    """Build a one-page Sphinx project that uses our extension: its code blocks, warnings."""
    import io

    from docutils import nodes
    from sphinx.application import Sphinx

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'docs' / '_ext')!r})\n"
        "extensions = ['myst_parser', 'excerpt']\n"
    )
    # literalinclude paths are relative to the page, as in the chapters.
    (source / "index.md").write_text(page.replace("ENGINE", os.path.relpath(ENGINE, source)))
    warnings = io.StringIO()
    app = Sphinx(
        str(source),
        str(source),
        str(tmp_path / "out"),
        str(tmp_path / "doctrees"),
        "html",
        status=None,
        warning=warnings,
        freshenv=True,
    )
    app.build()
    doctree = app.env.get_doctree("index")
    return list(doctree.findall(nodes.literal_block)), warnings.getvalue()


ENGINE = ROOT / "autograd" / "engine.py"


def test_no_docstring_in_a_real_build(tmp_path: Path) -> None:
    page = (
        "# Excerpts\n\n"
        "```{literalinclude} ENGINE\n:pyobject: Value.__mul__\n:no-docstring:\n"
        ":dedent:\n:emphasize-lines: 6-7\n```\n\n"
        "```{literalinclude} ENGINE\n:pyobject: Value.backward\n```\n"
    )
    (code_only, whole), warnings = literal_blocks(tmp_path, page)
    assert not warnings
    shown = code_only.astext().splitlines()
    # The def line, then code: no docstring line, no doctest, no gap.
    assert shown[0] == "def __mul__(self, other: Value | float) -> Value:"
    assert shown[1].strip().startswith("other = ")
    assert not any('"""' in line or ">>>" in line for line in shown)
    # :dedent: still applies, and the highlights count the shown lines.
    assert not shown[0].startswith(" ")
    marked = [shown[n - 1] for n in code_only["highlight_args"]["hl_lines"]]
    assert [line.strip() for line in marked] == [
        "self.grad += other.data * out_grad",
        "other.grad += self.data * out_grad",
    ]
    # The guard above computes the same lines on its own.
    expected = excerpt_lines(ROOT / "autograd" / "engine.py", "Value.__mul__", True)
    assert shown == [line.removeprefix("    ") for line in expected]
    # Without the option, literalinclude is unchanged: the docstring is there.
    assert '"""' in whole.astext() and ">>>" in whole.astext()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (":pyobject: Value.__init__\n:no-docstring:\n", "has no docstring"),
        (":no-docstring:\n", "needs :pyobject:"),
        (":pyobject: Value.__mul__\n:no-docstring:\n:lineno-match:\n", "lineno-match"),
        (":pyobject: Value.__mul__\n:no-docstring:\n:start-after: out =\n", "start-after"),
    ],
)
def test_no_docstring_refuses_what_it_cannot_do(tmp_path: Path, options, message) -> None:
    page = "# Excerpt\n\n```{literalinclude} ENGINE\n" + options + "```\n"
    blocks, warnings = literal_blocks(tmp_path, page)
    # A warning (fatal in the book's -W build) that says why, and no excerpt.
    assert message in warnings
    assert blocks == []


def test_installed_excerpt_reads_the_real_micrograd(tmp_path: Path) -> None:
    page = (
        "# micrograd\n\n```{literalinclude} micrograd/engine.py\n:installed:\n"
        ":pyobject: Value.__mul__\n:dedent: 4\n:emphasize-lines: 6-7\n```\n"
    )
    (block,), warnings = literal_blocks(tmp_path, page)
    # (A second Sphinx app in one process warns that extensions are registered again.)
    assert all("already registered" in line for line in warnings.splitlines()), warnings
    shown = block.astext().splitlines()
    assert shown[0] == "def __mul__(self, other):"
    marked = [shown[n - 1].strip() for n in block["highlight_args"]["hl_lines"]]
    assert marked == ["self.grad += other.data * out.grad", "other.grad += self.data * out.grad"]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("no_such_package_here/engine.py", "is 'no_such_package_here' installed"),
        ("micrograd", "needs package/file"),
        ("micrograd/no_such_file.py", "has no file 'no_such_file.py'"),
    ],
)
def test_installed_excerpt_refuses_what_is_not_there(tmp_path: Path, argument, message) -> None:
    page = f"# Excerpt\n\n```{{literalinclude}} {argument}\n:installed:\n```\n"
    blocks, warnings = literal_blocks(tmp_path, page)
    assert message in warnings
    assert blocks == []
