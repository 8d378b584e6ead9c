"""The tensors chapter's picture of a broadcast bias: forward, the copy; backward, the sum.

docs/tensors.md runs it while the book builds (``python -m docs.examples.tensors_broadcast
PATH``, through the ``run-module`` directive). Every number in the picture is computed here
by the Tensor engine, from the same inputs as the chapter's example, so the picture cannot
drift from the code.
"""

from __future__ import annotations

import sys

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from autograd.plots import save_figure
from autograd.tensor import Tensor

CELL = 0.9  # width and height of one drawn array entry
SOLID = {"facecolor": "#dbe8f6", "edgecolor": "#1f4e79", "linewidth": 1.2}
COPY = {"facecolor": "#f4f4f4", "edgecolor": "#7f7f7f", "linewidth": 1.0, "linestyle": "--"}
GRAD = {"facecolor": "#fbe3d6", "edgecolor": "#9c3d10", "linewidth": 1.2}


def draw_array(ax, values, left: float, top: float, title: str, style: dict, rows_style=None):
    """Draw a 2-D array as a grid of numbered cells; rows_style may restyle single rows."""
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            cell_style = (rows_style or {}).get(i, style)
            x, y = left + j * CELL, top - (i + 1) * CELL
            ax.add_patch(Rectangle((x, y), CELL, CELL, **cell_style))
            ax.text(x + CELL / 2, y + CELL / 2, f"{value:g}", ha="center", va="center")
    ax.text(left + len(values[0]) * CELL / 2, top + 0.25, title, ha="center", va="bottom")


def main(argv: list[str]) -> int:
    """Draw the forward (copy) and backward (sum) of ``x + bias`` into the file argv[0]."""
    if len(argv) != 1:
        print("usage: python -m docs.examples.tensors_broadcast PATH", file=sys.stderr)
        return 2
    # The chapter's example: two examples of three features, one bias row.
    x = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    bias = Tensor([10.0, 20.0, 30.0])
    out = x + bias
    out_grad = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]])
    out.backward(gradient=out_grad)

    fig = Figure(figsize=(8.4, 5.2))  # no pyplot: nothing to show, no backend to pick
    forward, backward = fig.subplots(2, 1)
    for ax in (forward, backward):
        ax.set_xlim(-0.2, 12.4)
        ax.set_aspect("equal")
        ax.axis("off")

    # Forward: the (3,) bias is copied into every row, then added.
    forward.set_ylim(-2.2, 0.9)
    forward.set_title("forward: the bias acts as if copied into every row", loc="left")
    draw_array(forward, x.data, 0.0, 0.0, "x  (2, 3)", SOLID)
    forward.text(3.05, -CELL, "+", ha="center", va="center", fontsize=16)
    broadcast = np.broadcast_to(bias.data, out.shape)
    draw_array(forward, broadcast, 3.4, 0.0, "bias  (3,), copied", SOLID, rows_style={1: COPY})
    forward.text(6.45, -CELL, "=", ha="center", va="center", fontsize=16)
    draw_array(forward, out.data, 6.8, 0.0, "out  (2, 3)", SOLID)
    forward.text(10.0, -1.35, "dashed row:\na copy that\nbias never\nstored", va="center")

    # Backward: each copy received a gradient; the bias gets their sum, column by column.
    backward.set_ylim(-2.9, 0.9)
    backward.set_title("backward: the copies' gradients are summed back into the bias", loc="left")
    draw_array(backward, out_grad, 0.0, 0.0, "out_grad  (2, 3)", GRAD)
    backward.annotate(
        "",
        xy=(5.1, -CELL),
        xytext=(3.0, -CELL),
        arrowprops={"arrowstyle": "-|>", "color": "#9c3d10", "linewidth": 1.5},
    )
    backward.text(4.05, -0.7, "sum each\ncolumn", ha="center", va="bottom", color="#9c3d10")
    draw_array(backward, [bias.grad], 5.3, -CELL / 2, "bias.grad  (3,)", GRAD)
    first = " + ".join(f"{g:g}" for g in out_grad[:, 0])
    backward.text(5.3, -2.0, f"{bias.grad[0]:g} = {first}, and so on", va="center")
    draw_array(backward, x.grad, 9.4, 0.0, "x.grad  (2, 3)", GRAD)
    backward.text(10.75, -2.15, "x was not copied:\nnothing to sum", ha="center", va="top")

    fig.tight_layout()
    save_figure(fig, argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
