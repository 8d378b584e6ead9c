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

from dataclasses import dataclass

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from autograd.engine import Value, topological_order
from autograd.operations import OPERATIONS, Operation

from helpers import torch_grads, torch_leaves

BOUND = 50.0  # every node's value stays within +-BOUND


def arguments(op: Operation, a, b, c) -> tuple:
    """The operands (and constant) ``op`` takes, from a step's two inputs and constant."""
    if op.takes_constant:
        return (a, c)
    return (a, b) if op.inputs == 2 else (a,)


def apply(name: str, a, b, c, on_floats: bool = False):
    """One step of a program: on Values or tensors (``call``) or on floats (``forward``)."""
    op = OPERATIONS[name]
    return (op.forward if on_floats else op.call)(*arguments(op, a, b, c))


def in_domain(name: str, a: float, b: float, c: float) -> bool:
    """Whether ``name`` may be applied to these inputs (see the module docstring)."""
    op = OPERATIONS[name]
    if not op.domain(*arguments(op, a, b, c)):
        return False
    try:
        result = apply(name, a, b, c, on_floats=True)
    except (OverflowError, ZeroDivisionError, ValueError):
        return False
    return abs(result) <= BOUND


@dataclass
class Program:
    leaves: list[float]
    steps: list[tuple[str, int, int, float]]  # (op, first input, second input, constant)

    def run(self, leaves, on_floats: bool = False):
        """Every node of the program, leaves first; the last one is the output."""
        pool = list(leaves)
        for op, i, j, c in self.steps:
            pool.append(apply(op, pool[i], pool[j], c, on_floats))
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
        # One constant per op that takes one, drawn from the constants the table lists.
        constants = {
            name: draw(st.sampled_from(op.constants))
            for name, op in OPERATIONS.items()
            if op.takes_constant
        }
        candidates = [
            name
            for name in OPERATIONS
            if in_domain(name, values[i], values[j], constants.get(name, 0.0))
        ]
        # tanh and sigmoid are defined and bounded everywhere, so candidates is never empty.
        op = draw(st.sampled_from(candidates))
        c = constants.get(op, 0.0)
        steps.append((op, i, j, c))
        values.append(apply(op, values[i], values[j], c, on_floats=True))
    return Program(leaves, steps)


def value_run(program: Program) -> tuple[list[Value], list[Value]]:
    leaves = [Value(x) for x in program.leaves]
    return leaves, program.run(leaves)


def record_events(program: Program) -> None:
    uses = []
    for op, i, j, _ in program.steps:
        uses.extend((i, j) if OPERATIONS[op].inputs == 2 else (i,))
    event(f"node reused: {len(uses) != len(set(uses))}")
    event(f"ops used: {min(len({op for op, *_ in program.steps}), 5)}+")


# --- against PyTorch ----------------------------------------------------------------


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def torch_run(torch, program: Program):
    leaves = torch_leaves(program.leaves)
    pool = program.run(leaves)
    for node in pool[len(leaves) :]:
        node.retain_grad()
    return leaves, pool


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


def kink_sides(program: Program, leaves: list[float]) -> list[bool]:
    """Which side of each kink (relu's 0, from the table) each step's input falls on."""
    pool = list(leaves)
    sides = []
    for op, i, j, c in program.steps:
        sides.extend(pool[i] > kink for kink in OPERATIONS[op].kinks)
        pool.append(apply(op, pool[i], pool[j], c, on_floats=True))
    return sides


@given(programs())
def test_every_gradient_matches_central_finite_differences(program):
    record_events(program)
    leaves, pool = value_run(program)
    pool[-1].backward()

    floats = program.run(program.leaves, on_floats=True)
    assert [n.data for n in pool] == pytest.approx(floats, **TOL)

    for k, x in enumerate(program.leaves):
        h = 1e-6 * max(1.0, abs(x))
        up, down = list(program.leaves), list(program.leaves)
        up[k], down[k] = x + h, x - h
        try:
            # Both probes must stay on the same branch of every relu and inside every domain.
            same_branch = kink_sides(program, up) == kink_sides(program, down)
            f_up = program.run(up, on_floats=True)[-1]
            f_down = program.run(down, on_floats=True)[-1]
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
