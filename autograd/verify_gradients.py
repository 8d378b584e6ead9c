"""Check the engine's gradients against PyTorch and against finite differences.

Run it with ``python -m autograd.verify_gradients``. Each check builds one expression
twice, once from :class:`~autograd.engine.Value` objects and once from PyTorch float64
tensors, runs both backward passes and compares the forward value and the gradient of
every leaf. A second, torch-free reference nudges each leaf up and down by a small step h
and measures how the output moves (central finite differences).

The exit status is 0 when every gradient matches, 1 when one does not, and 2 for a bad
option (argparse's usage error). Without PyTorch installed
the torch comparison is skipped (and said so) and the finite differences still run.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from autograd._cli import float_between
from autograd.datasets import XS, YS
from autograd.engine import Value
from autograd.losses import squared_error
from autograd.nn import MLP
from autograd.operations import OPERATIONS

try:
    import torch
except ImportError:
    torch = None

#: Both sides compute in float64, so only rounding may differ.
TORCH_TOLERANCE = 1e-9
#: The step h of the central differences.
FD_STEP = 1e-6
#: Central differences are accurate to about FD_STEP ** 2, plus rounding error / FD_STEP.
FD_TOLERANCE = 1e-6
#: The steps ``--fd-step`` accepts. Measured on this module's checks with a correct engine:
#: they all pass from h = 1e-9 to 1e-4, while at 1e-3 the h ** 2 term and at 1e-10 the
#: rounding term exceed FD_TOLERANCE and blame a correct engine (at h = 10 the nudged leaves
#: even leave log's domain). 1e-9 passes, but the range starts at 1e-8 to leave a margin,
#: because the rounding term grows fastest as h shrinks.
FD_STEP_RANGE = (1e-8, 1e-4)
#: What the script prints when PyTorch is missing: how to install it. The constraints file
#: pins the tested version; the README says how to get its CPU-only wheel (on Linux the
#: package index's default is a multi-gigabyte CUDA build).
TORCH_INSTALL_HINT = """\
For the PyTorch comparison, from the repository root:
    pip install -c constraints.txt torch
Without -c constraints.txt pip may download a multi-gigabyte CUDA build; the README says
how to get PyTorch's CPU-only wheels."""


# The expressions below use only operators and methods that Value and torch.Tensor both
# have: the same function builds both graphs.


def chain_rule_example(a: Any, b: Any, e: Any) -> Any:
    """``d = a * b + e``, the chain rule chapter's example; d/da = b, d/db = a, d/de = 1.

    :func:`make_checks` gives it that chapter's numbers as leaves.
    """
    c = a * b
    d = c + e
    return d


def neuron(x1: Any, x2: Any, w1: Any, w2: Any, b: Any) -> Any:
    """A neuron with two inputs, ``tanh(x1 * w1 + x2 * w2 + b)``; d/dw1 = (1 - out ** 2) * x1.

    :func:`make_checks` gives it the neuron chapter's numbers as leaves.
    """
    return (x1 * w1 + x2 * w2 + b).tanh()


def every_op(x: Any, y: Any, z: Any) -> Any:
    u = x * y + z  # every operation takes u: its gradient collects from every use
    total = u
    for op in OPERATIONS.values():  # the table of operations, autograd/operations.py
        operands = (u, z) if op.inputs == 2 else (u,)
        constant = op.points[0][op.inputs :]  # (n,) for u ** n, () for most
        total = total + op.call(*operands, *constant)
    return total


def mlp_loss(*params: Any, sizes: Sequence[int] = (3, 4, 4, 1)) -> Any:
    """The loss of a tanh MLP written out by hand, reading the weights from ``params``.

    ``params`` come in the order of :meth:`autograd.nn.Module.parameters`: layer by layer,
    neuron by neuron, each neuron's weights and then its bias.
    """
    loss = 0.0
    for x, y in zip(XS, YS, strict=True):
        remaining = iter(params)
        activations = list(x)
        for nin, nout in pairwise(sizes):
            outputs = []
            for _ in range(nout):
                weights = [next(remaining) for _ in range(nin)]
                total = next(remaining)  # the bias
                for w, a in zip(weights, activations, strict=True):
                    total = total + w * a
                outputs.append(total.tanh())
            activations = outputs
        loss = loss + (activations[0] - y) ** 2
    return loss


@dataclass
class Check:
    """One expression: its leaves, how to build it from Values, and the reference."""

    #: What the report calls it, such as ``"tanh neuron"``.
    name: str
    #: The Values whose gradients are compared, in the reference's argument order.
    leaves: Sequence[Value]
    #: Builds the expression again from the leaves' current ``data``; the finite
    #: differences call it with each leaf nudged.
    build: Callable[[], Value]
    #: The same expression, called with one float64 PyTorch tensor per leaf.
    reference: Callable[..., Any]


