"""The Makefile's first step: a missing or too old Python is one clear line, not a cascade."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_venv(folder: Path, python: str) -> subprocess.CompletedProcess[str]:
    """`make venv PYTHON=...` in a folder holding only the Makefile: no venv exists yet."""
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(folder), f"PYTHON={python}", "venv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_python_that_does_not_run_is_one_line(tmp_path) -> None:
    # A pyenv shim for an unselected version exists but fails, printing its own advice.
    shim = tmp_path / "python3.10"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.10: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    for python in (str(tmp_path / "no-such-python"), str(shim)):
        result = make_venv(tmp_path, python)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"Makefile:{line_of('cannot run')}: *** cannot run '{python}' (not found, or not a"
            " working Python); this project needs Python >= 3.11: run 'make"
            " PYTHON=/path/to/python3.11 ...'.  Stop."
        ]
        assert not (tmp_path / ".venv").exists()


def test_a_python_too_old_is_one_line_with_its_version(tmp_path) -> None:
    old = tmp_path / "python3.10"
    old.write_text('#!/bin/sh\ncase "$2" in *platform*) echo 3.10.13 ;; *) echo False ;; esac\n')
    old.chmod(0o755)
    result = make_venv(tmp_path, str(old))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"Makefile:{line_of('is Python')}: *** '{old}' is Python 3.10.13; this project needs"
        " Python >= 3.11: run 'make PYTHON=/path/to/python3.11 ...'.  Stop."
    ]
    assert not (tmp_path / ".venv").exists()


def line_of(text: str) -> int:
    """The Makefile line holding ``text`` (make names it in the message)."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_pip_install_args_reach_the_install_after_the_constraints(tmp_path) -> None:
    # The README's way to PyTorch's CPU-only wheels; -n prints the commands, runs none.
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    extra = "--extra-index-url https://download.pytorch.org/whl/cpu"
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(tmp_path), f"PYTHON={sys.executable}",
         f"PIP_INSTALL_ARGS={extra}", "venv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    installs = [line for line in result.stdout.splitlines() if "pip install -c" in line]
    assert installs == [
        f".venv/bin/python -m pip install -c constraints.txt {extra}"
        " -e '.[torch,test,docs,lint,bench,browser,tensor]'"
    ]
    assert not (tmp_path / ".venv").exists()


def run_make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_plain_make_lists_the_targets_and_installs_nothing(tmp_path) -> None:
    # A Python that records every call: a plain `make` must not even ask it its version.
    called = tmp_path / "python-was-called"
    python = tmp_path / "python3"
    python.write_text(f"#!/bin/sh\ntouch {called}\nexit 1\n")
    python.chmod(0o755)
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    result = run_make(tmp_path, f"PYTHON={python}")
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    assert {"html", "doctest", "test", "lint", "browser", "check", "venv", "clean"} <= listed
    assert "Chromium" in result.stdout  # what `browser` needs beyond the environment
    assert not called.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Makefile",
        "constraints.txt",
        "pyproject.toml",
        "python3",
    ]


def fake_venv(folder: Path, tools: dict[str, int]) -> Path:
    """A folder with the Makefile and an installed-looking .venv whose tools log and exit."""
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, folder / name)
    log = folder / "calls.log"
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool, status in tools.items():
        script = bin_dir / tool
        script.write_text(f'#!/bin/sh\necho "{tool} $*" >> {log}\nexit {status}\n')
        script.chmod(0o755)
    (folder / ".venv" / ".installed").touch()  # newer than pyproject.toml: no install
    return log


def test_lint_checks_style_formatting_and_types(tmp_path) -> None:
    log = fake_venv(tmp_path, {"python": 1, "ruff": 0, "mypy": 0})
    result = run_make(tmp_path, "lint")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert "ruff check ." in calls
    assert "ruff format --check ." in calls
    assert any(call.startswith("mypy") for call in calls)


def test_lint_fails_when_the_type_check_fails(tmp_path) -> None:
    fake_venv(tmp_path, {"python": 1, "ruff": 0, "mypy": 1})
    assert run_make(tmp_path, "lint").returncode != 0
