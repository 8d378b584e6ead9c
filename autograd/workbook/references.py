"""What a correct engine gives for each case, worked out without any engine.

The value comes from plain floats; each gradient from a central finite difference; and, only
when asked (``--torch``), from PyTorch in float64 as a second opinion. The functions are
bound when this module is imported, before any learner's code runs, so a learner's file that
replaces ``math.tanh`` cannot change what is expected of it.
"""

from __future__ import annotations

import functools
import importlib
import types
from dataclasses import dataclass
from math import exp, tanh
from typing import Any

from autograd.workbook.catalogue import Case, build

#: The step h of the central differences, and how close they must come.
FD_STEP = 1e-6
FD_TOLERANCE = 1e-6
#: PyTorch computes in float64 too, so only rounding may differ.
TORCH_TOLERANCE = 1e-9


class Number:
    """A plain float with the workbook's operations and no gradients: the forward reference."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = float(value)

    def __float__(self) -> float:
        return self.value

    @staticmethod
    def _plain(other: Number | float) -> float:
        return other.value if isinstance(other, Number) else float(other)

    def __add__(self, other: Number | float) -> Number:
        return Number(self.value + self._plain(other))

    def __mul__(self, other: Number | float) -> Number:
        return Number(self.value * self._plain(other))

    __radd__ = __add__
    __rmul__ = __mul__

    def __pow__(self, other: float) -> Number:
        return Number(self.value**other)

    def __neg__(self) -> Number:
        return Number(-self.value)

    def __sub__(self, other: Number | float) -> Number:
        return Number(self.value - self._plain(other))

    def __truediv__(self, other: Number | float) -> Number:
        return Number(self.value / self._plain(other))

    def tanh(self) -> Number:
        return Number(tanh(self.value))

    def relu(self) -> Number:
        return Number(max(0.0, self.value))

    def exp(self) -> Number:
        return Number(exp(self.value))


@dataclass(frozen=True)
class Reference:
    """A correct engine's value and d(result)/d(name) for each name checked.

    For a "manual" case the gradients include the upstream gradient the checker sets.
    """

    data: float
    grads: dict[str, float]
    #: PyTorch's gradients, when PyTorch was asked for; None otherwise.
    torch_grads: dict[str, float] | None


def load_torch() -> types.ModuleType:
    """PyTorch, imported only on request: it takes seconds, and the checker needs none of it."""
    return importlib.import_module("torch")


def checked_names(case: Case) -> list[str]:
    return [name for name, _ in case.inputs] + list(case.watch)


# The same catalogue is graded again for every file checked in one process (the tests, a
# browser page), and its references never change.
@functools.cache
def reference(case: Case, torch: types.ModuleType | None = None) -> Reference:
    scale = case.upstream if case.mode == "manual" else 1.0
    data = build(case, Number)[0].value
    grads = {}
    for name in checked_names(case):
        up = build(case, Number, nudge=(name, FD_STEP))[0].value
        down = build(case, Number, nudge=(name, -FD_STEP))[0].value
        grads[name] = scale * (up - down) / (2 * FD_STEP)
    torch_grads = None if torch is None else _torch_grads(case, torch, scale)
    return Reference(data, grads, torch_grads)


def _torch_grads(case: Case, torch: types.ModuleType, scale: float) -> dict[str, float]:
    def tensor(value: float) -> Any:
        return torch.tensor(value, dtype=torch.float64, requires_grad=True)

    def keep_grad(name: str, value: Any) -> None:
        if name in case.watch:
            value.retain_grad()

    out, names = build(case, tensor, after_assign=keep_grad)
    out.backward(torch.tensor(scale, dtype=torch.float64))
    return {
        name: 0.0 if names[name].grad is None else names[name].grad.item()
        for name in checked_names(case)
    }
