"""The workbook: write your own engine, step by step, and let a checker grade it.

Two commands::

    python -m autograd.workbook start DIR                 # write a starter DIR/engine.py
    python -m autograd.workbook check DIR/engine.py       # grade it (add --step N to stop at N)

The starter is a ``Value`` class whose methods, in the order of the book's chapter
"Building Value", are stubs that raise ``NotImplementedError``. The checker grades the six
steps of that order (add and mul; pow; neg, sub, truediv; radd, rmul; tanh, relu, exp;
backward). It uses only what every engine of this kind has in common: ``Value(x)``, the
operators and methods, ``.data``, ``.grad`` and ``.backward()``. So it does not matter
whether your ``_backward`` is a closure that reads ``out.grad`` (micrograd's pattern) or
takes the upstream gradient as an argument (the book's). Every number it expects comes
from central finite differences, and also from PyTorch in float64 when PyTorch is
installed.

Everything here is a plain function returning a :class:`Report`, with no subprocess, so the
same checker can run wherever Python runs.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import importlib.util
import io
import math
import signal
import sys
import textwrap
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STARTER = '''\
"""My own autograd engine: a scalar Value that remembers how it was computed.

Fill in the methods in order, one step at a time, and check each step with

    python -m autograd.workbook check engine.py --step N

Each stub says what to write; delete its `raise NotImplementedError` when you do.
"""

import math


class Value:
    """A number in a computational graph: data, grad, and how it was made."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        # A leaf has no inputs, so its _backward does nothing. It accepts any arguments,
        # so it fits either style: _backward() that reads out.grad (micrograd's closure)
        # or _backward(out_grad) (the book's).
        self._backward = lambda *args: None

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def __add__(self, other):
        # Step 1: wrap a plain number `other` in a Value, build out = self + other, and give
        # out a _backward that adds 1 * (out's gradient) to self.grad and to other.grad.
        raise NotImplementedError("step 1: __add__ is not written yet")

    def __mul__(self, other):
        # Step 1: like __add__; the local derivatives of self * other are other.data (for
        # self) and self.data (for other). Always +=, never =.
        raise NotImplementedError("step 1: __mul__ is not written yet")

    def __pow__(self, other):
        # Step 2: `other` is a plain int or float n; out = self ** n, and _backward adds
        # n * self.data ** (n - 1) * (out's gradient) to self.grad.
        raise NotImplementedError("step 2: __pow__ is not written yet")

    def __neg__(self):
        # Step 3: one line built from an operation you already have: self * -1.
        raise NotImplementedError("step 3: __neg__ is not written yet")

    def __sub__(self, other):
        # Step 3: one line: self + (-other).
        raise NotImplementedError("step 3: __sub__ is not written yet")

    def __truediv__(self, other):
        # Step 3: one line: self * other ** -1.
        raise NotImplementedError("step 3: __truediv__ is not written yet")

    def __radd__(self, other):
        # Step 4: Python calls this for `other + self` when other is a plain number;
        # return self + other.
        raise NotImplementedError("step 4: __radd__ is not written yet")

    def __rmul__(self, other):
        # Step 4: Python calls this for `other * self` when other is a plain number;
        # return self * other.
        raise NotImplementedError("step 4: __rmul__ is not written yet")

    def tanh(self):
        # Step 5: t = math.tanh(self.data) (it never overflows); local derivative 1 - t ** 2.
        raise NotImplementedError("step 5: tanh is not written yet")

    def relu(self):
        # Step 5: out = max(0, self.data); local derivative 1 if self.data > 0, else 0.
        raise NotImplementedError("step 5: relu is not written yet")

    def exp(self):
        # Step 5: e = math.exp(self.data); the local derivative is e itself.
        raise NotImplementedError("step 5: exp is not written yet")

    def backward(self):
        # Step 6: list every node so that each comes after its inputs (a topological order;
        # use a loop with your own stack, not recursion), set the grad of every node that
        # has inputs to 0.0 (so a second backward() starts afresh), add 1.0 to self.grad,
        # then call each node's _backward, from the last node in the list to the first.
        raise NotImplementedError("step 6: backward is not written yet")
