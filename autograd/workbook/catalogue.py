"""The catalogue: the six steps, and the expressions (cases) that grade each one.

Nothing here runs the learner's code. A :class:`Case` is text plus the numbers to put in it;
:func:`build` evaluates that text with any kind of number: the learner's ``Value`` (in the
sandbox), plain floats (the finite-difference reference) or torch tensors.

The test points are drawn once, from a generator with a fixed seed, so every run checks the
same numbers; they avoid 0 and +-1, where a wrong derivative can give the right number (at
x = 1, ``x * exp(x)`` equals ``exp(x)``). The upstream gradient of a one-operation graph is
never 1 either, so a ``_backward`` that forgets to multiply by it shows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Deep enough that a recursive topological sort hits Python's limit of about 1,000 calls.
DEEP_CHAIN = 10_000
DEEP_CODE = f"x * 1.0001 * 1.0001 * ... ({DEEP_CHAIN:,} products)"
#: Levels of ``y = y + y``: a walk without a visited set makes 2 ** levels visits.
REUSE_LEVELS = 24
REUSE_CODE = f"y = x + x; y = y + y; ... ({REUSE_LEVELS} levels)"
#: Seconds the reuse-heavy graph may take: a visited set makes it instant.
REUSE_SECONDS = 2.0

#: How the checker gets the gradients: "manual" calls each node's ``_backward`` itself, in
#: an order it knows is right, after setting the output's grad (steps 1 to 5, so that
#: gradients are graded before ``backward()`` exists); "backward" calls the learner's
#: ``backward()``; "twice" calls it twice and reads the gradients after each call.
MODES = ("manual", "backward", "twice")


@dataclass(frozen=True)
class Case:
    """One expression to build with the learner's ``Value`` and compare with the references.

    ``code`` is an expression, or statements ``name = formula`` separated by ``"; "`` and
    then the expression. ``kind`` says what a wrong gradient means (``diagnoses.py``).
    """

    code: str
    inputs: tuple[tuple[str, float], ...]
    op: str
    kind: str
    mode: str = "manual"
    #: The gradient the checker sets on the output before it runs the ``_backward`` calls.
    upstream: float = 1.0
    #: The line of ``op``'s ``_backward`` a "shared" case tests: "self" or "other".
    line: str = ""
    #: Other methods the expression calls; a failure there is not ``op``'s fault.
    uses: tuple[str, ...] = ()
    #: Interior names whose ``grad`` is checked too (the inputs' always are).
    watch: tuple[str, ...] = ()
    #: The time limit for this case, when it is not the checker's usual one.
    seconds: float | None = None

    def shown(self) -> str:
        """The expression and its inputs, as the report prints them."""
        values = ", ".join(f"{name} = {value:g}" for name, value in self.inputs)
        text = f"{self.code}   with {values}"
        if self.mode == "manual" and self.upstream != 1.0:
            text += f", out.grad = {self.upstream:g}"
        return text


@dataclass(frozen=True)
class Step:
    number: int
    methods: tuple[str, ...]
    cases: tuple[Case, ...]

    def title(self) -> str:
        return ", ".join(self.methods)


_points = random.Random(16)


def _point(low: float = 0.3, high: float = 2.9, signed: bool = True) -> float:
    """A seeded test point, two decimals, away from 0 and +-1 (see the module's docstring)."""
    while True:
        x = round(_points.uniform(low, high), 2)
        if abs(x - 1) >= 0.2:
            return -x if signed and _points.random() < 0.5 else x


def _upstream() -> float:
    return _point(1.5, 3.5)


def case(code: str, op: str, kind: str, **keywords: Any) -> Case:
    """A :class:`Case`; inputs are the keywords named like variables (x, y)."""
    inputs = tuple((name, float(keywords.pop(name))) for name in ("x", "y") if name in keywords)
    keywords.setdefault("upstream", _upstream())
    return Case(code, inputs, op, kind, **keywords)


def at_points(code: str, op: str, count: int = 3, **keywords: Any) -> tuple[Case, ...]:
    """``count`` cases of one operation at seeded points (``positive`` keeps x > 0)."""
    signed = not keywords.pop("positive", False)
    names = [name for name in ("x", "y") if name in code]
    return tuple(
        case(code, op, "op", **{name: _point(signed=signed) for name in names}, **keywords)
        for _ in range(count)
    )


def _step6(code: str, kind: str, mode: str = "backward", **keywords: Any) -> Case:
    keywords.setdefault("uses", ("__add__", "__mul__"))
    return case(code, "backward", kind, mode=mode, upstream=1.0, **keywords)


STEPS = (
    Step(1, ("__add__", "__mul__"), (
        *at_points("x + y", "__add__"),
        case("x + 5", "__add__", "number", x=_point()),
        case("x + x", "__add__", "reuse", x=_point()),
        *at_points("x * y", "__mul__"),
        case("x * 4", "__mul__", "number", x=_point()),
        case("x * x", "__mul__", "reuse", x=_point()),
        case("(x + y) + x", "__add__", "shared", line="self", x=2, y=-3),
        case("(y + x) + x", "__add__", "shared", line="other", x=2, y=-3),
        case("(x * y) * x", "__mul__", "shared", line="self", x=2, y=-3),
        case("(y * x) * x", "__mul__", "shared", line="other", x=2, y=-3),
    )),
    Step(2, ("__pow__",), (
        *at_points("x ** 3", "__pow__"),
        *at_points("x ** -2", "__pow__", count=2),
        *at_points("x ** 0.5", "__pow__", count=2, positive=True),
        case("x + x ** 2", "__pow__", "reuse", uses=("__add__",), x=_point()),
    )),
    Step(3, ("__neg__", "__sub__", "__truediv__"), (
        case("-x", "__neg__", "derived", uses=("__mul__",), x=_point()),
        case("x - y", "__sub__", "derived", uses=("__add__", "__mul__", "__neg__"),
             x=_point(), y=_point()),
        case("x - 1", "__sub__", "number", uses=("__add__", "__mul__", "__neg__"), x=_point()),
        case("x / y", "__truediv__", "derived", uses=("__mul__", "__pow__"),
             x=_point(), y=_point()),
        case("x / 4", "__truediv__", "number", uses=("__mul__", "__pow__"), x=_point()),
    )),
    Step(4, ("__radd__", "__rmul__"), (
        case("5 + x", "__radd__", "reflected", uses=("__add__",), x=_point()),
        case("4 * x", "__rmul__", "reflected", uses=("__mul__",), x=_point()),
    )),
    Step(5, ("tanh", "relu", "exp"), (
        *at_points("x.tanh()", "tanh"),
        case("x.tanh()", "tanh", "op", x=400),
        case("x + x.tanh()", "tanh", "reuse", uses=("__add__",), x=_point()),
        *at_points("x.relu()", "relu", count=2, positive=True),
        case("x.relu()", "relu", "op", x=-_point(signed=False)),
        case("x + x.relu()", "relu", "reuse", uses=("__add__",), x=_point(signed=False)),
        *at_points("x.exp()", "exp"),
        case("x + x.exp()", "exp", "reuse", uses=("__add__",), x=_point()),
    )),
    Step(6, ("backward",), (
        _step6("x * y", "flow", x=_point(), y=_point()),
        _step6("(x * 2 + 1) * 3", "chain", x=2),
        _step6("h = x * 3; h * (h + 1)", "shared-node", watch=("h",), x=2),
        _step6("h = x * 3; (h + 1) * 2 * h", "shared-node", watch=("h",), x=2),
        _step6(REUSE_CODE, "reuse-heavy", x=0.5, seconds=REUSE_SECONDS),
        _step6(DEEP_CODE, "deep", uses=("__mul__",), x=1),
        _step6("x * x", "twice", mode="twice", x=3),
        _step6("a = x * 3; b = a + 1; a * b", "twice", mode="twice", x=2),
    )),
)  # fmt: skip

STEP_OF = {method: step.number for step in STEPS for method in step.methods}
#: Every case, numbered: the sandbox is told a case by its index here.
CASES = tuple(c for step in STEPS for c in step.cases)
CASE_INDEX = {c: index for index, c in enumerate(CASES)}


def build(
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
    if case.code == REUSE_CODE:
        out = names["x"] + names["x"]
        for _ in range(REUSE_LEVELS - 1):
            out = out + out
        return out, names
    *statements, expression = case.code.split("; ")
    for statement in statements:
        target, formula = statement.split(" = ")
        # eval only ever sees the catalogue's own text above, never the learner's.
        names[target] = eval(formula, {}, names)
        if nudge and nudge[0] == target:
            names[target] = leaf(float(names[target]) + nudge[1])
        if after_assign is not None:
            after_assign(target, names[target])
    return eval(expression, {}, names), names
