"""Pictures of a training run, saved to files with matplotlib: loss curves and boundaries.

matplotlib is optional: :func:`require_matplotlib` is the one place that says it is
missing, and the scripts call it (through ``autograd._cli.plot_path``) while they read
their options, before any training. Every figure is written by :func:`save_figure`, to a
temporary file that is renamed at the end, so an interrupted run never leaves half a
picture behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from autograd.datasets import Moons
from autograd.nn import MLP

#: What the scripts print (after ``error: argument --plot:``) when matplotlib is missing.
MATPLOTLIB_MISSING = "needs matplotlib: pip install matplotlib"

#: A loss curve gets a logarithmic axis only when its values span more than this factor
#: (one decade): then the slow end of training stays visible. Over a smaller range a log
#: axis only makes the ticks hard to read.
LOG_AXIS_MIN_RATIO = 10.0


def require_matplotlib() -> None:
    """Raise :class:`ModuleNotFoundError` with an install hint if matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ModuleNotFoundError(MATPLOTLIB_MISSING, name="matplotlib") from None


def loss_axis_scale(losses: Sequence[float]) -> str:
    """``"log"`` if the losses span more than one decade (all positive), else ``"linear"``.

    >>> from autograd.plots import loss_axis_scale
    >>> loss_axis_scale([5.3, 0.9, 0.1, 0.005])
    'log'
    >>> loss_axis_scale([3.6, 7.9, 1.0, 7.9])
    'linear'
    """
    low, high = min(losses), max(losses)
    return "log" if low > 0 and high / low > LOG_AXIS_MIN_RATIO else "linear"


def plot_losses(
    curves: Mapping[str, Sequence[float]],
    path: str,
    title: str,
    ylabel: str = "loss",
    first_step: int = 0,
    smoothing: float = 0.0,
    scale: str | None = None,
) -> None:
    """Save one or more loss curves, named by ``curves``' keys, on one plot.

    Curve k's point i is drawn at step ``first_step + i``. With ``smoothing`` > 0 each
    curve is shown as an exponential moving average with that weight (0.9: about the last
    ten values), which makes noisy minibatch losses readable. The loss axis is ``scale``
    (``"log"`` or ``"linear"``); by default it is logarithmic when the curves span more
    than a decade (:func:`loss_axis_scale`), linear from 0 otherwise. A legend appears
    when there is more than one curve.
    """
    if scale not in (None, "log", "linear"):
        raise ValueError(f"scale must be 'log', 'linear' or None, got {scale!r}")
    plt = _pyplot()
    from matplotlib.ticker import LogLocator, NullFormatter

    shown = {name: _smoothed(losses, smoothing) for name, losses in curves.items()}
    fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    for (name, losses), style in zip(shown.items(), ("-", "--", ":", "-.")):
        steps = range(first_step, first_step + len(losses))
        ax.plot(steps, losses, style, linewidth=2 if len(shown) > 1 else 1.5, label=name)
    if scale is None:
        scale = loss_axis_scale([loss for losses in shown.values() for loss in losses])
    ax.set_yscale(scale)
    if scale == "log":
        # Plain numbers at 1, 2 and 5 times each power of ten, instead of powers of ten.
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter("{x:g}")
        ax.yaxis.set_minor_formatter(NullFormatter())
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel + (", log scale" if scale == "log" else ""))
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    if len(shown) > 1:
        ax.legend()
    save_figure(fig, path)


