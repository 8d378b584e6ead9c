"""Train a tiny MLP on four points and watch the loss go down.

Run it with ``python -m autograd.train_toy`` (``--help`` lists the options). The loop is
the one every neural network is trained with, spelled out in four steps: forward pass,
zero the gradients, backward pass, update the weights. The data, the loss and the plot come
from the library (:mod:`autograd.datasets`, :mod:`autograd.losses`, :mod:`autograd.plots`).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence

from autograd._cli import integer, non_negative_int, plot_path, positive_float, positive_int
from autograd.collector import gc_paused
from autograd.datasets import XS, YS
from autograd.losses import squared_error
from autograd.nn import MLP
from autograd.plots import plot_losses


def train(net: MLP, steps: int, learning_rate: float, log_every: int = 0) -> list[float]:
    """Run ``steps`` steps of gradient descent on ``net``; return the loss of each step.

    >>> from autograd.train_toy import train
    >>> net = MLP(3, [4, 4, 1], rng=random.Random(0))
    >>> losses = train(net, steps=20, learning_rate=0.05)
    >>> len(losses), losses[-1] < losses[0] / 10
    (20, True)
    """
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


def make_parser() -> argparse.ArgumentParser:
    """The command line: every option with its check, its default and its help text."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.train_toy", description=__doc__.splitlines()[0]
    )
    # Every option is checked as it is parsed (autograd/_cli.py), so a bad value stops the
    # script with one error line before training, not with a traceback after it.
    # %(default)s: argparse writes each default into the help text, so the two cannot differ.
    parser.add_argument(
        "--seed", type=integer, default=0, help="seed for the initial weights (default %(default)s)"
    )
    parser.add_argument(
        "--steps",
        type=positive_int,
        default=60,
        help="number of training steps, at least 1 (default %(default)s)",
    )
    parser.add_argument(
        "--lr",
        type=positive_float,
        default=0.1,
        help="learning rate, a finite number > 0 (default %(default)s)",
    )
    parser.add_argument(
        "--log-every",
        type=non_negative_int,
        default=5,
        metavar="N",
        help="print the loss every N steps (default %(default)s; 0: only the final summary)",
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
        plot_losses({"loss": losses}, args.plot, title, "loss (sum of squared errors)")
        print(f"loss curve saved to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
