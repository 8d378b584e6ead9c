"""The Tensor engine (autograd/tensor.py) checked three ways: against PyTorch in float64,
against the scalar engine on the same network, and against central finite differences."""

from __future__ import annotations

import random
import subprocess
import sys
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

from autograd import MLP, Value, no_grad, topological_order
from autograd.optim import SGD, Adam
from autograd.tensor import Tensor, sum_to_shape

torch = pytest.importorskip("torch")

TOL = 1e-12
# Each example builds a graph in both engines: a quarter of the profile's examples per
# property (100 in CI) keeps this file near half a minute; HYPOTHESIS_PROFILE=explore has 500.
FEWER = settings(max_examples=settings.default.max_examples // 4)


def close(ours: np.ndarray, theirs: torch.Tensor) -> None:
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=TOL, atol=TOL)


def pair(shape: tuple[int, ...], seed: int, positive: bool = False):
    """The same random float64 array as a Tensor and as a leaf torch tensor."""
    rng = np.random.default_rng(seed)
    data = rng.uniform(0.5, 2.0, shape) if positive else rng.normal(size=shape)
    return Tensor(data.copy()), torch.tensor(data, dtype=torch.float64, requires_grad=True)


def upstream(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """A random upstream gradient: backward(gradient=...) with it, not only ones."""
    return np.random.default_rng(seed + 1000).normal(size=shape)


def check_backward(out, out_t, seed, *leaves) -> None:
    """Forward values equal; backward with the same random upstream gives equal gradients."""
    close(out.data, out_t)
    g = upstream(out.shape, seed)
    out.backward(gradient=g)
    out_t.backward(gradient=torch.tensor(g))
    for ours, theirs in leaves:
        assert ours.grad.shape == ours.shape
        close(ours.grad, theirs.grad)


BINARY = {
    "+": (lambda a, b: a + b),
    "-": (lambda a, b: a - b),
    "*": (lambda a, b: a * b),
    "/": (lambda a, b: a / b),
}


@FEWER
@given(
    op=st.sampled_from(sorted(BINARY)),
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4),
    seed=st.integers(0, 2**16),
)
def test_binary_ops_broadcast_like_torch(op, shapes, seed):
    (shape_a, shape_b), _ = shapes
    a, a_t = pair(shape_a, seed)
    b, b_t = pair(shape_b, seed + 1, positive=(op == "/"))
    fn = BINARY[op]
    check_backward(fn(a, b), fn(a_t, b_t), seed, (a, a_t), (b, b_t))


@FEWER
@given(
    op=st.sampled_from(sorted(BINARY)),
    shape=array_shapes(min_dims=0, max_dims=3, max_side=4),
    number=st.sampled_from([-2.5, 0.5, 3.0]),
    seed=st.integers(0, 2**16),
)
def test_ops_with_a_number_on_either_side(op, shape, number, seed):
    a, a_t = pair(shape, seed, positive=True)
    fn = BINARY[op]
    check_backward(fn(a, number), fn(a_t, number), seed, (a, a_t))
    a.grad[...] = 0.0
    a_t.grad = None
    check_backward(fn(number, a), fn(number, a_t), seed, (a, a_t))


@FEWER
@given(
    shape=array_shapes(min_dims=0, max_dims=3, max_side=4),
    name=st.sampled_from(["exp", "log", "tanh", "relu", "neg", "T"]),
    seed=st.integers(0, 2**16),
)
def test_unary_ops_like_torch(shape, name, seed):
    a, a_t = pair(shape, seed, positive=(name == "log"))
    if name == "neg":
        out, out_t = -a, -a_t
    elif name == "T":
        out, out_t = a.T, a_t.permute(tuple(reversed(range(a_t.ndim))))
    else:
        out, out_t = getattr(a, name)(), getattr(a_t, name)()
    check_backward(out, out_t, seed, (a, a_t))


@FEWER
@given(
    shape=array_shapes(min_dims=0, max_dims=3, max_side=4),
    n=st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, 1.5]),
    seed=st.integers(0, 2**16),
)
def test_power_like_torch(shape, n, seed):
    a, a_t = pair(shape, seed, positive=True)
    check_backward(a**n, a_t**n, seed, (a, a_t))


