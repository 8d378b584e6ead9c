"""Train an MLP of Tensors on real handwritten digits, and test it on digits it never saw.

Run it with ``python -m autograd.train_digits`` (``--help`` lists the options). The data are
the 1,797 8x8 grey-level images of handwritten digits that ship inside scikit-learn
(``sklearn.datasets.load_digits``, from the UCI "Optical Recognition of Handwritten Digits"
set; nothing is downloaded). A quarter of them, chosen at random, are kept for testing. The
network is trained in minibatches with the cross-entropy loss and an optimizer from
:mod:`autograd.optim`, the same code that trains the scalar networks. The script prints the
loss and the accuracy on the training and the test digits after each epoch; ``--plot-*``
options save pictures of the data, the curves, the confusion matrix and the mistakes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from autograd._cli import (
    add_optimizer_options,
    choose_optimizer,
    integer,
    plot_path,
    positive_float,
    positive_int,
)
from autograd.engine import no_grad
from autograd.optim import SGD, Adam
from autograd.tensor import Array, Tensor
from autograd.tensor_nn import TensorMLP, cross_entropy

#: An array of class labels, the digits 0 to 9 (images are :data:`autograd.tensor.Array`).
Labels = NDArray[np.int64]

#: A confusion matrix: ``matrix[true, predicted]`` counts the images with that answer.
Counts = NDArray[np.int64]

#: The learning rate each optimizer gets unless ``--lr`` says otherwise.
DEFAULT_LR = {"sgd": 0.1, "adam": 0.003}


@dataclass
class Digits:
    """The images of one run, one row of 64 pixels each, and their labels 0-9.

    Pixels are in [0, 1] as :func:`load_data` returns them; :func:`standardize` returns
    a new ``Digits`` whose pixels are centred and scaled instead.
    """

    #: The training images, one row of 64 pixels each.
    train_images: Array
    #: The digit each training image shows.
    train_labels: Labels
    #: The held-back images, never trained on.
    test_images: Array
    #: The digit each test image shows.
    test_labels: Labels


@dataclass
class History:
    """Each step's minibatch loss, and after each epoch the accuracies (epoch 0 included)."""

    #: The loss of each minibatch step, measured before its update.
    losses: list[float] = field(default_factory=list)
    #: The accuracy on the training images before the first epoch and after each one.
    train_accuracy: list[float] = field(default_factory=list)
    #: The same on the test images.
    test_accuracy: list[float] = field(default_factory=list)


