"""Checks for the scripts' command-line options, shared by every script in the package.

Each function is an argparse ``type=``: it turns the option's text into a value or raises
:class:`argparse.ArgumentTypeError` with a short reason. argparse then prints the usage and
one ``error: argument --lr: ...`` line and exits with status 2, before any work starts,
instead of a traceback after it (or, worse, a run that quietly trains on ``nan``).

>>> import argparse
>>> from autograd._cli import positive_int, positive_float
>>> parser = argparse.ArgumentParser(prog="demo")
>>> _ = parser.add_argument("--steps", type=positive_int, default=10)
>>> _ = parser.add_argument("--lr", type=positive_float, default=0.1)
>>> parser.parse_args(["--steps", "3", "--lr", "0.5"])
Namespace(steps=3, lr=0.5)
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

#: The file types ``plot_path`` accepts: those every matplotlib since 3.8 saves, by extension.
PLOT_FORMATS = (
    ".eps", ".jpeg", ".jpg", ".pdf", ".pgf", ".png", ".ps", ".raw", ".rgba", ".svg", ".svgz",
    ".tif", ".tiff", ".webp",
)  # fmt: skip


def integer(text: str) -> int:
    """Any whole number, written in decimal.

    >>> from autograd._cli import integer
    >>> integer("-3")
    -3
    >>> integer("2.5")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number, got '2.5'
    """
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_int(text: str) -> int:
    """A whole number of at least 1, such as a number of steps.

    >>> from autograd._cli import positive_int
    >>> positive_int("60")
    60
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be at least 1, got 0
    """
    value = integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    """A whole number of at least 0, where 0 means "never" or "none".

    >>> from autograd._cli import non_negative_int
    >>> non_negative_int("0")
    0
    >>> non_negative_int("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be 0 or more, got -1
    """
    value = integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def finite_float(text: str) -> float:
    """A real number that is neither infinite nor "not a number".

    Python's ``float()`` accepts ``inf`` and ``nan``; a learning rate of either would turn
    every weight into nan on the first update, with no error.

    >>> from autograd._cli import finite_float
    >>> finite_float("-0.5")
    -0.5
    >>> finite_float("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a finite number, got 'nan'
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def non_negative_float(text: str) -> float:
    """A finite real number of at least 0, such as a momentum or a weight decay.

    >>> from autograd._cli import non_negative_float
    >>> non_negative_float("0")
    0.0
    >>> non_negative_float("-0.1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be 0 or more, got -0.1
    """
    value = finite_float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value!r}")
    return value


def positive_float(text: str) -> float:
    """A finite real number greater than 0, such as a learning rate.

    >>> from autograd._cli import positive_float
    >>> positive_float("1e-3")
    0.001
    >>> positive_float("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be greater than 0, got 0.0
    """
    value = finite_float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {value!r}")
    return value


def plot_path(text: str) -> str:
    """A file name to save a figure to, checked before any work is done.

    The extension must be one matplotlib can write (:data:`PLOT_FORMATS`), and the folder
    must already exist and be writable: finding out after a long run, from a traceback,
    loses the run.

    >>> from autograd._cli import plot_path
    >>> plot_path("loss.png")
    'loss.png'
    >>> plot_path("loss.jpg2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 'loss.jpg2' has an unknown extension; use .png, .svg, .pdf...
    """
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give a file name in it")
    if path.suffix.lower() not in PLOT_FORMATS:
        common = (".png", ".svg", ".pdf")
        others = ", ".join(f for f in PLOT_FORMATS if f not in common)
        raise argparse.ArgumentTypeError(
            f"{text!r} has an unknown extension; use {', '.join(common)} (or {others})"
        )
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"folder '{folder}' does not exist; create it first")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write to folder '{folder}'")
    return text
