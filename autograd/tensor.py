"""The same engine on arrays: :class:`Tensor`, a NumPy float64 array that remembers how it was made.

A :class:`Tensor` is built like :class:`~autograd.engine.Value`: every operation computes
its result, keeps its inputs (``_prev``) and attaches a ``_backward(out_grad)`` that applies
the chain rule for that one operation. The difference is the chain rule's shape: ``grad`` is
an array the shape of ``data``, and each ``_backward`` applies its operation's
vector-Jacobian product (the upstream gradient, an array, times the operation's local
derivatives) instead of multiplying two numbers. ``backward()`` walks the graph with the
scalar engine's own :func:`~autograd.engine.topological_order`.

This module needs NumPy (``pip install -e ".[tensor]"`` in a checkout); the scalar engine
does not.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd.engine import is_grad_enabled, topological_order

#: What a Tensor holds: ``data`` and ``grad`` are arrays of 64-bit floats of one shape.
Array = NDArray[np.float64]


def _leaf_backward(out_grad: Array) -> None:
    """A leaf has no inputs, so there is nothing to pass its gradient on to."""


class Tensor:
    """A node of the computational graph whose ``data`` and ``grad`` are float64 arrays.

    >>> import numpy as np
    >>> from autograd.tensor import Tensor
    >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> x.shape
    (2, 2)
    >>> (x * x).sum().backward()
    >>> x.grad
    array([[2., 4.],
           [6., 8.]])

    ``data`` may be anything ``np.asarray`` turns into an array of real numbers (a number,
    nested lists, an integer or float array); it is stored as float64, and booleans or
    complex numbers raise TypeError. A float64 array is
    used as it is, not copied (as ``torch.from_numpy`` and ``np.asarray`` do), so changing
    one changes the other. Operations combine a Tensor with another Tensor, an array or a
    number, with NumPy's broadcasting rules.

    Floating point follows NumPy and PyTorch: a result too large is ``inf``, ``0 ** -1`` is
    ``inf`` and a NaN stays NaN, with NumPy's RuntimeWarning where NumPy gives one (``0 **
    -1``: "divide by zero"). Only ``log`` of a number <= 0 is refused (ValueError), as the
    scalar engine refuses it.
    """

    # Same layout as Value (engine.py); see there why each op saves its inputs as defaults.
    __slots__ = ("data", "grad", "label", "_prev", "_op", "_backward")

    # NumPy would otherwise turn `array + tensor` into an array of objects, one Tensor per
    # element; with this, NumPy gives way and Python calls Tensor.__radd__.
    __array_ufunc__ = None

    def __init__(
        self,
        data: Any,
        _prev: tuple[Tensor, ...] = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        # Operations pass the float64 array they computed and skip the check.
        self.data = (
            data if type(data) is np.ndarray and data.dtype == np.float64 else _as_array(data)
        )
        self.grad = np.zeros_like(self.data)
        self.label = label
        # Under no_grad() nothing is recorded: the result is a leaf (engine.py, no_grad).
        self._prev = _prev if is_grad_enabled() else ()
        self._op = _op
        self._backward: Callable[[Array], None] = _leaf_backward

    def __repr__(self) -> str:
        return f"Tensor({np.array2string(self.data, separator=', ', prefix='Tensor(')})"

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data`` (and of ``grad``), as NumPy gives it."""
        return self.data.shape

    def __add__(self, other: Tensor | Any) -> Tensor:
        """Sum ``self + other``, broadcast; d/dself = 1, d/dother = 1.

        >>> a, b = Tensor([1.0, 2.0]), Tensor(10.0)
        >>> (a + b).sum().backward()
        >>> a.grad, b.grad
        (array([1., 1.]), array(2.))
        """
        other = _tensor(other, "+")
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward(out_grad: Array, self: Tensor = self, other: Tensor = other) -> None:
            self.grad += sum_to_shape(1.0 * out_grad, self.shape)
            other.grad += sum_to_shape(1.0 * out_grad, other.shape)

        if out._prev:
            out._backward = _backward
        return out

    def __mul__(self, other: Tensor | Any) -> Tensor:
        """Elementwise product ``self * other``, broadcast; d/dself = other, d/dother = self.

        >>> a, b = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
        >>> (a * b).sum().backward()
        >>> a.grad, b.grad
        (array([3., 4.]), array([1., 2.]))
        """
        other = _tensor(other, "*")
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward(out_grad: Array, self: Tensor = self, other: Tensor = other) -> None:
            self.grad += sum_to_shape(other.data * out_grad, self.shape)
            other.grad += sum_to_shape(self.data * out_grad, other.shape)

        if out._prev:
            out._backward = _backward
        return out

    def __pow__(self, other: float) -> Tensor:
        """Elementwise power ``self ** n`` for a number n; d/dself = n * self ** (n - 1).

        >>> a = Tensor([1.0, 3.0])
        >>> (a ** 2).sum().backward()
        >>> a.grad
        array([2., 6.])
        """
        n = _exponent(other)
        out = Tensor(self.data**n, (self,), f"**{n}")

        def _backward(out_grad: Array, self: Tensor = self, n: float = n) -> None:
            # x ** 0 is constant: slope 0, also at x = 0, where n * x ** (n - 1) is 0 * inf
            local = n * self.data ** (n - 1) if n != 0 else np.zeros_like(self.data)
            self.grad += local * out_grad

        if out._prev:
            out._backward = _backward
        return out

    def __matmul__(self, other: Tensor | Any) -> Tensor:
        """Matrix product ``self @ other`` of two 2-D tensors (m, k) @ (k, n) -> (m, n).

        Other shapes raise ValueError: a 1-D tensor, or inner sizes that differ.

        d/dself is ``out_grad @ other.T`` and d/dother is ``self.T @ out_grad``: each
        entry of ``out`` is a sum of products, so each input entry collects, over the
        outputs it took part in, the other factor times that output's gradient.

        >>> a, b = Tensor([[1.0, 2.0]]), Tensor([[3.0], [4.0]])
        >>> (a @ b).backward()
        >>> a.grad, b.grad
        (array([[3., 4.]]), array([[1.],
               [2.]]))
        """
        other = _tensor(other, "@")
        if self.data.ndim != 2 or other.data.ndim != 2:
            raise ValueError(
                f"@ takes two 2-D tensors, got shapes {self.shape} and {other.shape}"
                " (reshape a vector to (1, n) or (n, 1))"
            )
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward(out_grad: Array, self: Tensor = self, other: Tensor = other) -> None:
            # The local derivative sits on the side of out_grad that makes the shapes meet.
            self.grad += out_grad @ other.data.T
            other.grad += self.data.T @ out_grad

        if out._prev:
            out._backward = _backward
        return out

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (every axis by default); d/dself = 1 for every summed entry.

        The backward pass copies the gradient of each sum back to all the entries that went
        into it: the reverse of broadcasting.

        >>> a = Tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> s = a.sum(axis=0)
        >>> s
        Tensor([4., 6.])
        >>> s.backward(gradient=np.array([1.0, 10.0]))
        >>> a.grad
        array([[ 1., 10.],
               [ 1., 10.]])
        """
        out = Tensor(np.sum(self.data, axis=axis, keepdims=keepdims), (self,), "sum")

        def _backward(
            out_grad: Array, self: Tensor = self, axis: Any = axis, keepdims: bool = keepdims
        ) -> None:
            if axis is not None and not keepdims:
                # Put the summed axes back as length 1, so out_grad broadcasts against self.
                out_grad = np.expand_dims(out_grad, axis)
            self.grad += np.ones_like(self.data) * out_grad

        if out._prev:
            out._backward = _backward
        return out

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis``, built as ``self.sum(axis, keepdims)`` times ``1 / count``.

        >>> Tensor([[1.0, 2.0], [3.0, 5.0]]).mean(axis=1)
        Tensor([1.5, 4. ])
        """
        out = self.sum(axis=axis, keepdims=keepdims)
        return out * (out.data.size / self.data.size)  # each entry of out summed count entries

    def reshape(self, *shape: int) -> Tensor:
        """The same entries in another shape, as ``np.reshape``; the gradient is reshaped back.

        >>> a = Tensor([1.0, 2.0, 3.0, 4.0])
        >>> a.reshape(2, 2).shape
        (2, 2)
        """
        out = Tensor(self.data.reshape(*shape), (self,), "reshape")

        def _backward(out_grad: Array, self: Tensor = self) -> None:
            self.grad += out_grad.reshape(self.shape)

        if out._prev:
            out._backward = _backward
        return out

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed, as NumPy's ``.T``); the gradient is transposed back.

        >>> Tensor([[1.0, 2.0, 3.0]]).T.shape
        (3, 1)
        """
        out = Tensor(self.data.T, (self,), "T")

        def _backward(out_grad: Array, self: Tensor = self) -> None:
            self.grad += out_grad.T

        if out._prev:
            out._backward = _backward
        return out

    def exp(self) -> Tensor:
        """Elementwise exponential e = exp(self); d/dself = e.

        >>> a = Tensor([0.0])
        >>> a.exp().sum().backward()
        >>> a.grad
        array([1.])
        """
        e = np.exp(self.data)
        out = Tensor(e, (self,), "exp")

        def _backward(out_grad: Array, self: Tensor = self, e: Array = e) -> None:
            self.grad += e * out_grad

        if out._prev:
            out._backward = _backward
        return out

    def log(self) -> Tensor:
        """Elementwise natural logarithm for entries > 0; d/dself = 1 / self.

        >>> a = Tensor([2.0, 4.0])
        >>> a.log().sum().backward()
        >>> a.grad
        array([0.5 , 0.25])
        """
        if (self.data <= 0).any():  # a NaN is not <= 0: it passes, and log gives NaN
            raise ValueError("log is only defined for positive numbers, got an entry <= 0")
        out = Tensor(np.log(self.data), (self,), "log")

        def _backward(out_grad: Array, self: Tensor = self) -> None:
            # out_grad / x rather than (1 / x) * out_grad: 1 / x overflows for tiny x
            self.grad += out_grad / self.data

        if out._prev:
            out._backward = _backward
        return out

    def tanh(self) -> Tensor:
        """Elementwise hyperbolic tangent t = tanh(self); d/dself = 1 - t ** 2.

        >>> a = Tensor([0.0])
        >>> a.tanh().sum().backward()
        >>> a.grad
        array([1.])
        """
        t = np.tanh(self.data)
        out = Tensor(t, (self,), "tanh")

        def _backward(out_grad: Array, self: Tensor = self, t: Array = t) -> None:
            self.grad += (1.0 - t * t) * out_grad

        if out._prev:
            out._backward = _backward
        return out

    def relu(self) -> Tensor:
        """Elementwise max(0, self); d/dself = 1 where self > 0, else 0.

        >>> a = Tensor([-2.0, 3.0])
        >>> a.relu().sum().backward()
        >>> a.grad
        array([0., 1.])
        """
        # np.maximum keeps a NaN, as the scalar relu and PyTorch do.
        out = Tensor(np.maximum(self.data, 0.0), (self,), "relu")

        def _backward(out_grad: Array, self: Tensor = self) -> None:
            # At exactly 0 the derivative is undefined; like PyTorch, we use 0.
            self.grad += (self.data > 0) * out_grad

        if out._prev:
            out._backward = _backward
        return out

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log(softmax(self)) along ``axis``: ``self - log(sum(exp(self)))``, computed stably.

        With p = softmax(self) = exp(out), the vector-Jacobian product is
        ``out_grad - p * out_grad.sum(axis)``: each output depends on every input of its
        row through the log-sum-exp, whose derivative is p.

        >>> a = Tensor([[0.0, 0.0]])
        >>> out = a.log_softmax()
        >>> np.exp(out.data)
        array([[0.5, 0.5]])
        """
        # Subtracting the row's maximum changes nothing mathematically and keeps every
        # exp() <= 1: exp(1000) would be inf.
        shifted = self.data - self.data.max(axis=axis, keepdims=True)
        log_sum_exp = np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        out = Tensor(shifted - log_sum_exp, (self,), "log_softmax")
        p = np.exp(out.data)

        def _backward(out_grad: Array, self: Tensor = self, p: Array = p, axis: int = axis) -> None:
            self.grad += out_grad - p * out_grad.sum(axis=axis, keepdims=True)

        if out._prev:
            out._backward = _backward
        return out

    def __neg__(self) -> Tensor:
        """Negation ``-self``, built as ``self * -1``."""
        return self * -1.0

    def __sub__(self, other: Tensor | Any) -> Tensor:
        """Difference ``self - other``, built as ``self + (-other)``."""
        return self + (-_tensor(other, "-"))

    def __truediv__(self, other: Tensor | Any) -> Tensor:
        """Quotient ``self / other``, built as ``self * other ** -1``."""
        return self * _tensor(other, "/") ** -1

    def __radd__(self, other: Any) -> Tensor:
        """Reflected sum ``other + self``, for an array or a number on the left."""
        return self + other  # other + self; addition commutes

    def __rsub__(self, other: Any) -> Tensor:
        """Reflected difference ``other - self``, for an array or a number on the left."""
        return _tensor(other, "-") - self  # other - self

    def __rmul__(self, other: Any) -> Tensor:
        """Reflected product ``other * self``, for an array or a number on the left."""
        return self * other  # other * self; multiplication commutes

    def __rtruediv__(self, other: Any) -> Tensor:
        """Reflected quotient ``other / self``, for an array or a number on the left."""
        return _tensor(other, "/") / self  # other / self

    def __rmatmul__(self, other: Any) -> Tensor:
        """Reflected matrix product ``other @ self``, for a 2-D array on the left."""
        return _tensor(other, "@") @ self  # other @ self

    def backward(self, gradient: Any = None) -> None:
        """Fill in ``grad`` of every tensor this one depends on.

        For a tensor holding one number, ``grad`` becomes d(self)/d(node), as in the scalar
        engine. For any other shape, give ``gradient``, an array of ``self``'s shape: each
        ``grad`` becomes the vector-Jacobian product ``gradient . d(self)/d(node)``, which
        is the gradient of ``(self * gradient).sum()`` (PyTorch's ``backward(gradient)``).
        Without ``gradient`` on a tensor of more than one number, or with a ``gradient`` of
        another shape, it raises ValueError.

        >>> x = Tensor([1.0, 2.0, 3.0])
        >>> y = x * x
        >>> y.backward(gradient=np.array([1.0, 0.0, 10.0]))
        >>> x.grad
        array([ 2.,  0., 60.])
        """
        if gradient is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a single number, but this tensor"
                    f" has shape {self.shape}: reduce it first (.sum() or .mean()) or pass"
                    " backward(gradient=...) with an array of its shape"
                )
            gradient = np.ones_like(self.data)
        gradient = _as_array(gradient)
        if gradient.shape != self.shape:
            raise ValueError(
                f"gradient has shape {gradient.shape}, but the tensor has shape {self.shape}"
            )
        order = topological_order(self)
        for node in order:
            # A leaf's grad is None after an optimizer's zero_grad(): "no gradient yet".
            if node._prev or node.grad is None:
                node.grad = np.zeros_like(node.data)
        self.grad += gradient
        for node in reversed(order):
            node._backward(node.grad)

    def detach(self) -> Tensor:
        """A new leaf with the same ``data`` (shared, not copied), cut off from the graph.

        >>> x = Tensor([3.0])
        >>> y = (x * x).detach() * x  # the first factor is a constant now
        >>> y.sum().backward()
        >>> x.grad
        array([9.])
        """
        return Tensor(self.data)

    def __bool__(self) -> bool:
        raise TypeError(
            "a Tensor has no truth value: test its numbers instead, such as"
            " 'if (t.data > 0).all():'"
        )


