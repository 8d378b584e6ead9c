"""conf.py keeps incremental builds quiet and correct: run twice, nothing changed is rebuilt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PAGE = """# {title}

Some math, $x^2$, so that MyST configures MathJax, and a [link]({link}).
"""


def build(project: Path) -> str:
    """One strict HTML build of ``project`` with the book's conf.py; returns the log."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "html", "docs", "_build", "-c", ".",
         "-W", "-n", "--keep-going", "--no-color"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_a_second_build_is_quiet_and_rebuilds_nothing_an_edit_rebuilds_one_page(
    tmp_path,
) -> None:
    pytest.importorskip("myst_parser")
    pytest.importorskip("furo")
    # The book's configuration and extensions, with two small pages instead of the book.
    shutil.copy(ROOT / "conf.py", tmp_path / "conf.py")
    shutil.copytree(ROOT / "docs" / "_ext", tmp_path / "docs" / "_ext")
    shutil.copytree(ROOT / "docs" / "_static", tmp_path / "docs" / "_static")
    # The browser runner's extension checks the vendored Pyodide at every build.
    (tmp_path / "vendor").symlink_to(ROOT / "vendor", target_is_directory=True)
    index = PAGE.format(title="A page", link="other.md#another-page")
    (tmp_path / "docs" / "index.md").write_text(index + "\n```{toctree}\nother\n```\n")
    other = tmp_path / "docs" / "other.md"
    other.write_text(PAGE.format(title="Another page", link="index.md#a-page"))

    first = build(tmp_path)
    assert "building [html]: targets for 2 source files that are out of date" in first
    second = build(tmp_path)
    for log in (first, second):
        assert "MdParserConfig(" not in log  # myst-parser's 1,000-character line
    assert "The configuration has changed" not in second
    assert "building [html]: targets for 0 source files that are out of date" in second
    assert "no targets are out of date" in second

    other.write_text(PAGE.format(title="Another page", link="#another-page"))
    third = build(tmp_path)
    assert "The configuration has changed" not in third
    assert "updating environment: 0 added, 1 changed, 0 removed" in third
    assert "The configuration has changed" not in build(tmp_path)
