"""Where does our training step's time go? Time variants of engine.py side by side.

Each variant is the text of ``autograd/engine.py`` with a few replacements (a design
choice taken out or done another way), loaded as its own module in this one process. All
variants train micrograd's moons workload (``moons.py``) with the collector off, taking
turns step by step so that a change in the machine's load hits every variant alike, and
the median CPU time per step is compared with the unchanged engine. Run from the
repository root::

    python benchmarks/engine_variants.py            # 20 rounds
    python benchmarks/engine_variants.py --rounds 5

A variant whose replacement no longer matches the engine's text (the engine changed) is
skipped with a note, not silently timed as the unchanged engine.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.append(str(Path(__file__).resolve().parent.parent))

import moons  # noqa: E402

from autograd import engine  # noqa: E402

SOURCE = Path(engine.__file__).read_text()

# A topological order built with one (node, iterator over its inputs) entry per node
# instead of two (node, inputs_done) entries; same order.
ITERATOR_TOPOLOGICAL_ORDER = """def topological_order(root: Value) -> list[Value]:
    order = []
    visited = {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        for child in inputs:
            if child not in visited:
                visited.add(child)
                stack.append((child, iter(child._prev)))
                break
        else:
            stack.pop()
            order.append(node)
    return order
"""
TYPE_CHECK = (
    "self.data = data if type(data) is float else _as_float(data)",
    "self.data = data",
)
LABEL = [('"label", "_prev"', '"_prev"'), ("        self.label = label\n", "")]
RESET_PASS = (
    "        for node in order:\n            if node._prev:\n                node.grad = 0.0\n",
    "",
)
DEFAULT_ARGUMENTS = [
    (f"def _backward(out_grad, self=self{rest}):", "def _backward(out_grad):")
    for rest in (", other=other", "", ", t=t", ", e=e", ", s=s")
]
ONE_TIMES = [
    ("self.grad += 1.0 * out_grad", "self.grad += out_grad"),
    ("other.grad += 1.0 * out_grad", "other.grad += out_grad"),
]

VARIANTS = {
    "engine as it is": [],
    "no type check in Value.__init__": [TYPE_CHECK],
    "no label slot": LABEL,
    "closures instead of default arguments": DEFAULT_ARGUMENTS,
    "iterator-based topological_order": [("TOPOLOGICAL_ORDER", ITERATOR_TOPOLOGICAL_ORDER)],
    "no reset of interior gradients in backward": [RESET_PASS],
    "all of these but the closures, and no 1.0 *": [
        TYPE_CHECK,
        *LABEL,
        RESET_PASS,
        ("TOPOLOGICAL_ORDER", ITERATOR_TOPOLOGICAL_ORDER),
        *ONE_TIMES,
    ],
}


def load(name: str, replacements: list[tuple[str, str]]) -> types.ModuleType | None:
    """engine.py with ``replacements`` applied, as a new module; None if one does not match."""
    source = SOURCE
    for old, new in replacements:
        if old == "TOPOLOGICAL_ORDER":
            old = source[source.index("def topological_order") :]
        if old not in source:
            return None
        source = source.replace(old, new)
    module = types.ModuleType("engine_variant")
    exec(compile(source, f"<engine variant: {name}>", "exec"), module.__dict__)
    return module


def workload(module: types.ModuleType, X, y) -> moons.Ours:
    """micrograd's moons model, with every parameter and input a ``module.Value``."""
    eng = moons.Ours(X, y)
    for layer in eng.model.layers:
        for neuron in layer.neurons:
            neuron.w = [module.Value(w.data) for w in neuron.w]
            neuron.b = module.Value(neuron.b.data)
    eng.params = eng.model.parameters()
    eng.make_input = module.Value
    return eng


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed steps per variant")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error(f"argument --rounds: must be at least 1, got {args.rounds}")
    X, y = moons.make_moons()
    engines = {}
    for name, replacements in VARIANTS.items():
        module = load(name, replacements)
        if module is None:
            print(f"skipped (the engine's text changed): {name}")
        else:
            engines[name] = workload(module, X, y)
    times: dict[str, list[float]] = {name: [] for name in engines}
    gc.collect()
    gc.disable()
    try:
        for _ in range(args.rounds):
            for name, eng in engines.items():
                start = time.process_time()
                loss, _ = eng.loss()
                eng.zero_grad()
                loss.backward()
                eng.update(0.0)  # learning rate 0: every variant computes the same numbers
                times[name].append(time.process_time() - start)
                del loss
    finally:
        gc.enable()
    base = statistics.median(times["engine as it is"])
    print(f"median CPU time per step over {args.rounds} rounds, collector off")
    print()
    print("| variant | step | change |")
    print("|---|---:|---:|")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"| {name} | {median * 1000:.1f} ms | {median / base - 1:+.1%} |")


if __name__ == "__main__":
    main()
