"""The book prints the same on every machine: no output rests on the last bits of a math library.

``make doctest`` checks the book's outputs on this machine only. Another machine's C math
library (macOS's, Windows', the browser's WebAssembly one, or glibc on another CPU) may
return ``math.tanh``, ``exp``, ``log`` one unit in the last place away from ours, and
PyTorch's kernels differ by CPU; an output that compares such results with ``==``, counts
their last-bit differences or prints their rounding noise digit for digit is then wrong
there. These tests run every example of every chapter, and every docstring example of the
package, under tools/book_examples.py's ``another_math_library``, which makes ``math``'s
functions round like such a machine; each must still print the book's output. Two
different roundings are tried, as a difference that one of them misses, the other finds.
(It does not reach PyTorch's kernels: ``ATEN_CPU_CAPABILITY=default make doctest`` is the
second opinion for those.)
"""

from __future__ import annotations

import ast
import doctest
import importlib
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from book_examples import (  # noqa: E402
    DEFAULT_FLAGS,
    another_math_library,
    chapter_units,
    chapters,
)
from runinbrowser_runner import PageRunner  # noqa: E402

SALTS = (1, 2)
CHAPTERS = [path for path in chapters() if chapter_units(path)]
MODULES = sorted(
    f"autograd.{path.stem}" for path in (ROOT / "autograd").glob("*.py") if path.stem != "__main__"
)


def run_chapter(path: Path, salt: int | None) -> list[str]:
    """Every block of the chapter, in order; a line per block that did not print the book's."""
    units = chapter_units(path)
    runner = PageRunner({"default_flags": DEFAULT_FLAGS, "units": units})
    if salt is None:
        results = runner.run(len(units) - 1)
    else:
        with another_math_library(salt):
            results = runner.run(len(units) - 1)
    return [
        f"{path.name}, block {r['index']} ({units[r['index']]['code'][:60]!r}...):\n{r['diff']}"
        for r in results
        if r["status"] not in ("match", "skipped")
    ]


def exact_comparisons(units: list[dict]) -> list[str]:
    """``==`` and ``!=`` between computed values in the blocks that use PyTorch.

    PyTorch picks its kernels by CPU (vectorized or not, fused multiply-add or not), so a
    torch result compared exactly with ours holds on some machines and not on others. A
    comparison with a string or None (``node._op == "tanh"``) is not about rounding.
    """
    found = []
    for unit in units:
        if "torch" not in (unit["skipif"] or "") and "import torch" not in unit["code"]:
            continue
        if unit["type"] == "doctest":
            sources = [e.source for e in doctest.DocTestParser().get_examples(unit["code"])]
        else:
            sources = [unit["code"]]
        for source in sources:
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.Compare):
                    continue
                if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
                    continue
                operands = [node.left, *node.comparators]
                if any(
                    isinstance(o, ast.Constant) and (o.value is None or isinstance(o.value, str))
                    for o in operands
                ):
                    continue
                found.append(f"{unit['id']}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_no_exact_comparison_with_torch(path: Path) -> None:
    """Compare torch's floats with ours within a bound (``abs(a - b) <= ...``), never ``==``."""
    assert exact_comparisons(chapter_units(path)) == []


def test_the_exact_comparison_check_finds_them(tmp_path: Path) -> None:
    chapter = tmp_path / "torch.md"
    chapter.write_text(
        '```{doctest}\n:skipif: __import__("importlib").util.find_spec("torch") is None\n\n'
        ">>> import torch\n>>> t = torch.tensor(0.5).tanh().item()\n"
        ">>> t == math.tanh(0.5), [n for n in nodes if n._op == 'tanh']\n(True, [])\n"
        ">>> abs(t - math.tanh(0.5)) <= math.ulp(1.0)\nTrue\n```\n",
        encoding="utf-8",
    )
    assert exact_comparisons(chapter_units(chapter)) == ["torch-0: t == math.tanh(0.5)"]


def test_the_flags_are_conf_pys() -> None:
    conf = {"__file__": str(ROOT / "conf.py")}
    exec(compile((ROOT / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec"), conf)
    assert conf["doctest_default_flags"] == DEFAULT_FLAGS


def test_every_executed_block_is_read() -> None:
    """As many blocks as the chapters have test fences (the browser test compares the text)."""
    total = sum(len(chapter_units(path)) for path in chapters())
    fences = sum(
        path.read_text(encoding="utf-8").count(f"```{{{kind}}}")
        for path in chapters()
        for kind in ("doctest", "testcode", "testsetup")
    )
    assert total == fences >= 150


def test_another_math_library_rounds_differently_and_exactly_where_it_must() -> None:
    inputs = [0.1 * k for k in range(1, 200)]
    with another_math_library(1):
        shifted = [math.tanh(x) for x in inputs]
        assert math.tanh(0.0) == 0.0 and math.exp(0.0) == 1.0 and math.log(1.0) == 0.0
        with pytest.raises(OverflowError):
            math.exp(1000.0)
        with pytest.raises(ValueError):
            math.log(0.0)
    exact = [math.tanh(x) for x in inputs]
    gaps = [abs(a - b) / math.ulp(b) for a, b in zip(shifted, exact)]
    assert set(gaps) <= {0.0, 1.0}
    assert 0.2 < sum(gaps) / len(gaps) < 0.9  # about two inputs in three move by one ulp
    with another_math_library(1):
        assert [math.tanh(x) for x in inputs] == shifted  # the same choice every time


def test_it_catches_an_output_that_rests_on_last_bits(tmp_path: Path) -> None:
    """A chapter that prints rounding noise, or compares tanh's results exactly, is caught."""
    chapter = tmp_path / "noise.md"
    chapter.write_text(
        "```{doctest}\n>>> import math\n>>> math.tanh(0.5) + math.tanh(0.25)\n"
        f"{math.tanh(0.5) + math.tanh(0.25)!r}\n```\n\n"
        "```{doctest}\n>>> from autograd import Value\n>>> x = Value(0.7)\n"
        ">>> (x.tanh() * 3).data == 3 * math.tanh(0.7)\nTrue\n"
        ">>> abs((x.tanh() * 3).data - 3 * math.tanh(0.7)) < 1e-15\nTrue\n```\n",
        encoding="utf-8",
    )
    assert run_chapter(chapter, None) == []
    caught = run_chapter(chapter, 1) + run_chapter(chapter, 2)
    assert any("block 0" in line for line in caught), caught


@pytest.mark.parametrize("salt", SALTS)
@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_chapter_prints_the_same_with_another_math_library(path: Path, salt: int) -> None:
    problems = run_chapter(path, salt)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("salt", SALTS)
@pytest.mark.parametrize("name", MODULES)
def test_docstrings_print_the_same_with_another_math_library(name: str, salt: int) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=DEFAULT_FLAGS)
    report: list[str] = []
    with another_math_library(salt):
        for test in doctest.DocTestFinder().find(module, name):
            runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
