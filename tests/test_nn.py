"""Contracts of the neural-network layer: shapes, return types, seeding, activations."""

from __future__ import annotations

import math
import random

import pytest

from autograd.engine import Value
from autograd.nn import MLP, Layer, Module, Neuron


def weights(module: Module) -> list[float]:
    return [p.data for p in module.parameters()]


# --- parameter counts and return types ----------------------------------------------


def test_mlp_3_4_4_1_has_41_parameters():
    # (3 weights + 1 bias) * 4 + (4 + 1) * 4 + (4 + 1) * 1 = 16 + 20 + 5
    net = MLP(3, [4, 4, 1])
    assert len(net.parameters()) == 41
    assert all(isinstance(p, Value) for p in net.parameters())
    assert len({id(p) for p in net.parameters()}) == 41


def test_neuron_parameters_are_weights_then_bias():
    n = Neuron(3, rng=random.Random(1))
    assert n.parameters() == [*n.w, n.b]
    assert n.b.data == 0.0
    assert all(-1.0 <= w.data <= 1.0 for w in n.w)


@pytest.mark.parametrize("nout", [1, 2, 5])
def test_layer_always_returns_a_list(nout):
    out = Layer(3, nout)([1.0, -2.0, 0.5])
    assert isinstance(out, list)
    assert len(out) == nout
    assert all(isinstance(v, Value) for v in out)


def test_mlp_call_is_its_one_output_and_outputs_is_always_a_list():
    x = [2.0, 3.0, -1.0]
    assert isinstance(MLP(3, [4, 1])(x), Value)
    assert isinstance(MLP(3, [1])(x), Value)
    net = MLP(3, [4, 1], rng=random.Random(0))
    (only,) = net.outputs(x)
    assert only.data == net(x).data
    out = MLP(3, [4, 2]).outputs(x)
    assert isinstance(out, list) and len(out) == 2
    assert all(isinstance(v, Value) for v in out)


def test_calling_a_network_with_several_outputs_names_outputs():
    with pytest.raises(ValueError, match=r"has 2 outputs.*net\.outputs\(x\)"):
        MLP(3, [4, 2])([2.0, 3.0, -1.0])


def test_inputs_may_be_values_or_floats():
    net = MLP(2, [3, 1], rng=random.Random(5))
    from_floats = net([0.5, -1.0]).data
    xs = [Value(0.5), Value(-1.0)]
    out = net(xs)
    assert out.data == from_floats
    out.backward()
    assert any(x.grad != 0.0 for x in xs)  # gradients reach the inputs too


# --- seeding ------------------------------------------------------------------------


def test_same_seed_gives_same_weights_and_outputs():
    a = MLP(3, [4, 4, 1], rng=random.Random(42))
    b = MLP(3, [4, 4, 1], rng=random.Random(42))
    assert weights(a) == weights(b)
    x = [0.1, -0.7, 2.0]
    assert a(x).data == b(x).data


def test_different_seeds_give_different_weights():
    a = MLP(3, [4, 4, 1], rng=random.Random(1))
    b = MLP(3, [4, 4, 1], rng=random.Random(2))
    assert weights(a) != weights(b)
    x = [0.1, -0.7, 2.0]
    assert a(x).data != b(x).data


def test_default_generator_does_not_touch_global_random():
    random.seed(123)
    expected_next = random.random()
    random.seed(123)
    MLP(3, [4, 4, 1])
    Neuron(3)
    Layer(3, 2)
    assert random.random() == expected_next  # the global generator was not consumed


def test_one_rng_is_shared_through_the_layers():
    # Layers draw one after another from the same generator, so no two neurons repeat.
    net = MLP(2, [3, 3, 1], rng=random.Random(7))
    neuron_weights = [tuple(w.data for w in n.w) for layer in net.layers for n in layer.neurons]
    assert len(set(neuron_weights)) == len(neuron_weights)


# --- activations --------------------------------------------------------------------


def neuron_with(activation: str, weights_: list[float], bias: float) -> Neuron:
    n = Neuron(len(weights_), activation=activation)
    for w, value in zip(n.w, weights_, strict=True):
        w.data = value
    n.b.data = bias
    return n


@pytest.mark.parametrize(
    ("activation", "x", "expected"),
    [
        # w . x + b = 2*3 + (-1)*4 + 0.5 = 2.5
        ("linear", [3.0, 4.0], 2.5),
        ("tanh", [3.0, 4.0], math.tanh(2.5)),
        ("relu", [3.0, 4.0], 2.5),
        # 2*1 + (-1)*4 + 0.5 = -1.5
        ("linear", [1.0, 4.0], -1.5),
        ("tanh", [1.0, 4.0], math.tanh(-1.5)),
        ("relu", [1.0, 4.0], 0.0),
    ],
)
def test_activation_behaves_as_named(activation, x, expected):
    n = neuron_with(activation, [2.0, -1.0], 0.5)
    assert n(x).data == pytest.approx(expected, rel=1e-15)


