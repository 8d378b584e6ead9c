"""Optimizers: the update step of the training loop, packaged as in ``torch.optim``.

An optimizer is given the parameters once, then each training step calls ``zero_grad()``
before the backward pass and ``step()`` after it. ``SGD`` and ``Adam`` follow the update
formulas of ``torch.optim.SGD`` and ``torch.optim.Adam``. One step from the same state
agrees with PyTorch's to 4 units in the last place of ``max(1, abs(p))`` (PyTorch rounds
some updates once, with ``lerp`` and fused multiply-adds, where ours round twice), and the
differences add up to at most ``4 * n`` units after ``n`` steps; ``tests/test_optim.py``
checks both over 200 steps. They read and write only ``p.data`` and ``p.grad``, so they
work on any list of :class:`~autograd.engine.Value` objects, not just a network's, and,
with the same arithmetic done elementwise, on ``Tensor`` objects (``autograd/tensor.py``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from numbers import Real
from typing import Any

from autograd.engine import Value
from autograd.nn import Module


class Optimizer:
    """What every optimizer shares: its list of parameters and ``zero_grad()``.

    The parameters are leaves, each listed once. A Value computed from others, such as
    ``Value(1.0) * 2``, is refused as PyTorch refuses it ("can't optimize a non-leaf"):
    each forward pass computes its number again from its inputs, so a step on it would be
    lost. A parameter listed twice would be stepped twice: ``Module.parameters()`` lists a
    shared one once.

    Refused: with TypeError, a network instead of its ``parameters()`` and anything that
    is not a Value (or Tensor); with ValueError, an empty list, a non-leaf and a parameter
    listed twice. ``SGD`` and ``Adam`` also refuse a setting that is not a number
    (TypeError) or out of its range, such as a negative ``lr`` (ValueError).
    """

    def __init__(self, params: Iterable[Value]) -> None:
        if isinstance(params, Module):
            # SGD(net, ...) for SGD(net.parameters(), ...): a slip PyTorch users make too.
            raise TypeError(
                f"an optimizer takes a list of parameters, got a {type(params).__name__}:"
                " pass net.parameters()"
            )
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimizer got an empty list of parameters")
        for p in self.params:
            if not isinstance(p, _parameter_types()):
                raise TypeError(
                    f"parameters must be Value or Tensor objects, got {type(p).__name__}"
                )
            if p._prev:
                # Its number is recomputed from its inputs by every forward pass, so a step
                # on it would be lost; PyTorch refuses it in the same words.
                kind = type(p).__name__
                raise ValueError(
                    f"can't optimize a non-leaf {kind} (made by {p._op!r} from others): pass"
                    f" the leaves it is computed from, or {kind}(v.data) for a new leaf"
                )
        # The same Value twice would be updated twice per step.
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(
                "the list of parameters contains the same Value twice (a parameter shared by"
                " two modules?): list each once, as Module.parameters() does, for example"
                " with list(dict.fromkeys(params))"
            )

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient, ready for the next backward pass.

        As in PyTorch, each ``grad`` becomes None, "no gradient": ``backward()`` starts a
        parameter it reaches from 0.0, and ``step()`` leaves alone a parameter it did not
        reach (one that dropped out of the loss), momentum and weight decay included.
        ``set_to_none=False`` sets 0.0 instead, as ``Module.zero_grad()`` does; ``step()``
        then moves such a parameter as if its gradient were 0.

        >>> from autograd.engine import Value
        >>> from autograd.optim import SGD
        >>> used, unused = Value(1.0), Value(1.0)
        >>> optimizer = SGD([used, unused], lr=0.5, weight_decay=1.0)
        >>> optimizer.zero_grad()
        >>> (used * 2.0).backward()
        >>> used.grad, unused.grad
        (2.0, None)
        >>> optimizer.step()
        >>> used.data, unused.data
        (-0.5, 1.0)
        """
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif isinstance(p.grad, float):
                p.grad = 0.0
            else:  # a Tensor's grad: an array, zeroed in place to keep its shape
                p.grad[...] = 0.0


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum and weight decay.

    Each ``step()`` moves every parameter against its gradient. With ``momentum`` it moves
    along a decaying sum of past gradients instead (each step multiplies the sum by
    ``momentum`` and adds the new gradient); ``weight_decay`` adds
    ``weight_decay * p.data`` to each gradient first, which is the gradient of an L2 penalty
    ``weight_decay / 2 * p.data ** 2``. The formulas are ``torch.optim.SGD``'s (without
    ``dampening`` and ``nesterov``).

    >>> from autograd.engine import Value
    >>> from autograd.optim import SGD
    >>> w = Value(0.5)
    >>> optimizer = SGD([w], lr=0.05)
    >>> optimizer.zero_grad()
    >>> ((w * 2.0 - 3.0) ** 2).backward()
    >>> optimizer.step()
    >>> round(w.data, 12)
    0.9
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _check_number("lr", lr)
        self.momentum = _check_number("momentum", momentum)
        self.weight_decay = _check_number("weight_decay", weight_decay)
        # One running sum per parameter; None until the first step.
        self.momentum_buffers: list[float | None] = [None] * len(self.params)

    def step(self) -> None:
        """Update every parameter once, from the gradient in its ``grad``."""
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue  # no gradient reached p since zero_grad(): leave it, as PyTorch does
            grad = p.grad
            if self.weight_decay != 0:
                grad = grad + self.weight_decay * p.data
            if self.momentum != 0:
                buffer = self.momentum_buffers[i]
                # As in PyTorch, the first step starts the running sum at the gradient.
                buffer = grad if buffer is None else self.momentum * buffer + grad
                self.momentum_buffers[i] = buffer
                grad = buffer
            p.data -= self.lr * grad


