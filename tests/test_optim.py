"""optim: SGD and Adam take torch.optim's steps, from the same parameters and gradients."""

from __future__ import annotations

import math
import random

import pytest

from autograd.engine import Value
from autograd.optim import SGD, Adam

from helpers import torch_leaves

STEPS = 25


def gradients(values: list[float], rng: random.Random) -> list[float]:
    # Partly noise and partly the parameter itself (the gradient of a quadratic bowl), so
    # the optimizer's own past steps feed back into what it sees next, as in training.
    return [0.5 * v + rng.gauss(0.0, 1.0) for v in values]


def run_both(torch, make_ours, make_theirs, seed: int = 0) -> list[tuple[list, list]]:
    """The parameters after each step, ours and torch's, driven by the same gradients."""
    rng = random.Random(seed)
    start = [rng.uniform(-2.0, 2.0) for _ in range(6)]
    ours = [Value(v) for v in start]
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    our_optimizer, their_optimizer = make_ours(ours), make_theirs([theirs])
    trace = []
    for _ in range(STEPS):
        grads = gradients([p.data for p in ours], rng)
        our_optimizer.zero_grad()
        their_optimizer.zero_grad()
        for p, g in zip(ours, grads):
            p.grad = g
        theirs.grad = torch.tensor(grads, dtype=torch.float64)
        our_optimizer.step()
        their_optimizer.step()
        trace.append(([p.data for p in ours], theirs.detach().tolist()))
    return trace


def assert_same_trajectory(trace) -> None:
    moved = False
    for step, (ours, theirs) in enumerate(trace):
        assert ours == pytest.approx(theirs, rel=1e-12, abs=0), f"step {step}"
        moved = moved or ours != trace[0][0]
    assert moved


@pytest.mark.parametrize("momentum", [0.0, 0.9])
@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
def test_sgd_matches_torch(momentum: float, weight_decay: float) -> None:
    torch = pytest.importorskip("torch")
    trace = run_both(
        torch,
        lambda params: SGD(params, lr=0.1, momentum=momentum, weight_decay=weight_decay),
        lambda params: torch.optim.SGD(
            params, lr=0.1, momentum=momentum, weight_decay=weight_decay, foreach=False
        ),
    )
    assert_same_trajectory(trace)


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
@pytest.mark.parametrize(
    ("lr", "betas", "eps"), [(1e-3, (0.9, 0.999), 1e-8), (0.05, (0.5, 0.9), 1e-3)]
)
def test_adam_matches_torch(lr: float, betas: tuple, eps: float, weight_decay: float) -> None:
    torch = pytest.importorskip("torch")
    trace = run_both(
        torch,
        lambda params: Adam(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay),
        lambda params: torch.optim.Adam(
            params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=False
        ),
    )
    assert_same_trajectory(trace)


def test_sgd_without_momentum_is_the_hand_written_update_exactly() -> None:
    rng = random.Random(1)
    ours = [Value(rng.uniform(-1, 1)) for _ in range(5)]
    by_hand = [Value(p.data) for p in ours]
    optimizer = SGD(ours, lr=0.3)
    for _ in range(STEPS):
        grads = gradients([p.data for p in ours], rng)
        for p, q, g in zip(ours, by_hand, grads):
            p.grad = q.grad = g
        optimizer.step()
        for q in by_hand:
            q.data -= 0.3 * q.grad
        assert [p.data for p in ours] == [q.data for q in by_hand]


def test_weight_decay_is_the_gradient_of_an_l2_term_in_the_loss() -> None:
    a, b = Value(0.7), Value(-1.2)
    c, d = Value(0.7), Value(-1.2)
    decay = 0.1
    (a * b).backward()
    SGD([a, b], lr=0.5, weight_decay=decay).step()
    (c * d + decay / 2 * (c * c + d * d)).backward()
    SGD([c, d], lr=0.5).step()
    assert [a.data, b.data] == pytest.approx([c.data, d.data], rel=1e-15)


