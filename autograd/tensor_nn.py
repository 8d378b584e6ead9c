"""Networks made of :class:`~autograd.tensor.Tensor` objects, and the cross-entropy loss.

The scalar library (:mod:`autograd.nn`) builds a layer from neurons, each a weighted sum of
``Value`` objects. Here a whole layer is one matrix product: a batch of inputs, one row per
example, times a weight matrix, one column per neuron, plus a bias row that broadcasting
adds to every example. The arithmetic is the same; the loops run inside NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np
from numpy.typing import NDArray

from autograd.tensor import Tensor

#: The activations a hidden layer can apply; the last layer applies none (it gives logits).
ACTIVATIONS = ("relu", "tanh")


class Linear:
    """``x @ w + b``: ``nout`` neurons reading ``nin`` inputs, for a whole batch at once.

    Weights start uniform in ``[-1/sqrt(nin), 1/sqrt(nin)]``, PyTorch's default for its
    ``nn.Linear``, so that each output starts on the scale of one input whatever ``nin``
    is; biases start at 0, unlike PyTorch, which draws them from the same range.

    >>> import numpy as np
    >>> from autograd.tensor_nn import Linear
    >>> layer = Linear(3, 2, np.random.default_rng(0))
    >>> layer.w.shape, layer.b.shape
    ((3, 2), (2,))
    >>> layer(Tensor(np.ones((5, 3)))).shape  # five examples in, five rows out
    (5, 2)
    """

    def __init__(self, nin: int, nout: int, rng: np.random.Generator) -> None:
        _check_size("nin", nin)
        _check_size("nout", nout)
        bound = 1.0 / np.sqrt(nin)
        self.w = Tensor(rng.uniform(-bound, bound, size=(nin, nout)))
        self.b = Tensor(np.zeros(nout))

    def __call__(self, x: Tensor) -> Tensor:
        """The outputs ``x @ w + b``, one row of ``nout`` per row of ``nin`` inputs in ``x``."""
        return x @ self.w + self.b  # b, shape (nout,), is broadcast to every row

    def parameters(self) -> list[Tensor]:
        return [self.w, self.b]


class TensorMLP:
    """Layers of :class:`Linear`, with ``activation`` between them and none after the last.

    >>> net = TensorMLP(64, [32, 10], np.random.default_rng(0))
    >>> [p.shape for p in net.parameters()]
    [(64, 32), (32,), (32, 10), (10,)]
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        rng: np.random.Generator,
        activation: str = "relu",
    ) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                "rng must be a NumPy generator, such as np.random.default_rng(0),"
                f" got {type(rng).__name__}"
            )
        sizes = [nin, *nouts]
        if len(sizes) < 2:
            raise ValueError("nouts must list at least one layer size")
        self.layers = [Linear(sizes[i], sizes[i + 1], rng) for i in range(len(nouts))]
        self.activation = activation

    def __call__(self, x: Tensor) -> Tensor:
        """The logits, one row per example of the batch ``x``."""
        for layer in self.layers[:-1]:
            x = layer(x)
            x = x.relu() if self.activation == "relu" else x.tanh()
        return self.layers[-1](x)

    def parameters(self) -> list[Tensor]:
        return [p for layer in self.layers for p in layer.parameters()]


def cross_entropy(logits: Tensor, labels: NDArray[np.integer]) -> Tensor:
    """The mean of ``-log softmax(logits)[label]`` over the rows: PyTorch's ``cross_entropy``.

    ``logits`` has one row per example and one column per class; ``labels`` holds each
    row's class. Multiplying by the one-hot rows picks out each row's log-probability of
    its label, so the loss is built from Tensor operations only, and its gradient with
    respect to the logits is ``(softmax(logits) - one_hot) / rows``.

    >>> logits = Tensor([[0.0, 0.0], [0.0, 0.0]])
    >>> loss = cross_entropy(logits, np.array([0, 1]))
    >>> round(float(loss.data), 6)  # log 2: each class is given probability 1/2
    0.693147
    >>> loss.backward()
    >>> logits.grad  # (softmax - one hot) / 2
    array([[-0.25,  0.25],
           [ 0.25, -0.25]])
    """
    labels = np.asarray(labels)
    if logits.data.ndim != 2:
        raise ValueError(f"logits must have shape (examples, classes), got {logits.shape}")
    rows, classes = logits.shape
    if labels.shape != (rows,) or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be {rows} integers, one per row of logits")
    if rows and not (0 <= labels.min() and labels.max() < classes):
        raise ValueError(f"labels must lie in 0..{classes - 1}")
    one_hot = np.eye(classes)[labels]
    return -(logits.log_softmax(axis=1) * one_hot).sum(axis=1).mean()


def _check_size(name: str, size: int) -> None:
    if not isinstance(size, Integral) or isinstance(size, bool):
        raise TypeError(f"{name} must be an int, got {type(size).__name__}")
    if size < 1:
        raise ValueError(f"{name} must be at least 1, got {size}")
