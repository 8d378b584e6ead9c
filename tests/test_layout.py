"""The package's layout: imports run one way (engine <- library <- scripts), small modules.

Read from the source with ``ast``, without importing anything, so a rule broken inside a
function (a late import) is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograd"

#: The modules run as programs (``python -m autograd.<name>``); everything else in the
#: package is the library. A script package (the workbook) counts with all its modules.
SCRIPTS = {"verify_gradients", "train_toy", "train_moons", "train_digits", "workbook"}
#: "A module that grows past about 400 lines (the engine aside) is two modules."
MAX_LINES = 400
#: The engines are the book's text, one op per method (the scalar one and the tensor one);
#: the workbook is a package of its own.
LONG_ALLOWED = {"engine", "tensor", "workbook"}


def module_name(path: Path) -> str:
    """``autograd.workbook.check`` for autograd/workbook/check.py, and so on."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def top(module: str) -> str:
    """The part after ``autograd.``: ``train_toy`` for autograd.train_toy, or ``""``."""
    return module.split(".")[1] if module.count(".") >= 1 else ""


def is_script(module: str) -> bool:
    return top(module) in SCRIPTS


def imported_modules(module: str) -> set[str]:
    """Every ``autograd`` module that ``module`` imports, wherever the import statement is."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return imports_in(path.read_text(), package)


def imports_in(source: str, package: str) -> set[str]:
    """The package's modules that ``source``, a module of ``package``, imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x, from .engine import Value
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            found.add(base)
            # from autograd import train_toy imports the module autograd.train_toy
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "autograd" and name in MODULES}


def test_the_layout_test_sees_the_modules_and_their_imports() -> None:
    # A guard for the checks below: they would pass on an empty package.
    assert {"autograd.engine", "autograd.train_toy", "autograd.verify_gradients"} <= set(MODULES)
    assert "autograd.nn" in imported_modules("autograd.train_toy")
    assert imported_modules("autograd.engine") <= {"autograd"}


@pytest.mark.parametrize("module", [m for m in MODULES if not is_script(m)])
def test_the_library_never_imports_a_script(module: str) -> None:
    scripts = {name for name in imported_modules(module) if is_script(name)}
    assert not scripts, f"{module} (library) imports the script(s) {sorted(scripts)}"


@pytest.mark.parametrize("module", [m for m in MODULES if is_script(m)])
def test_no_script_imports_another_script(module: str) -> None:
    others = {
        name for name in imported_modules(module) if is_script(name) and top(name) != top(module)
    }
    assert not others, f"{module} imports the script(s) {sorted(others)}: move what they "
    "share into the library"


def test_the_engine_imports_nothing_from_the_package() -> None:
    assert imported_modules("autograd.engine") <= {"autograd"}


@pytest.mark.parametrize("module", list(MODULES))
def test_each_module_says_its_one_job_first(module: str) -> None:
    docstring = ast.get_docstring(ast.parse(MODULES[module].read_text()))
    assert docstring, f"{module} has no docstring"
    first = docstring.splitlines()[0]
    assert first.endswith(".") and len(first) <= 100, first


@pytest.mark.parametrize(
    "module", [m for m in MODULES if top(m) not in LONG_ALLOWED and m != "autograd"]
)
def test_no_module_outgrows_one_job(module: str) -> None:
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by job"


def test_the_checker_catches_every_way_to_import_a_script() -> None:
    # The rule's own test: each import form below names a script.
    source = """
import autograd.train_moons
from autograd.verify_gradients import main
from autograd import engine, train_toy
from . import workbook

def late():
    from .train_moons import main
"""
    found = imports_in(source, "autograd")
    assert {name for name in found if is_script(name)} == {
        "autograd.train_moons",
        "autograd.verify_gradients",
        "autograd.train_toy",
        "autograd.workbook",
    }
    assert "autograd.engine" in found
