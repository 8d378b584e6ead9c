"""Random expression graphs, checked against PyTorch and against finite differences.

Hypothesis draws a *program*: a few leaf values, then a list of steps, each applying one op
to nodes picked from a pool that every step's result joins. Later steps pick earlier
results again, so programs have shared sub-expressions and nodes used several times (even
``a * a``). The same program is then run three ways:

* with :class:`Value`, the code under test;
* with PyTorch float64 tensors (skipped cleanly when torch is absent);
* with plain floats and ``math``, for central finite differences, which need no torch.

Each step only picks an op whose inputs are safely inside its domain: no log of a
non-positive number, no fractional power of a negative one, no division by nearly zero, no
relu input near its kink, and every result bounded, so nothing overflows and a small
finite-difference step never crosses a kink.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from autograd.engine import Value, topological_order

BINARY = ("add", "sub", "mul", "truediv")
UNARY = ("neg", "tanh", "relu", "exp", "log", "sigmoid")
WITH_CONSTANT = ("pow", "radd", "rsub", "rmul", "rtruediv", "add_c", "sub_c", "mul_c", "div_c")
ALL_OPS = BINARY + UNARY + WITH_CONSTANT
EXPONENTS = (0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5, 2.0, -3.0)

BOUND = 50.0  # every node's value stays within +-BOUND
MARGIN = 0.25  # divisors, log arguments and bases of awkward powers stay at least this far from 0
RELU_MARGIN = 0.05  # relu inputs stay at least this far from the kink


def apply(op: str, a, b, c, fn):
    """One step of a program: the same code runs on Values, tensors and floats."""
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "truediv":
        return a / b
    if op == "neg":
        return -a
    if op == "pow":
        return a**c
    if op == "radd":
        return c + a
    if op == "rsub":
        return c - a
    if op == "rmul":
        return c * a
    if op == "rtruediv":
        return c / a
    if op == "add_c":
        return a + c
    if op == "sub_c":
        return a - c
    if op == "mul_c":
        return a * c
    if op == "div_c":
        return a / c
    return getattr(fn, op)(a)


# Unary functions by name, for each kind of number.
METHODS = SimpleNamespace(
    tanh=lambda a: a.tanh(),
    relu=lambda a: a.relu(),
    exp=lambda a: a.exp(),
    log=lambda a: a.log(),
    sigmoid=lambda a: a.sigmoid(),
)
FLOATS = SimpleNamespace(
    tanh=math.tanh,
    relu=lambda a: a if a > 0 else 0.0,
    exp=math.exp,
    log=math.log,
    sigmoid=lambda a: 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a)),
)


def in_domain(op: str, a: float, b: float, c: float) -> bool:
    """Whether ``op`` may be applied to these inputs (see the module docstring)."""
    if op == "truediv" and abs(b) < MARGIN:
        return False
    if op == "rtruediv" and abs(a) < MARGIN:
        return False
    if op == "div_c" and abs(c) < MARGIN:
        return False
    if op == "log" and a < MARGIN:
        return False
    if op == "exp" and a > math.log(BOUND):
        return False
    if op == "relu" and abs(a) < RELU_MARGIN:
        return False
    if op == "pow":
        if not float(c).is_integer() and a < MARGIN:
            return False
        if c <= 0 and abs(a) < MARGIN:
            return False
    try:
        result = apply(op, a, b, c, FLOATS)
    except (OverflowError, ZeroDivisionError, ValueError):
        return False
    return abs(result) <= BOUND


@dataclass
class Program:
    leaves: list[float]
    steps: list[tuple[str, int, int, float]]  # (op, first input, second input, constant)

    def run(self, leaves, fn):
        """Every node of the program, leaves first; the last one is the output."""
        pool = list(leaves)
        for op, i, j, c in self.steps:
            pool.append(apply(op, pool[i], pool[j], c, fn))
        return pool


@st.composite
def programs(draw, max_leaves: int = 4, max_steps: int = 12) -> Program:
    leaves = draw(
        st.lists(
            st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False),
            min_size=1,
            max_size=max_leaves,
        )
    )
    values = list(leaves)
    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        i = draw(st.integers(0, len(values) - 1))
        j = draw(st.integers(0, len(values) - 1))
        constant = draw(st.floats(-3.0, 3.0))
        exponent = draw(st.sampled_from(EXPONENTS))
        candidates = [
            op
            for op in ALL_OPS
            if in_domain(op, values[i], values[j], exponent if op == "pow" else constant)
        ]
        # tanh and sigmoid are defined and bounded everywhere, so candidates is never empty.
        op = draw(st.sampled_from(candidates))
        c = exponent if op == "pow" else constant
        steps.append((op, i, j, c))
        values.append(apply(op, values[i], values[j], c, FLOATS))
    return Program(leaves, steps)


def value_run(program: Program) -> tuple[list[Value], list[Value]]:
    leaves = [Value(x) for x in program.leaves]
    return leaves, program.run(leaves, METHODS)


def record_events(program: Program) -> None:
    uses = []
    for op, i, j, _ in program.steps:
        uses.extend((i, j) if op in BINARY else (i,))
    event(f"node reused: {len(uses) != len(set(uses))}")
    event(f"ops used: {min(len({op for op, *_ in program.steps}), 5)}+")


# --- against PyTorch ----------------------------------------------------------------


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def torch_run(torch, program: Program):
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in program.leaves]
    pool = program.run(leaves, METHODS)
    for node in pool[len(leaves) :]:
        node.retain_grad()
    return leaves, pool


def torch_grads(nodes) -> list[float]:
    # torch leaves a gradient of None on nodes the output does not depend on.
    return [0.0 if n.grad is None else n.grad.item() for n in nodes]


TOL = {"rel": 1e-9, "abs": 1e-9}


@given(programs())
def test_forward_and_every_gradient_match_torch(torch, program):
    record_events(program)
    leaves, pool = value_run(program)
    pool[-1].backward()

    t_leaves, t_pool = torch_run(torch, program)
    t_pool[-1].backward()

    assert [n.data for n in pool] == pytest.approx([n.item() for n in t_pool], **TOL)
    assert [x.grad for x in leaves] == pytest.approx(torch_grads(t_leaves), **TOL)
    # intermediate nodes too: each holds d(output)/d(node)
    assert [n.grad for n in pool] == pytest.approx(torch_grads(t_pool), **TOL)


@given(programs())
def test_backward_twice_matches_torch_retain_graph(torch, program):
    leaves, pool = value_run(program)
    pool[-1].backward()
    once = [n.grad for n in pool]
    pool[-1].backward()

    t_leaves, t_pool = torch_run(torch, program)
    t_pool[-1].backward(retain_graph=True)
    t_pool[-1].backward()

    # each leaf gets exactly one more copy; intermediate nodes equal a single call's value
    assert [x.grad for x in leaves] == pytest.approx(torch_grads(t_leaves), **TOL)
    assert [x.grad for x in leaves] == pytest.approx([2 * g for g in once[: len(leaves)]], **TOL)
    assert [n.grad for n in pool[len(leaves) :]] == once[len(leaves) :]


@given(programs(), st.data())
def test_backward_from_an_intermediate_node_then_the_output_matches_torch(torch, program, data):
    k = data.draw(st.integers(len(program.leaves), len(program.leaves) + len(program.steps) - 1))
    leaves, pool = value_run(program)
    pool[k].backward()
    pool[-1].backward()

    t_leaves, t_pool = torch_run(torch, program)
    t_pool[k].backward(retain_graph=True)
    t_pool[-1].backward()

    assert [x.grad for x in leaves] == pytest.approx(torch_grads(t_leaves), **TOL)


# --- against central finite differences (no torch needed) -------------------------------


def relu_signs(program: Program, leaves: list[float]) -> list[bool]:
    """Which side of the kink each relu input falls on."""
    pool = list(leaves)
    signs = []
    for op, i, j, c in program.steps:
        if op == "relu":
            signs.append(pool[i] > 0)
        pool.append(apply(op, pool[i], pool[j], c, FLOATS))
    return signs


@given(programs())
def test_every_gradient_matches_central_finite_differences(program):
    record_events(program)
    leaves, pool = value_run(program)
    pool[-1].backward()

    floats = program.run(program.leaves, FLOATS)
    assert [n.data for n in pool] == pytest.approx(floats, **TOL)

    for k, x in enumerate(program.leaves):
        h = 1e-6 * max(1.0, abs(x))
        up, down = list(program.leaves), list(program.leaves)
        up[k], down[k] = x + h, x - h
        try:
            # Both probes must stay on the same branch of every relu and inside every domain.
            same_branch = relu_signs(program, up) == relu_signs(program, down)
            f_up = program.run(up, FLOATS)[-1]
            f_down = program.run(down, FLOATS)[-1]
        except (ValueError, ZeroDivisionError, OverflowError):
            same_branch = False
        assume(same_branch)
        estimate = (f_up - f_down) / (2 * h)
        assert leaves[k].grad == pytest.approx(estimate, rel=1e-5, abs=1e-6), (k, program)


# --- structure ------------------------------------------------------------------------


@given(programs())
def test_topological_order_puts_every_node_after_its_inputs(program):
    _, pool = value_run(program)
    order = topological_order(pool[-1])
    assert order[-1] is pool[-1]
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order)  # no node twice
    for node in order:
        for child in node._prev:
            assert position[id(child)] < position[id(node)]