@FEWER
@given(
    shape=array_shapes(min_dims=1, max_dims=4, max_side=4),
    data=st.data(),
    reduction=st.sampled_from(["sum", "mean"]),
    keepdims=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_sum_and_mean_over_any_axes_like_torch(shape, data, reduction, keepdims, seed):
    ndim = len(shape)
    axes = data.draw(st.lists(st.integers(-ndim, ndim - 1), unique_by=lambda i: i % ndim))
    axis = None if not axes else (axes[0] if len(axes) == 1 else tuple(axes))
    a, a_t = pair(shape, seed)
    out = getattr(a, reduction)(axis=axis, keepdims=keepdims)
    dim = tuple(range(ndim)) if axis is None else axis
    out_t = getattr(a_t, reduction)(dim=dim, keepdim=keepdims)
    check_backward(out, out_t, seed, (a, a_t))


@FEWER
@given(
    m=st.integers(1, 5),
    k=st.integers(1, 5),
    n=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_matmul_like_torch(m, k, n, seed):
    a, a_t = pair((m, k), seed)
    b, b_t = pair((k, n), seed + 1)
    check_backward(a @ b, a_t @ b_t, seed, (a, a_t), (b, b_t))


@FEWER
@given(
    shape=array_shapes(min_dims=1, max_dims=3, max_side=5),
    data=st.data(),
    seed=st.integers(0, 2**16),
)
def test_reshape_and_log_softmax_like_torch(shape, data, seed):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    a, a_t = pair(shape, seed)
    scaled, scaled_t = a * 30.0, a_t * 30.0  # large logits: the stable form matters
    out = scaled.log_softmax(axis=axis).reshape(-1)
    out_t = torch.log_softmax(scaled_t, dim=axis).reshape(-1)
    check_backward(out, out_t, seed, (a, a_t))


def test_log_softmax_does_not_overflow():
    x = Tensor([[1000.0, 0.0, -1000.0]])
    out = x.log_softmax()
    assert np.isfinite(out.data).all()
    out.backward(gradient=np.array([[1.0, 0.0, 0.0]]))
    np.testing.assert_array_equal(x.grad, [[0.0, -0.0, -0.0]])


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    logits, logits_t = pair((6, 4), 3)
    labels = np.array([0, 3, 1, 1, 2, 0])
    one_hot = np.eye(4)[labels]
    loss = -(logits.log_softmax() * one_hot).sum(axis=1).mean()
    loss.backward()
    loss_t = torch.nn.functional.cross_entropy(logits_t, torch.tensor(labels))
    loss_t.backward()
    close(loss.data, loss_t)
    close(logits.grad, logits_t.grad)
    softmax = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(logits.grad, (softmax - one_hot) / 6, rtol=TOL, atol=TOL)


@FEWER
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=1, min_dims=0, max_dims=4, max_side=3),
    seed=st.integers(0, 2**16),
)
def test_sum_to_shape_is_the_adjoint_of_broadcasting(shapes, seed):
    # <broadcast(x), g> == <x, sum_to_shape(g)> for all x and g: the definition of the VJP.
    (shape,), result_shape = shapes
    rng = np.random.default_rng(seed)
    x, g = rng.normal(size=shape), rng.normal(size=result_shape)
    reduced = sum_to_shape(g, shape)
    assert reduced.shape == shape
    left = (np.broadcast_to(x, result_shape) * g).sum()
    np.testing.assert_allclose(left, (x * reduced).sum(), rtol=1e-12, atol=1e-12)


def tensor_mlp(weights, biases, x):
    for i, (w, b) in enumerate(zip(weights, biases)):
        x = x @ w + b
        x = x.tanh() if i < len(weights) - 1 else x
    return x


