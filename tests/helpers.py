"""The tests' shared oracles: PyTorch in float64, central finite differences, running a script.

Every test file imports these instead of setting them up again, so each oracle is written
(and reviewed) once. ``torch`` is imported only when a test asks for it, and a test that
needs it is skipped cleanly where it is not installed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from autograd.engine import Value

ROOT = Path(__file__).resolve().parent.parent


def torch_or_skip() -> Any:
    """The ``torch`` module, or skip the calling test when it is not installed."""
    return pytest.importorskip("torch")


def torch_leaves(xs: Sequence[float]) -> list[Any]:
    """0-d float64 tensors that record gradients, one per number."""
    torch = torch_or_skip()
    return [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in xs]


def torch_grads(tensors: Sequence[Any]) -> list[float]:
    """Each tensor's gradient as a float; torch's ``None`` (no path to the output) is 0.0."""
    return [0.0 if t.grad is None else t.grad.item() for t in tensors]


def ours(fn: Callable[..., Any], xs: Sequence[float]) -> tuple[float, list[float]]:
    """``fn`` on ``Value`` leaves: the output's value and every leaf's gradient."""
    leaves = [Value(x) for x in xs]
    out = fn(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def theirs(fn: Callable[..., Any], xs: Sequence[float]) -> tuple[float, list[float]]:
    """The same for PyTorch float64 tensors (the test is skipped without torch)."""
    leaves = torch_leaves(xs)
    out = fn(*leaves)
    out.backward()
    return out.item(), torch_grads(leaves)


def ours_and_torch(
    fn: Callable[..., Any], xs: Sequence[float]
) -> tuple[float, list[float], float, list[float]]:
    """``fn`` both ways: (our value, our gradients, torch's value, torch's gradients)."""
    return (*ours(fn, xs), *theirs(fn, xs))


def finite_differences(
    f: Callable[..., float], xs: Sequence[float], h: float = 1e-6
) -> list[float]:
    """Central differences (f(x + h) - f(x - h)) / 2h in each argument of a float function."""
    gradients = []
    for k, x in enumerate(xs):
        up, down = list(xs), list(xs)
        up[k], down[k] = x + h, x - h
        gradients.append((f(*up) - f(*down)) / (2 * h))
    return gradients


def run_python(
    *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python <args>`` in a fresh interpreter, from the repository root; never raises.

    ``env`` replaces the environment (None: this process's).
    """
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
        env=env,
    )


def run_module(module: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m <module> <args>``, as a reader runs a script."""
    return run_python("-m", module, *args, timeout=timeout)


def run_without(package: str, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``module``'s ``main()`` in a Python where importing ``package`` fails.

    ``sys.modules[package] = None`` makes ``import package`` raise ImportError, exactly as
    if it were not installed.
    """
    code = (
        f"import sys; sys.modules[{package!r}] = None; from {module} import main; sys.exit(main())"
    )
    return run_python("-c", code, *args)
