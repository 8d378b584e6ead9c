"""Time micrograd's own demo workload on our engine, on micrograd's design and on PyTorch.

The workload is the training loop of micrograd's ``demo.ipynb``: 100 two-moons points,
``MLP(2, [16, 16, 1])`` with ReLU hidden layers and a linear output, the SVM max-margin loss
``mean(relu(1 - y * score)) + 1e-4 * sum(p * p)`` over the full batch, about 66,000 graph
nodes per step. One training step is forward + zero_grad + backward + SGD update.

Run from the repository root::

    python benchmarks/moons.py              # full run, under 3 minutes
    python benchmarks/moons.py --quick      # a much shorter run
    python benchmarks/moons.py --no-torch   # without PyTorch

The engine is imported from PYTHONPATH first and from this repository otherwise, so
``PYTHONPATH=/tmp/copy python benchmarks/moons.py`` measures a modified copy of ``autograd``.

It prints, for each engine, the median step time with the default interpreter settings and
with the cyclic garbage collector off (and, for ours, inside ``gc_paused()``), the share of
step time spent in the collector, nodes per second, bytes per node, the speedup over
micrograd's design, how our time per node changes from 1,000 to 1,000,000 nodes, and
whether each target is met. The machine may be shared, so speedups are judged on process
CPU time, which leaves out time spent waiting for a core; wall-clock time is shown too.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

# micrograd_design sits next to this file; the repository root comes after PYTHONPATH, so
# PYTHONPATH=/some/copy measures a copy of the engine instead.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.append(str(Path(__file__).resolve().parent.parent))

import micrograd_design  # noqa: E402  (found through the sys.path lines above)

from autograd import engine, nn  # noqa: E402
from autograd.collector import gc_paused  # noqa: E402

TARGET_SPEEDUP_DEFAULT = 3.0
TARGET_SPEEDUP_GC_OFF = 1.4
TARGET_BYTES_PER_NODE = 400
# Linear time means a constant time per node. Quadratic time would cost 10 times as much per
# node for 10 times the nodes; allow 2 times, for the graph outgrowing the CPU caches.
TARGET_LINEAR_RATIO = 2.0


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list, list]:
    """Two interleaving half circles, like sklearn's make_moons, with labels -1 and +1."""
    rng = random.Random(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    points = []
    for i in range(n_outer):
        t = math.pi * i / (n_outer - 1)
        points.append((math.cos(t), math.sin(t), -1.0))
    for i in range(n_inner):
        t = math.pi * i / (n_inner - 1)
        points.append((1.0 - math.cos(t), 0.5 - math.sin(t), 1.0))
    rng.shuffle(points)
    X = [(x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)) for x, y, _ in points]
    labels = [label for _, _, label in points]
    return X, labels


def svm_loss(model, params, X, y, make_input: Callable):
    """micrograd's demo loss: mean hinge loss plus 1e-4 times the sum of squared weights."""
    inputs = [[make_input(a), make_input(b)] for a, b in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in params)
    return data_loss + reg_loss


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100  # micrograd's demo schedule


class Engine:
    """One engine's model, training step and graph builder, behind the same three calls."""

    name = ""

    def __init__(self, X, y):
        self.X, self.y = X, y
        self.k = 0

    def loss(self):
        return svm_loss(self.model, self.params, self.X, self.y, self.make_input)

    def step(self) -> float:
        loss = self.loss()
        self.zero_grad()
        loss.backward()
        self.update(learning_rate(self.k))
        self.k += 1
        return float(loss.data)


class Ours(Engine):
    name = "ours (autograd)"

    def __init__(self, X, y):
        super().__init__(X, y)
        self.model = nn.MLP(2, [16, 16, 1], activation="relu", output_activation="linear")
        self.params = self.model.parameters()
        self.make_input = engine.Value

    def zero_grad(self):
        self.model.zero_grad()

    def update(self, lr):
        for p in self.params:
            p.data -= lr * p.grad


class Micrograd(Ours):
    name = "micrograd design"

    def __init__(self, X, y):
        Engine.__init__(self, X, y)
        self.model = micrograd_design.MLP(2, [16, 16, 1], rng=random.Random(0))
        self.params = self.model.parameters()
        self.make_input = micrograd_design.Value


