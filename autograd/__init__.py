"""Reverse-mode automatic differentiation on scalars, built from first principles.

>>> from autograd import Value
>>> x = Value(3.0)
>>> y = x * x + 2 * x
>>> y.backward()
>>> y.data, x.grad
(15.0, 8.0)
"""

from autograd.collector import gc_paused
from autograd.draw import to_dot
from autograd.engine import Value, is_grad_enabled, no_grad, topological_order
from autograd.nn import MLP, Layer, Module, Neuron, Parameter, manual_seed

__all__ = [
    "MLP",
    "Layer",
    "Module",
    "Neuron",
    "Parameter",
    "Value",
    "gc_paused",
    "is_grad_enabled",
    "manual_seed",
    "no_grad",
    "to_dot",
    "topological_order",
]
__version__ = "0.1.0"
