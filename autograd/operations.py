"""The table of ``Value``'s operations: what each computes, its derivatives, where to test it.

The engine defines every operation as a method, written out (``engine.py`` has no tables);
this module *describes* them, once, for everything that checks them: the engine's tests
(hand-derived values, property tests against PyTorch and finite differences), the mutation
check in ``tools/``, and ``verify_gradients.every_op``. Adding an operation to the engine
means adding one ``Operation`` here, and the checks pick it up.

>>> from autograd.operations import OPERATIONS
>>> mul = OPERATIONS["mul"]
>>> mul.forward(2.0, -3.0), mul.derivatives(2.0, -3.0)
(-6.0, (-3.0, 2.0))
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Divisors, log arguments and bases of awkward powers stay at least this far from 0 where
#: the checks pick inputs, so nothing blows up and a finite-difference step stays defined.
MARGIN = 0.25
#: Inputs of a function with a kink (relu) stay at least this far from it.
KINK_MARGIN = 0.05
#: The exponents the checks try for ``x ** n``: integers, halves, negative ones, and 0.
EXPONENTS = (0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5, 2.0, -3.0)


@dataclass(frozen=True)
class Operation:
    """One operation of ``Value``, described for the checks.

    ``call`` applies it to ``Value`` objects (or PyTorch tensors, which have the same
    operators and methods); ``forward`` and ``derivatives`` are the same function and its
    local derivatives on plain floats, written from the calculus, not from the engine. Both
    take the ``inputs`` operands first, then the constant for an operation that has one
    (``x ** n``, ``2 * x``). ``domain`` says where the checks may evaluate it: defined, and
    away from poles and kinks by a margin (by default, everywhere). ``points`` are inputs
    (with the constant, if any) at which the derivatives are easy to verify by hand;
    ``constants`` are the numbers the checks try as that constant (empty for an operation
    that takes none). ``kinks`` are the inputs where the derivative jumps (relu's 0): a
    finite difference must not straddle one.
    """

    name: str
    method: str  # the Value method that computes it, e.g. "__mul__"
    inputs: int  # how many Value operands: 1 or 2
    # The row that stands for its method's own _backward. False for a composition, and for
    # the constant form of a primitive (x + 3 runs __add__'s _backward, 3 wrapped in a Value).
    primitive: bool
    call: Callable[..., Any]
    forward: Callable[..., float]
    derivatives: Callable[..., tuple[float, ...]]
    points: tuple[tuple[float, ...], ...]
    domain: Callable[..., bool] = lambda *args: True
    constants: tuple[float, ...] = ()  # the constants the checks try; () if it takes none
    kinks: tuple[float, ...] = ()  # inputs where the first operand's derivative jumps

    @property
    def takes_constant(self) -> bool:
        """Whether ``call`` takes a plain number after the operands."""
        return bool(self.constants)


def _sigmoid(x: float) -> float:
    # Written on both sides of 0 so that exp never overflows.
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _power_slope(x: float, n: float) -> float:
    # n * x ** (n - 1); x ** 0 is constant, so its slope is 0 (at x = 0 too).
    return n * x ** (n - 1) if n != 0 else 0.0


def _pow_domain(x: float, n: float) -> bool:
    fractional = not float(n).is_integer()
    return not (fractional and x < MARGIN) and not (n <= 0 and abs(x) < MARGIN)


#: The plain numbers the checks combine with a Value (x + c, c / x, ...).
_CONSTANTS = (-3.0, -1.75, -1.0, -0.5, 0.0, 0.3, 0.5, 1.0, 2.0, 2.75, 3.0)

_TABLE = [
    Operation(
        "add", "__add__", 2, True, operator.add, operator.add,
        lambda a, b: (1.0, 1.0), ((2.0, -3.0), (0.5, 0.25)),
    ),
    Operation(
        "mul", "__mul__", 2, True, operator.mul, operator.mul,
        lambda a, b: (b, a), ((2.0, -3.0), (0.5, 4.0)),
    ),
    Operation(
        "pow", "__pow__", 1, True, operator.pow, operator.pow,
        lambda a, n: (_power_slope(a, n),),
        ((3.0, 2), (-2.0, 3), (4.0, 0.5), (4.0, 1.5), (2.0, -1), (4.0, -0.5), (2.0, 0)),
        domain=_pow_domain, constants=EXPONENTS,
    ),
    Operation(
        "tanh", "tanh", 1, True, lambda a: a.tanh(), math.tanh,
        lambda a: (1.0 - math.tanh(a) ** 2,), ((0.0,), (math.atanh(0.5),), (-1.5,)),
    ),
    Operation(
        "relu", "relu", 1, True, lambda a: a.relu(), lambda a: a if a > 0 else 0.0,
        lambda a: (1.0 if a > 0 else 0.0,), ((3.0,), (-2.0,), (0.0,)),
        domain=lambda a: abs(a) >= KINK_MARGIN, kinks=(0.0,),
    ),
    Operation(
        "exp", "exp", 1, True, lambda a: a.exp(), math.exp,
        lambda a: (math.exp(a),), ((0.0,), (math.log(3.0),), (-2.0,)),
    ),
    Operation(
        "log", "log", 1, True, lambda a: a.log(), math.log,
        lambda a: (1.0 / a,), ((1.0,), (2.0,), (0.5,)),
        domain=lambda a: a >= MARGIN,
    ),
    Operation(
        "sigmoid", "sigmoid", 1, True, lambda a: a.sigmoid(), _sigmoid,
        lambda a: (_sigmoid(a) * (1.0 - _sigmoid(a)),),
        ((0.0,), (math.log(3.0),), (-math.log(3.0),)),
    ),
    # Derived operations: one-line compositions of the ones above.
    Operation(
        "neg", "__neg__", 1, False, operator.neg, operator.neg,
        lambda a: (-1.0,), ((2.0,), (-0.5,)),
    ),
    Operation(
        "sub", "__sub__", 2, False, operator.sub, operator.sub,
        lambda a, b: (1.0, -1.0), ((5.0, 3.0), (-1.0, 0.5)),
    ),
    Operation(
        "truediv", "__truediv__", 2, False, operator.truediv, operator.truediv,
        lambda a, b: (1.0 / b, -a / b**2), ((3.0, 4.0), (-1.0, 0.5)),
        domain=lambda a, b: abs(b) >= MARGIN,
    ),
    # A Value and a plain number, on either side.
    Operation(
        "add_c", "__add__", 1, False, operator.add, operator.add,
        lambda a, c: (1.0,), ((2.0, 3.0),), constants=_CONSTANTS,
    ),
    Operation(
        "sub_c", "__sub__", 1, False, operator.sub, operator.sub,
        lambda a, c: (1.0,), ((5.0, 3.0),), constants=_CONSTANTS,
    ),
    Operation(
        "mul_c", "__mul__", 1, False, operator.mul, operator.mul,
        lambda a, c: (c,), ((3.0, 2.0),), constants=_CONSTANTS,
    ),
    Operation(
        "div_c", "__truediv__", 1, False, operator.truediv, operator.truediv,
        lambda a, c: (1.0 / c,), ((3.0, 4.0),),
        domain=lambda a, c: abs(c) >= MARGIN, constants=_CONSTANTS,
    ),
    Operation(
        "radd", "__radd__", 1, False, lambda a, c: c + a, lambda a, c: c + a,
        lambda a, c: (1.0,), ((2.0, 1.0),), constants=_CONSTANTS,
    ),
    Operation(
        "rsub", "__rsub__", 1, False, lambda a, c: c - a, lambda a, c: c - a,
        lambda a, c: (-1.0,), ((2.0, 1.0),), constants=_CONSTANTS,
    ),
    Operation(
        "rmul", "__rmul__", 1, False, lambda a, c: c * a, lambda a, c: c * a,
        lambda a, c: (c,), ((3.0, 2.0),), constants=_CONSTANTS,
    ),
    Operation(
        "rtruediv", "__rtruediv__", 1, False, lambda a, c: c / a, lambda a, c: c / a,
        lambda a, c: (-c / a**2,), ((2.0, 6.0),),
        domain=lambda a, c: abs(a) >= MARGIN, constants=_CONSTANTS,
    ),
]  # fmt: skip

#: Every operation by name, primitive ones first, in the order of ``engine.py``.
OPERATIONS: dict[str, Operation] = {op.name: op for op in _TABLE}
