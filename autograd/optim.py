"""Optimizers: the update step of the training loop, packaged as in ``torch.optim``.

An optimizer is given the parameters once, then each training step calls ``zero_grad()``
before the backward pass and ``step()`` after it. ``SGD`` and ``Adam`` follow the update
formulas of ``torch.optim.SGD`` and ``torch.optim.Adam`` (``tests/test_optim.py`` runs them
side by side). They read and write only ``p.data`` and ``p.grad``, so they work on any list
of :class:`~autograd.engine.Value` objects, not just a network's, and, with the same
arithmetic done elementwise, on ``Tensor`` objects (``autograd/tensor.py``).
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
    """What every optimizer shares: its list of parameters and ``zero_grad()``."""

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
        # The same Value twice would be updated twice per step.
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError("the list of parameters contains the same Value twice")

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0.0, ready for the next backward pass.

        PyTorch sets each ``.grad`` to ``None`` instead (its default ``set_to_none=True``);
        our ``grad`` is always a float, and 0.0 is what ``backward()`` adds to.
        """
        for p in self.params:
            if isinstance(p.grad, float):
                p.grad = 0.0
            else:  # a Tensor's grad: an array, zeroed in place to keep its shape
                p.grad[...] = 0.0


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum and weight decay.

    Each ``step()`` moves every parameter against its gradient. With ``momentum`` it moves
    along a running sum of past gradients instead; ``weight_decay`` adds
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
    ``torch.optim.Adam`` does (``AdamW`` instead shrinks the weights directly).

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
        self.step_count = 0
        self.exp_avg = [0.0] * len(self.params)  # m: running average of the gradient
        self.exp_avg_sq = [0.0] * len(self.params)  # v: running average of its square

    def step(self) -> None:
        """Update every parameter once, from the gradient in its ``grad``."""
        self.step_count += 1
        beta1, beta2 = self.betas
        bias_correction1 = 1 - beta1**self.step_count
        bias_correction2 = 1 - beta2**self.step_count
        step_size = self.lr / bias_correction1
        for i, p in enumerate(self.params):
            grad = p.grad
            if self.weight_decay != 0:
                grad = grad + self.weight_decay * p.data
            self.exp_avg[i] = beta1 * self.exp_avg[i] + (1 - beta1) * grad
            self.exp_avg_sq[i] = beta2 * self.exp_avg_sq[i] + (1 - beta2) * grad * grad
            # PyTorch's order: eps is added after the bias correction of sqrt(v).
            denom = _sqrt(self.exp_avg_sq[i]) / math.sqrt(bias_correction2) + self.eps
            p.data -= step_size * (self.exp_avg[i] / denom)


def _parameter_types() -> tuple[type, ...]:
    # A Tensor exists only once autograd.tensor is imported: asking for it here would make
    # every optimizer need NumPy.
    tensor_module = sys.modules.get("autograd.tensor")
    return (Value,) if tensor_module is None else (Value, tensor_module.Tensor)


def _sqrt(x: Any) -> Any:
    # The same step for a number (a Value's) and for an array (a Tensor's, elementwise).
    return math.sqrt(x) if isinstance(x, float) else x**0.5


def _check_number(name: str, value: float, below: float = math.inf) -> float:
    # bool is a Real, but lr=True is a mistake, not 1.0.
    if not isinstance(value, Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    if not (0.0 <= value < below):
        bounds = "finite and >= 0" if below == math.inf else f">= 0 and < {below}"
        raise ValueError(f"{name} must be {bounds}, got {value!r}")
    return float(value)
