"""losses: each loss's value and gradient against PyTorch float64 and exact formulas."""

from __future__ import annotations

import math
import re

import pytest

from autograd.engine import Value
from autograd.losses import hinge_loss, logistic_loss, softplus, squared_error

from helpers import ours_and_torch, torch_leaves, torch_or_skip


def test_squared_error_by_hand() -> None:
    loss = squared_error([Value(0.5), Value(-2.0)], [1.0, -1.0])
    assert loss.data == 0.25 + 1.0


SCORES = [-800.0, -30.0, -2.5, -1e-9, 0.0, 1e-9, 0.7, 30.0, 800.0]


@pytest.mark.parametrize("score", SCORES)
@pytest.mark.parametrize("label", [0, 1])
def test_logistic_loss_matches_torch_and_never_overflows(score: float, label: int) -> None:
    torch = torch_or_skip()
    s = Value(score)
    loss = logistic_loss(s, label)
    loss.backward()
    (ts,) = torch_leaves([score])
    target = torch.tensor(float(label), dtype=torch.float64)
    tloss = torch.nn.functional.binary_cross_entropy_with_logits(ts, target)
    tloss.backward()
    # In the tails (loss or gradient near 1e-13) torch rounds too: its formula computes
    # log(exp(0) + exp(-30)), 1.2e-15 off the exact value; the closed form test is tighter.
    assert loss.data == pytest.approx(tloss.item(), rel=1e-12, abs=1e-14)
    assert s.grad == pytest.approx(ts.grad.item(), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("score", SCORES)
@pytest.mark.parametrize("label", [0, 1])
def test_logistic_loss_matches_the_closed_form(score: float, label: int) -> None:
    # -log sigmoid(m) with margin m = +-score is log1p(exp(-|m|)) + max(-m, 0), and its
    # derivative in m is -sigmoid(-m): both exact to the last digits with math.log1p.
    margin = score if label == 1 else -score
    expected_loss = math.log1p(math.exp(-abs(margin))) + max(-margin, 0.0)
    e = math.exp(-abs(margin))
    sigmoid_of_minus_margin = e / (1 + e) if margin >= 0 else 1 / (1 + e)
    expected_grad = -sigmoid_of_minus_margin * (1 if label == 1 else -1)
    s = Value(score)
    loss = logistic_loss(s, label)
    loss.backward()
    # Without a log1p op, log(1 + tiny) keeps the tiny part only to about 1e-16 absolute;
    # the gradient has no such rounding.
    assert loss.data == pytest.approx(expected_loss, rel=1e-12, abs=1e-16)
    assert s.grad == pytest.approx(expected_grad, rel=1e-12, abs=1e-300)


def test_softplus_by_hand() -> None:
    # log(1 + e**0) = log 2; far out it is 0 on the left and x itself on the right.
    assert softplus(Value(0.0)).data == pytest.approx(0.6931471805599453, rel=1e-15)
    assert softplus(Value(-1000.0)).data == 0.0
    assert softplus(Value(1000.0)).data == 1000.0


@pytest.mark.parametrize("score", [-3.0, -1.0, -0.25, 0.0, 0.5, 0.999, 1.0, 1.5, 7.0])
@pytest.mark.parametrize("label", [-1.0, 1.0])
def test_hinge_loss_matches_torch(score: float, label: float) -> None:
    # An upstream gradient of 3, not 1; at the kink both take the slope 0.
    value, grads, torch_value, torch_grads = ours_and_torch(
        lambda s: hinge_loss(s, label) * 3.0, [score]
    )
    assert (value, grads) == (torch_value, torch_grads)


def test_hinge_loss_is_zero_beyond_the_margin_and_linear_inside() -> None:
    assert hinge_loss(Value(1.0), 1.0).data == 0.0
    assert hinge_loss(Value(-1.0), -1.0).data == 0.0
    assert hinge_loss(Value(0.25), 1.0).data == 0.75
    assert hinge_loss(Value(0.25), -1.0).data == 1.25


def test_squared_error_gradient_is_twice_the_error() -> None:
    predictions = [Value(0.5), Value(-2.0), Value(3.0)]
    squared_error(predictions, [1.0, -1.0, 3.0]).backward()
    assert [p.grad for p in predictions] == [-1.0, -2.0, 0.0]


def test_squared_error_refuses_lists_of_different_lengths() -> None:
    with pytest.raises(ValueError):
        squared_error([Value(1.0)], [1.0, 2.0])


@pytest.mark.parametrize(
    ("loss", "label", "message"),
    [
        (logistic_loss, -1, "label must be 0 or 1, got -1"),
        (logistic_loss, 2, "label must be 0 or 1, got 2"),
        (hinge_loss, 0, "label must be -1 or +1, got 0"),
        (hinge_loss, 0.5, "label must be -1 or +1, got 0.5"),
    ],
)
def test_a_label_of_the_other_losses_convention_is_refused(loss, label, message) -> None:
    # Each loss computed a number for the other one's labels: logistic_loss(s, -1) was
    # logistic_loss(s, 0), and hinge_loss(s, 0) was 1 whatever the score. Silently wrong.
    with pytest.raises(ValueError, match=re.escape(message)):
        loss(Value(2.0), label)
