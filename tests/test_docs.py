"""Guards for the book's excerpts that Sphinx itself cannot check.

``:emphasize-lines:`` counts lines from the start of a ``:pyobject:`` excerpt, docstring
included. If a docstring grows, the highlight silently moves to the wrong line, and
Sphinx gives no warning. These tests pin each highlight to the line it is meant to mark.
"""

from __future__ import annotations

import ast
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
            source = (chapter.parent / match.group(1)).resolve()
            lines = excerpt_lines(source, options["pyobject"])
            wanted = []
            for part in options["emphasize-lines"].split(","):
                first, _, last = part.strip().partition("-")
                wanted += range(int(first), int(last or first) + 1)
            found.append(
                (chapter.name, source.name, options["pyobject"], [lines[n - 1] for n in wanted])
            )
    return found


def excerpt_lines(source: Path, dotted_name: str) -> list[str]:
    """The lines Sphinx shows for ``:pyobject: dotted_name`` of ``source``."""
    body = ast.parse(source.read_text()).body
    node = None
    for name in dotted_name.split("."):
        node = next(n for n in body if getattr(n, "name", None) == name)
        body = getattr(node, "body", [])
    return source.read_text().splitlines()[node.lineno - 1 : node.end_lineno]


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
        assert any("_backward(node.grad)" in line for line in lines) or any(
            "topological_order" in line for line in lines
        )
    else:
        # In an operation, the highlight marks the chain-rule lines.
        assert all(".grad +=" in line for line in lines), lines
