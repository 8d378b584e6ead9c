"""The optimizers chapter's picture: SGD, momentum and Adam in a long, narrow valley.

docs/optimizers.md runs it while the book builds (``python -m docs.examples.optimizer_paths
--plot PATH``, through the ``run-module`` directive). Each optimizer starts from the same
point and takes the same number of steps on ``valley``; the script prints the loss after
some of them and draws each path over the valley's contour lines, beside the loss curves.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from autograd.engine import Value
from autograd.optim import SGD, Adam, Optimizer

START = (-4.0, 1.0)
STEPS = 100
REPORT_AT = (10, 25, 50, 100)


def valley(x: Value | float, y: Value | float) -> Value | float:
    """A bowl 100 times steeper across (y) than along (x); its lowest point is (0, 0)."""
    return 0.02 * x * x + 2 * y * y


def descend(make_optimizer: Callable[[list[Value]], Optimizer]) -> list[tuple[float, float]]:
    """The points an optimizer visits in ``STEPS`` steps from ``START``, start included."""
    x, y = Value(START[0]), Value(START[1])
    optimizer = make_optimizer([x, y])
    path = [(x.data, y.data)]
    for _ in range(STEPS):
        optimizer.zero_grad()
        valley(x, y).backward()
        optimizer.step()
        path.append((x.data, y.data))
    return path


def main(argv: list[str] | None = None) -> int:
    """Run the three optimizers; print their loss at a few steps; draw the paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", metavar="PATH", help="save the paths and loss curves here")
    args = parser.parse_args(argv)
    optimizers = {
        "SGD(lr=0.3)": lambda params: SGD(params, lr=0.3),
        "SGD(lr=0.3, momentum=0.9)": lambda params: SGD(params, lr=0.3, momentum=0.9),
        "Adam(lr=0.1)": lambda params: Adam(params, lr=0.1),
    }
    paths = {name: descend(make) for name, make in optimizers.items()}
    print(f"loss after step{''.join(f'{step:>9}' for step in REPORT_AT)}")
    for name, path in paths.items():
        losses = [valley(*path[step]) for step in REPORT_AT]
        print(f"{name:<26}" + "".join(f"{loss:>9.1e}" for loss in losses))
    if args.plot:
        draw(paths, args.plot)
        print(f"paths saved to {args.plot}")
    return 0


def draw(paths: dict[str, list[tuple[float, float]]], file: str) -> None:
    """Left: the valley's contours and each path's first 50 steps. Right: loss per step."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    xs = [-4.5 + 5.5 * i / 200 for i in range(201)]
    ys = [-1.3 + 2.6 * j / 200 for j in range(201)]
    grid = [[valley(x, y) for x in xs] for y in ys]
    left.contour(xs, ys, grid, levels=[0.01, 0.05, 0.2, 0.5, 1, 2, 4, 6], colors="0.75")
    for (name, path), style in zip(paths.items(), ("o-", "s--", "^:")):
        shown = path[:51]
        left.plot([p[0] for p in shown], [p[1] for p in shown], style, markersize=3, label=name)
        right.plot([valley(*p) for p in path], style[1:], linewidth=2, label=name)
    left.plot([0], [0], "k+", markersize=12)
    left.set(xlabel="x", ylabel="y (stretched)", title="The first 50 steps from (-4, 1)")
    right.set(yscale="log", xlabel="step", ylabel="loss", title="Loss at each step")
    right.legend()
    fig.savefig(file, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