def test_neuron_gradient_by_hand():
    # out = tanh(w0 x0 + w1 x1 + b) with act = 2*3 + (-1)*4 + 0.5 = 2.5
    # d out/d w_i = (1 - tanh(2.5)^2) x_i, d out/d b = 1 - tanh(2.5)^2
    n = neuron_with("tanh", [2.0, -1.0], 0.5)
    n([3.0, 4.0]).backward()
    slope = 1.0 - math.tanh(2.5) ** 2
    assert [p.grad for p in n.parameters()] == pytest.approx(
        [slope * 3.0, slope * 4.0, slope], rel=1e-14
    )


def test_output_activation_applies_to_the_last_layer_only():
    rng_state = 3
    x = [0.5, -0.25]
    linear_out = MLP(2, [3, 1], output_activation="linear", rng=random.Random(rng_state))
    tanh_out = MLP(2, [3, 1], rng=random.Random(rng_state))
    assert [n.activation for n in linear_out.layers[0].neurons] == ["tanh"] * 3
    assert [n.activation for n in linear_out.layers[1].neurons] == ["linear"]
    assert [n.activation for n in tanh_out.layers[1].neurons] == ["tanh"]
    # same weights, and the tanh network's output is tanh of the linear network's
    assert weights(linear_out) == weights(tanh_out)
    assert tanh_out(x).data == pytest.approx(math.tanh(linear_out(x).data), rel=1e-15)


def test_hidden_activation_and_output_activation_are_independent():
    net = MLP(2, [3, 3, 1], activation="relu", output_activation="linear")
    assert [[n.activation for n in layer.neurons] for layer in net.layers] == [
        ["relu"] * 3,
        ["relu"] * 3,
        ["linear"],
    ]


def test_relu_network_outputs_are_non_negative():
    net = MLP(3, [4, 5], activation="relu", rng=random.Random(11))
    for seed in range(20):
        r = random.Random(seed)
        out = net.outputs([r.uniform(-3, 3) for _ in range(3)])
        assert all(v.data >= 0.0 for v in out)


def test_linear_network_is_affine():
    # f(x) - f(0) is linear, so f(2x) - f(0) = 2 (f(x) - f(0))
    net = MLP(2, [3, 1], activation="linear", rng=random.Random(4))
    f0 = net([0.0, 0.0]).data
    f1 = net([0.3, -0.8]).data
    f2 = net([0.6, -1.6]).data
    assert f2 - f0 == pytest.approx(2 * (f1 - f0), rel=1e-12)


# --- zero_grad ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [Neuron(3), Layer(3, 2), MLP(3, [4, 4, 1])],
    ids=["neuron", "layer", "mlp"],
)
def test_zero_grad_resets_every_parameter(module):
    out = module([1.0, -2.0, 0.5])
    loss = sum(out) if isinstance(out, list) else out
    loss.backward()
    assert any(p.grad != 0.0 for p in module.parameters())
    module.zero_grad()
    assert all(p.grad == 0.0 and type(p.grad) is float for p in module.parameters())


def test_gradient_accumulates_until_zero_grad():
    net = MLP(2, [3, 1], rng=random.Random(8))
    net([0.5, 0.2]).backward()
    once = [p.grad for p in net.parameters()]
    net([0.5, 0.2]).backward()
    assert [p.grad for p in net.parameters()] == pytest.approx([2 * g for g in once], rel=1e-15)
    net.zero_grad()
    net([0.5, 0.2]).backward()
    assert [p.grad for p in net.parameters()] == once


def test_module_base_has_no_parameters():
    m = Module()
    assert m.parameters() == []
    m.zero_grad()  # nothing to do, and no error


# --- against PyTorch ----------------------------------------------------------------


def torch_mlp_forward(torch, net: MLP, x: list[float]):
    """The same network in torch, built from the Value weights: (output, parameter tensors)."""
    params = [
        torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in net.parameters()
    ]
    it = iter(params)
    act = [torch.tensor(xi, dtype=torch.float64) for xi in x]
    for layer in net.layers:
        new = []
        for neuron in layer.neurons:
            ws = [next(it) for _ in neuron.w]
            b = next(it)
            s = b
            for w, a in zip(ws, act, strict=True):
                s = s + w * a
            if neuron.activation == "tanh":
                s = torch.tanh(s)
            elif neuron.activation == "relu":
                s = torch.relu(s)
            new.append(s)
        act = new
    return act, params


