"""Checking one engine: load it in a sandbox, grade the steps in order, fill in the report.

:func:`check_file` is the command line's (a child process, each line printed as soon as it
is known); :func:`check_source` the browser's (this process, under a trace-hook time limit).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd.workbook.catalogue import STEPS
from autograd.workbook.grader import Grader
from autograd.workbook.references import load_torch
from autograd.workbook.report import Report
from autograd.workbook.sandbox import TIME_LIMIT, ChildProcess, InProcess

#: The learner's starting file, a real module of this package so that it is linted too.
STARTER_PATH = Path(__file__).with_name("starter.py")
STARTER = STARTER_PATH.read_text(encoding="utf-8")


def _grade(
    sandbox: Any,
    filename: str,
    last_step: int,
    use_torch: bool,
    seconds: float,
    echo: Callable[[str], None],
) -> Report:
    if not 1 <= last_step <= len(STEPS):
        raise ValueError(f"last_step must be 1 to {len(STEPS)}, not {last_step!r}")
    report = Report(filename, last_step)
    torch = load_torch() if use_torch else None
    if torch is not None:
        report.references = "central finite differences and PyTorch (float64)"
    echo(report.header())
    grader = Grader(sandbox, filename, torch, seconds, notice=lambda text: echo(f"  ... {text}"))
    try:
        report.problem = grader.examine(last_step)
        if not report.problem:
            for step in STEPS[:last_step]:
                report.steps.append(grader.grade(step))
                echo(report.step_line(report.steps[-1]))
    finally:
        sandbox.close()
    report.printed_lines = sandbox.printed_lines
    for line in report.footer():
        echo(line)
    return report


def check_source(
    text: str,
    filename: str = "engine.py",
    last_step: int = len(STEPS),
    use_torch: bool = False,
    seconds: float = TIME_LIMIT,
) -> Report:
    """Grade the engine whose source is ``text`` in this process; nothing is printed.

    This is the browser's Check: its time limit comes from a ``sys.settrace`` hook
    (``sandbox.InProcess``), since a browser page has no second process.
    """
    sandbox = InProcess(text, filename, seconds)
    return _grade(sandbox, Path(filename).name, last_step, use_torch, seconds, lambda line: None)


def engine_path(path: str | Path) -> Path:
    """``path`` itself, or ``path/engine.py`` when it is the folder that ``start`` made."""
    path = Path(path)
    return path / "engine.py" if path.is_dir() else path


def check_file(
    path: str | Path,
    last_step: int = len(STEPS),
    use_torch: bool = False,
    seconds: float = TIME_LIMIT,
    echo: Callable[[str], None] | None = None,
) -> Report:
    """Grade the engine in the file ``path`` (or ``path/engine.py``) in a child process.

    ``echo`` gets each line of the report as soon as it is known.
    """
    path = engine_path(path)
    echo = echo or (lambda line: None)
    if not path.is_file():
        report = Report(path.name, last_step, problem=f"cannot read {path}: there is no such file")
        for line in [report.header(), *report.footer()]:
            echo(line)
        return report
    sandbox = ChildProcess(path.resolve(), seconds)
    return _grade(sandbox, path.name, last_step, use_torch, seconds, echo)


def start(directory: str | Path) -> Path:
    """Write the starter ``engine.py`` into ``directory``; never overwrite a file."""
    path = Path(directory) / "engine.py"
    if path.exists():
        raise FileExistsError(f"{path} already exists; the workbook never overwrites a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER, encoding="utf-8")
    return path