class Adam(Optimizer):
    """Adam: a step from running averages of the gradient and of its square.

    ``m`` averages the gradient (its direction), ``v`` the squared gradient (its typical
    size); the step is ``lr * m / sqrt(v)``, so each parameter moves about ``lr`` per step
    however large or small its gradients are. Both averages start at 0, which makes them
    too small during the first steps; dividing by ``1 - beta ** step`` corrects that.
    ``weight_decay`` adds ``weight_decay * p.data`` to the gradient before the averages, as
    ``torch.optim.Adam`` does (``AdamW`` instead shrinks the weights directly). With
    ``eps=0.0``, a parameter whose gradients have all been 0 has ``sqrt(v) = 0`` and its
    step would divide by zero: ``step()`` raises ZeroDivisionError, where PyTorch gives
    nan, as the engine does for every division by zero.

    >>> from autograd.engine import Value
    >>> from autograd.optim import Adam
    >>> w = Value(0.5)
    >>> optimizer = Adam([w], lr=0.1)
    >>> optimizer.zero_grad()
    >>> ((w * 2.0 - 3.0) ** 2).backward()
    >>> optimizer.step()
    >>> round(w.data, 6)  # the first step is lr long, whatever the gradient's size
    0.6
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _check_number("lr", lr)
        if not isinstance(betas, tuple) or len(betas) != 2:
            raise TypeError(f"betas must be a tuple of two numbers, got {betas!r}")
        self.betas = (
            _check_number("betas[0]", betas[0], below=1.0),
            _check_number("betas[1]", betas[1], below=1.0),
        )
        self.eps = _check_number("eps", eps)
        self.weight_decay = _check_number("weight_decay", weight_decay)
        # Steps taken by each parameter: one that got no gradient does not count a step.
        self.steps = [0] * len(self.params)
        self.exp_avg = [0.0] * len(self.params)  # m: running average of the gradient
        self.exp_avg_sq = [0.0] * len(self.params)  # v: running average of its square

    def step(self) -> None:
        """Update every parameter once, from the gradient in its ``grad``."""
        beta1, beta2 = self.betas
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue  # no gradient reached p since zero_grad(): leave it, as PyTorch does
            self.steps[i] += 1
            bias_correction1 = 1 - beta1 ** self.steps[i]
            bias_correction2 = 1 - beta2 ** self.steps[i]
            step_size = self.lr / bias_correction1
            grad = p.grad
            if self.weight_decay != 0:
                grad = grad + self.weight_decay * p.data
            self.exp_avg[i] = beta1 * self.exp_avg[i] + (1 - beta1) * grad
            self.exp_avg_sq[i] = beta2 * self.exp_avg_sq[i] + (1 - beta2) * grad * grad
            # PyTorch's order: eps is added after the bias correction of sqrt(v).
            denom = _sqrt(self.exp_avg_sq[i]) / math.sqrt(bias_correction2) + self.eps
            if _has_zero(denom):  # only when eps is 0.0; PyTorch's step gives nan or inf
                raise _zero_denominator_error(i)
            p.data -= step_size * (self.exp_avg[i] / denom)


def _zero_denominator_error(index: int) -> ZeroDivisionError:
    return ZeroDivisionError(
        f"Adam.step() divides by zero for parameter {index}: with eps=0.0, a parameter whose"
        " gradients so far were all 0 (or too small to square) has sqrt(v) = 0; use an eps"
        " above 0, such as the default 1e-8"
    )


def _parameter_types() -> tuple[type, ...]:
    # A Tensor exists only once autograd.tensor is imported: asking for it here would make
    # every optimizer need NumPy.
    tensor_module = sys.modules.get("autograd.tensor")
    return (Value,) if tensor_module is None else (Value, tensor_module.Tensor)


def _sqrt(x: Any) -> Any:
    # The same step for a number (a Value's) and for an array (a Tensor's, elementwise).
    return math.sqrt(x) if isinstance(x, float) else x**0.5


def _has_zero(x: Any) -> bool:
    # A number (a Value's denominator) or an array (a Tensor's): is any element 0?
    return x == 0.0 if isinstance(x, float) else bool((x == 0.0).any())


def _check_number(name: str, value: float, below: float = math.inf) -> float:
    # bool is a Real, but lr=True is a mistake, not 1.0.
    if not isinstance(value, Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    if not (0.0 <= value < below):
        bounds = "finite and >= 0" if below == math.inf else f">= 0 and < {below}"
        raise ValueError(f"{name} must be {bounds}, got {value!r}")
    return float(value)
