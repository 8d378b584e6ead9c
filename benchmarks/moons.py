"""Train micrograd's demo network on the two-moons data with real micrograd and with ours.

The workload is the training loop of micrograd's ``demo.ipynb``, end to end: 100 two-moons
points, ``MLP(2, [16, 16, 1])`` with ReLU hidden layers and a linear output, the SVM
max-margin loss ``mean(relu(1 - y * score)) + 1e-4 * sum(p * p)`` over the full batch (about
66,000 graph nodes per step), and 100 steps of SGD with the learning rate falling from 1.0
to 0.109. One step is forward + zero_grad + backward + update, as in the notebook.

The reference is the real ``micrograd`` package (version 0.1.0 from the package index, the
``bench`` extra: ``pip install -c constraints.txt -e '.[bench]'``), run in the same process
as our engine, starting from the same weights. Run from the repository root::

    python benchmarks/moons.py              # the full demo on every engine, ~4 CPU minutes
    python benchmarks/moons.py --quick      # 5 steps per engine and small checks
    python benchmarks/moons.py --no-torch   # without PyTorch

The engine is imported from PYTHONPATH first and from this repository otherwise, so
``PYTHONPATH=/tmp/copy python benchmarks/moons.py`` measures a modified copy of ``autograd``.

It prints, per engine and setting, the CPU time per step (median, min-max) and for the whole
run, the share of it spent in the cyclic garbage collector, the final loss and accuracy;
then how other live objects in the process change our default-settings step; bytes per
node; how our time per node changes from 1,000 to 1,000,000 nodes; and whether each target
is met. The machine may be shared, so speedups are judged on process CPU time, which leaves
out time spent waiting for a core.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from importlib import metadata
from pathlib import Path

# The repository root comes after PYTHONPATH, so PYTHONPATH=/some/copy measures a copy of
# the engine instead.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from autograd import datasets, engine, nn  # noqa: E402
from autograd.collector import gc_paused  # noqa: E402
from autograd.losses import hinge_loss  # noqa: E402

TARGET_SPEEDUP_DEFAULT = 3.0
TARGET_SPEEDUP_GC_OFF = 1.4
TARGET_BYTES_PER_NODE = 400
# Linear time means a constant time per node. Quadratic time would cost 10 times as much per
# node for 10 times the nodes; allow 2 times, for the graph outgrowing the CPU caches.
TARGET_LINEAR_RATIO = 2.0
#: micrograd with the collector off never frees a step's graph (about 46 MB): a few steps only.
COLLECTOR_OFF_STEPS = 5
#: Seeds the data and the initial weights (micrograd's notebook uses 1337 for both).
SEED = 1337

MICROGRAD = "micrograd 0.1.0"
OURS = "ours (autograd)"
TORCH = "PyTorch 0-d tensors"


def make_moons(n: int = 100, noise: float = 0.1, seed: int = SEED) -> tuple[list, list]:
    """The library's two-moons points, with the notebook's labels -1 and +1 instead of 0 and 1."""
    points, labels = datasets.make_moons(n, noise, random.Random(seed))
    return [tuple(p) for p in points], [2.0 * label - 1.0 for label in labels]


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100  # micrograd's demo schedule


class Engine:
    """One engine's model and training step, as micrograd's notebook writes them."""

    name = ""

    def __init__(self, X: list, y: list) -> None:
        self.X, self.y = X, y
        self.k = 0

    def loss(self):
        """The notebook's loss: mean hinge loss + 1e-4 * sum of squared parameters."""
        inputs = [[self.make_input(a), self.make_input(b)] for a, b in self.X]
        scores = [self.model(x) for x in inputs]
        losses = [hinge_loss(score, yi) for yi, score in zip(self.y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in self.params)
        accuracy = [(yi > 0) == (score.data > 0) for yi, score in zip(self.y, scores)]
        return data_loss + reg_loss, sum(accuracy) / len(accuracy)

    def step(self) -> tuple[float, float]:
        loss, accuracy = self.loss()
        self.zero_grad()
        loss.backward()
        self.update(learning_rate(self.k))
        self.k += 1
        return float(loss.data), accuracy

    def zero_grad(self) -> None:
        self.model.zero_grad()

    def update(self, lr: float) -> None:
        for p in self.params:
            p.data -= lr * p.grad


def initial_weights() -> list[float]:
    """The starting weights every engine copies, in micrograd's parameter order."""
    net = nn.MLP(
        2, [16, 16, 1], activation="relu", output_activation="linear", rng=random.Random(SEED)
    )
    return [p.data for p in net.parameters()]


class Ours(Engine):
    name = OURS

    def __init__(self, X, y):
        super().__init__(X, y)
        self.model = nn.MLP(
            2, [16, 16, 1], activation="relu", output_activation="linear", rng=random.Random(SEED)
        )
        self.params = self.model.parameters()
        self.make_input = engine.Value


class Micrograd(Engine):
    name = MICROGRAD

    def __init__(self, X, y, micrograd):
        super().__init__(X, y)
        # micrograd draws its weights from Python's global generator; leave that as it was
        # and start from our weights instead, so that every engine computes the same numbers.
        state = random.getstate()
        self.model = micrograd.nn.MLP(2, [16, 16, 1])
        random.setstate(state)
        self.params = self.model.parameters()
        for p, w in zip(self.params, initial_weights(), strict=True):
            p.data = w
        self.make_input = micrograd.engine.Value


class Torch(Engine):
    """PyTorch doing the same computation one 0-d float64 tensor at a time."""

    name = TORCH

    def __init__(self, X, y, torch):
        super().__init__(X, y)
        self.torch = torch
        weights = iter(initial_weights())
        self.layers = []
        for nin, nout in ((2, 16), (16, 16), (16, 1)):
            layer = []
            for _ in range(nout):
                w = [self.tensor(next(weights), requires_grad=True) for _ in range(nin)]
                layer.append((w, self.tensor(next(weights), requires_grad=True)))
            self.layers.append(layer)
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
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start
            self.collections[min(info["generation"], 2)] += 1


def train(engine_factory, setting: str, steps: int) -> dict:
    """Train a fresh model for ``steps`` steps in ``setting``; time every step."""
    eng = engine_factory()
    gc.collect()
    gc.enable()
    gc_timer = GCTimer()
    gc.callbacks.append(gc_timer)
    cpu_times, wall_times, losses, accuracies = [], [], [], []
    if setting == "collector off":
        gc.disable()
    try:
        for _ in range(steps):
            start, cpu_start = time.perf_counter(), time.process_time()
            if setting == "gc_paused()":
                with gc_paused():
                    loss, accuracy = eng.step()
            else:
                loss, accuracy = eng.step()
            cpu_times.append(time.process_time() - cpu_start)
            wall_times.append(time.perf_counter() - start)
            losses.append(loss)
            accuracies.append(accuracy)
    finally:
        gc.callbacks.remove(gc_timer)
        gc.enable()
        del eng
        gc.collect()
    return {
        "steps": steps,
        "cpu": statistics.median(cpu_times),
        "cpu_min": min(cpu_times),
        "cpu_max": max(cpu_times),
        "cpu_total": sum(cpu_times),
        "wall_total": sum(wall_times),
        "gc_share": gc_timer.seconds / sum(cpu_times),
        "gc_collections": [c / steps for c in gc_timer.collections],
        "losses": losses,
        "accuracy": accuracies[-1],
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
            loss, _ = eng.loss()
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


def live_objects_effect(engine_factory, counts: list[int], steps: int) -> list[tuple]:
    """Our default-settings step with ``count`` other container objects alive in the process.

    The cyclic collector's full collections walk every live container object, not only the
    graph, so the same step costs more in a process that holds more objects (a notebook
    with data loaded, a program that imported a large library).
    """
    rows = []
    for count in counts:
        ballast = [[] for _ in range(count)]  # lists are always tracked by the collector
        tracked = len(gc.get_objects())
        result = train(engine_factory, "default", steps)
        rows.append((f"{count:,}", tracked, result))
        print(
            f"  timed {OURS} default with {count:>9,} extra objects: "
            f"median {result['cpu']:.3f} s CPU",
            flush=True,
        )
        del ballast
    gc.collect()
    return rows


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
    print("# moons benchmark: micrograd's demo, end to end, on real micrograd and on ours")
    print()
    print(f"date:      {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"python:    {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"platform:  {platform.platform()}")
    print(f"cpu:       {cpu_model()}, {os.cpu_count()} logical cores")
    print(f"load:      {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min averages)")
    print(f"gc:        thresholds {gc.get_threshold()}, {len(gc.get_objects()):,} tracked objects")
    package = Path(engine.__file__).parent
    print(f"engine:    {package}{git_description(package)}")
    micrograd_dir = Path(sys.modules["micrograd"].__file__).parent
    print(f"micrograd: {metadata.version('micrograd')} ({micrograd_dir})")
    print(
        f"run:       {args.steps} training steps per engine and setting "
        f"({min(args.steps, COLLECTOR_OFF_STEPS)} with the collector off); CPU times"
    )
    print()


def import_micrograd():
    try:
        import micrograd.engine
        import micrograd.nn
    except ImportError:
        sys.exit(
            "error: this benchmark compares with the real micrograd package; install it with\n"
            "  .venv/bin/python -m pip install -c constraints.txt -e '.[bench]'"
        )
    return micrograd


def import_torch():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns when numpy is missing
            import torch
    except ImportError as error:
        print(f"PyTorch: skipped, it does not import ({error})")
        return None
    return torch


def print_step_table(results: dict, nodes: int) -> None:
    def reference(setting: str) -> dict:
        # gc_paused() is our engine's own setting; micrograd is compared at default.
        return results[MICROGRAD, "default" if setting == "gc_paused()" else setting]

    print("## Training steps (forward + zero_grad + backward + SGD update), CPU time")
    print()
    print(
        "| engine | setting | steps | median step | min-max | whole run | nodes/s "
        "| time in collector | collections/step (gen 0/1/2) | final loss | accuracy "
        "| speedup vs micrograd |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, setting), r in results.items():
        gens = "/".join(f"{c:.0f}" for c in r["gc_collections"])
        print(
            f"| {name} | {setting} | {r['steps']} | {r['cpu'] * 1000:.0f} ms "
            f"| {r['cpu_min'] * 1000:.0f}-{r['cpu_max'] * 1000:.0f} ms "
            f"| {r['cpu_total']:.1f} s | {nodes / r['cpu']:,.0f} | {r['gc_share']:.0%} | {gens} "
            f"| {r['losses'][-1]:.6f} | {r['accuracy']:.0%} "
            f"| {reference(setting)['cpu'] / r['cpu']:.2f}x |"
        )
    print()
    print(
        "CPU time is process CPU time, which leaves out time spent waiting for a core while "
        "other work shares the machine. gc_paused() is compared with micrograd at default "
        "settings: it is how our engine is meant to be run, while micrograd cannot pause the "
        "collector without keeping every step's graph (its nodes are reference cycles). "
        f"'collector off' is gc.disable() for {COLLECTOR_OFF_STEPS} steps, which shows what "
        "each engine costs without the collector; micrograd keeps every graph meanwhile. "
        "PyTorch's nodes/s uses our graph's node count: it runs the same scalar operations."
    )
    print()


def print_memory_table(memory: dict) -> None:
    print("## Memory per graph node (tracemalloc, one step's graph)")
    print()
    print("| engine | nodes | net bytes/node (graph alive) | peak bytes/node (during step) |")
    print("|---|---:|---:|---:|")
    for name, (n, net, peak) in memory.items():
        print(f"| {name} | {n:,} | {net:.0f} | {peak:.0f} |")
    print()
    print(
        "net = bytes allocated by building the loss and running backward that are still held "
        "after backward returns and a collection, with the loss alive (the graph, its closures "
        "and the new grad floats), divided by the nodes in the graph; peak is the most held "
        "at any moment, which also counts backward's topological order, visited set and stack."
    )
    print()


def print_live_objects_table(rows: list, torch_objects: int | None) -> None:
    print("## Other live objects in the process: our default-settings step")
    print()
    print(f"Median of {rows[0][2]['steps']} steps each; the extra objects are empty lists.")
    print()
    print(
        "| extra container objects | tracked objects | median step | min-max "
        "| time in collector | collections/step (gen 0/1/2) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for label, tracked, r in rows:
        gens = "/".join(f"{c:.0f}" for c in r["gc_collections"])
        print(
            f"| {label} | {tracked:,} | {r['cpu'] * 1000:.0f} ms "
            f"| {r['cpu_min'] * 1000:.0f}-{r['cpu_max'] * 1000:.0f} ms "
            f"| {r['gc_share']:.0%} | {gens} |"
        )
    print()
    if torch_objects is not None:
        print(f"`import torch` alone added {torch_objects:,} tracked objects to this process.")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a much shorter run")
    parser.add_argument("--steps", type=int, help="training steps per engine (default 100)")
    parser.add_argument("--max-nodes", type=int, help="largest graph in the scaling check")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    args = parser.parse_args()
    for option, value in (("--steps", args.steps), ("--max-nodes", args.max_nodes)):
        if value is not None and value < 1:
            parser.error(f"argument {option}: must be at least 1, got {value}")
    args.steps = args.steps or (5 if args.quick else 100)
    args.max_nodes = args.max_nodes or (10**5 if args.quick else 10**6)
    off_steps = min(args.steps, COLLECTOR_OFF_STEPS)
    ballast_steps = min(args.steps, 3 if args.quick else 10)

    micrograd = import_micrograd()
    print_header(args)
    X, y = make_moons(100, noise=0.1, seed=SEED)
    runs = [
        (
            MICROGRAD,
            lambda: Micrograd(X, y, micrograd),
            [("default", args.steps), ("collector off", off_steps)],
        ),
        (
            OURS,
            lambda: Ours(X, y),
            [("default", args.steps), ("collector off", off_steps), ("gc_paused()", args.steps)],
        ),
    ]

    memory = {name: bytes_per_node(factory) for name, factory, _ in runs}
    nodes = memory[OURS][0]
    print(f"graph:     {nodes:,} nodes per step ({MICROGRAD}: {memory[MICROGRAD][0]:,})")

    # PyTorch is imported only after the pure-Python engines are timed: its modules add
    # hundreds of thousands of objects that every full collection would have to walk.
    results = {}
    for name, factory, settings in runs:
        for setting, steps in settings:
            r = results[name, setting] = train(factory, setting, steps)
            print(
                f"  timed {name:20} {setting:14} {steps:3} steps: median {r['cpu']:.3f} s CPU "
                f"(min {r['cpu_min']:.3f}, max {r['cpu_max']:.3f}), whole run "
                f"{r['cpu_total']:.1f} s CPU, {r['wall_total']:.1f} s wall",
                flush=True,
            )
    counts = [0, 100_000, 1_000_000] if not args.quick else [0, 300_000]
    ballast = live_objects_effect(lambda: Ours(X, y), counts, ballast_steps)
    print()
    worst_ratio, largest = scaling(args.max_nodes)

    torch_objects = None
    torch = None
    if not args.no_torch:
        before = len(gc.get_objects())
        torch = import_torch()
        torch_objects = len(gc.get_objects()) - before
    if torch is not None:
        print(f"PyTorch:   {torch.__version__}, {torch.get_num_threads()} intra-op threads")
        runs.append((TORCH, lambda: Torch(X, y, torch), [("default", ballast_steps)]))
        r = results[TORCH, "default"] = train(runs[-1][1], "default", ballast_steps)
        print(
            f"  timed {TORCH:20} default        {ballast_steps:3} steps: median "
            f"{r['cpu']:.3f} s CPU",
            flush=True,
        )
        ours_after = train(lambda: Ours(X, y), "default", ballast_steps)
        ballast.append(("0, after `import torch`", len(gc.get_objects()), ours_after))
    print()

    print_step_table(results, nodes)
    print_live_objects_table(ballast, torch_objects)
    print_memory_table(memory)

    # Every engine starts from the same weights and runs the same operations in the same
    # order: their losses must agree at every step, or the comparison means nothing.
    compared = [(name, setting) for name, setting in results if setting == "default"]
    reference = results[MICROGRAD, "default"]["losses"]
    worst = max(abs(a - b) for key in compared for a, b in zip(results[key]["losses"], reference))
    print(
        f"loss at every step, largest difference from micrograd over "
        f"{', '.join(name for name, _ in compared)}: {worst:.1e}"
        + (" (all agree)" if worst < 1e-9 else " (ENGINES DISAGREE)")
    )
    print(
        "first-step loss "
        + ", ".join(f"{name} {results[name, 'default']['losses'][0]:.12f}" for name, _ in compared)
    )
    print()

    def speedup(ours_setting: str, micrograd_setting: str) -> float:
        return results[MICROGRAD, micrograd_setting]["cpu"] / results[OURS, ours_setting]["cpu"]

    ours_default = speedup("default", "default")
    ours_off = speedup("collector off", "collector off")
    ours_bytes = memory[OURS][1]
    limit = f"{largest:,}"
    targets = [
        (
            f"at least {TARGET_SPEEDUP_DEFAULT}x micrograd per step, default settings",
            f"{ours_default:.2f}x",
            ours_default >= TARGET_SPEEDUP_DEFAULT,
        ),
        (
            f"at least {TARGET_SPEEDUP_GC_OFF}x micrograd per step, collector off",
            f"{ours_off:.2f}x",
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
    print("## Targets (CPU time)")
    print()
    for text, value, met in targets:
        print(f"- {'MET   ' if met else 'MISSED'} {text}: {value}")
    print()
    print(f"load at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
