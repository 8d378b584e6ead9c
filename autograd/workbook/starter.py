"""My own autograd engine: a scalar Value that remembers how it was computed.

Fill in the methods in order, one step at a time, and check each step with

    python -m autograd.workbook check engine.py --step N

Each stub says what to write; delete its `raise NotImplementedError` when you do.
"""

import math


class Value:
    """A number in a computational graph: data, grad, and how it was made."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        # A leaf has no inputs, so its _backward does nothing. It accepts any arguments,
        # so it fits either style: _backward() that reads out.grad (micrograd's closure)
        # or _backward(out_grad) (the book's).
        self._backward = lambda *args: None

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def __add__(self, other):
        # Step 1: wrap a plain number `other` in a Value, build out = self + other, and give
        # out a _backward that adds 1 * (out's gradient) to self.grad and to other.grad.
        raise NotImplementedError("step 1: __add__ is not written yet")

    def __mul__(self, other):
        # Step 1: like __add__; the local derivatives of self * other are other.data (for
        # self) and self.data (for other). Always +=, never =.
        raise NotImplementedError("step 1: __mul__ is not written yet")

    def __pow__(self, other):
        # Step 2: `other` is a plain int or float n; out = self ** n, and _backward adds
        # n * self.data ** (n - 1) * (out's gradient) to self.grad.
        raise NotImplementedError("step 2: __pow__ is not written yet")

    def __neg__(self):
        # Step 3: one line built from an operation you already have: self * -1.
        raise NotImplementedError("step 3: __neg__ is not written yet")

    def __sub__(self, other):
        # Step 3: one line: self + (-other).
        raise NotImplementedError("step 3: __sub__ is not written yet")

    def __truediv__(self, other):
        # Step 3: one line: self * other ** -1.
        raise NotImplementedError("step 3: __truediv__ is not written yet")

    def __radd__(self, other):
        # Step 4: Python calls this for `other + self` when other is a plain number;
        # return self + other.
        raise NotImplementedError("step 4: __radd__ is not written yet")

    def __rmul__(self, other):
        # Step 4: Python calls this for `other * self` when other is a plain number;
        # return self * other.
        raise NotImplementedError("step 4: __rmul__ is not written yet")

    def tanh(self):
        # Step 5: t = math.tanh(self.data) (it never overflows); local derivative 1 - t ** 2.
        raise NotImplementedError("step 5: tanh is not written yet")

    def relu(self):
        # Step 5: out = max(0, self.data); local derivative 1 if self.data > 0, else 0.
        raise NotImplementedError("step 5: relu is not written yet")

    def exp(self):
        # Step 5: e = math.exp(self.data); the local derivative is e itself.
        raise NotImplementedError("step 5: exp is not written yet")

    def backward(self):
        # Step 6: list every node once, each after its inputs (a topological order: keep
        # a set of visited nodes, and use a loop with your own stack, not recursion). Set
        # the grad of every node that has inputs to 0.0, so a second backward() starts
        # afresh there, but leave the leaves' grad alone: it adds up over calls. Add 1.0
        # to self.grad, then call each node's _backward, from the last node to the first.
        raise NotImplementedError("step 6: backward is not written yet")