def sum_to_shape(grad: Array, shape: tuple[int, ...]) -> Array:
    """``grad`` summed down to ``shape``: the backward pass of broadcasting.

    Broadcasting copies an input along new leading axes and along its axes of length 1; each
    copy contributed to the result, so the input's gradient is the sum of the copies'
    gradients.

    >>> sum_to_shape(np.ones((2, 3)), (3,))
    array([2., 2., 2.])
    >>> sum_to_shape(np.ones((2, 3)), (2, 1))
    array([[3.],
           [3.]])
    """
    # Axes that broadcasting added in front.
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    # Axes where the input had length 1 and was stretched.
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _as_array(data: object) -> Array:
    """``data`` as a float64 array; a TypeError for anything that is not real numbers."""
    if isinstance(data, Tensor):
        raise TypeError("Tensor() got a Tensor: use t.detach() for a new leaf with its data")
    if isinstance(data, bool) or (isinstance(data, np.ndarray) and data.dtype == np.bool_):
        raise TypeError("Tensor() needs real numbers, got booleans")
    try:
        array = np.asarray(data)
    except ValueError as error:  # ragged nested lists
        raise TypeError(f"Tensor() needs a rectangular array of numbers: {error}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"Tensor() needs real numbers (int or float), got {array.dtype} data: {data!r}"
        )
    return array.astype(np.float64)


def _tensor(other: object, op: str) -> Tensor:
    """The other operand of ``op`` as a Tensor; a TypeError naming ``op`` if it cannot be one."""
    if isinstance(other, Tensor):
        return other
    try:
        return Tensor(other)
    except TypeError:
        raise TypeError(
            f"unsupported operand for {op}: Tensor and {type(other).__name__}"
            " (a Tensor combines with another Tensor, an array or a real number)"
        ) from None


def _exponent(other: object) -> float:
    if not isinstance(other, Real) or isinstance(other, bool):
        raise TypeError(
            f"the exponent must be an int or float constant, got {type(other).__name__}"
        )
    return float(other)
