"""Break each derivative in the engine once and check that the tests notice.

The mutants are generated from the table of operations (``autograd/operations.py``: each
primitive op's chain-rule lines get a doubled local derivative and a ``=`` for ``+=``) plus
the hand-written ones below. For every mutant, this script copies the project into a
temporary directory, makes one text substitution in the copy's ``autograd/engine.py``
(the real file is never touched), and runs the test suite against the copy. A mutant is
*killed* when the run fails and *survives* when it passes; a surviving mutant is a
derivative the tests do not really check. The script prints a table and exits with status
1 if any mutant survives, 2 if the setup is broken (the unmutated copy fails, or a
mutant's text is not found).

Usage::

    python tools/mutation_check.py                      # the test suite
    python tools/mutation_check.py --command "make doctest"
    python tools/mutation_check.py --only mul --only tanh
    python tools/mutation_check.py --list

A ``--command`` runs through the shell with its working directory at the root of the
mutated copy, so ``make``, ``conf.py`` and ``python -m`` all pick up the mutated package.
It also gets the copy first on ``PYTHONPATH`` and in ``AUTOGRAD_MUTANT_ROOT``, the mutant's
name in ``AUTOGRAD_MUTANT``, and any ``{root}`` in the command is replaced by the copy's
path, for commands that must run elsewhere.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = Path("autograd") / "engine.py"
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    "__pycache__",
    "*.egg-info",
    "_build",
    ".pytest_cache",
    ".hypothesis",
    ".tox",
    ".venv",
    "venv",
    "node_modules",
    "*.pyc",
)


@dataclass(frozen=True)
class Mutant:
    op: str
    name: str
    old: str
    new: str


MUTANTS = [
    # Besides the mutants generated from the table of operations (table_mutants), the
    # mistakes people make in particular ops.
    Mutant(
        "mul",
        "mul: d/dself = self",
        "self.grad += other.data * out_grad",
        "self.grad += self.data * out_grad",
    ),
    Mutant(
        "mul",
        "mul: d/dother = other",
        "other.grad += self.data * out_grad",
        "other.grad += other.data * out_grad",
    ),
    Mutant(
        "pow",
        "pow: drop the factor n",
        "local = other * _power(self.data, other - 1)",
        "local = _power(self.data, other - 1)",
    ),
    Mutant(
        "pow",
        "pow: exponent n, not n - 1",
        "other * _power(self.data, other - 1) if",
        "other * _power(self.data, other) if",
    ),
    Mutant(
        "pow",
        "pow: x ** 0 has slope 1",
        "if other != 0 else 0.0",
        "if other != 0 else 1.0",
    ),
    Mutant(
        "tanh",
        "tanh: 1 - t",
        "self.grad += (1.0 - t * t) * out_grad",
        "self.grad += (1.0 - t) * out_grad",
    ),
    Mutant(
        "relu",
        "relu: slope 1 everywhere",
        "(0.0 if self.data <= 0 else 1.0) * out_grad",
        "1.0 * out_grad",
    ),
    Mutant(
        "relu",
        "relu: slope 1 at the kink",
        "(0.0 if self.data <= 0 else 1.0) * out_grad",
        "(0.0 if self.data < 0 else 1.0) * out_grad",
    ),
    Mutant(
        "relu",
        "relu: NaN becomes 0",
        "0.0 if self.data <= 0 else self.data",
        "self.data if self.data > 0 else 0.0",
    ),
    Mutant(
        "exp",
        "exp: d/dself = self",
        "self.grad += e * out_grad",
        "self.grad += self.data * out_grad",
    ),
    Mutant(
        "log",
        "log: 1 / self**2",
        "self.grad += (1.0 / self.data) * out_grad",
        "self.grad += (1.0 / self.data**2) * out_grad",
    ),
    Mutant(
        "sigmoid",
        "sigmoid: 1 - s",
        "self.grad += s * (1.0 - s) * out_grad",
        "self.grad += (1.0 - s) * out_grad",
    ),
    # Dropping the upstream gradient: right whenever out_grad happens to be 1.
    Mutant(
        "tanh",
        "tanh: forget out_grad",
        "self.grad += (1.0 - t * t) * out_grad",
        "self.grad += (1.0 - t * t)",
    ),
    # Derived ops, each a one-line composition.
    Mutant("neg", "neg: self * 1", "return self * -1", "return self * 1"),
    Mutant("sub", "sub: self + other", "return self + (-other)", "return self + other"),
    Mutant("truediv", "truediv: self * other", "return self * other**-1", "return self * other"),
    Mutant(
        "radd",
        "radd: self - other",
        "return self + other  # other + self",
        "return self - other  # other + self",
    ),
    Mutant(
        "rsub",
        "rsub: self - other",
        "return (-self) + other  # other - self",
        "return self + (-other)  # other - self",
    ),
    Mutant(
        "rmul",
        "rmul: self + other",
        "return self * other  # other * self",
        "return self + other  # other * self",
    ),
    Mutant(
        "rtruediv",
        "rtruediv: self / other",
        "return self**-1 * other  # other / self",
        "return self * other**-1  # other / self",
    ),
    Mutant(
        "sigmoid",
        "sigmoid: wrong negative branch",
        "return e / (1.0 + e)",
        "return 1.0 / (1.0 + e)",
    ),
    # The policy for results too large for a float: inf with the right sign, never finite.
    Mutant("exp", "exp: overflow gives 0", "e = math.inf", "e = 0.0"),
    Mutant(
        "pow",
        "pow: overflow always +inf",
        "return -math.inf if x < 0 and n % 2 == 1 else math.inf",
        "return math.inf",
    ),
    # The backward pass itself.
    Mutant(
        "backward",
        "backward: topological, not reversed",
        "for node in reversed(order):",
        "for node in order:",
    ),
    Mutant(
        "backward",
        "backward: intermediate grads not reset",
        "                node.grad = 0.0\n",
        "                pass\n",
    ),
    Mutant(
        "backward",
        "backward: seed = instead of +=",
        "self.grad += _number(gradient,",
        "self.grad = _number(gradient,",
    ),
    Mutant(
        "topological_order",
        "topological_order: no visited check",
        "elif node not in visited:",
        "elif True:",
    ),
]


#: A chain-rule line of the engine: ``<input>.grad += <local derivative> * out_grad``.
CHAIN_RULE_LINE = re.compile(r"^(?P<indent> +)(?P<input>\w+)\.grad \+= (?P<local>.+) \* out_grad$")


def table_mutants(source: str) -> list[Mutant]:
    """Two mutants per chain-rule line of every primitive op in autograd/operations.py.

    One doubles the local derivative (a wrong derivative), one assigns with ``=`` instead
    of adding with ``+=`` (right unless a node is used twice). An op added to the engine
    and to the table gets its mutants without any change here.
    """
    sys.path.insert(0, str(ROOT))
    from autograd.operations import OPERATIONS

    methods = {
        node.name: node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef) and node.name == "Value"
        for node in node.body
        if isinstance(node, ast.FunctionDef)
    }
    lines = source.splitlines()
    mutants = []
    for op in OPERATIONS.values():
        if not op.primitive:
            continue
        method = methods[op.method]
        for line in lines[method.lineno - 1 : method.end_lineno]:
            match = CHAIN_RULE_LINE.match(line)
            if not match:
                continue
            indent, target, local = match["indent"], match["input"], match["local"]
            mutants.append(
                Mutant(
                    op.name,
                    f"{op.name}: d/d{target} doubled",
                    line,
                    f"{indent}{target}.grad += 2.0 * ({local}) * out_grad",
                )
            )
            mutants.append(
                Mutant(
                    op.name,
                    f"{op.name}: {target} = instead of +=",
                    line,
                    f"{indent}{target}.grad = {local} * out_grad",
                )
            )
    return mutants


def default_command() -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests",
        "autograd",
    ]


def run(command: str | None, root: Path, mutant: str, timeout: float) -> tuple[int | None, str]:
    """Run the check in ``root``: (return code or None on timeout, combined output)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env["AUTOGRAD_MUTANT_ROOT"] = str(root)
    env["AUTOGRAD_MUTANT"] = mutant
    # A stale .pyc of the previous mutant must never be picked up.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    args: str | list[str] = (
        default_command() if command is None else command.replace("{root}", str(root))
    )
    try:
        done = subprocess.run(
            args,
            shell=command is not None,
            cwd=root,
            env=env,
            timeout=timeout,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout if isinstance(exc.stdout, str) else (exc.stdout or b"").decode()
        return None, out
    return done.returncode, done.stdout


def first_failure(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" - ")[0]
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1][:100] if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--command", help="shell command to run instead of the test suite")
    parser.add_argument(
        "--only", action="append", metavar="OP", help="run only the mutants of this op (repeatable)"
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds per run; a run that times out counts as killed",
    )
    parser.add_argument(
        "--skip-baseline",
        action="store_true",
        help="do not first check that the unmutated copy passes",
    )
    parser.add_argument("--verbose", action="store_true", help="print each surviving run's output")
    args = parser.parse_args(argv)

    original = (ROOT / ENGINE).read_text()
    every = table_mutants(original) + MUTANTS
    mutants = [m for m in every if not args.only or m.op in args.only]
    if args.list:
        for m in mutants:
            print(f"{m.op:18} {m.name}\n{'':18}   - {m.old.strip()}\n{'':18}   + {m.new.strip()}")
        return 0
    if not mutants:
        print(f"no mutants for {args.only}", file=sys.stderr)
        return 2

    broken = [m for m in mutants if original.count(m.old) != 1]
    for m in broken:
        print(
            f"mutant {m.name!r}: expected its text exactly once in {ENGINE}, found "
            f"{original.count(m.old)} times: {m.old!r}",
            file=sys.stderr,
        )
    if broken:
        return 2

    with tempfile.TemporaryDirectory(prefix="autograd-mutants-") as tmp:
        copy = Path(tmp) / ROOT.name
        shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        engine = copy / ENGINE

        if not args.skip_baseline:
            started = time.monotonic()
            code, output = run(args.command, copy, "", args.timeout)
            if code != 0:
                print(output)
                print(
                    f"the unmutated copy fails (exit {code}), so no mutant result would mean "
                    "anything",
                    file=sys.stderr,
                )
                return 2
            print(f"baseline: unmutated copy passes ({time.monotonic() - started:.1f} s)")

        # The copy, not the real package, must be what a Python started there imports.
        where = subprocess.run(
            [sys.executable, "-c", "import autograd; print(autograd.__file__)"],
            cwd=copy,
            env={**os.environ, "PYTHONPATH": str(copy)},
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not Path(where).resolve().is_relative_to(copy.resolve()):
            print(f"a Python started in the copy imports autograd from {where!r}", file=sys.stderr)
            return 2

        rows = []
        for m in mutants:
            engine.write_text(original.replace(m.old, m.new))
            started = time.monotonic()
            code, output = run(args.command, copy, m.name, args.timeout)
            seconds = time.monotonic() - started
            if code is None:
                verdict, detail = "killed", "timeout"
            elif code != 0:
                verdict, detail = "killed", first_failure(output)
            else:
                verdict, detail = "SURVIVED", ""
                if args.verbose:
                    print(output)
            rows.append((m.op, m.name, verdict, f"{seconds:.1f}", detail))
            print(f"  {m.name}: {verdict} ({seconds:.1f} s)", file=sys.stderr, flush=True)
        engine.write_text(original)

    headers = ("op", "mutant", "result", "s", "caught by")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    print()
    for row in [headers, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    survivors = [r for r in rows if r[2] != "killed"]
    print(f"\n{len(rows) - len(survivors)} of {len(rows)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