def make_checks() -> list[Check]:
    """The expressions to check, each with fresh leaves."""
    checks = []
    # Each function builds its expression from Values and, as the reference, from tensors.
    functions: list[tuple[str, Callable[..., Any], list[float]]] = [
        ("chain-rule example", chain_rule_example, [2.0, -3.0, 10.0]),
        # The neuron of the chapter on neurons: x = (2, 1), w = (0.5, -1), b = 0.5.
        ("tanh neuron", neuron, [2.0, 1.0, 0.5, -1.0, 0.5]),
        ("every operation", every_op, [0.5, -1.5, 2.0]),
    ]
    for name, function, inputs in functions:
        leaves = [Value(v) for v in inputs]
        checks.append(Check(name, leaves, _bind(function, leaves), function))

    # The MLP check builds the network with autograd.nn and compares it with mlp_loss
    # written out by hand on tensors: it checks nn.py as well as the engine.
    net = MLP(3, [4, 4, 1], rng=random.Random(0))
    checks.append(
        Check(
            "MLP(3, [4, 4, 1]) loss",
            net.parameters(),
            lambda: squared_error([net(x) for x in XS], YS),
            mlp_loss,
        )
    )
    return checks


def _bind(function: Callable[..., Any], leaves: Sequence[Value]) -> Callable[[], Value]:
    return lambda: function(*leaves)


def engine_gradients(check: Check) -> tuple[float, list[float]]:
    """Forward value and leaf gradients from our engine."""
    for leaf in check.leaves:
        leaf.grad = 0.0
    out = check.build()
    out.backward()
    return out.data, [leaf.grad for leaf in check.leaves]


def torch_gradients(check: Check) -> tuple[float, list[float]]:
    """Forward value and leaf gradients from PyTorch, in float64."""
    tensors = [
        torch.tensor(leaf.data, dtype=torch.float64, requires_grad=True) for leaf in check.leaves
    ]
    out = check.reference(*tensors)
    out.backward()
    return out.item(), [t.grad.item() for t in tensors]


def finite_difference_gradients(check: Check, h: float = FD_STEP) -> list[float]:
    """(f(x + h) - f(x - h)) / 2h for each leaf x, using forward passes only."""
    gradients = []
    for leaf in check.leaves:
        original = leaf.data
        leaf.data = original + h
        above = check.build().data
        leaf.data = original - h
        below = check.build().data
        leaf.data = original
        gradients.append((above - below) / (2 * h))
    return gradients


def max_error(ours: Sequence[float], reference: Sequence[float]) -> float:
    """The largest absolute difference between corresponding numbers."""
    return max(abs(a - b) for a, b in zip(ours, reference, strict=True))


def close(ours: Sequence[float], reference: Sequence[float], tolerance: float) -> bool:
    """Whether every pair agrees within ``tolerance``, relative or absolute."""
    return all(
        math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
        for a, b in zip(ours, reference, strict=True)
    )


def make_parser() -> argparse.ArgumentParser:
    """The command line: its one option, checked as it is parsed."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.verify_gradients", description=__doc__.splitlines()[0]
    )
    low, high = FD_STEP_RANGE
    parser.add_argument(
        "--fd-step",
        type=float_between(low, high),
        default=FD_STEP,
        metavar="H",
        help=f"the step h of the finite differences, {low:g} to {high:g} (default {FD_STEP:g})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run every check, print the table and the verdict; return the exit status."""
    args = make_parser().parse_args(argv)
    if torch is None:
        print("PyTorch is not installed: comparing with finite differences only.")
        print(TORCH_INSTALL_HINT, end="\n\n")

    # Narrow enough (55 columns) for the book's page on a phone.
    header = f"{'expression':<22} {'leaves':>6} {'vs PyTorch':>10} {'vs finite diff':>14}"
    print(header)
    print("-" * len(header))
    all_match_torch = all_match_fd = True
    for check in make_checks():
        value, grads = engine_gradients(check)
        fd_grads = finite_difference_gradients(check, args.fd_step)
        fd_ok = close(grads, fd_grads, FD_TOLERANCE)
        all_match_fd &= fd_ok
        torch_column = "skipped"
        if torch is not None:
            torch_value, torch_grads = torch_gradients(check)
            torch_ok = close([value, *grads], [torch_value, *torch_grads], TORCH_TOLERANCE)
            all_match_torch &= torch_ok
            torch_error = max_error([value, *grads], [torch_value, *torch_grads])
            torch_column = f"{torch_error:.1e}" + ("" if torch_ok else " !")
        fd_column = f"{max_error(grads, fd_grads):.1e}" + ("" if fd_ok else " !")
        print(f"{check.name:<22} {len(check.leaves):>6} {torch_column:>10} {fd_column:>14}")

    print("\nLargest absolute difference from our engine:")
    print("against PyTorch (float64) over the forward value and")
    print("every leaf gradient, against finite differences")
    print(f"(h = {args.fd_step:g}) over every leaf gradient. Tolerances:")
    print(f"{TORCH_TOLERANCE:g} and {FD_TOLERANCE:g}, relative or absolute;")
    print("! marks a mismatch.\n")
    if torch is None:
        verdict = "finite differences only, PyTorch not installed"
        ok = all_match_fd
    else:
        ok = all_match_torch and all_match_fd
        verdict = "gradients match PyTorch and finite differences"
    print(f"{'PASS' if ok else 'FAIL'}: {verdict if ok else 'some gradients do not match'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
