"""What a wrong answer means: each diagnosis in words, and the book's section that teaches it.

The grader (``grader.py``) decides that a case failed; the functions here turn what the
sandbox observed into one sentence a learner can act on. Every sentence ends by pointing to
a section of the book (``SECTIONS``), which ``tests/test_workbook.py`` checks exists.
"""

from __future__ import annotations

from typing import Any

from autograd.workbook.catalogue import DEEP_CHAIN, REUSE_LEVELS, Case

#: Chapter title and "file.md#anchor" of each lesson a diagnosis points to.
SECTIONS = {
    "chain": ("The chain rule", "chain-rule.md#the-code-local-derivative-times-upstream-gradient"),
    "accumulate": ("Gradient accumulation", "accumulation.md#what-goes-wrong-with"),
    "shape": ("Building Value", "value.md#the-shape-of-every-operation"),
    "value": ("Building Value", "value.md"),
    "functions": (
        "Building Value: functions",
        "value-functions.md#activation-functions-and-friends",
    ),
    "tanh": ("Building Value: functions", "value-functions.md#tanh"),
    "number": ("Building Value", "value.md#plain-numbers-and-bad-input"),
    "derived": ("Building Value", "value.md#operations-that-need-no-new-calculus"),
    "reflected": ("Building Value", "value.md#reflected-operators-when-the-number-comes-first"),
    "order": ("Why a topological order", "topological-order.md#a-graph-where-the-order-matters"),
    "visited": ("Why a topological order", "topological-order.md#the-order-that-works"),
    "recursion": ("Why a topological order", "topological-order.md#why-iterative-not-recursive"),
    "reset": ("Why a topological order", "topological-order.md#backward-line-by-line"),
    "leaves": ("Gradient accumulation", "accumulation.md#gradients-pile-up-across-backward-calls"),
}


def method_name(op: str) -> str:
    return op if op.startswith("__") else f"{op}()"


def shown(value: object) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def pair(got: object, want: float) -> tuple[str, str]:
    """Both numbers, with as many digits as it takes to see that they differ."""
    if isinstance(got, float):
        for digits in (6, 10, 17):
            both = f"{got:.{digits}g}", f"{want:.{digits}g}"
            if both[0] != both[1]:
                return both
    return shown(got), shown(want)


def place(where: dict[str, Any]) -> str:
    """ "line 12, in Value.__add__: while True:" or "" when the line is not known."""
    if not where or not where.get("line"):
        return ""
    text = f"line {where['line']}"
    if where.get("function") and where["function"] != "<module>":
        text += f", in {where['function']}"
    return text + (f": {where['text']}" if where.get("text") else "")


def still_running(seconds: float, where: dict[str, Any], during: str = "") -> str:
    at = place(where)
    during = f" {during}" if during else ""
    return f"still running after {seconds:g} s{during}: an endless loop?" + (
        f" ({at})" if at else ""
    )


def _role(case: Case, name: str) -> str:
    if case.op not in ("__add__", "__mul__", "__sub__", "__truediv__") or len(case.inputs) < 2:
        return "its input (self)"
    # In every such case the first input named is the left operand.
    if name == case.inputs[0][0]:
        return "its left operand (self)"
    return "its right operand (other)"


def error(case: Case, info: dict[str, Any], stage: str) -> tuple[str, str]:
    """(diagnosis, section key) for an exception the learner's code raised."""
    kind, message = info.get("type", ""), info.get("message", "")
    at = place(info)
    what = f"{case.code} raises {kind}: {message}" + (f" ({at})" if at else "")
    function = str(info.get("function", "")).removeprefix("Value.")
    if kind == "RecursionError" and function in ("__radd__", "__rmul__"):
        sign = "+" if function == "__radd__" else "*"
        return (
            f"{function} calls itself forever: `other {sign} self` with a plain number "
            f"`other` asks Python for number {sign} Value, which is {function} again. "
            f"Return `self {sign} other`, which goes to {'__add__' if sign == '+' else '__mul__'}",
            "reflected",
        )
    if kind == "RecursionError" and case.kind == "deep":
        return (
            f"backward() dies with RecursionError on a chain {DEEP_CHAIN:,} nodes deep: a "
            "recursive topological sort makes one call per level, and Python stops at about "
            "1,000. Walk the graph with a loop and a list as your own stack",
            "recursion",
        )
    if kind == "TypeError" and stage == "backward" and "positional argument" in message:
        return (
            f"{what}. Your backward() and your operations' _backward disagree on how the "
            "gradient gets in: either every _backward takes it, `_backward(out_grad)`, and "
            "backward() calls `node._backward(node.grad)`, or none does and backward() calls "
            "`node._backward()`",
            "chain",
        )
    if kind == "TypeError" and "unsupported operand" in message and case.kind == "reflected":
        return (
            f"{what}. Python asks the number first, which does not know Value, then looks "
            f"for Value.{case.op}, which is missing: reflected operators are not written",
            "reflected",
        )
    if kind == "AttributeError" and case.kind == "number" and "data" in message:
        return (
            f"{what}: {case.op} must accept a plain number. Wrap it first: "
            "other = other if isinstance(other, Value) else Value(other)",
            "number",
        )
    if kind == "AttributeError" and f"attribute '{case.op}'" in message:
        return f"{what}: Value has no method {case.op} yet", "functions"
    if kind == "OverflowError" and case.op == "tanh":
        return f"{what}: compute tanh with math.tanh, which cannot overflow", "tanh"
    if kind == "TypeError" and "unhashable" in message:
        return (
            f"{what}. A class that defines __eq__ loses its hash, so its objects cannot go "
            "into a set: leave __eq__ out of Value",
            "visited",
        )
    return what, "value" if case.op in ("__add__", "__mul__", "__pow__") else "functions"