class Torch(Engine):
    """PyTorch doing the same computation one 0-d float64 tensor at a time."""

    name = "PyTorch 0-d tensors"

    def __init__(self, X, y, torch):
        super().__init__(X, y)
        self.torch = torch
        reference = nn.MLP(2, [16, 16, 1], activation="relu", output_activation="linear")
        self.layers = [
            [
                (
                    [self.tensor(w.data, requires_grad=True) for w in neuron.w],
                    self.tensor(neuron.b.data, requires_grad=True),
                )
                for neuron in layer.neurons
            ]
            for layer in reference.layers
        ]
        self.params = [p for layer in self.layers for w, b in layer for p in [*w, b]]
        self.make_input = self.tensor

    def tensor(self, value, requires_grad=False):
        return self.torch.tensor(value, dtype=self.torch.float64, requires_grad=requires_grad)

    def model(self, x):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            outputs = []
            for w, b in layer:
                act = b
                for wi, xi in zip(w, x):
                    act = act + wi * xi
                outputs.append(act.relu() if i < last else act)
            x = outputs
        return x[0]

    def zero_grad(self):
        for p in self.params:
            p.grad = None  # what torch.optim's zero_grad() does by default

    def update(self, lr):
        with self.torch.no_grad():
            for p in self.params:
                p.sub_(p.grad, alpha=lr)


def count_nodes(root) -> int:
    """Nodes reachable from ``root`` through ``_prev``, for either Value class."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


class GCTimer:
    """A gc.callbacks hook that adds up the time spent inside collections."""

    def __init__(self):
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections[info["generation"]] += 1


def time_steps(engine_factory, setting: str, warmup: int, steps: int) -> dict:
    """Train a fresh model for warmup + steps steps; time each of the last ``steps``."""
    eng = engine_factory()
    gc.collect()
    gc.enable()
    gc_timer = GCTimer()
    times = []
    cpu_times = []
    losses = []
    if setting == "collector off":
        gc.disable()
    try:
        for i in range(warmup + steps):
            if i == warmup:
                gc.callbacks.append(gc_timer)
            start, cpu_start = time.perf_counter(), time.process_time()
            if setting == "gc_paused()":
                with gc_paused():
                    loss = eng.step()
            else:
                loss = eng.step()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            losses.append(loss)
            if i >= warmup:
                times.append(elapsed)
                cpu_times.append(cpu)
    finally:
        if gc_timer in gc.callbacks:
            gc.callbacks.remove(gc_timer)
        gc.enable()
        gc.collect()
    return {
        "median": statistics.median(times),
        "cpu": statistics.median(cpu_times),
        "min": min(times),
        "max": max(times),
        "gc_share": gc_timer.seconds / sum(times),
        "gc_collections": [c / len(times) for c in gc_timer.collections],
        "first_loss": losses[0],
        "last_loss": losses[-1],
    }


def bytes_per_node(engine_factory) -> tuple[int, float, float]:
    """Memory that one step's graph holds (net) and needs at most (peak), per node."""
    eng = engine_factory()
    eng.step()  # warm caches so that only the graph is counted
    gc.collect()
    with gc_paused():
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            loss = eng.loss()
            eng.zero_grad()
            loss.backward()
            peak = tracemalloc.get_traced_memory()[1]
            # micrograd's backward leaves its topological list in a reference cycle (the
            # recursive helper refers to itself); count only what the live graph holds.
            gc.collect()
            current = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        nodes = count_nodes(loss)
        del loss
    gc.collect()
    return nodes, (current - before) / nodes, (peak - before) / nodes


