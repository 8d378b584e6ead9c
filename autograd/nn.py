"""Neural-network building blocks made of :class:`~autograd.engine.Value` objects.

A :class:`Neuron` computes a weighted sum of its inputs plus a bias and passes it through
an activation; a :class:`Layer` is several neurons reading the same inputs; an :class:`MLP`
feeds each layer's outputs to the next. Every weight and bias is a :class:`Parameter`, a
leaf ``Value``, so one ``loss.backward()`` gives each of them its gradient.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence, Sized
from numbers import Integral
from typing import NoReturn

from autograd.engine import Value, _in_place_error

#: The activations a neuron can apply to its weighted sum; "linear" applies none.
ACTIVATIONS = ("tanh", "relu", "linear")

#: Where a Neuron, Layer or MLP built without an ``rng`` draws its weights from, one
#: network after another (like PyTorch's global generator); :func:`manual_seed` seeds it.
default_generator = random.Random(0)


def manual_seed(seed: int) -> None:
    """Seed the generator that modules built without an ``rng`` draw their weights from.

    ``seed`` is an int; anything else raises TypeError.

    >>> from autograd.nn import Neuron, manual_seed
    >>> manual_seed(1)
    >>> first = [w.data for w in Neuron(3).w]
    >>> second = [w.data for w in Neuron(3).w]
    >>> first == second  # each neuron draws new weights
    False
    >>> manual_seed(1)
    >>> first == [w.data for w in Neuron(3).w]  # the same seed, the same draws
    True
    """
    if not isinstance(seed, Integral) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    default_generator.seed(int(seed))


class Parameter(Value):
    """A trainable leaf ``Value``: every weight and bias a :class:`Module` creates.

    It takes part in operations like any Value, and their results are plain Values. Only
    the in-place operators are refused: ``p -= lr * p.grad`` would make the name ``p``
    point to a new node and leave the parameter unchanged. Change its number instead.

    >>> from autograd.nn import Parameter
    >>> p = Parameter(1.0)
    >>> p.grad = 0.5
    >>> p.data -= 0.1 * p.grad
    >>> p
    Parameter(data=0.95, grad=0.5)
    >>> p -= 0.1 * p.grad  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    TypeError: p -= ... would make the name p point to a new graph node ... p.data -= ...
    """

    __slots__ = ()

    def __iadd__(self, other: object) -> NoReturn:
        raise _in_place_error("+=")

    def __isub__(self, other: object) -> NoReturn:
        raise _in_place_error("-=")

    def __imul__(self, other: object) -> NoReturn:
        raise _in_place_error("*=")

    def __itruediv__(self, other: object) -> NoReturn:
        raise _in_place_error("/=")

    def __ipow__(self, other: object) -> NoReturn:
        raise _in_place_error("**=")


def unique(params: Iterable[Parameter]) -> list[Parameter]:
    """The parameters in their order, each listed once: where it first appears.

    A parameter shared by two neurons or layers (*weight tying*) is one parameter, so
    ``parameters()`` lists it once, as PyTorch's does, and an optimizer steps it once.

    >>> from autograd.nn import Parameter, unique
    >>> a, b = Parameter(1.0), Parameter(2.0)
    >>> unique([a, b, a])
    [Parameter(data=1.0, grad=0.0), Parameter(data=2.0, grad=0.0)]
    """
    # A Value hashes by identity, so two parameters holding the same number both stay.
    return list(dict.fromkeys(params))


class Module:
    """Anything with trainable parameters.

    >>> import random
    >>> from autograd.nn import MLP, Layer, Module, Neuron, Parameter
    >>> m = Module()
    >>> m.parameters()
    []
    """

    def parameters(self) -> list[Parameter]:
        """Every trainable ``Parameter`` of this module, each once, in a fixed order.

        Neuron, Layer and MLP list theirs layer by layer, neuron by neuron, each neuron's
        weights and then its bias.
        """
        return []

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0.0 before the next backward pass.

        0.0, not PyTorch's None, so the hand-written update ``p.data -= lr * p.grad``
        works on every parameter (PyTorch's ``zero_grad(set_to_none=False)``). An
        optimizer's ``zero_grad()`` sets None, "no gradient", as PyTorch's does.

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

    ``activation`` is one of :data:`ACTIVATIONS`; another name raises ValueError, and so
    does calling the neuron with a number of inputs other than ``nin``.

    Weights start uniform in [-1, 1] and the bias at 0. They are drawn from ``rng``, so the
    same ``random.Random(seed)`` always builds the same neuron; without one, from the
    module's ``default_generator`` (see :func:`manual_seed`), so each new neuron differs.

    >>> n = Neuron(2, activation="linear", rng=random.Random(0))
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
        rng = _check_rng(rng)
        self.w = [Parameter(rng.uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Parameter(0.0)
        self.activation = activation

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """The neuron's output for the inputs ``x``, one number or Value per weight."""
        _check_inputs(x, len(self.w))
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "relu":
            return act.relu()
        return act

    def parameters(self) -> list[Parameter]:
        return unique(self.w + [self.b])

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons, each reading the same ``nin`` inputs; returns a list of ``nout`` values.

    >>> layer = Layer(3, 2, rng=random.Random(0))
    >>> len(layer([1.0, 2.0, 3.0]))
    2
    """

    def __init__(
        self, nin: int, nout: int, activation: str = "tanh", rng: random.Random | None = None
    ) -> None:
        _check_size("nout", nout)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """The outputs of all neurons for the inputs ``x``, always as a list."""
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Parameter]:
        return unique(p for n in self.neurons for p in n.parameters())

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(repr(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ``nin`` inputs, then one layer per entry of ``nouts``.

    Hidden layers use ``activation``; the last layer uses ``output_activation``, which
    defaults to the same. Calling a network whose last layer has one neuron gives that
    neuron's ``Value``; :meth:`outputs` gives the last layer's values as a list, for a
    network of any size. An empty ``nouts`` or a size below 1 raises ValueError.

    >>> net = MLP(3, [4, 4, 1], rng=random.Random(0))
    >>> len(net.parameters())
    41
    >>> isinstance(net([2.0, 3.0, -1.0]), Value)
    True
    >>> len(MLP(3, [4, 2], rng=random.Random(0)).outputs([2.0, 3.0, -1.0]))
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
        nouts = _check_sizes(nouts)
        last = output_activation if output_activation is not None else activation
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else last, rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """The network's one output, for a network whose last layer has one neuron.

        A network with more outputs raises ValueError: :meth:`outputs` gives them as a list.
        """
        # One return type: micrograd's "a Value or a list" leaves every caller guessing.
        nout = len(self.layers[-1].neurons)
        if nout != 1:
            raise ValueError(
                f"this network has {nout} outputs, so it has no single output value:"
                " net.outputs(x) gives them as a list"
            )
        return self.outputs(x)[0]

    def outputs(self, x: Sequence[Value | float]) -> list[Value]:
        """The last layer's outputs for the inputs ``x``, always as a list."""
        outputs = self.layers[0](x)
        for layer in self.layers[1:]:
            outputs = layer(outputs)
        return outputs

    def parameters(self) -> list[Parameter]:
        return unique(p for layer in self.layers for p in layer.parameters())

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"