def missing_factor(case: Case, style: str) -> tuple[str, str]:
    arriving = "`out.grad`" if style != "argument" else "the `out_grad` argument"
    return (
        f"{method_name(case.op)}'s _backward does not multiply by the gradient arriving from "
        f"the output ({arriving}): the chain rule says local derivative times upstream "
        "gradient",
        "chain",
    )


def local(case: Case, wrong: dict[str, tuple[object, float]]) -> tuple[str, str]:
    """A one-operation graph gave a wrong gradient: which line of which _backward."""
    method = method_name(case.op)
    if case.kind in ("reuse", "shared"):
        line = f" (the line for {case.line})" if case.line else ""
        return (
            f"`=` instead of `+=` in {method}'s _backward{line}: a node used twice gets only "
            "one path's gradient",
            "accumulate",
        )
    if case.kind in ("derived", "reflected") and all(got == 0 for got, _ in wrong.values()):
        return (
            f"{method} gives no gradient to its input: build the result from Value operations, "
            "so that the graph records it",
            "derived",
        )
    checked = [name for name, _ in case.inputs]
    if all(wrong.get(name, (None,))[0] == 0 for name in checked):
        return (
            f"no gradient reaches any input of {method}: is `out._backward = _backward` "
            "missing, or are the lines of its _backward?",
            "shape",
        )
    parts = []
    for name, (got, _) in wrong.items():
        if got == 0:
            parts.append(f"{method}'s _backward never adds to the grad of {_role(case, name)}")
        else:
            parts.append(f"{method} has the wrong local derivative for {_role(case, name)}")
    section = "functions" if case.op in ("tanh", "relu", "exp") else "value"
    return "; ".join(parts), section


def backward_pass(case: Case, answer: dict[str, Any], first_wrong: bool) -> tuple[str, str]:
    """Step 6 gave a wrong gradient: what backward() does wrong."""
    if answer.get("calls_max", 1) > 1:
        return (
            f"a node's _backward runs more than once ({answer['calls_max']} times in "
            f"{case.code}): keep a set of visited nodes, so that each node is listed once",
            "visited",
        )
    if case.kind == "twice" and not first_wrong:
        first, second = answer["first"]["x"], answer["grads"]["x"]
        if isinstance(first, float) and isinstance(second, float):
            if second == first:
                return (
                    "backward() sets the leaves' grad back to 0: a second backward() must add "
                    f"to x.grad (x.grad is {shown(second)} after the second call, expected "
                    f"{shown(2 * first)}). Reset only the nodes that have inputs",
                    "leaves",
                )
            if abs(second) > abs(2 * first):
                return (
                    "backward() does not reset the grad of the nodes that have inputs: a "
                    "second backward() starts from the first one's interior gradients (x.grad "
                    f"is {shown(second)} after the second call, expected {shown(2 * first)}). "
                    "Set them to 0.0 before seeding the output",
                    "reset",
                )
    if answer.get("out_grad") not in (1.0, None) and all(
        got == 0 for got in answer.get("grads", {}).values()
    ):
        return (
            "backward() passes no gradient at all: it must first set the output's own grad "
            f"to 1.0 (after backward() it is {shown(answer.get('out_grad'))})",
            "reset",
        )
    if answer.get("calls_missing"):
        return (
            f"backward() never calls the _backward of {answer['calls_missing']} node(s) of "
            f"{case.code}: call every node's _backward, output first",
            "order",
        )
    return (
        "backward() calls a node's _backward before that node has its whole gradient: walk "
        "the topological order backwards, from the output to the inputs",
        "order",
    )


def too_slow(case: Case, seconds: float, where: dict[str, Any]) -> tuple[str, str]:
    if case.kind == "reuse-heavy":
        return (
            f"backward() is still running after {seconds:g} s on {REUSE_LEVELS} levels of "
            "`y = y + y`, a graph of 25 nodes: without a set of visited nodes the walk "
            f"doubles at every level ({2**REUSE_LEVELS:,} visits). A node's _backward must "
            "run once: keep a set of visited nodes",
            "visited",
        )
    return f"{case.code}: {still_running(seconds, where)}", "value"
