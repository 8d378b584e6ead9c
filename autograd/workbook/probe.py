"""What the checker observes of the learner's engine: the only code that touches it.

Each task (load the file, find out whether a method is still a stub, build one case and
get its gradients) returns plain data: numbers, names, the learner's line where something
was raised. It never decides pass or fail. In the command line this runs in a child
process (``sandbox.py``), and the parent grades what it reports; so nothing the learner's
file does to its own process (replacing ``math.isclose``, catching every exception,
``os._exit``) can make a wrong engine pass.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from autograd.workbook.catalogue import CASES, STEP_OF, Case, build
from autograd.workbook.references import checked_names

#: The argument each method is first called with, to find out whether it is still a stub.
PROBE_ARGUMENTS: dict[str, object] = {
    "__add__": "value",
    "__mul__": "value",
    "__sub__": "value",
    "__truediv__": "value",
    "__pow__": 2,
    "__radd__": 3.0,
    "__rmul__": 3.0,
}
MODULE_NAME = "engine"


class StillRunning(BaseException):
    """Raised into the learner's code when a task runs past its time limit (in-process only).

    A BaseException, so that ``except Exception`` in the learner's code does not stop it;
    the in-process limit raises it again on every later line, so that ``except
    BaseException`` does not stop it either.
    """

    def __init__(self, where: dict[str, Any], rearm: Callable[[], None] | None = None) -> None:
        super().__init__("still running")
        self.where = where
        self.rearm = rearm

    def __del__(self) -> None:
        # CPython turns tracing off when a trace function raises. When the learner's code
        # swallows this exception, the exception is freed here, in that code: turn it on again,
        # so that the next line raises once more.
        if self.rearm is not None:
            self.rearm()


@dataclass
class Learner:
    """The learner's file in this process: its name, its lines and, once loaded, its Value."""

    filename: str
    lines: list[str]
    value_class: Any = None
    module: types.ModuleType = field(default_factory=lambda: types.ModuleType(MODULE_NAME))

    def where(self, frame: types.FrameType | None) -> dict[str, Any]:
        """The innermost frame of the learner's file at or above ``frame``, as data."""
        while frame is not None and frame.f_code.co_filename != self.filename:
            frame = frame.f_back
        if frame is None:
            return {}
        return self._place(frame.f_code, frame.f_lineno)

    def _place(self, code: types.CodeType, line: int | None) -> dict[str, Any]:
        line = line or 0
        name = getattr(code, "co_qualname", code.co_name).replace(".<locals>", "")
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return {"function": name, "line": line, "text": text}

    def raised(self, error: BaseException) -> dict[str, Any]:
        """An exception, and the innermost place in the learner's file it came through."""
        if isinstance(error, StillRunning):
            return {"timeout": True, "where": error.where}
        place: dict[str, Any] = {}
        traceback = error.__traceback__
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename == self.filename:
                place = self._place(traceback.tb_frame.f_code, traceback.tb_lineno)
            traceback = traceback.tb_next
        info = {"type": type(error).__name__, "message": str(error)[:300], **place}
        method = str(place.get("function", "")).removeprefix("Value.")
        if isinstance(error, NotImplementedError) and method in STEP_OF:
            info["stub"] = method
        return {"error": info}


def number(value: object) -> float | str:
    """A float for the report, or the repr of what is not a number (shortened)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            pass
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def load(learner: Learner, code: types.CodeType) -> dict[str, Any]:
    """Run the learner's file; then check that it defines its own ``Value``."""
    try:
        exec(code, learner.module.__dict__)
    except (Exception, SystemExit, StillRunning) as error:
        return learner.raised(error)
    value_class = learner.module.__dict__.get("Value")
    if not isinstance(value_class, type):
        return {"problem": "defines no class Value"}
    if value_class.__module__ != MODULE_NAME:
        return {
            "problem": f"does not define Value itself: its Value comes from "
            f"{value_class.__module__}. Write your own class Value in this file"
        }
    for method in STEP_OF:
        owner = next((k for k in value_class.__mro__ if method in k.__dict__), object)
        if owner is not object and owner.__module__ != MODULE_NAME:
            return {
                "problem": f"does not define Value.{method} itself: it comes from "
                f"{owner.__module__}. Write it in this file"
            }
    learner.value_class = value_class
    try:
        leaf = value_class(2.0)
    except (Exception, SystemExit, StillRunning) as error:
        return {"leaf": learner.raised(error)}
    return {"leaf": {"data": number(getattr(leaf, "data", None)), "grad": number(leaf.grad)}}


