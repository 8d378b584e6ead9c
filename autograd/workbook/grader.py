"""The grader: asks the sandbox what the learner's engine does, and decides pass or fail.

Steps are graded in order, each as soon as the ones before it are, so the report can print
a step's line the moment it is known. Steps 1 to 5 get their gradients without the learner's
``backward()``: the checker sets the output's grad and calls each node's ``_backward``
itself (``probe.py``), so a wrong derivative is caught in the step that defines it. Step 6
grades ``backward()`` itself.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from math import isclose  # bound here, where no learner's code can replace it
from typing import Any

from autograd.workbook import diagnoses
from autograd.workbook.catalogue import CASE_INDEX, CASES, STEP_OF, STEPS, Case, Step
from autograd.workbook.references import FD_TOLERANCE, TORCH_TOLERANCE, reference

#: The methods each method's cases also call.
USES = {method: {u for c in CASES if c.op == method for u in c.uses} for method in STEP_OF}


class Status(enum.Enum):
    """A step's verdict, as the report's status column shows it."""

    #: Every check of the step gives the reference's numbers.
    PASS = "PASS"
    #: A check gives another number, or raises; the report says which and why.
    FAIL = "FAIL"
    #: A method of the step is still the starter's, which raises NotImplementedError.
    NOT_WRITTEN = "not yet written"
    #: Only an earlier step's method, not yet passing, makes this step's checks fail.
    BLOCKED = "blocked"


@dataclass
class Diagnosis:
    text: str
    #: Key of ``diagnoses.SECTIONS``: where the book teaches what went wrong.
    section: str
    case: Case | None = None
    details: list[str] = field(default_factory=list)


@dataclass
class StepResult:
    """One step's line of the report: its verdict, and what went wrong when it failed.

    ``step`` is the step graded (its number, its methods and their cases); ``diagnoses``
    says why it failed, one diagnosis per section of the book that explains a mistake.
    """

    step: Step
    #: The verdict; a new result passes until a check fails.
    status: Status = Status.PASS
    #: Printed in brackets after the status, such as ``"relu still to write"``.
    note: str = ""
    #: The earlier step that blocks this one (status BLOCKED).
    blocked_by: int = 0
    diagnoses: list[Diagnosis] = field(default_factory=list)

    def shown_status(self) -> str:
        """The status column: the status's text, or which step blocks this one."""
        if self.status is Status.BLOCKED:
            return f"blocked by step {self.blocked_by}"
        return self.status.value


@dataclass
class Outcome:
    """What one case did: passed, failed with a diagnosis, or could not run."""

    case: Case
    passed: bool = False
    diagnosis: Diagnosis | None = None
    stub: str = ""
    #: Methods of earlier steps this case uses that do not pass yet.
    blocked_by: tuple[str, ...] = ()
    note: str = ""


def close(got: object, want: float, tolerance: float) -> bool:
    return isinstance(got, float) and isclose(got, want, rel_tol=tolerance, abs_tol=tolerance)


