"""The performance appendix's tables, measured while the book is built (about 10 s of CPU).

A short version of ``benchmarks/moons.py``: the same workload (one training step of
micrograd's two-moons demonstration, about 66,000 graph nodes) on the real micrograd 0.1.0,
on this engine, and on PyTorch, plus how this engine's time per node changes as a graph
grows deep. Timings depend on the machine and on its load: the book shows them as this
build's measurement and checks none of them. What the script does check (it exits with an
error otherwise) is that every engine computes the same loss, so that the comparison is fair.
Run from the repository root::

    python -m benchmarks.summary             # what the book shows
    python -m benchmarks.summary --no-torch  # without PyTorch

``benchmarks/moons.py`` is the full benchmark: 100 steps, the collector's share, targets.
"""

from __future__ import annotations

import argparse
import gc
import sys

from benchmarks.moons import (
    MICROGRAD,
    OURS,
    SEED,
    TORCH,
    Micrograd,
    Ours,
    Torch,
    bytes_per_node,
    chain,
    import_micrograd,
    import_torch,
    initial_weights,
    learning_rate,
    make_moons,
    time_build_backward,
    train,
)

STEPS = 2
TORCH_BATCHED = "PyTorch, whole-layer tensors"


class TorchBatched:
    """The same network and loss in PyTorch, one matrix per layer: how PyTorch is meant to run."""

    def __init__(self, X, y, torch):
        self.torch = torch
        self.X = torch.tensor(X, dtype=torch.float64)
        self.y = torch.tensor(y, dtype=torch.float64)
        weights = iter(initial_weights())  # micrograd's order: each neuron's w, then its b
        self.params = []
        for nin, nout in ((2, 16), (16, 16), (16, 1)):
            w = torch.empty(nin, nout, dtype=torch.float64)
            b = torch.empty(nout, dtype=torch.float64)
            for j in range(nout):
                for i in range(nin):
                    w[i, j] = next(weights)
                b[j] = next(weights)
            self.params += [w.requires_grad_(), b.requires_grad_()]
        self.k = 0

    def step(self) -> tuple[float, float]:
        torch = self.torch
        h = self.X
        for i in range(0, len(self.params), 2):
            h = h @ self.params[i] + self.params[i + 1]
            if i + 2 < len(self.params):
                h = torch.relu(h)
        scores = h[:, 0]
        loss = torch.relu(1 - self.y * scores).mean() + 1e-4 * sum(
            (p * p).sum() for p in self.params
        )
        for p in self.params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= learning_rate(self.k) * p.grad
        self.k += 1
        accuracy = ((self.y > 0) == (scores > 0)).double().mean()
        return loss.item(), accuracy.item()


def step_table(with_torch: bool) -> None:
    X, y = make_moons(100, noise=0.1, seed=SEED)
    micrograd = import_micrograd()
    engines = [
        (MICROGRAD, lambda: Micrograd(X, y, micrograd), "default"),
        (OURS, lambda: Ours(X, y), "default"),
        (OURS, lambda: Ours(X, y), "gc_paused()"),
    ]
    memory = {name: bytes_per_node(factory) for name, factory, _ in engines[:2]}
    results = [
        (name, setting, train(factory, setting, STEPS)) for name, factory, setting in engines
    ]
    # Imported after the pure-Python engines ran: its modules would slow their collector.
    torch = import_torch() if with_torch else None
    if torch is not None:
        # One thread: the matrices are tiny, and a second thread only adds waiting on a
        # shared machine.
        torch.set_num_threads(1)
        for name, factory in (
            (TORCH, lambda: Torch(X, y, torch)),
            (TORCH_BATCHED, lambda: TorchBatched(X, y, torch)),
        ):
            # The whole-layer step takes milliseconds: more steps for a steadier median.
            steps = STEPS if name == TORCH else 10 * STEPS
            results.append((name, "default", train(factory, "default", steps)))

    reference = results[0][2]["losses"]
    worst = max(abs(a - b) for *_, r in results for a, b in zip(r["losses"], reference))
    if worst > 1e-9:
        sys.exit(f"error: the engines disagree on the loss by {worst:.1e}")

    nodes = memory[OURS][0]
    print(f"One training step of micrograd's two-moons demo: {nodes:,} graph nodes")
    print(f"(forward, zero_grad, backward, update; median CPU time of {STEPS} or more steps)")
    print()
    print(
        f"| {'engine':<30} | {'setting':<11} | {'step':>10} | {'in collector':>12} "
        f"| {'speed-up':>8} | bytes/node |"
    )
    print(f"|{'-' * 32}|{'-' * 13}|{'-' * 12}|{'-' * 14}|{'-' * 10}|{'-' * 12}|")
    base = results[0][2]["cpu"]
    for name, setting, r in results:
        # The same graph with the collector paused or not: the same bytes per node.
        size = f"{memory[name][1]:.0f}" if name in memory else ""
        print(
            f"| {name:<30} | {setting:<11} | {r['cpu'] * 1000:7.1f} ms "
            f"| {r['gc_share']:12.0%} | {base / r['cpu']:7.1f}x | {size:>10} |"
        )
    print()
    print("in collector: the share of the step's CPU time spent in Python's cyclic garbage")
    print("collector; speed-up: micrograd's step time divided by this row's.")
    print()
    print("Every engine computed the same loss at every step (to within 1e-9).")


def depth_table() -> list[str]:
    """The depth table's lines, measured before PyTorch is imported (see main)."""
    lines = [
        "",
        "A chain x = x * a + b, as deep as it is long: build + backward, CPU time per node,",
        "and whether micrograd's recursive topological sort copes with the same chain",
        "",
        f"| {'nodes':>9} | {'ours':>9} | {'ours in':>11} | micrograd 0.1.0",
        f"| {'':>9} | {'default':>9} | {'gc_paused()':>11} |",
        f"|{'-' * 11}|{'-' * 11}|{'-' * 13}|{'-' * 30}",
    ]
    micrograd = import_micrograd()
    for size in (500, 5_000, 50_000):
        repeats = max(1, 20_000 // size)
        n, default = time_build_backward(chain, size, repeats, paused=False)
        _, paused = time_build_backward(chain, size, repeats, paused=True)
        lines.append(
            f"| {n:9,} | {default / n * 1e6:6.2f} us | {paused / n * 1e6:8.2f} us "
            f"| {micrograd_chain(micrograd, size)}"
        )
    return lines


def micrograd_chain(micrograd, size: int) -> str:
    """What micrograd's recursive topological sort does with the same chain."""
    a, b = micrograd.engine.Value(0.5), micrograd.engine.Value(1.0)
    x = micrograd.engine.Value(0.0)
    for _ in range((size - 3) // 2):
        x = x * a + b
    try:
        x.backward()
    except RecursionError:
        return "RecursionError"
    finally:
        del x
        gc.collect()
    return "works"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    args = parser.parse_args()
    # PyTorch's modules, once imported, make every run of the collector slower: the depth
    # table is measured first and printed after the step table, which imports it.
    depth = depth_table()
    step_table(not args.no_torch)
    print("\n".join(depth))


if __name__ == "__main__":
    main()