def draw_boundary(ax: Any, net: MLP, data: Moons, grid: int, points: bool = True) -> None:
    """Fill ``ax`` with the network's probability of class 1 over the plane; add the points."""
    plt = _pyplot()
    everything = data.train_points + data.test_points
    xs = [p[0] for p in everything]
    ys = [p[1] for p in everything]
    x_low, x_high = min(xs) - 0.4, max(xs) + 0.4
    y_low, y_high = min(ys) - 0.4, max(ys) + 0.4
    grid_x = [x_low + (x_high - x_low) * i / (grid - 1) for i in range(grid)]
    grid_y = [y_low + (y_high - y_low) * j / (grid - 1) for j in range(grid)]
    probability = [[net([x, y]).sigmoid().data for x in grid_x] for y in grid_y]

    levels = [i / 10 for i in range(11)]
    ax.contourf(grid_x, grid_y, probability, levels=levels, cmap=plt.cm.RdBu_r, alpha=0.55)
    ax.contour(grid_x, grid_y, probability, levels=[0.5], colors="black", linewidths=1.5)
    if points:
        for label, colour, marker in ((0, "#1f5fa8", "o"), (1, "#c2301f", "^")):
            train = [p for p, y in zip(data.train_points, data.train_labels) if y == label]
            test = [p for p, y in zip(data.test_points, data.test_labels) if y == label]
            ax.scatter(
                *zip(*train),
                s=18,
                c=colour,
                marker=marker,
                edgecolors="white",
                linewidths=0.5,
                label=f"class {label}, training",
            )
            ax.scatter(
                *zip(*test),
                s=22,
                facecolors="white",
                marker=marker,
                edgecolors=colour,
                linewidths=1.3,
                label=f"class {label}, test",
            )
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_aspect("equal")


def plot_boundary(net: MLP, data: Moons, path: str, title: str) -> None:
    """Save the decision boundary with the training and test points."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
    draw_boundary(ax, net, data, grid=60)
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    save_figure(fig, path)


def plot_snapshots(
    net: MLP, data: Moons, weights: Mapping[int, Sequence[float]], path: str
) -> None:
    """Save the boundary after each recorded step, side by side.

    ``weights`` maps a step to every parameter's value after it; the network's parameters
    are set to each in turn (and left at the last one).
    """
    plt = _pyplot()
    steps = sorted(weights)
    columns = 2  # two across stay legible on a phone
    rows = -(-len(steps) // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(7, 2.5 * rows), layout="constrained", squeeze=False
    )
    for ax, step in zip(axes.flat, steps):
        for p, value in zip(net.parameters(), weights[step], strict=True):
            p.data = value
        draw_boundary(ax, net, data, grid=40)
        ax.set_title(f"after {step} steps", fontsize="large")
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes.flat[len(steps) :]:
        ax.set_visible(False)
    save_figure(fig, path)


def save_figure(fig: Any, path: str) -> None:
    """Write ``fig`` to ``path`` (the format from its extension), whole or not at all.

    matplotlib writes into a temporary file beside the target, which then replaces the
    target in one step: a run stopped while saving (Ctrl-C, a full disk) leaves the old
    file, or none, never a truncated picture. The figure is closed afterwards.
    """
    plt = _pyplot()
    target = Path(os.path.realpath(path))  # through a symbolic link, to the file it names
    # A short temporary name, so that any name that fits the folder fits here too.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".plot-", suffix=target.suffix)
    os.close(handle)
    try:
        fig.savefig(temporary, dpi=120, format=target.suffix[1:].lower())
        os.chmod(temporary, _new_file_mode(target))
        os.replace(temporary, target)
    finally:
        plt.close(fig)
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)


def _new_file_mode(target: Path) -> int:
    # mkstemp makes a private (0600) file; give the picture the mode that the file it
    # replaces had, or that a new file gets under the current umask.
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _pyplot() -> Any:
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")  # draw to a file; there may be no screen
    import matplotlib.pyplot as plt

    return plt


def _smoothed(values: Sequence[float], weight: float) -> list[float]:
    # An exponential moving average, corrected at the start like Adam's, so it starts on
    # the first value instead of near 0. A weight of 0 gives the values back.
    out, average = [], 0.0
    for i, value in enumerate(values, start=1):
        average = weight * average + (1 - weight) * value
        out.append(average / (1 - weight**i))
    return out
