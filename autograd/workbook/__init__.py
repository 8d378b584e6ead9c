"""The workbook: write your own engine, step by step, and let a checker grade it.

Two commands (``cli.py``)::

    python -m autograd.workbook start DIR          # write a starter DIR/engine.py
    python -m autograd.workbook check DIR          # grade it (--step N stops at step N)

The package, one job per module: ``starter.py`` is the learner's starting file itself;
``catalogue.py`` the six steps and the expressions that grade them; ``references.py`` what a
correct engine gives; ``probe.py`` what is observed of the learner's engine; ``sandbox.py``
where that code runs (a child process, or this process in a browser); ``grader.py`` the
verdicts, with their :class:`Status`; ``diagnoses.py`` their words; ``report.py`` the
printed report; ``checker.py`` puts these together; ``cli.py`` is the command line.

>>> from autograd.workbook import STARTER, check_source
>>> report = check_source(STARTER)
>>> [result.shown_status() for result in report.steps]
['not yet written', 'not yet written', 'not yet written', 'not yet written', \
'not yet written', 'not yet written']
>>> report.passed
False
"""

from __future__ import annotations

from autograd.workbook.catalogue import STEPS
from autograd.workbook.checker import (
    STARTER,
    STARTER_PATH,
    check_file,
    check_source,
    engine_path,
    start,
)
from autograd.workbook.cli import main
from autograd.workbook.grader import Status
from autograd.workbook.report import Report

PASS, FAIL, NOT_WRITTEN, BLOCKED = Status.PASS, Status.FAIL, Status.NOT_WRITTEN, Status.BLOCKED

__all__ = [
    "BLOCKED",
    "FAIL",
    "NOT_WRITTEN",
    "PASS",
    "STARTER",
    "STARTER_PATH",
    "STEPS",
    "Report",
    "Status",
    "check_file",
    "check_source",
    "engine_path",
    "main",
    "start",
]
