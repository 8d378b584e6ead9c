"""How long the workbook's check takes, and what it says about typical learner bugs.

Runs ``python -m autograd.workbook check`` as a learner does (a fresh process, no PyTorch)
on the package's engine, a micrograd-style closure engine and the starter, and prints the
median wall time and CPU time (the checker and its child process together) over a few
runs, with the machine's load. Then it checks a set of engines, each with one typical
learner bug, and prints each step's status and the first diagnosis. Run from the
repository root::

    python benchmarks/workbook_check.py            # 5 runs each
    python benchmarks/workbook_check.py --runs 1
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograd.workbook import STARTER, check_file  # noqa: E402

CLOSURE = (ROOT / "tests" / "workbook_engines" / "closure_engine.py").read_text()
BOOK = (ROOT / "autograd" / "engine.py").read_text()
RESET = (
    "            if node._prev:\n"
    "                node.grad = 0.0  # interior nodes start afresh; leaves keep adding up\n"
)
VISIT = "            elif node not in visited:\n                visited.add(node)\n"

# Each bug: (name, engine text, [(old, new), ...]); old must occur exactly once.
BUGS = [
    ("missing * out.grad in __add__", CLOSURE,
     [("self.grad += out.grad\n", "self.grad += 1.0\n")]),
    ("missing * out.grad in __mul__", CLOSURE,
     [("self.grad += other.data * out.grad", "self.grad += other.data")]),
    ("missing * out.grad in __pow__", CLOSURE,
     [("(other - 1) * out.grad", "(other - 1)")]),
    ("missing * out.grad in tanh", CLOSURE, [("(1 - t**2) * out.grad", "(1 - t**2)")]),
    ("missing * out.grad in relu", CLOSURE,
     [("(1.0 if self.data > 0 else 0.0) * out.grad", "(1.0 if self.data > 0 else 0.0)")]),
    ("missing * out.grad in exp", CLOSURE, [("self.grad += e * out.grad", "self.grad += e")]),
    ("missing * out_grad in exp (book style)", BOOK,
     [("self.grad += e * out_grad", "self.grad += e")]),
    ("= for += in __mul__", CLOSURE,
     [("other.grad += self.data * out.grad", "other.grad = self.data * out.grad")]),
    ("= for += in __add__ (self line)", CLOSURE,
     [("self.grad += out.grad\n", "self.grad = out.grad\n")]),
    ("wrong derivative: tanh 1 - t", CLOSURE, [("(1 - t**2)", "(1 - t)")]),
    ("wrong derivative: exp x * e", CLOSURE,
     [("self.grad += e * out.grad", "self.grad += self.data * e * out.grad")]),
    ("wrong derivative: pow n * x ** n", CLOSURE,
     [("self.data ** (other - 1)", "self.data**other")]),
    ("__radd__ returns other + self", CLOSURE,
     [("    def __radd__(self, other):\n        return self + other",
       "    def __radd__(self, other):\n        return other + self")]),
    ("no visited set", CLOSURE, [(VISIT, "            else:\n")]),
    ("leaves zeroed in backward()", CLOSURE,
     [(RESET, "            node.grad = 0.0\n")]),
    ("no interior reset (micrograd)", CLOSURE,
     [("        for node in topo:\n" + RESET, "")]),
    ("order walked forwards", CLOSURE,
     [("for node in reversed(topo):", "for node in topo:")]),
    ("tanh from exp", CLOSURE,
     [("t = math.tanh(self.data)",
       "t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)")]),
    ("x + 5 not wrapped", CLOSURE,
     [("        other = other if isinstance(other, Value) else Value(other)\n"
       "        out = Value(self.data + other.data",
       "        out = Value(self.data + other.data")]),
]  # fmt: skip


def timed(path: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of both processes, exit status) of one check."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "autograd.workbook", "check", str(path)],
        capture_output=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    engines = {
        "package engine": ROOT / "autograd" / "engine.py",
        "closure engine": ROOT / "tests" / "workbook_engines" / "closure_engine.py",
        "starter": folder / "starter.py",
    }
    engines["starter"].write_text(STARTER)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, path in engines.items():
        runs = [timed(path) for _ in range(args.runs)]
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(f"{name:15} exit {runs[0][2]}  median wall {wall:.2f} s  CPU {cpu:.2f} s")
    print()
    for name, text, replacements in BUGS:
        for old, new in replacements:
            if text.count(old) != 1:
                print(f"{name}: SKIPPED, the engine's text changed")
                break
            text = text.replace(old, new)
        else:
            path = folder / "engine.py"
            path.write_text(text)
            started = time.perf_counter()
            report = check_file(path)
            seconds = time.perf_counter() - started
            shown = " ".join(result.shown_status() for result in report.steps)
            first = next((d.text for r in report.steps for d in r.diagnoses), report.problem)
            print(f"{name} ({seconds:.1f} s): {shown}\n    {first[:150]}")


if __name__ == "__main__":
    main()
