"""Train a tiny MLP on four points and watch the loss go down.

Run it with ``python -m autograd.train_toy`` (``--help`` lists the options). The loop is
the one every neural network is trained with, spelled out in four steps: forward pass,
zero the gradients, backward pass, update the weights.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence

from autograd._cli import integer, non_negative_int, plot_path, positive_float, positive_int
from autograd.collector import gc_paused
from autograd.engine import Value
from autograd.nn import MLP

#: Four inputs with three features each.
XS = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
#: The target output for each input in ``XS``.
YS = [1.0, -1.0, -1.0, 1.0]


def squared_error(predictions: Sequence[Value], targets: Sequence[float]) -> Value:
    """Sum over the examples of (prediction - target) ** 2."""
    return sum(((p - y) ** 2 for p, y in zip(predictions, targets, strict=True)), Value(0.0))


def train(net: MLP, steps: int, learning_rate: float, log_every: int = 0) -> list[float]:
    """Run ``steps`` steps of gradient descent on ``net``; return the loss of each step."""
    losses = []
    for step in range(steps):
        # 1. Forward pass: predictions and loss; this builds the graph.
        predictions = [net(x) for x in XS]
        loss = squared_error(predictions, YS)

        # 2. Zero the gradients: backward() adds to .grad, so last step's must go.
        net.zero_grad()

        # 3. Backward pass: the chain rule fills in d(loss)/d(p) for every parameter p.
        loss.backward()

        # 4. Update: nudge each parameter against its gradient, downhill on the loss.
        for p in net.parameters():
            p.data -= learning_rate * p.grad

        losses.append(loss.data)
        if log_every and (step % log_every == 0 or step == steps - 1):
            print(f"step {step:3d}  loss {loss.data:.6f}")
    return losses


#: A loss curve gets a logarithmic axis only when its values span more than this factor
#: (one decade): then the slow end of training stays visible. Over a smaller range a log
#: axis only makes the ticks hard to read.
LOG_AXIS_MIN_RATIO = 10.0


def loss_axis_scale(losses: Sequence[float]) -> str:
    """``"log"`` if the losses span more than one decade (all positive), else ``"linear"``.

    >>> from autograd.train_toy import loss_axis_scale
    >>> loss_axis_scale([5.3, 0.9, 0.1, 0.005])
    'log'
    >>> loss_axis_scale([3.6, 7.9, 1.0, 7.9])
    'linear'
    """
    low, high = min(losses), max(losses)
    return "log" if low > 0 and high / low > LOG_AXIS_MIN_RATIO else "linear"


def plot_losses(losses: Sequence[float], path: str, title: str = "Training loss") -> None:
    """Save the loss curve as an image (PNG, SVG, PDF: matplotlib goes by the extension).

    The loss axis is logarithmic when the losses span more than a decade
    (:func:`loss_axis_scale`), linear from 0 otherwise.
    """
    import matplotlib

    matplotlib.use("Agg")  # draw to a file; there may be no screen
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
    ax.plot(range(len(losses)), losses, color="tab:blue")
    scale = loss_axis_scale(losses)
    ax.set_yscale(scale)
    if scale == "linear":
        ax.set_ylim(bottom=0)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (sum of squared errors)" + (", log scale" if scale == "log" else ""))
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def make_parser() -> argparse.ArgumentParser:
    """The command line: every option with its check, its default and its help text."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.train_toy", description=__doc__.splitlines()[0]
    )
    # Every option is checked as it is parsed (autograd/_cli.py), so a bad value stops the
    # script with one error line before training, not with a traceback after it.
    parser.add_argument("--seed", type=integer, default=0, help="seed for the initial weights")
    parser.add_argument(
        "--steps", type=positive_int, default=60, help="number of training steps (at least 1)"
    )
    parser.add_argument(
        "--lr", type=positive_float, default=0.1, help="learning rate (a finite number > 0)"
    )
    parser.add_argument(
        "--log-every",
        type=non_negative_int,
        default=5,
        metavar="N",
        help="print the loss every N steps (0: only the final summary)",
    )
    parser.add_argument(
        "--plot",
        type=plot_path,
        metavar="PATH",
        help="save the loss curve to this file (.png, .svg, .pdf; the folder must exist)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, train, print the results; return the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error("argument --plot: needs matplotlib: pip install matplotlib")

    net = MLP(3, [4, 4, 1], rng=random.Random(args.seed))
    print(f"MLP(3, [4, 4, 1]): {len(net.parameters())} parameters, seed {args.seed}")
    # Safe: our graphs have no reference cycles, so reference counting frees each step's.
    with gc_paused():
        losses = train(net, args.steps, args.lr, args.log_every)

    # One more forward pass: the losses above were measured before each step's update.
    predictions = [net(x) for x in XS]
    print("\nafter training:")
    for x, y, p in zip(XS, YS, predictions, strict=True):
        print(f"  input {x}  target {y:+.1f}  prediction {p.data:+.4f}")
    print(f"final loss {squared_error(predictions, YS).data:.6f}")
    if args.plot:
        title = (
            "Loss of MLP(3, [4, 4, 1]) on four points\n"
            f"seed {args.seed}, {args.steps} steps, learning rate {args.lr:g}"
        )
        plot_losses(losses, args.plot, title)
        print(f"loss curve saved to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
