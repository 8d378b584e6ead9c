"""Neural-network building blocks made of :class:`~autograd.engine.Value` objects.

A :class:`Neuron` computes a weighted sum of its inputs plus a bias and passes it through
an activation; a :class:`Layer` is several neurons reading the same inputs; an :class:`MLP`
feeds each layer's outputs to the next. Every weight and bias is a leaf ``Value``, so one
``loss.backward()`` gives each of them its gradient.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd.engine import Value

#: The activations a neuron can apply to its weighted sum; "linear" applies none.
ACTIVATIONS = ("tanh", "relu", "linear")


class Module:
    """Anything with trainable parameters.

    >>> m = Module()
    >>> m.parameters()
    []
    """

    def parameters(self) -> list[Value]:
        """Every trainable ``Value`` of this module, in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0.0 before the next backward pass.

        >>> n = Neuron(2, rng=random.Random(0))
        >>> n([1.0, 2.0]).backward()
        >>> n.zero_grad()
        >>> [p.grad for p in n.parameters()]
        [0.0, 0.0, 0.0]
        """
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: ``activation(w . x + b)`` with ``nin`` weights and a bias.

    Weights start uniform in [-1, 1] and the bias at 0, drawn from ``rng``; without one, a
    ``random.Random(0)`` is used, so the same call always builds the same neuron.

    >>> n = Neuron(2, activation="linear")
    >>> n.w[0].data, n.w[1].data = 2.0, -1.0
    >>> n([3.0, 4.0])
    Value(data=2.0, grad=0.0)
    """

    def __init__(
        self, nin: int, activation: str = "tanh", rng: random.Random | None = None
    ) -> None:
        _check_size("nin", nin)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        rng = rng if rng is not None else random.Random(0)
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation = activation

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """The neuron's output for the inputs ``x``, one number or Value per weight."""
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "relu":
            return act.relu()
        return act

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons, each reading the same ``nin`` inputs; returns a list of ``nout`` values.

    >>> layer = Layer(3, 2)
    >>> len(layer([1.0, 2.0, 3.0]))
    2
    """

    def __init__(
        self, nin: int, nout: int, activation: str = "tanh", rng: random.Random | None = None
    ) -> None:
        _check_size("nout", nout)
        rng = rng if rng is not None else random.Random(0)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """The outputs of all neurons for the inputs ``x``, always as a list."""
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(repr(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ``nin`` inputs, then one layer per entry of ``nouts``.

    Hidden layers use ``activation``; the last layer uses ``output_activation``, which
    defaults to the same. With a single output neuron the network returns a ``Value``,
    otherwise a list of them.

    >>> net = MLP(3, [4, 4, 1])
    >>> len(net.parameters())
    41
    >>> isinstance(net([2.0, 3.0, -1.0]), Value)
    True
    >>> len(MLP(3, [4, 2])([2.0, 3.0, -1.0]))
    2
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if len(nouts) == 0:
            raise ValueError("nouts must list at least one layer size")
        rng = rng if rng is not None else random.Random(0)
        last = output_activation if output_activation is not None else activation
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else last, rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """The network's output: a Value if the last layer has one neuron, else a list."""
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"


def _check_size(name: str, size: int) -> None:
    if not isinstance(size, int) or isinstance(size, bool):
        raise TypeError(f"{name} must be an int, got {type(size).__name__}")
    if size < 1:
        raise ValueError(f"{name} must be at least 1, got {size}")
