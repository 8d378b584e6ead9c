"""One training step of the digits MLP: the Tensor engine, PyTorch eager and the scalar engine.

The step is the one ``python -m autograd.train_digits`` takes: forward pass of
``TensorMLP(64, [128, 10])`` on a minibatch, cross-entropy, zero_grad, backward, Adam update.
All three engines start from the same weights and take the same batch:

- the Tensor engine (``autograd.tensor``) and PyTorch eager, float64, one thread each
  (``torch.set_num_threads(1)``; NumPy's BLAS limited to one thread with threadpoolctl), at
  the book's batch of 32 and at larger batches;
- the scalar engine (``Value``), the same network as an ``MLP`` of Values, on a batch of 2
  (it builds a node per multiplication: about 37,000 per example, weights included).

It checks that the losses agree, then prints the CPU time per step (median of repeated
runs; process time, so waiting for a shared core is left out), the ratios, where the
Tensor engine's time goes (cProfile of its step), and what ``no_grad`` saves when the whole
data set is evaluated. Run from the repository root::

    python benchmarks/digits.py
"""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from autograd import MLP, Value, no_grad  # noqa: E402
from autograd.optim import Adam  # noqa: E402
from autograd.tensor import Tensor  # noqa: E402
from autograd.tensor_nn import TensorMLP, cross_entropy  # noqa: E402
from autograd.train_digits import load_data, standardize  # noqa: E402

SIZES = [64, 128, 10]


def cpu_per_call(fn, repeats: int, inner: int) -> float:
    """Median over ``repeats`` of the process CPU time of ``inner`` calls, per call."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(inner):
            fn()
        times.append((time.process_time() - start) / inner)
    return statistics.median(times)


def tensor_step(net, optimizer, images, labels):
    def step():
        loss = cross_entropy(net(Tensor(images)), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return float(loss.data)

    return step


def torch_setup(net):
    layers = [torch.nn.Linear(a, b).double() for a, b in zip(SIZES, SIZES[1:])]
    with torch.no_grad():
        for ours, theirs in zip(net.layers, layers):
            theirs.weight.copy_(torch.tensor(ours.w.data.T))
            theirs.bias.copy_(torch.tensor(ours.b.data))
    model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1])
    return model, torch.optim.Adam(model.parameters(), lr=0.003)


def torch_step(model, optimizer, images, labels):
    x, y = torch.tensor(images), torch.tensor(labels)

    def step():
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def scalar_setup(net):
    mlp = MLP(64, [128, 10], activation="relu", output_activation="linear", rng=random.Random(0))
    for layer, tensor_layer in zip(mlp.layers, net.layers):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(tensor_layer.w.data[i, j])
            neuron.b.data = float(tensor_layer.b.data[j])
    return mlp, Adam(mlp.parameters(), lr=0.003)


def scalar_step(mlp, optimizer, images, labels):
    rows = [list(map(float, row)) for row in images]

    def step():
        total = Value(0.0)
        for x, y in zip(rows, labels):
            logits = mlp.outputs(x)
            biggest = max(z.data for z in logits)  # the same stable log-sum-exp
            log_sum = sum(((z - biggest).exp() for z in logits), Value(0.0)).log() + biggest
            total = total + (log_sum - logits[int(y)])
        loss = total / len(rows)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.data

    return step


def main() -> int:
    torch.set_num_threads(1)
    with threadpool_limits(1):
        data = standardize(load_data(0.25, np.random.default_rng(0)))
        print("machine:", platform.processor() or platform.machine(), f"{os.cpu_count()} CPUs,")
        print(
            f"  Python {platform.python_version()}, NumPy {np.__version__},"
            f" torch {torch.__version__}"
        )
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":")[1].strip() for line in f if "model name" in line), "?")
        print(f"  CPU: {model}; load average {os.getloadavg()[0]:.1f}")
        print()
        print(f"{'batch':>6} {'Tensor ms':>10} {'torch ms':>9} {'Tensor/torch':>13}")
        for batch in (32, 128, 512):
            images, labels = data.train_images[:batch], data.train_labels[:batch]
            net = TensorMLP(64, SIZES[1:], np.random.default_rng(1))
            model, torch_optimizer = torch_setup(net)
            ours = tensor_step(net, Adam(net.parameters(), lr=0.003), images, labels)
            theirs = torch_step(model, torch_optimizer, images, labels)
            first_ours, first_theirs = ours(), theirs()
            if abs(first_ours - first_theirs) > 1e-12 * abs(first_theirs):
                raise SystemExit(f"losses differ: {first_ours!r} and {first_theirs!r}")
            t_ours = cpu_per_call(ours, 7, 50)
            t_theirs = cpu_per_call(theirs, 7, 50)
            print(
                f"{batch:>6} {t_ours * 1e3:>10.3f} {t_theirs * 1e3:>9.3f}"
                f" {t_ours / t_theirs:>13.2f}"
            )

        batch = 2
        images, labels = data.train_images[:batch], data.train_labels[:batch]
        net = TensorMLP(64, SIZES[1:], np.random.default_rng(1))
        mlp, scalar_optimizer = scalar_setup(net)
        scalar = scalar_step(mlp, scalar_optimizer, images, labels)
        ours = tensor_step(net, Adam(net.parameters(), lr=0.003), images, labels)
        first_scalar, first_ours = scalar(), ours()
        if abs(first_scalar - first_ours) > 1e-9 * abs(first_ours):
            raise SystemExit(f"losses differ: {first_scalar!r} and {first_ours!r}")
        t_scalar = cpu_per_call(scalar, 3, 1)
        t_ours = cpu_per_call(ours, 7, 50)
        print()
        print(
            f"batch of {batch}: scalar engine {t_scalar * 1e3:.1f} ms per step,"
            f" Tensor engine {t_ours * 1e3:.3f} ms: {t_scalar / t_ours:,.0f}x"
        )

        images, labels = data.train_images[:32], data.train_labels[:32]
        net = TensorMLP(64, SIZES[1:], np.random.default_rng(1))
        step = tensor_step(net, Adam(net.parameters(), lr=0.003), images, labels)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(2000):
            step()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
        print()
        print("Where the Tensor engine's step goes (batch 32, 2000 steps, by own time):")
        print("\n".join(out.getvalue().splitlines()[6:22]))

        everything = np.concatenate([data.train_images, data.test_images])

        def evaluate():
            return net(Tensor(everything)).data.argmax(axis=1)

        def evaluate_no_grad():
            with no_grad():
                return evaluate()

        for name, fn in (("graph", evaluate), ("no_grad", evaluate_no_grad)):
            tracemalloc.start()
            fn()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            t = cpu_per_call(fn, 7, 20)
            print(
                f"evaluate all 1,797 images, {name:>7}: {t * 1e3:.2f} ms, peak {peak / 1e6:.2f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
