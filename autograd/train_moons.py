"""Train an MLP to tell two interleaved half-moons apart, and test it on points it never saw.

Run it with ``python -m autograd.train_moons`` (``--help`` lists the options). The data are
two noisy half circles, one class each; a third of the points are held back for testing.
The network is trained in minibatches with a logistic loss and an optimizer from
:mod:`autograd.optim`, and the script prints the loss and the accuracy on the training and
the test points as it goes. ``--plot``, ``--snapshots`` and ``--compare-optimizers`` draw
the decision boundary, the boundary at several steps, and three optimizers' loss curves.
The data, the loss and the pictures come from the library (:mod:`autograd.datasets`,
:mod:`autograd.losses`, :mod:`autograd.plots`); this module is the training loop and its
command line.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from autograd._cli import (
    add_optimizer_options,
    choose_optimizer,
    int_at_least,
    integer,
    non_negative_float,
    non_negative_int,
    plot_path,
    positive_int,
)
from autograd.collector import gc_paused
from autograd.datasets import Moons, make_moons, train_test_split
from autograd.engine import Value
from autograd.losses import logistic_loss
from autograd.nn import MLP
from autograd.optim import SGD, Adam
from autograd.plots import plot_boundary, plot_losses, plot_snapshots

#: The steps after which ``--snapshots`` draws the boundary (and the last step).
SNAPSHOT_STEPS = (0, 10, 25, 50, 100)
#: The learning rate each optimizer gets unless ``--lr`` says otherwise.
DEFAULT_LR = {"sgd": 0.05, "adam": 0.01}


@dataclass
class History:
    """What ``train`` records: each step's minibatch loss, and weights at chosen steps.

    ``losses[k]`` is the loss of step k + 1, measured before its update; ``weights[k]``
    holds every parameter's value after k steps.
    """

    #: The minibatch loss of each step, measured before its update.
    losses: list[float]
    #: Every parameter's value after k steps, for each k that ``keep_weights_at`` asked for.
    weights: dict[int, list[float]]


def make_data(samples: int, noise: float, rng: random.Random) -> Moons:
    """``samples`` moons points; a third of them, chosen at random, are kept for testing."""
    points, labels = make_moons(samples, noise, rng)
    train_points, test_points, train_labels, test_labels = train_test_split(
        points, labels, 1 / 3, rng
    )
    return Moons(train_points, train_labels, test_points, test_labels)


def mean_loss(net: MLP, points: Sequence[Sequence[float]], labels: Sequence[int]) -> Value:
    """The logistic loss averaged over the given points: one ``Value`` to call backward on."""
    total = sum((logistic_loss(net(x), y) for x, y in zip(points, labels)), Value(0.0))
    return total / len(points)


def accuracy(net: MLP, points: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
    """The fraction of points whose class the network gets right (score > 0 means 1)."""
    right = sum((net(x).data > 0) == (y == 1) for x, y in zip(points, labels))
    return right / len(points)


def minibatches(n: int, batch_size: int, rng: random.Random) -> Iterator[list[int]]:
    """Endless lists of indices; every pass visits all ``n`` in a new order.

    Each list holds ``batch_size`` indices, except the last of a pass when ``batch_size``
    does not divide ``n``: that one holds the rest.
    """
    while True:
        order = list(range(n))
        rng.shuffle(order)
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]


def training_step(
    net: MLP, optimizer: SGD | Adam, points: list[list[float]], labels: list[int]
) -> float:
    """One step of the training loop on one minibatch; returns the batch's loss."""
    loss = mean_loss(net, points, labels)  # 1. forward pass
    optimizer.zero_grad()  # 2. zero the gradients
    loss.backward()  # 3. backward pass
    optimizer.step()  # 4. update
    return loss.data