def _check_rng(rng: random.Random | None) -> random.Random:
    if rng is None:
        return default_generator
    if not isinstance(rng, random.Random):
        raise TypeError(
            f"rng must be a random.Random, such as random.Random(0), or None, got"
            f" {type(rng).__name__}: {rng!r}"
        )
    return rng


def _check_size(name: str, size: int) -> None:
    # bool is a subclass of int, but Neuron(True) is a mistake; NumPy ints are welcome.
    if not isinstance(size, Integral) or isinstance(size, bool):
        raise TypeError(f"{name} must be an int, got {type(size).__name__}")
    if size < 1:
        raise ValueError(f"{name} must be at least 1, got {size}")


def _check_sizes(nouts: Sequence[int]) -> list[int]:
    if not isinstance(nouts, Iterable) or isinstance(nouts, str):
        raise TypeError(
            f"nouts must be a list of layer sizes, such as [4, 1], got"
            f" {type(nouts).__name__}: {nouts!r}"
        )
    nouts = list(nouts)
    if len(nouts) == 0:
        raise ValueError("nouts must list at least one layer size")
    return nouts


def _check_inputs(x: Sequence[Value | float], nin: int) -> None:
    if not isinstance(x, Sized):
        raise TypeError(
            f"a neuron takes a sequence of {nin} inputs, such as a list, got"
            f" {type(x).__name__}: {x!r}"
        )
    if len(x) != nin:
        raise ValueError(f"this neuron takes {nin} inputs, got {len(x)}")
