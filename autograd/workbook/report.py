"""The report: what the checker prints, one line per step, then what to fix and where to read.

:class:`Report` keeps the verdicts; its methods give the lines, so that the command line can
print the header and each step's line the moment it is known, and the browser the whole text
at the end (:meth:`Report.format`), and both read the same.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from autograd.workbook.catalogue import STEPS
from autograd.workbook.diagnoses import SECTIONS
from autograd.workbook.grader import Status, StepResult

WIDTH = 88
TITLE_WIDTH = max(len(step.title()) for step in STEPS)


@dataclass
class Report:
    """The checker's verdict on one file."""

    #: The file graded, as the report's first line names it.
    filename: str
    #: The last step checked (``--step N``); the steps after it are not graded.
    last_step: int = len(STEPS)
    #: One result per step graded, in order.
    steps: list[StepResult] = field(default_factory=list)
    #: Why the file could not be graded at all ("" when it could).
    problem: str = ""
    #: Where the expected numbers came from, as the last lines say.
    references: str = "central finite differences"
    #: How many lines the learner's engine printed while it was checked; the report counts
    #: them instead of showing them.
    printed_lines: int = 0

    @property
    def passed(self) -> bool:
        """True only when every step checked passes: the command's exit status is 0."""
        return (
            not self.problem
            and len(self.steps) == self.last_step
            and all(result.status is Status.PASS for result in self.steps)
        )

    def header(self) -> str:
        return f"Checking {self.filename}"

    @staticmethod
    def step_line(result: StepResult) -> str:
        step = result.step
        line = f"  step {step.number}  {step.title():<{TITLE_WIDTH}}  {result.shown_status()}"
        return line + (f"  ({result.note})" if result.note else "")

    def footer(self) -> list[str]:
        if self.problem:
            return ["", *_wrap(self.problem, "")]
        lines = []
        for result in self.steps:
            for diagnosis in result.diagnoses:
                prefix = f"step {result.step.number}: "
                indent = " " * 8
                lines += ["", *_wrap(prefix + diagnosis.text + ".", indent)]
                if diagnosis.case is not None:
                    lines.append(indent + diagnosis.case.shown())
                lines += [indent + detail for detail in diagnosis.details]
                title, address = SECTIONS[diagnosis.section]
                lines.append(f"{indent}Read: {title}, {address}")
        unfinished = [result for result in self.steps if result.status is not Status.PASS]
        if unfinished:
            first = unfinished[0]
            if first.status is Status.BLOCKED:
                first = self.steps[first.blocked_by - 1]
            lines += ["", f"Next: step {first.step.number}, {first.step.title()}."]
        lines += ["", f"Expected numbers come from {self.references}."]
        if self.printed_lines:
            lines.append(
                f"Your engine printed {self.printed_lines} lines while it was checked; "
                "they are not shown."
            )
        if self.passed:
            lines.append("Every step checked passes.")
        return lines

    def format(self) -> str:
        """The whole report, as the command prints it (without the progress notices)."""
        lines = [self.header(), *(self.step_line(result) for result in self.steps)]
        return "\n".join(lines + self.footer())


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, subsequent_indent=indent, break_on_hyphens=False)