def train(
    net: MLP,
    optimizer: SGD | Adam,
    data: Moons,
    steps: int,
    batch_size: int,
    rng: random.Random,
    log_every: int = 0,
    keep_weights_at: Sequence[int] = (),
) -> History:
    """Train for ``steps`` minibatch steps; print a report every ``log_every`` steps."""
    history = History([], {})
    batches = minibatches(len(data.train_points), batch_size, rng)

    def checkpoint(step: int) -> None:
        if step in keep_weights_at:
            history.weights[step] = [p.data for p in net.parameters()]
        if log_every and (step % log_every == 0 or step == steps):
            print(report(net, data, step))

    checkpoint(0)
    for step in range(1, steps + 1):
        batch = next(batches)
        points = [data.train_points[i] for i in batch]
        labels = [data.train_labels[i] for i in batch]
        history.losses.append(training_step(net, optimizer, points, labels))
        checkpoint(step)
    return history


def report(net: MLP, data: Moons, step: int) -> str:
    """One line: the loss over all training points and both accuracies after ``step``."""
    loss = mean_loss(net, data.train_points, data.train_labels).data
    train_accuracy = accuracy(net, data.train_points, data.train_labels)
    test_accuracy = accuracy(net, data.test_points, data.test_labels)
    return (
        f"step {step:4d}  loss {loss:.4f}  train {train_accuracy:6.1%}  test {test_accuracy:6.1%}"
    )


def make_optimizer(
    name: str, params: Sequence[Value], lr: float, momentum: float, weight_decay: float
) -> SGD | Adam:
    """``SGD`` or ``Adam`` by name, as the command line chooses them."""
    if name == "adam":
        return Adam(params, lr=lr, weight_decay=weight_decay)
    return SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)


def describe(optimizer: SGD | Adam) -> str:
    """``SGD(lr=0.05, momentum=0.9)``: the optimizer's name, its learning rate and momentum."""
    momentum = getattr(optimizer, "momentum", 0.0)
    shown = f"lr={optimizer.lr:g}" + (f", momentum={momentum:g}" if momentum else "")
    return f"{type(optimizer).__name__}({shown})"


# -- Command line ----------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, checked before any training starts."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.train_moons", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--seed", type=integer, default=0, help="seed for the data, weights and batches (default 0)"
    )
    parser.add_argument(
        "--samples",
        type=int_at_least(2),  # one point per moon; then one trains and one tests
        default=600,
        metavar="N",
        help="points, at least 2 (default 600)",
    )
    parser.add_argument(
        "--noise",
        type=non_negative_float,
        default=0.15,
        metavar="SD",
        help="standard deviation of the noise on each coordinate (default 0.15)",
    )
    parser.add_argument(
        "--hidden",
        type=positive_int,
        nargs="*",
        default=[8, 8],
        metavar="SIZE",
        help="hidden layer sizes (default 8 8; none: no hidden layer)",
    )
    parser.add_argument(
        "--steps", type=positive_int, default=400, metavar="N", help="training steps (default 400)"
    )
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=16,
        metavar="N",
        help="training points per step (default 16)",
    )
    add_optimizer_options(parser, DEFAULT_LR, weight_decay=1e-4)
    parser.add_argument(
        "--log-every",
        type=non_negative_int,
        default=50,
        metavar="N",
        help="print the loss and accuracies this often (default 50; 0: never)",
    )
    parser.add_argument(
        "--plot", type=plot_path, metavar="PATH", help="save the final decision boundary"
    )
    parser.add_argument(
        "--snapshots",
        type=plot_path,
        metavar="PATH",
        help="save the boundary at several steps of training",
    )
    parser.add_argument(
        "--compare-optimizers",
        type=plot_path,
        metavar="PATH",
        help="train with SGD, SGD with momentum and Adam instead; plot their losses",
    )
    args = parser.parse_args(argv)
    chosen = (args.optimizer, args.lr, args.momentum)
    if args.compare_optimizers and any(option is not None for option in chosen):
        parser.error(
            "--compare-optimizers trains each optimizer with its defaults: "
            "leave out --optimizer, --lr and --momentum"
        )
    if args.compare_optimizers and (args.plot or args.snapshots):
        parser.error("--compare-optimizers draws its own plot: leave out --plot and --snapshots")
    paths = [path for path in (args.plot, args.snapshots, args.compare_optimizers) if path]
    if len({os.path.realpath(path) for path in paths}) < len(paths):
        parser.error("--plot and --snapshots need two different files")
    # Adam by default: on 600 points its test accuracy is at least 95% on each of seeds 0-9
    # (SGD with momentum on 300 points, the earlier default, stayed below it on three of
    # them); tests/test_moons_defaults.py checks the ten seeds.
    choose_optimizer(parser, args, DEFAULT_LR)
    return args