def chain(n: int):
    """A graph n nodes deep: x = x * a + b, repeated."""
    a, b = engine.Value(0.5), engine.Value(1.0)
    x = engine.Value(0.0)
    for _ in range((n - 3) // 2):
        x = x * a + b
    return x


def wide(n: int):
    """A graph log2(n) deep: n / 2 leaves summed pairwise, as a balanced binary tree."""
    level = [engine.Value(float(i)) for i in range(n // 2)]
    while len(level) > 1:
        pairs = [level[i] + level[i + 1] for i in range(0, len(level) - 1, 2)]
        level = pairs + level[len(level) - len(level) % 2 :]
    return level[0]


def time_build_backward(build, n: int, repeats: int, paused: bool) -> tuple[int, float]:
    """Median CPU seconds to build a graph of about n nodes and run backward on it."""
    times = []
    nodes = 0
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        if paused:
            with gc_paused():
                root = build(n)
                root.backward()
        else:
            root = build(n)
            root.backward()
        times.append(time.process_time() - start)
        nodes = len(engine.topological_order(root))
        del root
    return nodes, statistics.median(times)


def scaling(max_nodes: int) -> tuple[dict, int]:
    """Time per node at 1e3, 1e4, ... nodes; returns the worst tenfold growth per mode."""
    print("## Scaling: build + backward on our engine, CPU time per node")
    print()
    print("| graph | nodes | default | per node | gc_paused() | per node |")
    print("|---|---:|---:|---:|---:|---:|")
    per_node = {}
    size = 1000
    while size <= max(max_nodes, 10_000):  # at least two sizes to compare
        repeats = max(1, min(20, 3 * 10**5 // size))
        for label, build in (("chain", chain), ("wide", wide)):
            n, t = time_build_backward(build, size, repeats, paused=False)
            _, t_paused = time_build_backward(build, size, repeats, paused=True)
            per_node[label, size] = (t / n, t_paused / n)
            print(
                f"| {label} | {n:,} | {t * 1000:.1f} ms | {t / n * 1e6:.2f} us "
                f"| {t_paused * 1000:.1f} ms | {t_paused / n * 1e6:.2f} us |",
                flush=True,
            )
        size *= 10
    print()
    worst = {}
    for mode, column in (("default", 0), ("gc_paused()", 1)):
        ratios = []
        for label in ("chain", "wide"):
            sizes = sorted(s for lbl, s in per_node if lbl == label)
            steps = [
                (small, per_node[label, big][column] / per_node[label, small][column])
                for small, big in zip(sizes, sizes[1:])
            ]
            ratios += [ratio for _, ratio in steps]
            print(
                f"{mode:12} {label}: per-node time ratio for each tenfold step: "
                + ", ".join(f"{small:.0e}->{small * 10:.0e} {ratio:.2f}" for small, ratio in steps)
            )
        worst[mode] = max(ratios)
    print()
    return worst, max(size for _, size in per_node)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_description(package: Path) -> str:
    """' (git <commit>)' for the checkout holding ``package``, noting uncommitted changes."""
    try:
        def git(*command: str) -> str:
            return subprocess.run(
                ["git", "-C", str(package), *command], capture_output=True, text=True, check=True
            ).stdout.strip()

        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f" (git {commit}{', with uncommitted changes' if dirty else ''})"


def print_header(args) -> None:
    print("# moons benchmark: micrograd's demo training step on three engines")
    print()
    print(f"date:     {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"python:   {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"platform: {platform.platform()}")
    print(f"cpu:      {cpu_model()}, {os.cpu_count()} logical cores")
    print(f"load:     {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min averages)")
    print(f"gc:       thresholds {gc.get_threshold()}, {len(gc.get_objects()):,} tracked objects")
    package = Path(engine.__file__).parent
    print(f"engine:   {package}{git_description(package)}")
    mode = "quick" if args.quick else "default"
    print(
        f"run:      {mode}; {args.warmup} warm-up step(s), then {args.steps} timed steps "
        f"({args.micrograd_steps} for micrograd's design); medians reported"
    )
    print()


def import_torch():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns when numpy is missing
            import torch
    except ImportError as error:
        print(f"PyTorch: skipped, it does not import ({error})")
        return None
    print(f"PyTorch:  {torch.__version__}, {torch.get_num_threads()} intra-op threads")
    return torch


def print_step_table(results: dict, nodes: int) -> None:
    def reference(setting: str) -> dict:
        # gc_paused() is our engine's own setting; micrograd's design is compared at default.
        return results[Micrograd.name, "default" if setting == "gc_paused()" else setting]

    print("## Training step (forward + zero_grad + backward + SGD update)")
    print()
    print(
        "| engine | setting | median step | min-max | CPU time | nodes/s | time in collector "
        "| collections/step (gen 0/1/2) | speedup vs micrograd: wall | CPU |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, setting), r in results.items():
        gens = "/".join(f"{c:.0f}" for c in r["gc_collections"])
        print(
            f"| {name} | {setting} | {r['median'] * 1000:.0f} ms "
            f"| {r['min'] * 1000:.0f}-{r['max'] * 1000:.0f} ms | {r['cpu'] * 1000:.0f} ms "
            f"| {nodes / r['median']:,.0f} | {r['gc_share']:.0%} | {gens} "
            f"| {reference(setting)['median'] / r['median']:.2f}x "
            f"| {reference(setting)['cpu'] / r['cpu']:.2f}x |"
        )
    print()
    print(
        "Median step is wall-clock time; CPU time is the median process CPU time of the same "
        "steps, which leaves out time spent waiting for a core while other work shares the "
        "machine, so the targets are judged on it. nodes/s uses the wall-clock median."
        " gc_paused() is compared with micrograd's design at default settings: it is how our"
        " engine is meant to be run, while micrograd's design cannot pause the collector"
        " without holding on to every graph until the next collection. 'collector off' is"
        " gc.disable() for the whole run, so micrograd's design keeps every step's graph;"
        " that memory growth is part of its time. PyTorch's nodes/s uses our graph's node"
        " count: it runs the same scalar operations."
    )
    print()


def print_memory_table(memory: dict, with_torch: bool) -> None:
    print("## Memory per graph node (tracemalloc, one step's graph)")
    print()
    print("| engine | nodes | net bytes/node (graph alive) | peak bytes/node (during step) |")
    print("|---|---:|---:|---:|")
    for name, (n, net, peak) in memory.items():
        print(f"| {name} | {n:,} | {net:.0f} | {peak:.0f} |")
    if with_torch:
        print(f"| {Torch.name} | - | n/a | n/a |")
    print()
    print(
        "net = bytes allocated by building the loss and running backward that are still held "
        "after backward returns and a collection, with the loss alive (the graph, its closures "
        "and the new grad floats), divided by the nodes in the graph; peak is the most held "
        "at any moment, which also counts backward's topological order, visited set and stack."
    )
    if with_torch:
        print("PyTorch keeps its graph in C++ memory, which tracemalloc cannot see.")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a much shorter run")
    parser.add_argument("--steps", type=int, help="timed steps for ours and PyTorch")
    parser.add_argument("--micrograd-steps", type=int, help="timed steps for micrograd's design")
    parser.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    parser.add_argument("--max-nodes", type=int, help="largest graph in the scaling check")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    args = parser.parse_args()
    args.steps = args.steps or (3 if args.quick else 9)
    args.micrograd_steps = args.micrograd_steps or (2 if args.quick else 5)
    args.max_nodes = args.max_nodes or (10**5 if args.quick else 10**6)

    print_header(args)
    X, y = make_moons(100, noise=0.1, seed=1)
    runs: list[tuple[str, Callable, list[str], int]] = [
        (
            Micrograd.name,
            lambda: Micrograd(X, y),
            ["default", "collector off"],
            args.micrograd_steps,
        ),
        (Ours.name, lambda: Ours(X, y), ["default", "collector off", "gc_paused()"], args.steps),
    ]

    memory = {name: bytes_per_node(factory) for name, factory, _, _ in runs}
    nodes = memory[Ours.name][0]
    print(f"graph:    {nodes:,} nodes per step ({Micrograd.name}: {memory[Micrograd.name][0]:,})")

    # PyTorch is imported only after the pure-Python engines are timed: its modules add
    # hundreds of thousands of objects that every full collection would have to walk.
    results = {}
    for name, factory, settings, steps in runs:
        for setting in settings:
            results[name, setting] = time_steps(factory, setting, args.warmup, steps)
            r = results[name, setting]
            print(
                f"  timed {name:20} {setting:14} median {r['median']:.3f} s "
                f"(min {r['min']:.3f}, max {r['max']:.3f})",
                flush=True,
            )
    print()
    worst_ratio, largest = scaling(args.max_nodes)

    torch = None if args.no_torch else import_torch()
    if torch is not None:
        runs.append((Torch.name, lambda: Torch(X, y, torch), ["default", "collector off"], 0))
        for setting in runs[-1][2]:
            results[Torch.name, setting] = time_steps(runs[-1][1], setting, args.warmup, args.steps)
            print(f"  timed {Torch.name:20} {setting}", flush=True)
    print()

    print_step_table(results, nodes)
    print_memory_table(memory, torch is not None)
    first = {name: results[name, "default"]["first_loss"] for name, *_ in runs}
    agree = max(first.values()) - min(first.values()) < 1e-9
    print(
        "first-step loss: "
        + ", ".join(f"{name} {loss:.12f}" for name, loss in first.items())
        + (" (all agree)" if agree else " (ENGINES DISAGREE)")
    )
    print()

    def speedup(setting: str, clock: str) -> float:
        return results[Micrograd.name, setting][clock] / results[Ours.name, setting][clock]

    ours_default, ours_off = speedup("default", "cpu"), speedup("collector off", "cpu")
    ours_bytes = memory[Ours.name][1]
    limit = f"{largest:,}"
    targets = [
        (
            f"at least {TARGET_SPEEDUP_DEFAULT}x micrograd's design per step, default settings",
            f"{ours_default:.2f}x CPU time ({speedup('default', 'median'):.2f}x wall-clock)",
            ours_default >= TARGET_SPEEDUP_DEFAULT,
        ),
        (
            f"at least {TARGET_SPEEDUP_GC_OFF}x micrograd's design per step, collector off",
            f"{ours_off:.2f}x CPU time ({speedup('collector off', 'median'):.2f}x wall-clock)",
            ours_off >= TARGET_SPEEDUP_GC_OFF,
        ),
        (
            f"at most {TARGET_BYTES_PER_NODE} bytes per node (net)",
            f"{ours_bytes:.0f}",
            ours_bytes <= TARGET_BYTES_PER_NODE,
        ),
    ]
    for mode in ("default", "gc_paused()"):
        targets.append(
            (
                f"time linear up to {limit} nodes, {mode}: no tenfold step costs more than "
                f"{TARGET_LINEAR_RATIO}x per node",
                f"worst {worst_ratio[mode]:.2f}x",
                worst_ratio[mode] <= TARGET_LINEAR_RATIO,
            )
        )
    print("## Targets")
    print()
    for text, value, met in targets:
        print(f"- {'MET   ' if met else 'MISSED'} {text}: {value}")
    print()
    print(f"load at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