def is_stub(learner: Learner, method: str) -> dict[str, Any]:
    """Call ``method`` once: does it raise the starter's ``NotImplementedError``?"""
    Value = learner.value_class
    argument = PROBE_ARGUMENTS.get(method)
    try:
        bound = getattr(Value(2.0), method, None)
        if bound is None:
            return {"stub": False, "missing": True}
        if argument == "value":
            bound(Value(3.0))
        elif argument is None:
            bound()
        else:
            bound(argument)
    except (Exception, SystemExit, StillRunning) as error:
        result = learner.raised(error)
        return {"stub": result.get("error", {}).get("stub") == method, **result}
    return {"stub": False}


def graph_order(out: Any) -> list[Any] | None:
    """Every node of the graph, each after its inputs; None if a node has no ``_prev``.

    The checker's own walk, so that steps 1 to 5 need no ``backward()`` of the learner's.
    Nodes are told apart by id: a Value that defines ``__eq__`` may not be hashable.
    """
    order: list[Any] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(out, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        inputs = getattr(node, "_prev", None)
        if inputs is None:
            return None
        stack.append((node, True))
        stack.extend((child, False) for child in inputs)
    return order


def takes_gradient(function: Any) -> bool:
    """Does ``_backward`` take the upstream gradient (the book) or read out.grad (micrograd)?"""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        for p in parameters
    )


def run_case(learner: Learner, index: int) -> dict[str, Any]:
    """Build case ``index``, read its value, then its gradients the way ``case.mode`` says."""
    case = CASES[index]
    try:
        out, names = build(case, learner.value_class)
    except (Exception, SystemExit, StillRunning) as error:
        return {"stage": "build", **learner.raised(error)}
    result: dict[str, Any] = {
        "data": number(getattr(out, "data", None)),
        "type": type(out).__name__,
        "is_value": isinstance(out, learner.value_class),
    }
    if not result["is_value"]:
        return result
    try:
        result.update(_gradients(case, out, names))
    except (Exception, SystemExit, StillRunning) as error:
        result.update({"stage": "backward", **learner.raised(error)})
    return result


def _grads(case: Case, names: dict[str, Any]) -> dict[str, float | str]:
    return {name: number(getattr(names[name], "grad", None)) for name in checked_names(case)}


def _gradients(case: Case, out: Any, names: dict[str, Any]) -> dict[str, Any]:
    order = graph_order(out)
    if case.mode == "manual":
        if order is None:
            return {"no_prev": True}
        # What micrograd's lecture does by hand: set the output's grad, then call each
        # node's _backward, output first, in whichever style the node's _backward takes.
        out.grad = case.upstream
        style = ""
        for node in reversed(order):
            if node._prev:
                style = style or ("argument" if takes_gradient(node._backward) else "closure")
                if takes_gradient(node._backward):
                    node._backward(node.grad)
                else:
                    node._backward()
        return {"grads": _grads(case, names), "style": style}
    counts = _count_calls(order or [])
    out.backward()
    result: dict[str, Any] = {"grads": _grads(case, names), "out_grad": number(out.grad)}
    if counts:
        result["calls_max"] = max(counts.values())
        result["calls_missing"] = sum(1 for n in counts.values() if n == 0)
    if case.mode == "twice":
        result["first"] = result["grads"]
        out.backward()
        result["grads"] = _grads(case, names)
    return result


def _count_calls(order: list[Any]) -> dict[int, int]:
    """Wrap every interior node's ``_backward`` to count how often ``backward()`` calls it."""
    counts: dict[int, int] = {}
    for node in order:
        if not node._prev:
            continue
        original = node._backward

        def counted(*args: Any, _original: Any = original, _key: int = id(node)) -> Any:
            counts[_key] += 1
            return _original(*args)

        try:
            node._backward = counted
        except (AttributeError, TypeError):
            return {}
        counts[id(node)] = 0
    return counts
