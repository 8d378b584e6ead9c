"""Loss functions: how far a network's outputs are from the targets, as one ``Value``.

Each loss is built from the engine's operations only, so ``backward()`` on its result
needs no calculus of its own. They also accept any object with the same operations
(PyTorch's 0-d tensors, micrograd's ``Value``), which the benchmarks and the gradient
check rely on.

>>> from autograd.engine import Value
>>> from autograd.losses import squared_error
>>> squared_error([Value(0.5), Value(-0.5)], [1.0, -1.0]).data
0.5
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.engine import Value


def squared_error(predictions: Sequence[Value], targets: Sequence[float]) -> Value:
    """Sum over the examples of (prediction - target) ** 2."""
    return sum(((p - y) ** 2 for p, y in zip(predictions, targets, strict=True)), Value(0.0))


def softplus(x: Value) -> Value:
    """log(1 + exp(x)), written so that neither exp overflows nor log sees 0.

    >>> import math
    >>> from autograd.engine import Value
    >>> from autograd.losses import softplus
    >>> softplus(Value(0.0)).data == math.log(2.0), softplus(Value(1000.0)).data
    (True, 1000.0)
    """
    # exp only ever gets a number <= 0, so log's argument stays between 1 and 2.
    if x.data > 0:
        return x + (1 + (-x).exp()).log()  # log(1 + e**x) = x + log(e**-x + 1)
    return (1 + x.exp()).log()


def logistic_loss(score: Value, label: int) -> Value:
    """-log of the probability sigmoid(score) gives to ``label``; 0 when sure and right.

    ``label`` is 0 or 1; anything else (such as hinge_loss's -1) raises ValueError.

    >>> import math
    >>> from autograd.engine import Value
    >>> from autograd.losses import logistic_loss
    >>> logistic_loss(Value(0.0), 1).data == math.log(2.0)  # unsure: sigmoid(0) = 1/2
    True
    >>> logistic_loss(Value(-1000.0), 0).data  # sure and right
    0.0
    """
    if label not in (0, 1):
        raise ValueError(f"label must be 0 or 1, got {label!r} (hinge_loss takes -1 and +1)")
    # -log(sigmoid(s)) = softplus(-s) and -log(1 - sigmoid(s)) = softplus(s).
    return softplus(-score) if label == 1 else softplus(score)


def hinge_loss(score: Value, label: float) -> Value:
    """max(0, 1 - label * score) for a label of -1 or +1: the SVM's max-margin loss.

    It is 0 once the score has the label's sign with a margin of at least 1, so points
    classified right with room to spare stop pulling on the weights. This is the loss of
    micrograd's demo notebook, written as that notebook writes it.

    >>> from autograd.engine import Value
    >>> from autograd.losses import hinge_loss
    >>> hinge_loss(Value(0.25), 1.0).data, hinge_loss(Value(3.0), 1.0).data
    (0.75, 0.0)

    Any other label (such as logistic_loss's 0) raises ValueError.
    """
    if label not in (-1, 1):
        raise ValueError(f"label must be -1 or +1, got {label!r} (logistic_loss takes 0 and 1)")
    return (1 + -label * score).relu()