class Grader:
    """Grades one learner's engine through a sandbox (``sandbox.py``)."""

    def __init__(
        self,
        sandbox: Any,
        filename: str,
        torch: types.ModuleType | None = None,
        seconds: float = 10.0,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.filename = filename
        self.torch = torch
        self.seconds = seconds
        self.notice = notice or (lambda text: None)
        self.stubs: set[str] = set()
        self.failing: set[str] = set()  # methods with a failing case of their own
        self.blocked: set[str] = set()  # methods whose cases fail in a method they use
        #: Methods that ran past the time limit once already, each with its diagnosis until
        #: the report has shown it (then None): it would only hang again.
        self.hung: dict[str, Diagnosis | None] = {}

    # The file as a whole -----------------------------------------------------------------

    def examine(self, last_step: int) -> str:
        """Load the file: "" when it can be graded, else why not."""
        # Every reference is worked out before any learner's code runs in this process.
        for step in STEPS[:last_step]:
            for c in step.cases:
                reference(c, self.torch)
        answer = self.sandbox.ask({"task": "load"})
        name = self.filename
        if "timeout" in answer:
            where = answer["where"]
            return f"{name} is {diagnoses.still_running(self.seconds, where, 'while imported')}"
        if "crashed" in answer:
            return (
                f"{name} ended the checker's process (exit status {answer['crashed']}) while "
                "it was imported: does it call os._exit()?"
            )
        if "error" in answer:
            info = answer["error"]
            at = f" (line {info['line']})" if info.get("line") else ""
            return f"{name} cannot be imported: {info['type']}: {info['message']}{at}"
        if "problem" in answer:
            return f"{name} {answer['problem']}."
        leaf = answer["leaf"]
        if "error" in leaf:
            info = leaf["error"]
            return f"Value(2.0) raises {info['type']}: {info['message']}"
        if leaf["data"] != 2.0 or leaf["grad"] != 0.0:
            return (
                f"Value(2.0) should have data 2.0 and grad 0, but has data "
                f"{diagnoses.shown(leaf['data'])} and grad {diagnoses.shown(leaf['grad'])}."
            )
        return ""

    # One step ----------------------------------------------------------------------------

    def _find_stubs(self, step: Step) -> None:
        """Call each method of ``step`` once: which are still the starter's stubs?"""
        for method in step.methods:
            # A method that uses one that hangs would only hang too, for the whole limit.
            if USES[method] & self.hung.keys():
                continue
            answer = self.sandbox.ask({"task": "stub", "method": method})
            if answer.get("stub"):
                self.stubs.add(method)
            elif "timeout" in answer:
                text = f"Value.{method}: " + diagnoses.still_running(self.seconds, answer["where"])
                self.hung[method] = Diagnosis(text, "value")
                self.notice(text)

    def grade(self, step: Step) -> StepResult:
        self._find_stubs(step)
        outcomes = [self._outcome(c) for c in step.cases]
        result = StepResult(step)
        own = [o for o in outcomes if o.diagnosis and not o.blocked_by]
        blocked = sorted({m for o in outcomes for m in o.blocked_by}, key=STEP_OF.__getitem__)
        own_stubs = [m for m in step.methods if m in self.stubs]
        if own:
            result.status = Status.FAIL
            sections = set()
            for outcome in own:
                if outcome.diagnosis and outcome.diagnosis.section not in sections:
                    sections.add(outcome.diagnosis.section)
                    result.diagnoses.append(outcome.diagnosis)
        elif blocked and len(own_stubs) < len(step.methods):
            result.status = Status.BLOCKED
            result.blocked_by = STEP_OF[blocked[0]]
            names = diagnoses.method_name(blocked[0])
            state = "is not written yet" if blocked[0] in self.stubs else "does not pass yet"
            result.note = f"{names} {state}"
        elif own_stubs:
            result.status = Status.NOT_WRITTEN
            if len(own_stubs) < len(step.methods):
                result.note = f"{', '.join(own_stubs)} still to write"
        else:
            notes = sorted({o.note for o in outcomes if o.note})
            result.note = notes[0] if notes else ""
        return result

    def _outcome(self, case: Case) -> Outcome:
        if case.op in self.stubs:
            return Outcome(case, stub=case.op)
        waiting = tuple(u for u in case.uses if u in self.stubs or u in self.hung)
        if waiting:
            self.blocked.add(case.op)
            return Outcome(case, blocked_by=waiting)
        if self.hung.get(case.op) is not None:
            self.failing.add(case.op)
            diagnosis, self.hung[case.op] = self.hung[case.op], None
            return Outcome(case, diagnosis=diagnosis)
        # After one failure an operation is not graded further: its first failure is the
        # smallest expression that shows the problem. backward() is: each of its cases
        # tests another rule (order, visited set, depth, two calls), and grade() keeps one
        # diagnosis per rule.
        again = case.op in self.failing and case.op != "backward"
        if again or case.op in self.blocked or case.op in self.hung:
            return Outcome(case)
        outcome = self._run(case)
        if outcome.diagnosis is not None:
            broken = tuple(u for u in case.uses if u in self.failing or u in self.blocked)
            if broken:  # not this operation's fault, as far as anyone can tell yet
                outcome.blocked_by = broken
                self.blocked.add(case.op)
            else:
                self.failing.add(case.op)
        return outcome

    def _fail(
        self, case: Case, text_section: tuple[str, str], details: list[str] | None = None
    ) -> Outcome:
        text, section = text_section
        return Outcome(case, diagnosis=Diagnosis(text, section, case, details or []))

    def _run(self, case: Case) -> Outcome:
        seconds = case.seconds or self.seconds
        answer = self.sandbox.ask({"task": "case", "index": CASE_INDEX[case], "seconds": seconds})
        if "timeout" in answer:
            self.hung[case.op] = None
            text, section = diagnoses.too_slow(case, seconds, answer["where"])
            self.notice(text)
            return self._fail(case, (text, section))
        if "crashed" in answer:
            return self._fail(case, (
                f"{case.code} ended the checker's process (exit status {answer['crashed']}): "
                "does your file call os._exit()?", "value",
            ))  # fmt: skip
        if "error" in answer:
            stub = answer["error"].get("stub")
            if stub:
                return Outcome(case, stub=stub)
            return self._fail(case, diagnoses.error(case, answer["error"], answer["stage"]))
        want = reference(case, self.torch)
        if not answer["is_value"]:
            return self._fail(case, (
                f"{case.code} should give a Value, but gives {answer['type']} "
                f"{diagnoses.shown(answer['data'])}", "shape",
            ))  # fmt: skip
        if not close(answer["data"], want.data, FD_TOLERANCE):
            got, expected = diagnoses.pair(answer["data"], want.data)
            return self._fail(case, (
                f"{diagnoses.method_name(case.op)} computes the wrong value: its result's .data "
                f"is {got}, expected {expected}", "value",
            ))  # fmt: skip
        if answer.get("no_prev"):
            return Outcome(case, passed=True, note="values only: Value has no _prev to walk")
        if case.mode == "twice":
            return self._twice(case, answer, want.grads)
        wrong = self._wrong(answer["grads"], want.grads, want.torch_grads)
        if not wrong:
            return Outcome(case, passed=True)
        details = [self._detail(name, got, expected) for name, (got, expected) in wrong.items()]
        if case.mode == "manual":
            if self._missing_factor(case, wrong):
                return self._fail(case, diagnoses.missing_factor(case, answer["style"]), details)
            return self._fail(case, diagnoses.local(case, wrong), details)
        return self._fail(case, diagnoses.backward_pass(case, answer, True), details)

    def _twice(self, case: Case, answer: dict[str, Any], grads: dict[str, float]) -> Outcome:
        first = self._wrong(answer["first"], grads, None)
        if first:
            details = [self._detail(name, got, want) for name, (got, want) in first.items()]
            return self._fail(case, diagnoses.backward_pass(case, answer, True), details)
        doubled = {name: 2 * value for name, value in grads.items()}
        wrong = self._wrong(answer["grads"], doubled, None)
        if not wrong:
            return Outcome(case, passed=True)
        details = [
            self._detail(name, got, want) + " after the second backward()"
            for name, (got, want) in wrong.items()
        ]
        return self._fail(case, diagnoses.backward_pass(case, answer, False), details)

    @staticmethod
    def _missing_factor(case: Case, wrong: dict[str, tuple[object, float]]) -> bool:
        """Is every wrong gradient right once multiplied by the upstream gradient?"""
        return all(
            isinstance(got, float) and got != 0 and close(got * case.upstream, want, FD_TOLERANCE)
            for got, want in wrong.values()
        )

    @staticmethod
    def _wrong(
        grads: dict[str, Any], want: dict[str, float], torch: dict[str, float] | None
    ) -> dict[str, tuple[object, float]]:
        wrong = {}
        for name, expected in want.items():
            got = grads.get(name)
            torch_want = None if torch is None else torch[name]
            if not close(got, expected, FD_TOLERANCE) or (
                torch_want is not None and not close(got, torch_want, TORCH_TOLERANCE)
            ):
                wrong[name] = (got, expected if torch_want is None else torch_want)
        return wrong

    @staticmethod
    def _detail(name: str, got: object, want: float) -> str:
        shown_got, shown_want = diagnoses.pair(got, want)
        return f"{name}.grad is {shown_got}, expected {shown_want}"