def setup(args: argparse.Namespace) -> tuple[Moons, MLP, random.Random]:
    """Data, network and the generator for the batches, all from ``--seed``."""
    rng = random.Random(args.seed)
    data = make_data(args.samples, args.noise, rng)
    net = MLP(2, [*args.hidden, 1], activation="relu", output_activation="linear", rng=rng)
    return data, net, rng


def compare_optimizers(args: argparse.Namespace) -> None:
    """Train the same network on the same batches with three optimizers; plot the losses."""
    curves = {}
    print(f"weight decay {args.weight_decay:g}, {args.steps} steps, batches of {args.batch_size}")
    print(f"{'optimizer':<28}{'final loss':>10}{'train':>8}{'test':>8}")
    for name, momentum in (("sgd", 0.0), ("sgd", 0.9), ("adam", 0.0)):
        data, net, rng = setup(args)
        optimizer = make_optimizer(
            name, net.parameters(), DEFAULT_LR[name], momentum, args.weight_decay
        )
        history = train(net, optimizer, data, args.steps, args.batch_size, rng)
        loss = mean_loss(net, data.train_points, data.train_labels).data
        train_accuracy = accuracy(net, data.train_points, data.train_labels)
        test_accuracy = accuracy(net, data.test_points, data.test_labels)
        print(f"{describe(optimizer):<28}{loss:>10.4f}{train_accuracy:>8.1%}{test_accuracy:>8.1%}")
        curves[describe(optimizer)] = history.losses
    title = f"Same network, same batches; weight decay {args.weight_decay:g}"
    ylabel = "minibatch loss (moving average)"
    # A log axis always: the three curves are compared on the same scale at any settings.
    plot_losses(
        curves, args.compare_optimizers, title, ylabel, first_step=1, smoothing=0.9, scale="log"
    )
    print(f"loss curves saved to {args.compare_optimizers}")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, train, print the results; return the exit status."""
    args = parse_args(argv)
    # Safe: our graphs have no reference cycles, so reference counting frees each step's.
    with gc_paused():
        if args.compare_optimizers:
            compare_optimizers(args)
            return 0
        data, net, rng = setup(args)
        optimizer = make_optimizer(
            args.optimizer, net.parameters(), args.lr, args.momentum, args.weight_decay
        )
        print(
            f"{args.samples} points: {len(data.train_points)} for training, "
            f"{len(data.test_points)} for testing; seed {args.seed}"
        )
        print(f"MLP(2, {[*args.hidden, 1]}): {len(net.parameters())} parameters")
        print(
            f"{describe(optimizer)}, weight decay {args.weight_decay:g}, "
            f"batches of {args.batch_size}"
        )
        history = train(
            net,
            optimizer,
            data,
            args.steps,
            args.batch_size,
            rng,
            args.log_every,
            keep_weights_at=(*SNAPSHOT_STEPS, args.steps) if args.snapshots else (),
        )
        train_accuracy = accuracy(net, data.train_points, data.train_labels)
        test_accuracy = accuracy(net, data.test_points, data.test_labels)
        if args.plot:
            title = f"After {args.steps} steps: test accuracy {test_accuracy:.1%}"
            plot_boundary(net, data, args.plot, title)
            print(f"decision boundary saved to {args.plot}")
        if args.snapshots:
            plot_snapshots(net, data, history.weights, args.snapshots)
            print(f"boundary at steps {sorted(history.weights)} saved to {args.snapshots}")
    print(f"final accuracy: train {train_accuracy:.1%}, test {test_accuracy:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