'''

#: How the report names each step's state.
PASS, FAIL, NOT_WRITTEN = "PASS", "FAIL", "not yet written"

#: The step h of the central differences, and how close they must come.
FD_STEP = 1e-6
FD_TOLERANCE = 1e-6
#: PyTorch computes in float64 too, so only rounding may differ.
TORCH_TOLERANCE = 1e-9
#: Deep enough that a recursive topological sort hits Python's limit of about 1,000 calls.
DEEP_CHAIN = 10_000
#: Seconds one check (or the import of the reader's file) may take before it is stopped.
TIME_LIMIT = 10.0


# -- The catalogue: what each step checks -------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One expression to build with the reader's ``Value`` and compare with the references.

    ``code`` is what the report shows and what is run: an expression, or statements
    ``name = formula`` separated by ``"; "`` and then the expression. ``kind`` says what a
    wrong gradient means (``Grader._diagnose_gradients``): "op", "number", "derived" and
    "reflected" test one operation's local derivatives; "reuse" and "shared" use a node
    twice, to catch ``=`` instead of ``+=``; "chain", "shared-node" and "deep" test the
    order and the depth that ``backward()`` copes with.
    """

    code: str
    inputs: tuple[tuple[str, float], ...]
    op: str
    kind: str
    #: The line of ``op``'s ``_backward`` a "shared" case tests: "self" or "other".
    line: str = ""
    #: Other methods the expression calls; a failure there is not ``op``'s fault.
    uses: tuple[str, ...] = ()
    #: Interior names whose ``grad`` is checked too (the inputs' always are).
    watch: tuple[str, ...] = ()
    #: Needs more than one node's ``_backward``, so it needs ``backward()``'s order right.
    needs_order: bool = False

    def shown(self) -> str:
        """The expression and its inputs, as the report prints them."""
        values = ", ".join(f"{name} = {_number(value)}" for name, value in self.inputs)
        return f"{self.code}   with {values}"


def case(code: str, op: str, kind: str, **keywords: Any) -> Case:
    """A :class:`Case`; inputs are the keywords named like variables (x, y)."""
    inputs = tuple((name, float(keywords.pop(name))) for name in ("x", "y") if name in keywords)
    return Case(code, inputs, op, kind, **keywords)


DEEP_CODE = f"x * 1.0001 * 1.0001 * ... ({DEEP_CHAIN:,} products)"


@dataclass(frozen=True)
class Step:
    number: int
    methods: tuple[str, ...]
    cases: tuple[Case, ...]

    def title(self) -> str:
        return ", ".join(self.methods)


STEPS = (
    Step(1, ("__add__", "__mul__"), (
        case("x + y", "__add__", "op", x=2, y=-3),
        case("x + 5", "__add__", "number", x=2),
        case("x + x", "__add__", "reuse", x=2),
        case("x * y", "__mul__", "op", x=2, y=-3),
        case("x * 4", "__mul__", "number", x=2),
        case("x * x", "__mul__", "reuse", x=2),
        case("(x + y) + x", "__add__", "shared", line="self", needs_order=True, x=2, y=-3),
        case("(y + x) + x", "__add__", "shared", line="other", needs_order=True, x=2, y=-3),
        case("(x * y) * x", "__mul__", "shared", line="self", needs_order=True, x=2, y=-3),
        case("(y * x) * x", "__mul__", "shared", line="other", needs_order=True, x=2, y=-3),
    )),
    Step(2, ("__pow__",), (
        case("x ** 3", "__pow__", "op", x=2),
        case("x ** -1", "__pow__", "op", x=2),
        case("x ** 0.5", "__pow__", "op", x=4),
        case("x + x ** 2", "__pow__", "reuse", uses=("__add__",), needs_order=True, x=2),
    )),
    Step(3, ("__neg__", "__sub__", "__truediv__"), (
        case("-x", "__neg__", "derived", uses=("__mul__",), x=2),
        case("x - y", "__sub__", "derived", uses=("__add__", "__mul__", "__neg__"),
             needs_order=True, x=2, y=-3),
        case("x - 1", "__sub__", "number", uses=("__add__", "__mul__", "__neg__"),
             needs_order=True, x=2),
        case("x / y", "__truediv__", "derived", uses=("__mul__", "__pow__"),
             needs_order=True, x=3, y=2),
        case("x / 4", "__truediv__", "number", uses=("__mul__", "__pow__"),
             needs_order=True, x=3),
    )),
    Step(4, ("__radd__", "__rmul__"), (
        case("5 + x", "__radd__", "reflected", uses=("__add__",), x=2),
        case("4 * x", "__rmul__", "reflected", uses=("__mul__",), x=2),
    )),
    Step(5, ("tanh", "relu", "exp"), (
        case("x.tanh()", "tanh", "op", x=0.5),
        case("x.tanh()", "tanh", "op", x=400),
        case("x + x.tanh()", "tanh", "reuse", uses=("__add__",), needs_order=True, x=0.5),
        case("x.relu()", "relu", "op", x=2),
        case("x.relu()", "relu", "op", x=-1),
        case("x + x.relu()", "relu", "reuse", uses=("__add__",), needs_order=True, x=2),
        case("x.exp()", "exp", "op", x=1),
        case("x + x.exp()", "exp", "reuse", uses=("__add__",), needs_order=True, x=1),
    )),
    Step(6, ("backward",), (
        case("(x * 2 + 1) * 3", "backward", "chain", uses=("__add__", "__mul__"),
             needs_order=True, x=2),
        case("h = x * 3; h * (h + 1)", "backward", "shared-node", uses=("__add__", "__mul__"),
             watch=("h",), needs_order=True, x=2),
        case("h = x * 3; (h + 1) * 2 * h", "backward", "shared-node",
             uses=("__add__", "__mul__"), watch=("h",), needs_order=True, x=2),
        case(DEEP_CODE, "backward", "deep", uses=("__mul__",), needs_order=True, x=1),
    )),
)  # fmt: skip

STEP_OF = {method: step.number for step in STEPS for method in step.methods}

# The arguments each method is first called with, to find out whether it is still a stub.
PROBE_ARGUMENTS = {
    "__add__": "value",
    "__mul__": "value",
    "__sub__": "value",
    "__truediv__": "value",
    "__pow__": 2,
    "__radd__": 3.0,
    "__rmul__": 3.0,
}


# -- Building a case with any kind of number ---------------------------------------------


class _Number:
    """A plain float with the workbook's operations and no gradients: the forward reference."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = float(value)

    def __float__(self) -> float:
        return self.value

    @staticmethod
    def _plain(other: _Number | float) -> float:
        return other.value if isinstance(other, _Number) else float(other)

    def __add__(self, other: _Number | float) -> _Number:
        return _Number(self.value + self._plain(other))

    def __mul__(self, other: _Number | float) -> _Number:
        return _Number(self.value * self._plain(other))

    __radd__ = __add__
    __rmul__ = __mul__

    def __pow__(self, other: float) -> _Number:
        return _Number(self.value**other)

    def __neg__(self) -> _Number:
        return _Number(-self.value)

    def __sub__(self, other: _Number | float) -> _Number:
        return _Number(self.value - self._plain(other))

    def __truediv__(self, other: _Number | float) -> _Number:
        return _Number(self.value / self._plain(other))

    def tanh(self) -> _Number:
        return _Number(math.tanh(self.value))

    def relu(self) -> _Number:
        return _Number(max(0.0, self.value))

    def exp(self) -> _Number:
        return _Number(math.exp(self.value))


def _build(
    case: Case,
    leaf: Callable[[float], Any],
    nudge: tuple[str, float] | None = None,
    after_assign: Callable[[str, Any], None] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Run ``case.code`` with inputs made by ``leaf``; return the result and every name.

    ``nudge = (name, h)`` adds h to that input or interior value (finite differences);
    ``after_assign(name, value)`` sees each interior value as it is made.
    """
    names = {}
    for name, value in case.inputs:
        names[name] = leaf(value + nudge[1] if nudge and nudge[0] == name else value)
    if case.code == DEEP_CODE:
        out = names["x"]
        for _ in range(DEEP_CHAIN):
            out = out * 1.0001
        return out, names
    *statements, expression = case.code.split("; ")
    for statement in statements:
        target, formula = statement.split(" = ")
        # eval only ever sees the catalogue's own text above, never the reader's.
        names[target] = eval(formula, {}, names)
        if nudge and nudge[0] == target:
            names[target] = leaf(float(names[target]) + nudge[1])
        if after_assign is not None:
            after_assign(target, names[target])
    return eval(expression, {}, names), names


@dataclass(frozen=True)
class Reference:
    """What a correct engine gives: the value and d(result)/d(name) for each name checked."""

    data: float
    grads: dict[str, float]
    torch_grads: dict[str, float] | None


def _torch_module(use_torch: bool | None) -> types.ModuleType | None:
    # Imported only when a check runs: it takes seconds, and the checker must work without it.
    if use_torch is False:
        return None
    try:
        return importlib.import_module("torch")
    except ImportError:
        if use_torch:
            raise
        return None


# The same catalogue is graded again for every file checked in one process (the tests, a
# browser page), and its references never change.
@functools.cache
def _reference(case: Case, torch: types.ModuleType | None) -> Reference:
    checked = [name for name, _ in case.inputs] + list(case.watch)
    data = _build(case, _Number)[0].value
    grads = {}
    for name in checked:
        up = _build(case, _Number, nudge=(name, FD_STEP))[0].value
        down = _build(case, _Number, nudge=(name, -FD_STEP))[0].value
        grads[name] = (up - down) / (2 * FD_STEP)
    torch_grads = None
    if torch is not None:

        def tensor(value: float) -> Any:
            return torch.tensor(value, dtype=torch.float64, requires_grad=True)

        def keep_grad(name: str, value: Any) -> None:
            if name in case.watch:
                value.retain_grad()

        out, names = _build(case, tensor, after_assign=keep_grad)
        out.backward()
        torch_grads = {
            name: 0.0 if names[name].grad is None else names[name].grad.item() for name in checked
        }
    return Reference(data, grads, torch_grads)


# -- Running the reader's code safely -------------------------------------------------------


class TookTooLong(BaseException):
    """Raised into the reader's code when a check runs past its time limit.

    A BaseException, so that an ``except Exception`` in the reader's code cannot swallow it.
    """


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    # A timer signal interrupts even an endless loop, but it exists only in the main thread
    # of a POSIX process; elsewhere (a thread, a browser) the check simply runs to the end.
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TookTooLong(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Raised:
    """An exception from the reader's code, and where in their file it happened."""

    error: BaseException
    #: Qualified name of the innermost function of the reader's file, e.g. "Value.__add__".
    function: str = ""
    line: int = 0

    def describe(self) -> str:
        text = f"{type(self.error).__name__}: {self.error}"
        if self.line:
            text += f" (line {self.line}, in {self.function})"
        if isinstance(self.error, TypeError) and "unhashable type" in str(self.error):
            # Python sets __hash__ to None in a class that defines __eq__ without it.
            text += (
                ". A class that defines __eq__ loses its hash, so its objects cannot go "
                "into a set: leave __eq__ out of Value."
            )
        return text

    def stub(self) -> str:
        """The stub's method name, if this is a stub's NotImplementedError."""
        if isinstance(self.error, NotImplementedError) and self.function.startswith("Value."):
            name = self.function.removeprefix("Value.")
            return name if name in STEP_OF else ""
        return ""


def _raised(error: BaseException, filename: str) -> Raised:
    innermost = None
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == filename:
            innermost = traceback
        traceback = traceback.tb_next
    if innermost is None:
        return Raised(error)
    code = innermost.tb_frame.f_code
    qualname = getattr(code, "co_qualname", code.co_name)
    return Raised(error, qualname.replace(".<locals>", ""), innermost.tb_lineno)


def _attempt(filename: str, seconds: float, action: Callable[[], Any]) -> tuple[Any, Raised | None]:
    """Run ``action``: (its result, None), or (None, what it raised)."""
    try:
        with _time_limit(seconds):
            return action(), None
    except (Exception, TookTooLong, SystemExit) as error:
        return None, _raised(error, filename)


# -- Grading ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one case did with the reader's Value."""

    case: Case
    status: str  # "pass", "fail", "stub", "skipped", "values-only"
    diagnosis: str = ""
    details: list[str] = field(default_factory=list)
    note: str = ""
    stub: str = ""
    #: Methods of earlier steps that this case uses and that do not pass yet.
    blocked_by: tuple[str, ...] = ()


@dataclass
class StepResult:
    step: Step
    status: str = PASS
    note: str = ""
    diagnoses: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The checker's verdict on one file; :meth:`format` is what the command prints."""

    filename: str
    steps: list[StepResult] = field(default_factory=list)
    problem: str = ""
    #: Which references the expected numbers came from, as the last lines say.
    references: str = ""
    printed_lines: int = 0

    @property
    def passed(self) -> bool:
        return not self.problem and all(result.status == PASS for result in self.steps)

    def format(self) -> str:
        lines = [f"Checking {self.filename}"]
        if self.problem:
            lines += ["", self.problem]
            return "\n".join(lines)
        width = max(len(result.step.title()) for result in self.steps)
        for result in self.steps:
            line = f"  step {result.step.number}  {result.step.title():<{width}}  {result.status}"
            if result.note:
                line += f"  ({result.note})"
            lines.append(line)
        for result in self.steps:
            for diagnosis in result.diagnoses:
                first, *rest = diagnosis.split("\n")
                prefix = f"step {result.step.number}: "
                lines += ["", *_wrap(prefix + first, " " * len(prefix)), *rest]
        unfinished = [result.step for result in self.steps if result.status != PASS]
        if unfinished:
            lines += ["", f"Next: step {unfinished[0].number}, {unfinished[0].title()}."]
        lines += ["", f"Expected numbers come from {self.references}."]
        if self.printed_lines:
            lines.append(
                f"Your engine printed {self.printed_lines} lines while it was checked; "
                "they are not shown."
            )
        if self.passed:
            lines.append("Every step passes.")
        return "\n".join(lines)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=88, subsequent_indent=indent, break_on_hyphens=False)


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"{value:.6g}"


def _pair(got: object, want: float) -> tuple[str, str]:
    """Both numbers, with as many digits as it takes to see that they differ."""
    if isinstance(got, int | float) and not isinstance(got, bool):
        for digits in (6, 10, 17):
            shown = f"{got:.{digits}g}", f"{want:.{digits}g}"
            if shown[0] != shown[1]:
                return shown
    return _number(got), _number(want)


def _close(got: object, want: float, tolerance: float) -> bool:
    if isinstance(got, bool) or not isinstance(got, int | float):
        return False
    return math.isclose(got, want, rel_tol=tolerance, abs_tol=tolerance)


INPUT_ROLE = {"self": "its left operand (self)", "other": "its right operand (other)"}


def _role(case: Case, name: str) -> str:
    """Which input of ``case.op`` the leaf ``name`` is, in words."""
    if case.op not in ("__add__", "__mul__", "__sub__", "__truediv__"):
        return "its input (self)"
    # In every such case the first input named is the left operand.
    return INPUT_ROLE["self" if name == case.inputs[0][0] else "other"]


def _words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _method(op: str) -> str:
    return op if op.startswith("__") else f"{op}()"


class Grader:
    """Grades the reader's ``Value`` class step by step; see :func:`check_source`."""

    def __init__(
        self, value_class: type[Any], filename: str, torch: types.ModuleType | None, seconds: float
    ) -> None:
        self.Value = value_class
        self.filename = filename
        self.torch = torch
        self.seconds = seconds
        self.stubs = self._find_stubs()
        self.failing: set[str] = set()  # methods with a failing case so far
        self.backward_problem = ""  # why gradients cannot be checked at all
        self.order_ok = False
        self.blocked: set[str] = set()  # methods whose checks failed in a method they use
        self.hung: set[str] = set()  # methods that ran past the time limit once already

    def _find_stubs(self) -> set[str]:
        stubs = set()
        for method in STEP_OF:
            argument = PROBE_ARGUMENTS.get(method)

            def probe(method: str = method, argument: object = argument) -> None:
                bound = getattr(self.Value(2.0), method, None)
                if bound is None:
                    return
                if argument == "value":
                    bound(self.Value(3.0))
                elif argument is None:
                    bound()
                else:
                    bound(argument)

            _, raised = _attempt(self.filename, self.seconds, probe)
            if raised is not None and raised.stub() == method:
                stubs.add(method)
        return stubs

    # One case --------------------------------------------------------------------------

    def run(self, case: Case, gradients: bool, skip_note: str = "") -> Outcome:
        """Build ``case`` with the reader's Value; check the value, then the gradients."""
        seconds = self.seconds * (5 if case.kind == "deep" else 1)
        built, raised = _attempt(self.filename, seconds, lambda: _build(case, self.Value))
        if raised is not None:
            if raised.stub():
                return Outcome(case, "stub", stub=raised.stub())
            if isinstance(raised.error, TookTooLong):
                self.hung.add(case.op)
            return self._failed(case, self._diagnose_error(case, raised))
        out, names = built
        reference = _reference(case, self.torch)
        data = getattr(out, "data", None)
        if not isinstance(out, self.Value):
            return self._failed(
                case,
                f"{case.code} should give a Value, but gives {type(out).__name__} {_number(out)}",
            )
        if not _close(data, reference.data, FD_TOLERANCE):
            shown_got, shown_want = _pair(data, reference.data)
            return self._failed(
                case,
                f"{_method(case.op)} computes the wrong value: its result's .data is {shown_got}, "
                f"expected {shown_want}",
            )
        if not gradients:
            return Outcome(case, "values-only", note=skip_note)
        _, raised = _attempt(self.filename, seconds, out.backward)
        if raised is not None:
            if raised.stub() == "backward":
                return Outcome(case, "values-only", note=skip_note)
            return self._failed(case, self._diagnose_error(case, raised))
        wrong = {}
        for name, want in reference.grads.items():
            got = getattr(names[name], "grad", None)
            torch_want = None if reference.torch_grads is None else reference.torch_grads[name]
            if not _close(got, want, FD_TOLERANCE) or (
                torch_want is not None and not _close(got, torch_want, TORCH_TOLERANCE)
            ):
                wrong[name] = (got, want if torch_want is None else torch_want)
        if not wrong:
            return Outcome(case, "pass")
        details = []
        for name, (got, want) in wrong.items():
            shown_got, shown_want = _pair(got, want)
            details.append(f"{name}.grad is {shown_got}, expected {shown_want}")
        return self._failed(case, self._diagnose_gradients(case, wrong), details)

    def _failed(self, case: Case, diagnosis: str, details: list[str] | None = None) -> Outcome:
        self.failing.add(case.op)
        return Outcome(case, "fail", diagnosis, details or [])

    def _diagnose_error(self, case: Case, raised: Raised) -> str:
        error = raised.error
        what = f"{case.code} raises {raised.describe()}"
        if isinstance(error, TookTooLong):
            return f"{what}: an endless loop?"
        if isinstance(error, RecursionError) and case.kind == "deep":
            return (
                f"backward() dies with RecursionError on a chain {DEEP_CHAIN:,} nodes deep: "
                "a recursive topological sort makes one call per level, and Python stops at "
                "about 1,000. Walk the graph with a loop and a list as your own stack."
            )
        if isinstance(error, TypeError) and "unsupported operand" in str(error):
            if case.kind == "reflected" and getattr(self.Value, case.op, None) is None:
                return (
                    f"{what}. Python asks the number first, which does not know Value, then "
                    f"looks for Value.{case.op}, which is missing: reflected operators are "
                    "not written."
                )
            return f"{what}: is {case.op} missing?"
        if isinstance(error, AttributeError) and case.kind == "number" and "data" in str(error):
            return (
                f"{what}: {case.op} must accept a plain number. Wrap it first: "
                "other = other if isinstance(other, Value) else Value(other)."
            )
        if isinstance(error, OverflowError) and case.op == "tanh":
            return f"{what}: compute tanh with math.tanh, which cannot overflow."
        if isinstance(error, AttributeError) and f"'{case.op}'" in str(error):
            return f"{what}: Value has no method {case.op} yet."
        return what

    def _diagnose_gradients(self, case: Case, wrong: dict[str, tuple[object, float]]) -> str:
        method = _method(case.op)
        if case.kind in ("reuse", "shared"):
            line = f" (the line for {case.line})" if case.line else ""
            return (
                f"`=` instead of `+=` in {method}'s _backward{line}: a node used twice "
                "gets only one path's gradient."
            )
        if case.kind == "chain":
            return (
                "backward() calls a node's _backward before that node has its gradient: "
                "walk the topological order backwards, from the output to the inputs."
            )
        if case.kind == "shared-node":
            if "h" in wrong:
                return (
                    "h, used twice, does not collect both gradients; look for `=` instead "
                    "of `+=` in __add__ and __mul__."
                )
            return (
                "backward() visits nodes in the wrong order: h is used twice and passed its "
                "gradient on before the second use had added its part. Visit nodes in "
                "reverse topological order."
            )
        if case.kind == "deep":
            return "backward() gives a wrong gradient on a long chain."
        checked = [name for name, _ in case.inputs]
        if case.kind == "op" and all(wrong.get(name, (None,))[0] == 0 for name in checked):
            return (
                f"no gradient reaches any input of {method}: is `out._backward = _backward` "
                "missing, or are the lines of its _backward?"
            )
        parts = []
        for name, (got, _) in wrong.items():
            role = _role(case, name)
            if got == 0:
                if case.kind in ("derived", "reflected"):
                    parts.append(
                        f"{method} gives {role} no gradient: build the result from Value "
                        "operations, so that the graph records it"
                    )
                else:
                    parts.append(
                        f"{method}'s _backward never adds to the grad of {role}: its line is "
                        "missing"
                    )
            else:
                parts.append(f"{method} has the wrong local derivative for {role}")
        return "; ".join(parts) + "."

    # Steps -------------------------------------------------------------------------------

    def grade(self, last_step: int) -> list[StepResult]:
        outcomes: dict[int, list[Outcome]] = {step.number: [] for step in STEPS}
        first, *middle, last = STEPS
        basic = [c for c in first.cases if not c.needs_order]
        shared = [c for c in first.cases if c.needs_order]

        # backward() is the instrument every gradient check needs, so it is tried first on
        # the two smallest graphs, and a backward() that passes no gradient at all is told
        # apart from a mistake in one operation.
        if "backward" in self.stubs:
            note = "values only: gradients wait for backward(), step 6"
        else:
            self.backward_problem = self._check_gradients_flow()
            note = "values only: backward(), step 6, does not work yet"
        usable = "backward" not in self.stubs and not self.backward_problem
        outcomes[1] = [self._run_case(c, usable, "" if usable else note) for c in basic]
        step_one_ok = all(o.status == "pass" for o in outcomes[1])

        if usable:
            outcomes[6] = [self._run_case(c, True, "") for c in last.cases]
            for outcome in outcomes[6]:
                # h collected the wrong total: a `=` in + or *, which step 1 names.
                if outcome.status == "fail" and any(
                    d.startswith("h.grad") for d in outcome.details
                ):
                    outcome.status = "inconclusive"
            self.order_ok = step_one_ok and not any(
                o.status == "fail" and o.case.kind in ("chain", "shared-node") for o in outcomes[6]
            )
        # Several nodes' _backward run in a case made of several operations, so its
        # gradients are checked only once backward() visits them in a right order: before
        # that, a wrong number could be backward()'s fault.
        if usable and not self.order_ok:
            waits_for = "backward(), step 6" if step_one_ok else "step 1"
            note = f"some gradients wait for {waits_for}"
        ordered = usable and self.order_ok
        outcomes[1] += [self._run_case(c, ordered, "" if ordered else note) for c in shared]
        chain_failed = any(o.status == "fail" and o.case.kind == "chain" for o in outcomes[6])
        found_it = any(o.status == "fail" and o.case.kind == "shared" for o in outcomes[1])
        for outcome in outcomes[6]:
            # When the plain chain already fails, every gradient after it is wrong for the
            # same reason; only a crash on the deep chain says something new.
            explained = chain_failed and outcome.case.kind != "chain" and outcome.details
            if outcome.status == "inconclusive":
                outcome.status = "skipped" if found_it or chain_failed else "fail"
            elif outcome.status == "fail" and explained:
                outcome.status = "skipped"
        for step in middle:
            for c in step.cases:
                check = usable and (self.order_ok or not c.needs_order)
                outcomes[step.number].append(self._run_case(c, check, "" if check else note))

        results = [
            self._summarize(step, outcomes[step.number])
            for step in STEPS
            if step.number <= last_step
        ]
        if self.backward_problem and last_step == 6:
            results[-1].status = FAIL
            results[-1].diagnoses.insert(0, self.backward_problem)
        return results

    def _run_case(self, c: Case, gradients: bool, note: str) -> Outcome:
        if c.op in self.stubs:
            return Outcome(c, "stub", stub=c.op)
        # After one failure an operation is not graded further: its first failure is the
        # smallest expression that shows the problem.
        if (c.op in self.failing and c.op != "backward") or c.op in self.blocked:
            return Outcome(c, "skipped")
        hung = tuple(u for u in c.uses if u in self.hung)
        if hung:
            # It would only hang again, for the full time limit.
            self.blocked.add(c.op)
            return Outcome(c, "fail", blocked_by=hung)
        outcome = self.run(c, gradients, note)
        if outcome.status == "fail":
            broken = tuple(u for u in c.uses if u in self.stubs or u in self.failing)
            if broken:
                # Not this operation's fault, as far as anyone can tell yet.
                outcome.blocked_by = broken
                self.blocked.add(c.op)
                self.failing.discard(c.op)
        return outcome

    def _check_gradients_flow(self) -> str:
        """Why backward() passes no gradient at all, or "" when gradients do get through."""
        out_grad: object = None
        for c in (STEPS[0].cases[0], STEPS[0].cases[3]):  # x + y and x * y

            def attempt(c: Case = c) -> tuple[object, list[object]]:
                out, names = _build(c, self.Value)
                out.backward()
                return out.grad, [names[name].grad for name, _ in c.inputs]

            result, raised = _attempt(self.filename, self.seconds, attempt)
            if raised is not None:
                in_operation = raised.function.startswith(("Value.__add__", "Value.__mul__"))
                if raised.stub() or in_operation:
                    return ""  # the operation's own check reports it
                return f"backward() fails on ({c.code}).backward(): {raised.describe()}"
            out_grad, grads = result
            if any(grad != 0 for grad in grads):
                return ""
        if out_grad != 1:
            return (
                "backward() passes no gradient at all: it must first set the output's own "
                f"grad to 1.0 (after (x * y).backward() it is {_number(out_grad)})."
            )
        return (
            "backward() passes no gradient at all, to any input of + or *: does it call "
            "every node's _backward, and do your operations set out._backward?"
        )

    def _summarize(self, step: Step, outcomes: list[Outcome]) -> StepResult:
        result = StepResult(step)
        failed = [o for o in outcomes if o.status == "fail"]
        own_stubs = [m for m in step.methods if m in self.stubs]
        other_stubs = sorted({o.stub for o in outcomes if o.stub and o.stub not in step.methods})
        blocked: dict[tuple[str, ...], list[str]] = {}
        for outcome in failed:
            if outcome.blocked_by:
                blocked.setdefault(outcome.blocked_by, []).append(outcome.case.code)
                continue
            text = f"{outcome.diagnosis}\n        {outcome.case.shown()}"
            for detail in outcome.details:
                text += f"\n        {detail}"
            result.diagnoses.append(text)
        for methods, codes in blocked.items():
            uses = _words([f"{m} (step {STEP_OF[m]})" for m in methods])
            verb = "does" if len(methods) == 1 else "do"
            result.diagnoses.append(
                f"{_words(codes)} {'uses' if len(codes) == 1 else 'use'} {uses}, which "
                f"{verb} not pass yet: fix that first."
            )
        if failed:
            result.status = FAIL
        elif own_stubs or other_stubs:
            result.status = NOT_WRITTEN
            if own_stubs and len(own_stubs) < len(step.methods):
                result.note = f"{', '.join(own_stubs)} still to write"
            elif other_stubs and not own_stubs:
                result.note = f"needs {', '.join(other_stubs)}"
        else:
            notes = sorted({o.note for o in outcomes if o.status == "values-only" and o.note})
            if notes:
                result.note = notes[0]
        return result


# -- Entry points -----------------------------------------------------------------------------


def check_source(
    text: str,
    filename: str = "engine.py",
    last_step: int = 6,
    use_torch: bool | None = None,
    seconds: float = TIME_LIMIT,
) -> Report:
    """Grade the engine whose source is ``text``; nothing is printed.

    ``use_torch``: None uses PyTorch when it is installed, False never does.

    >>> from autograd.workbook import STARTER, check_source
    >>> report = check_source(STARTER, use_torch=False)
    >>> [result.status for result in report.steps]
    ['not yet written', 'not yet written', 'not yet written', 'not yet written', \
'not yet written', 'not yet written']
    >>> report.passed
    False
    """
    report = Report(Path(filename).name)
    printed = io.StringIO()
    module_name = f"_workbook_engine_{id(printed)}"
    module = types.ModuleType(module_name)
    module.__file__ = filename
    sys.modules[module_name] = module  # dataclasses and friends look their module up here
    stdin = sys.stdin
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            sys.stdin = io.StringIO()  # an input() in the file ends instead of waiting
            try:
                code = compile(text, filename, "exec")
            except SyntaxError as error:
                report.problem = (
                    f"{report.filename} cannot be imported: {type(error).__name__}: "
                    f"{error.msg} (line {error.lineno})"
                )
                return report
            _, raised = _attempt(filename, seconds, lambda: exec(code, module.__dict__))
            if raised is not None:
                report.problem = f"{report.filename} cannot be imported: {raised.describe()}"
                return report
            value_class = module.__dict__.get("Value")
            if not isinstance(value_class, type):
                report.problem = f"{report.filename} defines no class Value."
                return report
            leaf, raised = _attempt(filename, seconds, lambda: value_class(2.0))
            if raised is not None:
                report.problem = f"Value(2.0) raises {raised.describe()}"
                return report
            start = (getattr(leaf, "data", None), getattr(leaf, "grad", None))
            if start != (2.0, 0):
                report.problem = (
                    f"Value(2.0) should have data 2.0 and grad 0, but has data "
                    f"{_number(start[0])} and grad {_number(start[1])}."
                )
                return report
            torch = _torch_module(use_torch)
            report.references = "central finite differences" + (
                " (PyTorch is not installed)"
                if use_torch is None and torch is None
                else " and PyTorch (float64)"
                if torch is not None
                else ""
            )
            grader = Grader(value_class, filename, torch, seconds)
            report.steps = grader.grade(last_step)
    finally:
        sys.stdin = stdin
        sys.modules.pop(module_name, None)
        report.printed_lines = len(printed.getvalue().splitlines())
    return report


def check_file(path: str | Path, **options: Any) -> Report:
    """Grade the engine in the file at ``path``; see :func:`check_source` for ``options``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        report = Report(path.name)
        report.problem = f"cannot read {path}: {error}"
        return report
    return check_source(text, str(path.resolve()), **options)


def start(directory: str | Path) -> Path:
    """Write the starter ``engine.py`` into ``directory``; never overwrite a file."""
    path = Path(directory) / "engine.py"
    if path.exists():
        raise FileExistsError(f"{path} already exists; the workbook never overwrites a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (0 only when every checked step passes)."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.workbook",
        description="Write your own autograd engine and check it step by step.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    begin = commands.add_parser("start", help="write a starter engine.py into DIR")
    begin.add_argument("directory", metavar="DIR")
    grade = commands.add_parser("check", help="grade your engine.py step by step")
    grade.add_argument("path", metavar="ENGINE_PY")
    grade.add_argument(
        "--step",
        type=int,
        default=6,
        choices=range(1, 7),
        metavar="N",
        help="check steps 1 to N only (1-6; default 6, every step)",
    )
    grade.add_argument(
        "--no-torch", action="store_true",
        help="skip PyTorch (faster to start); finite differences still check every gradient",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.command == "start":
        try:
            path = start(args.directory)
        except FileExistsError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"Wrote {path}. Fill in step 1, then run:")
        print(f"  python -m autograd.workbook check {path} --step 1")
        return 0
    report = check_file(args.path, last_step=args.step, use_torch=False if args.no_torch else None)
    print(report.format())
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