def load_data(test_fraction: float, rng: np.random.Generator) -> Digits:
    """scikit-learn's 1,797 digits, pixels scaled to [0, 1], split at random."""
    from sklearn.datasets import load_digits  # imported here: only this function needs it

    digits = load_digits()
    images = digits.data / 16.0  # grey levels 0-16
    labels = digits.target.astype(np.int64)
    order = rng.permutation(len(labels))
    n_test = round(len(labels) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return Digits(images[train], labels[train], images[test], labels[test])


def standardize(data: Digits) -> Digits:
    """Each pixel centred on its training mean and scaled by its training spread.

    Only the training images are measured, so nothing about the test images leaks into
    training. The spread gets 0.1 added because some border pixels are blank in almost
    every image: dividing by their tiny spread would blow up the rare stroke that reaches
    them.
    """
    mean = data.train_images.mean(axis=0)
    spread = data.train_images.std(axis=0) + 0.1
    return Digits(
        (data.train_images - mean) / spread,
        data.train_labels,
        (data.test_images - mean) / spread,
        data.test_labels,
    )


def predict(net: TensorMLP, images: Array) -> Labels:
    """The class with the largest logit for each image; no graph is built."""
    with no_grad():
        return net(Tensor(images)).data.argmax(axis=1)


def accuracy(net: TensorMLP, images: Array, labels: Labels) -> float:
    """The fraction of images whose digit the network gets right."""
    return float((predict(net, images) == labels).mean())


def training_step(net: TensorMLP, optimizer: SGD | Adam, images: Array, labels: Labels) -> float:
    """One step of the training loop on one minibatch; returns the batch's loss."""
    loss = cross_entropy(net(Tensor(images)), labels)  # 1. forward pass
    optimizer.zero_grad()  # 2. zero the gradients
    loss.backward()  # 3. backward pass
    optimizer.step()  # 4. update
    return float(loss.data)


def train(
    net: TensorMLP,
    optimizer: SGD | Adam,
    data: Digits,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator,
    log: bool = True,
) -> History:
    """Train for ``epochs`` passes over the training images, each in a new random order."""
    history = History()

    def checkpoint(epoch: int) -> None:
        history.train_accuracy.append(accuracy(net, data.train_images, data.train_labels))
        history.test_accuracy.append(accuracy(net, data.test_images, data.test_labels))
        if log:
            with no_grad():
                loss = cross_entropy(net(Tensor(data.train_images)), data.train_labels)
            print(
                f"epoch {epoch:3d}  loss {float(loss.data):.4f}"
                f"  train {history.train_accuracy[-1]:6.1%}  test {history.test_accuracy[-1]:6.1%}"
            )

    checkpoint(0)
    n = len(data.train_labels)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            loss = training_step(net, optimizer, data.train_images[batch], data.train_labels[batch])
            history.losses.append(loss)
        checkpoint(epoch)
    return history


def confusion_matrix(labels: Labels, predictions: Labels, classes: int = 10) -> Counts:
    """``matrix[true, predicted]``: how many images of each digit got each answer.

    >>> import numpy as np
    >>> from autograd.train_digits import confusion_matrix
    >>> confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), classes=2)
    array([[1, 0],
           [1, 1]])
    """
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix


# -- Pictures --------------------------------------------------------------------------


def plot_samples(data: Digits, path: str) -> None:
    """Save the first training images of each digit, one row per digit (pixels in [0, 1])."""
    plt = _pyplot()
    per_digit = 8
    fig, axes = plt.subplots(10, per_digit, figsize=(per_digit * 0.7, 10 * 0.7))
    for digit in range(10):
        images = data.train_images[data.train_labels == digit][:per_digit]
        for ax, image in zip(axes[digit], images):
            ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        for ax in axes[digit]:
            ax.set(xticks=[], yticks=[])
        axes[digit][0].set_ylabel(str(digit), rotation=0, labelpad=10, fontsize="large")
    fig.suptitle("Training images, 8 x 8 pixels, by label")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def plot_curves(history: History, steps_per_epoch: int, path: str) -> None:
    """Save the minibatch loss over the steps and the accuracies after each epoch."""
    plt = _pyplot()
    fig, (loss_ax, accuracy_ax) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
    steps = np.arange(1, len(history.losses) + 1)
    loss_ax.plot(steps / steps_per_epoch, history.losses, linewidth=0.8)
    loss_ax.set(yscale="log", xlabel="epoch", ylabel="minibatch cross-entropy", title="Loss")
    loss_ax.grid(True, which="both", alpha=0.3)
    epochs = range(len(history.train_accuracy))
    accuracy_ax.plot(epochs, np.array(history.train_accuracy) * 100, "-", label="training")
    accuracy_ax.plot(epochs, np.array(history.test_accuracy) * 100, "--", label="test")
    accuracy_ax.set(ylim=(80, 100.5), xlabel="epoch", ylabel="accuracy (%)")
    accuracy_ax.set_title("Accuracy (from 80%)")
    accuracy_ax.grid(True, alpha=0.3)
    accuracy_ax.legend(loc="lower right")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_confusion(matrix: Counts, path: str) -> None:
    """Save the test set's confusion matrix, with the count written in every cell."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.2, 4.6), layout="constrained")
    ax.imshow(matrix, cmap="Blues")
    for true in range(10):
        for guess in range(10):
            count = matrix[true, guess]
            if count:
                colour = "white" if count > matrix.max() / 2 else "black"
                ax.text(guess, true, str(count), ha="center", va="center", color=colour)
    ax.set(xticks=range(10), yticks=range(10))
    ax.set(xlabel="the network's answer", ylabel="the true digit")
    ax.set_title("Test digits: off the diagonal are the mistakes")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_mistakes(
    images: Array,
    labels: Labels,
    predictions: Labels,
    path: str,
) -> None:
    """Save every misclassified test image with the true digit and the network's answer.

    ``images`` are pixels in [0, 1], as :func:`load_data` returns them, not standardized.
    """
    plt = _pyplot()
    wrong = np.flatnonzero(predictions != labels)
    columns = 8
    rows = max(1, -(-len(wrong) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 0.95, rows * 1.2), squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, i in zip(axes.flat, wrong):
        ax.imshow(images[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{labels[i]} as {predictions[i]}", fontsize="medium")
    fig.suptitle(f"The {len(wrong)} test digits it gets wrong: true digit as answer")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # draw to a file; there may be no screen
    import matplotlib.pyplot as plt

    return plt


# -- Command line ----------------------------------------------------------------------


def fraction(text: str) -> float:
    """A number strictly between 0 and 1, such as the share of images kept for testing."""
    value = positive_float(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"must be below 1, got {value:g}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, checked before any training starts."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.train_digits", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--seed",
        type=integer,
        default=0,
        help="seed for the split, weights and batches (default 0)",
    )
    parser.add_argument(
        "--test-fraction",
        type=fraction,
        default=0.25,
        metavar="F",
        help="share of the images kept for testing (default 0.25)",
    )
    parser.add_argument(
        "--hidden",
        type=positive_int,
        nargs="*",
        default=[128],
        metavar="SIZE",
        help="hidden layer sizes (default 128; none: no hidden layer)",
    )
    parser.add_argument(
        "--epochs",
        type=positive_int,
        default=30,
        metavar="N",
        help="passes over the data (default 30)",
    )
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=32,
        metavar="N",
        help="training images per step (default 32)",
    )
    add_optimizer_options(parser, DEFAULT_LR, weight_decay=1e-3)
    parser.add_argument("--quiet", action="store_true", help="print only the last line")
    parser.add_argument(
        "--plot-samples", type=plot_path, metavar="PATH", help="save sample training images"
    )
    parser.add_argument(
        "--plot-curves", type=plot_path, metavar="PATH", help="save the loss and accuracy curves"
    )
    parser.add_argument(
        "--plot-confusion", type=plot_path, metavar="PATH", help="save the test confusion matrix"
    )
    parser.add_argument(
        "--plot-mistakes", type=plot_path, metavar="PATH", help="save the misclassified test digits"
    )
    args = parser.parse_args(argv)
    choose_optimizer(parser, args, DEFAULT_LR)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, train, print the results; return the exit status."""
    args = parse_args(argv)
    # One BLAS thread: at these sizes a second thread costs more CPU time than it saves
    # (benchmarks/RESULTS.md).
    with threadpool_limits(1):
        return run(args)


def fit(args: argparse.Namespace) -> tuple[Digits, Digits, TensorMLP, History]:
    """The images as loaded and standardized, the network, its history: the script's run."""
    rng = np.random.default_rng(args.seed)
    raw = load_data(args.test_fraction, rng)
    data = standardize(raw)
    net = TensorMLP(64, [*args.hidden, 10], rng)
    # optim's hints say Value, the scalar engine's; its arithmetic works on arrays as well.
    parameters: list[Any] = net.parameters()
    if args.optimizer == "adam":
        optimizer: SGD | Adam = Adam(parameters, lr=args.lr, weight_decay=args.weight_decay)
    else:
        optimizer = SGD(
            parameters, lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay
        )
    if not args.quiet:
        print(
            f"{len(data.train_labels) + len(data.test_labels)} digits: "
            f"{len(data.train_labels)} for training, {len(data.test_labels)} for testing;"
            f" seed {args.seed}"
        )
        sizes = [64, *args.hidden, 10]
        count = sum(p.data.size for p in net.parameters())
        print(f"TensorMLP({sizes[0]}, {sizes[1:]}): {count} parameters")
        print(
            f"{type(optimizer).__name__}(lr={args.lr:g}), weight decay {args.weight_decay:g},"
            f" batches of {args.batch_size}"
        )
    history = train(net, optimizer, data, args.epochs, args.batch_size, rng, log=not args.quiet)
    return raw, data, net, history


def run(args: argparse.Namespace) -> int:
    """Train and report as the options say."""
    raw, data, net, history = fit(args)
    if args.plot_samples:
        plot_samples(raw, args.plot_samples)
    predictions = predict(net, data.test_images)
    if args.plot_curves:
        steps_per_epoch = -(-len(data.train_labels) // args.batch_size)
        plot_curves(history, steps_per_epoch, args.plot_curves)
    if args.plot_confusion:
        plot_confusion(confusion_matrix(data.test_labels, predictions), args.plot_confusion)
    if args.plot_mistakes:
        plot_mistakes(raw.test_images, raw.test_labels, predictions, args.plot_mistakes)
    train_accuracy, test_accuracy = history.train_accuracy[-1], history.test_accuracy[-1]
    print(f"final accuracy: train {train_accuracy:.1%}, test {test_accuracy:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