@pytest.mark.parametrize(
    ("activation", "output_activation", "seed"),
    [("tanh", None, 0), ("relu", "linear", 1), ("tanh", "linear", 2), ("linear", "tanh", 3)],
)
def test_mlp_gradient_matches_torch(activation, output_activation, seed):
    torch = pytest.importorskip("torch")
    net = MLP(3, [4, 4, 2], activation, output_activation, rng=random.Random(seed))
    x = [0.9, -1.7, 0.4]
    targets = [0.5, -0.5]
    out = net.outputs(x)
    loss = sum((o - t) ** 2 for o, t in zip(out, targets, strict=True))
    loss.backward()

    t_out, t_params = torch_mlp_forward(torch, net, x)
    t_loss = sum((o - t) ** 2 for o, t in zip(t_out, targets, strict=True))
    t_loss.backward()

    assert [o.data for o in out] == pytest.approx([o.item() for o in t_out], rel=1e-12, abs=1e-15)
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    t_grads = [0.0 if p.grad is None else p.grad.item() for p in t_params]
    assert [p.grad for p in net.parameters()] == pytest.approx(t_grads, rel=1e-9, abs=1e-12)


def test_neuron_gradient_matches_torch():
    torch = pytest.importorskip("torch")
    n = Neuron(4, rng=random.Random(9))
    n.b.data = 0.3
    x = [0.2, -0.4, 1.1, 0.05]
    n(x).backward()
    w = torch.tensor([p.data for p in n.w], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    torch.tanh(w @ torch.tensor(x, dtype=torch.float64) + b).backward()
    assert [p.grad for p in n.w] == pytest.approx(w.grad.tolist(), rel=1e-12)
    assert n.b.grad == pytest.approx(b.grad.item(), rel=1e-12)


# --- bad sizes and inputs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: Neuron(0), ValueError, "nin must be at least 1, got 0"),
        (lambda: Neuron(-2), ValueError, "nin must be at least 1"),
        (lambda: Neuron(2.0), TypeError, "nin must be an int, got float"),
        (lambda: Neuron("3"), TypeError, "nin must be an int, got str"),
        (lambda: Neuron(True), TypeError, "nin must be an int, got bool"),
        (lambda: Neuron(None), TypeError, "nin must be an int, got NoneType"),
        (lambda: Neuron(2, activation="sigmoid"), ValueError, "activation must be one of"),
        (lambda: Neuron(2, activation="Tanh"), ValueError, "activation must be one of"),
        (lambda: Layer(3, 0), ValueError, "nout must be at least 1, got 0"),
        (lambda: Layer(3, 2.5), TypeError, "nout must be an int, got float"),
        (lambda: Layer(0, 2), ValueError, "nin must be at least 1"),
        (lambda: Layer(3, 2, activation="gelu"), ValueError, "activation must be one of"),
        (lambda: MLP(3, []), ValueError, "nouts must list at least one layer size"),
        (lambda: MLP(3, [4, 0]), ValueError, "nout must be at least 1, got 0"),
        (lambda: MLP(3, [4, 1.0]), TypeError, "nout must be an int, got float"),
        (lambda: MLP(0, [4]), ValueError, "nin must be at least 1"),
        (lambda: MLP(3.0, [4]), TypeError, "nin must be an int"),
        (lambda: MLP(3, [4, 1], activation="softmax"), ValueError, "activation must be one of"),
        (lambda: MLP(3, [4, 1], output_activation="x"), ValueError, "activation must be one of"),
    ],
)
def test_bad_sizes_and_activations_raise(build, error, match):
    with pytest.raises(error, match=match):
        build()


@pytest.mark.parametrize(
    ("module", "x"),
    [
        (Neuron(3), [1.0, 2.0]),
        (Neuron(3), [1.0, 2.0, 3.0, 4.0]),
        (Neuron(1), []),
        (Layer(3, 2), [1.0]),
        (MLP(3, [4, 1]), [1.0, 2.0]),
        (MLP(3, [4, 1]), [1.0, 2.0, 3.0, 4.0]),
    ],
    ids=["neuron-short", "neuron-long", "neuron-empty", "layer-short", "mlp-short", "mlp-long"],
)
def test_wrong_number_of_inputs_raises_value_error(module, x):
    with pytest.raises(ValueError, match=r"this neuron takes \d+ inputs, got \d+"):
        module(x)


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="real number"):
        Neuron(2)([1.0, "x"])


def test_reprs_are_informative():
    assert repr(Neuron(2, activation="relu")) == "Neuron(2, activation='relu')"
    assert repr(Layer(2, 1)) == "Layer of [Neuron(2, activation='tanh')]"
    assert "Layer of" in repr(MLP(2, [1]))
