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


def plot_losses(losses: Sequence[float], path: str) -> None:
    """Save the loss curve as an image (PNG, SVG, PDF: matplotlib goes by the extension)."""
    import matplotlib

    matplotlib.use("Agg")  # draw to a file; there may be no screen
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
    ax.plot(range(len(losses)), losses, color="tab:blue")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (sum of squared errors)")
    ax.set_title("Training a tiny MLP on four points")
    ax.grid(True, which="both", alpha=0.3)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, train, print the results; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.train_toy", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the initial weights")
    parser.add_argument("--steps", type=int, default=60, help="number of training steps")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate")
    parser.add_argument("--log-every", type=int, default=5, help="print the loss this often")
    parser.add_argument("--plot", metavar="PATH", help="save the loss curve to this file")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    if not args.lr > 0:
        parser.error("--lr must be positive")
    if args.log_every < 0:
        parser.error("--log-every must be 0 (never) or positive")
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error("--plot needs matplotlib: pip install matplotlib")

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
        plot_losses(losses, args.plot)
        print(f"loss curve saved to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
