"""The autograd engine: :class:`Value`, a scalar that remembers how it was computed.

Each operation returns a new Value that records its inputs (``_prev``), its name (``_op``)
and a ``_backward`` function for its own chain-rule step; :meth:`Value.backward` visits
that graph in reverse topological order. The book reads this file top to bottom: the
operations, ``backward()`` and :func:`topological_order` first, then the guards and the
helpers that hold the floating-point policy.
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any, SupportsIndex

#: The largest finite float. An int exponent larger than this cannot be a float, so ``**``
#: refuses it with OverflowError.
MAX_FLOAT = sys.float_info.max

#: Held by :meth:`Value.backward` for the whole pass, so passes in different threads run
#: one after the other: two threads calling backward(), on one graph or on two graphs that
#: share leaves, get what two calls in a row get, each adding its full gradient. Re-entrant,
#: so an op's ``_backward`` may itself call backward(). Nothing else is locked: changing
#: ``data`` or ``grad`` (an optimizer's step() or zero_grad()) while another thread runs
#: backward() on the same nodes gives numbers from a mix of before and after.
BACKWARD_LOCK = threading.RLock()


def _leaf_backward(out_grad: float) -> None:
    """A leaf has no inputs, so there is nothing to pass its gradient on to."""


class Value:
    """A scalar node of the computational graph: ``data``, ``grad`` and how it was made.

    >>> from autograd.engine import Value
    >>> a = Value(2.0, label="a")
    >>> a
    Value(data=2.0, grad=0.0)

    Attributes, the six names of ``__slots__``:

    - ``data``: the number, always a float. The constructor takes any real number but a
      ``bool``; an operation takes another Value or a real number; anything else raises
      TypeError, and an int too large for a float raises OverflowError.
    - ``grad``: d(output)/d(this node) after ``backward()``, starting at 0.0. None means
      "no gradient", as in PyTorch: an optimizer's ``zero_grad()`` sets it, and
      ``backward()`` starts each leaf it reaches from 0.0.
    - ``label``: a name for pictures of the graph (:func:`autograd.draw.to_dot`).
    - ``_prev``: the inputs this node was computed from, a tuple; empty for a leaf.
    - ``_op``: the operation's symbol (``"+"``, ``"tanh"``), empty for a leaf.
    - ``_backward``: the operation's chain-rule step, called by :meth:`backward` as
      ``node._backward(node.grad)``. It adds (``+=``) each input's local derivative times
      that upstream gradient to the input's ``grad`` and returns nothing. An operation run
      under :func:`no_grad` records no inputs and keeps the leaf's ``_backward``, which
      does nothing.

    A Value is a node, not a number:

    - ``==`` is identity; compare numbers with ``a.data == b.data``.
    - ``bool(v)`` raises TypeError; test ``v.data``.
    - Only a leaf can be copied or pickled.
    - ``x -= y`` (and ``+=``, ``*=``, ``/=``, ``**=``) makes a new node, as for a float. A
      leaf that already has a gradient (``grad`` not 0.0, None included) refuses them with
      TypeError: ``w -= lr * w.grad`` there is meant as a training step, which must change
      ``w.data``. A :class:`~autograd.nn.Parameter` refuses them always.

    Overflow, NaN and the ranges where a derivative is exact follow one floating-point
    policy, set out in the book's chapter "From micrograd to this engine" and in the
    comments before this module's helpers.
    """

    # Each op's _backward receives the upstream gradient as its argument and the inputs it
    # reads as default arguments, saved when the op runs (like PyTorch's
    # ctx.save_for_backward). So no _backward refers to its own output: the graph has no
    # reference cycles and is freed as soon as it is no longer used (docs/micrograd.md).
    # Default arguments are one tuple; closure variables would add a cell per variable
    # (benchmarks/RESULTS.md).
    #
    # A fixed list of attributes instead of a dict per Value: a training step creates tens
    # of thousands of nodes, and each one is smaller and quicker to make. A misspelt
    # attribute (v.gard = 0.0) raises AttributeError instead of being silently added.
    __slots__ = ("data", "grad", "label", "_prev", "_op", "_backward")

    def __init__(
        self,
        data: float,
        _prev: tuple[Value, ...] = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        # data is always a float. Operations pass the float they computed and skip the
        # check; anything else (3, "3", True) goes through _as_float, which converts any
        # other real number and refuses the rest, bool included, with a TypeError.
        self.data = data if type(data) is float else _as_float(data)
        # A float; None only after an optimizer's zero_grad(), "no gradient yet" (optim.py).
        self.grad: Any = 0.0
        self.label = label
        # Under no_grad() the result remembers no inputs: it is a leaf (see no_grad).
        self._prev = _prev if _grad_enabled else ()
        self._op = _op
        self._backward: Callable[[float], None] = _leaf_backward

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r}, grad={self.grad!r})"

    def __add__(self, other: Value | float) -> Value:
        """Sum ``self + other``; d/dself = 1, d/dother = 1.

        >>> a, b = Value(2.0), Value(-3.0)
        >>> (a + b).backward()
        >>> a.grad, b.grad
        (1.0, 1.0)
        """
        other = other if isinstance(other, Value) else Value(_number(other, "+"))
        out = Value(self.data + other.data, (self, other), "+")

        def _backward(out_grad, self=self, other=other):
            self.grad += 1.0 * out_grad
            other.grad += 1.0 * out_grad

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        """Product ``self * other``; d/dself = other, d/dother = self.

        >>> a, b = Value(2.0), Value(-3.0)
        >>> (a * b).backward()
        >>> a.grad, b.grad
        (-3.0, 2.0)
        """
        other = other if isinstance(other, Value) else Value(_number(other, "*"))
        out = Value(self.data * other.data, (self, other), "*")

        def _backward(out_grad, self=self, other=other):
            self.grad += other.data * out_grad
            other.grad += self.data * out_grad

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def __pow__(self, other: int | float) -> Value:
        """Power ``self ** other`` for a constant exponent n; d/dself = n * self ** (n - 1).

        At self = 0 a negative power divides by zero, and so does the slope of a power
        0 < n < 1 in ``backward()``: both raise ZeroDivisionError. ``x ** 0`` has slope 0
        everywhere, 0 included, as in PyTorch. The exponent must be a number: a Value
        exponent raises TypeError (for ``a ** b`` write ``(b * a.log()).exp()``).

        >>> a = Value(3.0)
        >>> (a ** 2).backward()
        >>> a.grad
        6.0
        """
        other = _exponent(other)
        out = Value(_power(self.data, other), (self,), f"**{other}")

        def _backward(out_grad, self=self, other=other):
            # x ** 0 is constant: slope 0, also at x = 0, where n * x ** (n - 1) is 0 / 0
            local = other * _power(self.data, other - 1) if other != 0 else 0.0
            self.grad += local * out_grad

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def __neg__(self) -> Value:
        """Negation ``-self``, built as ``self * -1``.

        >>> -Value(2.0)
        Value(data=-2.0, grad=0.0)
        """
        return self * -1

    def __sub__(self, other: Value | float) -> Value:
        """Difference ``self - other``, built as ``self + (-other)``.

        >>> Value(5.0) - 3
        Value(data=2.0, grad=0.0)
        """
        other = other if isinstance(other, Value) else _number(other, "-")
        return self + (-other)

    def __truediv__(self, other: Value | float) -> Value:
        """Quotient ``self / other``, built as ``self * other ** -1``.

        The composition rounds twice, so the quotient can be one unit in the last place
        away from Python's ``a / b``: ``Value(49.0) / Value(49.0)`` is 0.9999999999999999.
        Its range is narrower than true division's: the divisor's gradient goes through
        ``other ** -2`` (and the product of the other factors), so it is exact only while
        ``abs(other)`` stays within about 1e-154 to 1e154. Below, it overflows to inf; above,
        it loses digits and then underflows to 0 (for ``1 / other``, beyond about 6.4e161).
        For ``abs(other) < 5.6e-309`` the quotient itself is inf (or nan for ``0 / other``).
        Dividing by 0 raises ZeroDivisionError.

        >>> Value(3.0) / 4
        Value(data=0.75, grad=0.0)
        """
        other = other if isinstance(other, Value) else Value(_number(other, "/"))
        return self * other**-1

    def __radd__(self, other: float) -> Value:
        """Reflected sum, for ``other + self`` when ``other`` is a plain number.

        >>> 1 + Value(2.0)
        Value(data=3.0, grad=0.0)
        """
        return self + other  # other + self; addition commutes

    def __rsub__(self, other: float) -> Value:
        """Reflected difference, for ``other - self`` when ``other`` is a plain number.

        >>> 1 - Value(2.0)
        Value(data=-1.0, grad=0.0)
        """
        other = _number(other, "-")
        return (-self) + other  # other - self

    def __rmul__(self, other: float) -> Value:
        """Reflected product, for ``other * self`` when ``other`` is a plain number.

        >>> 2 * Value(3.0)
        Value(data=6.0, grad=0.0)
        """
        return self * other  # other * self; multiplication commutes

    def __rtruediv__(self, other: float) -> Value:
        """Reflected quotient, for ``other / self`` when ``other`` is a plain number.

        >>> 1 / Value(4.0)
        Value(data=0.25, grad=0.0)
        """
        other = _number(other, "/")
        return self**-1 * other  # other / self

    def tanh(self) -> Value:
        """Hyperbolic tangent t = tanh(self); d/dself = 1 - t ** 2.

        >>> a = Value(0.0)
        >>> a.tanh().backward()
        >>> a.grad
        1.0
        """
        # math.tanh saturates cleanly at +-1; (e**2x - 1) / (e**2x + 1) overflows for large x.
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward(out_grad, self=self, t=t):
            self.grad += (1.0 - t * t) * out_grad

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def relu(self) -> Value:
        """Rectified linear unit max(0, self); d/dself = 1 if self > 0 else 0.

        >>> a = Value(-2.0)
        >>> a.relu().backward()
        >>> a.grad
        0.0
        """
        # Tested as `<= 0`, so a NaN passes through (NaN > 0 is False), as in PyTorch.
        out = Value(0.0 if self.data <= 0 else self.data, (self,), "relu")

        def _backward(out_grad, self=self):
            # At exactly 0 the derivative is undefined; like PyTorch, we use 0.
            self.grad += (0.0 if self.data <= 0 else 1.0) * out_grad

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def exp(self) -> Value:
        """Exponential e = exp(self); d/dself = e.

        >>> a = Value(0.0)
        >>> a.exp().backward()
        >>> a.grad
        1.0
        """
        try:
            e = math.exp(self.data)
        except OverflowError:  # too large for a float: inf, as in PyTorch
            e = math.inf
        out = Value(e, (self,), "exp")

        def _backward(out_grad, self=self, e=e):
            self.grad += e * out_grad

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def log(self) -> Value:
        """Natural logarithm log(self) for self > 0; d/dself = 1 / self.

        For self <= 0 it raises ValueError, as ``math.log`` does.
        The gradient is computed as ``out_grad / self``, one rounding, as PyTorch does:
        ``1 / self`` alone overflows to inf for a tiny (subnormal) self even where the
        gradient is finite, such as ``(Value(1e-310).log() * 1e-100)``'s 1e210.

        >>> a = Value(2.0)
        >>> a.log().backward()
        >>> a.grad
        0.5
        """
        if self.data <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {self.data!r}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward(out_grad, self=self):
            self.grad += out_grad / self.data  # (1 / self) * out_grad, without overflow

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        """Logistic sigmoid s = 1 / (1 + exp(-self)); d/dself = s * (1 - s).

        >>> a = Value(0.0)
        >>> a.sigmoid().backward()
        >>> a.grad
        0.25
        """
        s = _sigmoid(self.data)
        out = Value(s, (self,), "sigmoid")

        def _backward(out_grad, self=self, s=s):
            self.grad += s * (1.0 - s) * out_grad

        if out._prev:  # empty under no_grad(): nothing is recorded
            out._backward = _backward
        return out

    def backward(self, gradient: float = 1.0) -> None:
        """Fill in ``grad`` of every node this value depends on: d(self)/d(node).

        With ``gradient`` g, each ``grad`` is g * d(self)/d(node) instead, as PyTorch's
        ``backward(gradient)``: the gradient of ``g * self``.

        Nodes are visited in reverse topological order, so each node has received the
        gradient from all of its uses before it passes its own gradient on.

        Calling ``backward()`` again without zeroing adds one more copy of each gradient
        to the leaves, as PyTorch does with ``retain_graph=True``: a leaf's ``grad`` is an
        accumulator, reset only by a ``zero_grad()`` or by ``x.grad = 0.0``.
        Intermediate nodes are recomputed from scratch on every call, so their ``grad``
        always holds the gradient of the latest call.

        A leaf whose ``grad`` is None (see the ``grad`` attribute of :class:`Value`) starts
        from 0.0 if the pass reaches it and stays None if not, so an optimizer can tell a
        parameter that dropped out of the loss from one whose gradient is 0.

        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward()
        >>> x.grad, y.grad
        (6.0, 1.0)
        >>> y.backward()
        >>> x.grad, y.grad
        (12.0, 1.0)
        """
        with BACKWARD_LOCK:  # one pass at a time, whichever thread calls (see BACKWARD_LOCK)
            order = topological_order(self)
            for node in order:
                if node._prev or node.grad is None:  # interior, or a leaf with no gradient
                    node.grad = 0.0
            # d(self)/d(self) = 1, times the gradient given (1.0 by default)
            self.grad += _number(gradient, "backward(gradient=...)")
            for node in reversed(order):
                node._backward(node.grad)

    def detach(self) -> Value:
        """A new leaf holding the same number, cut off from the graph: a constant to it.

        >>> x = Value(3.0)
        >>> y = (x * x).detach() * x  # the first factor counts as the constant 9
        >>> y.backward()
        >>> x.grad
        9.0
        """
        return Value(self.data)

    def __bool__(self) -> bool:
        """Refused: ``if loss:`` would test the node, not its number; test ``loss.data``.

        >>> if Value(0.0):  # doctest: +ELLIPSIS
        ...     pass
        Traceback (most recent call last):
          ...
        TypeError: a Value has no truth value: test its number instead, ...
        """
        raise TypeError(
            "a Value has no truth value: test its number instead, such as"
            f" 'if v.data > 0:' (here v.data is {self.data!r})"
        )

    # The in-place operators make a new node, as for any immutable Python number: x += 1
    # is x = x + 1. On a leaf that already has a gradient that is almost always a training
    # step written as w -= lr * w.grad: w would become a new node each step, the trained
    # leaf would never change, and the graph would grow by two nodes per step.
    # _check_in_place refuses those; a running sum that starts from a new leaf
    # (total = Value(0.0), then total += term) has no gradient and goes through.

    def __iadd__(self, other: Value | float) -> Value:
        """``self += other``: the new node ``self + other``, unless self is a trained leaf.

        >>> total = Value(0.0)
        >>> total += Value(2.0)
        >>> total
        Value(data=2.0, grad=0.0)
        """
        _check_in_place(self, "+=")
        return self + other

    def __isub__(self, other: Value | float) -> Value:
        """``self -= other``: the new node ``self - other``, unless self is a trained leaf.

        >>> w = Value(1.0)
        >>> (w * w).backward()
        >>> w -= 0.1 * w.grad  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        TypeError: p -= ... would make the name p point to a new graph node ... p.data -= ...
        """
        _check_in_place(self, "-=")
        return self - other

    def __imul__(self, other: Value | float) -> Value:
        """``self *= other``: the new node ``self * other``, unless self is a trained leaf."""
        _check_in_place(self, "*=")
        return self * other

    def __itruediv__(self, other: Value | float) -> Value:
        """``self /= other``: the new node ``self / other``, unless self is a trained leaf."""
        _check_in_place(self, "/=")
        return self / other

    def __ipow__(self, other: int | float) -> Value:
        """``self **= other``: the new node ``self ** other``, unless self is a trained leaf."""
        _check_in_place(self, "**=")
        return self**other

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[object, ...]:
        # copy.copy, copy.deepcopy and pickle all start here. Copying a node with inputs
        # would share its inputs, so the copy's backward() would write into the original
        # graph; like PyTorch for a non-leaf tensor, refuse.
        if self._prev:
            raise TypeError(
                f"cannot copy a Value that has inputs (made by {self._op!r}): the copy would"
                " share the original graph. Copy the leaves (or the Module) and compute"
                " again, or copy only the number: Value(v.data)"
            )
        # Protocols 0 and 1 cannot save __slots__ by themselves; protocol 2's recipe (a
        # plain function call plus the slots' state) pickles at any protocol.
        return super().__reduce_ex__(max(int(protocol), 2))


def topological_order(root: Any) -> list[Any]:
    """Every node ``root`` depends on, each listed after all of its inputs; ``root`` last.

    It reads nothing but each node's ``_prev``, so it walks a graph of ``Value`` objects
    and, unchanged, one of ``Tensor`` objects (``autograd/tensor.py``): hence ``Any``.

    The walk keeps its own stack instead of recursing, so a graph a million nodes deep
    needs no change to Python's recursion limit.

    >>> from autograd.engine import Value, topological_order
    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> c = a * b
    >>> c.label = "c"
    >>> [node.label for node in topological_order(c + a)]
    ['a', 'b', 'c', '']
    """
    order: list[Any] = []
    visited: set[Any] = set()
    # Each entry is (node, inputs_done). A node is pushed once to expand its inputs and
    # once more, underneath them, to be emitted after all of them have been emitted.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            for child in reversed(node._prev):
                if child not in visited:
                    stack.append((child, False))
    return order


def _check_in_place(x: Value, op: str) -> None:
    """Refuse ``op`` on a leaf with a gradient (grad not 0.0: set, or None from zero_grad)."""
    if not x._prev and x.grad != 0.0:
        raise _in_place_error(op)


def _in_place_error(op: str) -> TypeError:
    return TypeError(
        f"p {op} ... would make the name p point to a new graph node and leave the parameter"
        f" unchanged; change its number instead: p.data {op} ..."
        " (a gradient step is p.data -= learning_rate * p.grad)"
    )


# The floating-point policy, the same in every operation, forward and backward (the
# helpers below hold it, so that each operation stays four steps; docs/micrograd.md shows it
# run beside micrograd):
# - a result too large for a float is inf (or -inf), as in PyTorch: never OverflowError,
#   never a finite wrong number. Only an input too large to be a float at all, such as
#   Value(10 ** 400) or the exponent in x ** 10 ** 400, is refused with OverflowError.
# - a division by zero raises ZeroDivisionError, as Python's floats do (where PyTorch gives
#   inf): 1 / Value(0.0), Value(0.0) ** -1, and the slope of x ** 0.5 at 0 in backward().
# - a NaN is never lost: every operation on NaN gives NaN (except x ** 0 and 1 ** y, which
#   are 1, as in PyTorch and Python), and its gradient is NaN or PyTorch's number (relu
#   passes the upstream gradient through, as PyTorch does).
# - a result that is not a real number is a ValueError: Value(-8.0) ** (1 / 3), in the
#   forward pass and in backward() if x.data was changed after it.


def _as_float(data: object) -> float:
    # bool is a subclass of int, but Value(True) is almost always a mistake.
    if not isinstance(data, Real) or isinstance(data, bool):
        raise TypeError(
            f"Value() needs a real number (int or float), got {type(data).__name__}: {data!r}"
        )
    return float(data)


def _number(other: object, op: str) -> float:
    """The plain-number operand of ``op`` as a float; a TypeError naming ``op`` if it is not one."""
    if not isinstance(other, Real) or isinstance(other, bool):
        raise TypeError(
            f"unsupported operand for {op}: Value and {type(other).__name__}"
            " (a Value combines with another Value or a real number)"
        )
    return float(other)


def _exponent(other: object) -> int | float:
    """The constant exponent of ``**``: an int stays an int (exact powers), a real a float."""
    if not isinstance(other, Real) or isinstance(other, bool):
        raise TypeError(
            f"the exponent must be an int or float constant, got {type(other).__name__}"
            " (for a Value exponent write (b * a.log()).exp())"
        )
    if not isinstance(other, Integral):
        return float(other)
    exponent = int(other)
    if abs(exponent) > MAX_FLOAT:
        raise OverflowError("the exponent is too large to be a float (over 1.8e308)")
    return exponent


def _power(x: float, n: int | float) -> float:
    """``x ** n``, with this engine's policy: inf when too large, division by zero and a
    result that is not a real number are errors."""
    if x == 0 and n < 0:
        raise ZeroDivisionError(f"division by zero: {x!r} ** {n!r}")
    if x < 0 and not float(n).is_integer():
        raise ValueError(f"{x!r} ** {n!r} is not a real number")
    try:
        return x**n
    except OverflowError:  # too large for a float: inf, as in PyTorch
        return -math.inf if x < 0 and n % 2 == 1 else math.inf


def _sigmoid(x: float) -> float:
    # Two forms so that exp never overflows: exp(-x) for x >= 0, exp(x) for x < 0.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# Whether operations record the graph; only no_grad changes it. One switch for the whole
# program (PyTorch keeps one per thread).
_grad_enabled = True


def is_grad_enabled() -> bool:
    """False inside ``with no_grad():``, where operations build no graph.

    >>> from autograd.engine import is_grad_enabled, no_grad
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    >>> is_grad_enabled()
    True
    """
    return _grad_enabled


class no_grad:
    """``with no_grad():`` evaluates without building a graph, like ``torch.no_grad()``.

    Inside the block every result is a leaf: it records no inputs and no ``_backward``, so
    it keeps nothing alive but its number and ``backward()`` cannot reach through it. Use
    it where only the numbers matter, such as measuring accuracy.

    >>> from autograd.engine import Value, no_grad
    >>> x = Value(3.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.data, y._prev
    (9.0, ())
    """

    def __init__(self) -> None:
        self.previous = True

    def __enter__(self) -> None:
        global _grad_enabled
        self.previous = _grad_enabled  # blocks nest: restore what was there, not True
        _grad_enabled = False

    def __exit__(self, *exc_info: object) -> None:
        global _grad_enabled
        _grad_enabled = self.previous