def test_adam_first_step_moves_each_parameter_by_lr() -> None:
    # m / sqrt(v) is sign(g) after one bias-corrected step, whatever the gradient's size.
    params = [Value(0.0), Value(0.0), Value(0.0)]
    for p, g in zip(params, [1e-6, -3.0, 250.0]):
        p.grad = g
    Adam(params, lr=0.01, eps=0.0).step()
    assert [p.data for p in params] == pytest.approx([-0.01, 0.01, -0.01], rel=1e-12)


def test_zero_grad_resets_only_its_own_parameters() -> None:
    a, b, other = Value(1.0), Value(2.0), Value(3.0)
    (a * b * other).backward()
    assert (a.grad, b.grad, other.grad) == (6.0, 3.0, 2.0)
    for optimizer in (SGD([a, b], lr=0.1), Adam([a, b])):
        a.grad, b.grad = 6.0, 3.0
        optimizer.zero_grad()
        assert (a.grad, b.grad, other.grad) == (0.0, 0.0, 2.0)


def test_zero_grad_matches_torch_on_the_next_backward() -> None:
    # Zeroing between two backward passes gives torch's fresh gradient, not the sum.
    torch = pytest.importorskip("torch")
    x = Value(0.4)
    optimizer = SGD([x], lr=0.1)
    (tx,) = torch_leaves([0.4])
    their_optimizer = torch.optim.SGD([tx], lr=0.1)
    for _ in range(2):
        optimizer.zero_grad()
        (x * x * x).backward()
        their_optimizer.zero_grad()
        (tx * tx * tx).backward()
        assert x.grad == pytest.approx(tx.grad.item(), rel=1e-15)
    optimizer.step()
    their_optimizer.step()
    assert x.data == pytest.approx(tx.item(), rel=1e-15)


def test_optimizers_do_not_need_a_network() -> None:
    # Any list of Values will do, including a generator of them.
    w = Value(0.0)
    optimizer = SGD((v for v in [w]), lr=0.25)
    for _ in range(60):
        optimizer.zero_grad()
        ((w - 3.0) ** 2).backward()
        optimizer.step()
    assert w.data == pytest.approx(3.0, abs=1e-12)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: SGD([], lr=0.1), ValueError, "empty"),
        (lambda: SGD([1.0], lr=0.1), TypeError, "Value"),
        (lambda: SGD([Value(1.0)] * 2, lr=0.1), ValueError, "twice"),
        (lambda: SGD([Value(1.0)], lr=-0.1), ValueError, "lr"),
        (lambda: SGD([Value(1.0)], lr=math.nan), ValueError, "lr"),
        (lambda: SGD([Value(1.0)], lr="0.1"), TypeError, "lr"),
        (lambda: SGD([Value(1.0)], lr=True), TypeError, "lr"),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum=-0.5), ValueError, "momentum"),
        (lambda: SGD([Value(1.0)], lr=0.1, weight_decay=math.inf), ValueError, "weight_decay"),
        (lambda: Adam([Value(1.0)], betas=(0.9, 1.0)), ValueError, r"betas\[1\]"),
        (lambda: Adam([Value(1.0)], betas=(-0.1, 0.9)), ValueError, r"betas\[0\]"),
        (lambda: Adam([Value(1.0)], betas=0.9), TypeError, "betas"),
        (lambda: Adam([Value(1.0)], eps=-1e-8), ValueError, "eps"),
    ],
)
def test_bad_settings_are_clear_errors(make, error, message) -> None:
    with pytest.raises(error, match=message):
        make()


def test_an_optimizer_given_a_module_says_to_pass_its_parameters():
    import random

    from autograd.nn import MLP

    with pytest.raises(TypeError, match=r"pass net\.parameters\(\)"):
        SGD(MLP(2, [1], rng=random.Random(0)), lr=0.1)