@pytest.mark.parametrize("seed", range(5))
def test_tensor_mlp_has_the_value_mlps_gradients(seed):
    """The same network, weights and batch in both engines: the same loss and gradients."""
    rng = random.Random(seed)
    net = MLP(3, [4, 4, 2], output_activation="linear", rng=rng)
    xs = [[rng.uniform(-2, 2) for _ in range(3)] for _ in range(5)]
    ys = [[rng.uniform(-1, 1) for _ in range(2)] for _ in range(5)]
    value_loss = sum(
        ((out - y) ** 2 for x, yrow in zip(xs, ys) for out, y in zip(net.outputs(x), yrow)),
        Value(0.0),
    )
    value_loss.backward()

    weights = [
        Tensor([[n.w[i].data for n in layer.neurons] for i in range(len(layer.neurons[0].w))])
        for layer in net.layers
    ]
    biases = [Tensor([n.b.data for n in layer.neurons]) for layer in net.layers]
    tensor_loss = ((tensor_mlp(weights, biases, Tensor(xs)) - Tensor(ys)) ** 2).sum()
    tensor_loss.backward()

    assert abs(tensor_loss.data - value_loss.data) <= TOL * abs(value_loss.data)
    for layer, w, b in zip(net.layers, weights, biases):
        value_w = [[n.w[i].grad for n in layer.neurons] for i in range(len(layer.neurons[0].w))]
        np.testing.assert_allclose(w.grad, value_w, rtol=TOL, atol=TOL)
        np.testing.assert_allclose(b.grad, [n.b.grad for n in layer.neurons], rtol=TOL, atol=TOL)


def numeric_gradient(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (f(plus) - f(minus)) / (2 * h)
    return grad


@pytest.mark.parametrize("seed", range(3))
def test_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    w0, x0 = rng.normal(size=(4, 3)), rng.uniform(0.5, 2.0, size=(2, 4))
    labels = np.eye(3)[[0, 2]]

    def loss(w: Tensor, x: Tensor) -> Tensor:
        h = (x.log() @ w).tanh() * 2.0 + (x**0.5).mean(axis=1, keepdims=True) / 3.0
        return -(h.log_softmax() * labels).sum() + (h.exp().relu() - 1.0).mean()

    w, x = Tensor(w0.copy()), Tensor(x0.copy())
    loss(w, x).backward()
    np.testing.assert_allclose(
        w.grad, numeric_gradient(lambda v: loss(Tensor(v), Tensor(x0)).data, w0), atol=1e-7
    )
    np.testing.assert_allclose(
        x.grad, numeric_gradient(lambda v: loss(Tensor(w0), Tensor(v)).data, x0), atol=1e-7
    )


def test_a_tensor_used_twice_accumulates():
    x, x_t = pair((3,), 0)
    check_backward(x * x + x, x_t * x_t + x_t, 0, (x, x_t))


def test_backward_on_a_non_scalar_output_is_torchs_grad_outputs():
    x, x_t = pair((3, 2), 7)
    w, w_t = pair((2, 4), 8)
    out, out_t = (x @ w).tanh(), (x_t @ w_t).tanh()
    v = upstream((3, 4), 9)
    out.backward(gradient=v)
    grads = torch.autograd.grad(out_t, (x_t, w_t), grad_outputs=torch.tensor(v))
    close(x.grad, grads[0])
    close(w.grad, grads[1])


def test_backward_needs_a_gradient_for_more_than_one_number():
    with pytest.raises(ValueError, match=r"shape \(2,\).*\.sum\(\)"):
        Tensor([1.0, 2.0]).backward()
    with pytest.raises(ValueError, match="gradient has shape"):
        Tensor([1.0, 2.0]).backward(gradient=np.ones(3))


def test_no_grad_builds_no_nodes_in_either_engine():
    x, v = Tensor([1.0, 2.0]), Value(2.0)
    with no_grad():
        y = (x * x).exp().sum()
        z = (v * v).exp()
    assert y._prev == () and z._prev == ()
    assert topological_order(y) == [y] and topological_order(z) == [z]
    # Outside the block the graph is recorded again.
    assert (x * x)._prev == (x, x)


def test_no_grad_keeps_nothing_alive():
    x = Tensor(np.ones(1000))
    with no_grad():
        hidden = x * 2.0
        out = hidden.exp()
    ref = weakref.ref(hidden.data)
    del hidden
    assert ref() is None  # out holds no reference to its input (nor to its array)
    assert out.data.shape == (1000,)


def test_no_grad_nests_and_restores_after_an_exception():
    with pytest.raises(RuntimeError), no_grad():
        with no_grad():
            pass
        assert (Value(1.0) * 2)._prev == ()
        raise RuntimeError
    assert (Value(1.0) * 2)._prev != ()


def test_detach_cuts_the_graph_like_torch():
    x, x_t = pair((3,), 4)
    out = (x * x).detach() * x
    out_t = (x_t * x_t).detach() * x_t
    check_backward(out, out_t, 4, (x, x_t))
    v = Value(3.0)
    ((v * v).detach() * v).backward()
    assert v.grad == 9.0


def test_value_backward_with_a_gradient_scales_like_torch():
    x, x_t = Value(0.7), torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    x.tanh().backward(gradient=-2.5)
    x_t.tanh().backward(gradient=torch.tensor(-2.5, dtype=torch.float64))
    assert x.grad == pytest.approx(x_t.grad.item(), rel=TOL)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_projects_optimizers_update_tensors_like_torch_optim(optimizer):
    w, w_t = pair((3, 2), 11)
    x = upstream((4, 3), 12)
    settings = {
        "sgd": (SGD, torch.optim.SGD, {"lr": 0.1}),
        "momentum": (SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
        "adam": (Adam, torch.optim.Adam, {"lr": 0.01, "weight_decay": 0.01}),
    }
    ours_class, torch_class, kwargs = settings[optimizer]
    ours, theirs = ours_class([w], **kwargs), torch_class([w_t], **kwargs)
    for _ in range(5):
        ours.zero_grad()
        theirs.zero_grad()
        (Tensor(x) @ w).tanh().sum().backward()
        (torch.tensor(x) @ w_t).tanh().sum().backward()
        ours.step()
        theirs.step()
    close(w.data, w_t)


def test_bad_operands_raise_type_errors():
    x = Tensor([1.0])
    with pytest.raises(TypeError, match="unsupported operand for \\+: Tensor and str"):
        x + "1"
    with pytest.raises(TypeError, match="unsupported operand for \\*: Tensor and Value"):
        x * Value(1.0)
    with pytest.raises(TypeError, match="exponent"):
        x ** Tensor([2.0])
    with pytest.raises(TypeError, match="booleans"):
        Tensor(np.array([True]))
    with pytest.raises(TypeError, match="rectangular"):
        Tensor([[1.0], [1.0, 2.0]])
    with pytest.raises(TypeError, match="truth value"):
        bool(Tensor([1.0]))
    with pytest.raises(ValueError, match="2-D"):
        Tensor([1.0, 2.0]) @ Tensor([1.0, 2.0])
    with pytest.raises(ValueError, match="positive"):
        Tensor([1.0, 0.0]).log()


def test_numpy_arrays_on_the_left_give_tensors():
    x = Tensor([1.0, 2.0])
    out = np.array([3.0, 4.0]) * x + np.float64(1.0)
    assert isinstance(out, Tensor)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def test_importing_the_scalar_engine_does_not_import_numpy():
    code = "import sys, autograd, autograd.optim, autograd.nn; print('numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_and_tensor_mlp_match_torch(seed):
    from autograd.tensor_nn import TensorMLP, cross_entropy

    rng = np.random.default_rng(seed)
    net = TensorMLP(5, [7, 3], rng)
    layers = [torch.nn.Linear(5, 7).double(), torch.nn.Linear(7, 3).double()]
    with torch.no_grad():
        for ours, theirs in zip(net.layers, layers):
            theirs.weight.copy_(torch.tensor(ours.w.data.T))
            theirs.bias.copy_(torch.tensor(ours.b.data))
    x, labels = rng.normal(size=(9, 5)) * 3.0, rng.integers(0, 3, size=9)
    loss = cross_entropy(net(Tensor(x)), labels)
    loss.backward()
    logits_t = layers[1](torch.relu(layers[0](torch.tensor(x))))
    loss_t = torch.nn.functional.cross_entropy(logits_t, torch.tensor(labels))
    loss_t.backward()
    close(loss.data, loss_t)
    for ours, theirs in zip(net.layers, layers):
        close(ours.w.grad, theirs.weight.grad.T)
        close(ours.b.grad, theirs.bias.grad)


def test_cross_entropy_refuses_bad_labels():
    from autograd.tensor_nn import cross_entropy

    logits = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="0..2"):
        cross_entropy(logits, np.array([0, 3]))
    with pytest.raises(ValueError, match="2 integers"):
        cross_entropy(logits, np.array([0.0, 1.0]))
