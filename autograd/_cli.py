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
import shutil
from collections.abc import Callable
from pathlib import Path

from autograd.plots import require_matplotlib

#: The file types ``plot_path`` accepts: those every matplotlib since 3.8 saves, by extension.
PLOT_FORMATS = (
    ".eps", ".jpeg", ".jpg", ".pdf", ".pgf", ".png", ".ps", ".raw", ".rgba", ".svg", ".svgz",
    ".tif", ".tiff", ".webp",
)  # fmt: skip
#: Formats matplotlib writes only with the help of an outside program: .pgf measures its
#: text with LaTeX (``pgf.texsystem``, xelatex unless configured otherwise).
PROGRAM_NEEDED = {".pgf": "xelatex"}


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


def int_at_least(minimum: int) -> Callable[[str], int]:
    """The check for a whole number of at least ``minimum``, such as a number of points.

    >>> from autograd._cli import int_at_least
    >>> int_at_least(2)("1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be at least 2, got 1
    """

    def check(text: str) -> int:
        value = integer(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return check


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


def float_between(low: float, high: float) -> Callable[[str], float]:
    """The check for a finite real number from ``low`` to ``high``, both included.

    For an option whose useful values span a known range, such as the step of finite
    differences, where a value outside gives a wrong verdict rather than an error.

    >>> from autograd._cli import float_between
    >>> step = float_between(1e-8, 1e-4)
    >>> step("1e-6")
    1e-06
    >>> step("10")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be between 1e-08 and 0.0001, got 10.0
    """

    def check(text: str) -> float:
        value = finite_float(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}, got {value!r}")
        return value

    return check


def plot_path(text: str) -> str:
    """A file name to save a figure to, checked before any work is done.

    matplotlib must be installed; the extension must be one matplotlib can write on its own
    (:data:`PLOT_FORMATS`, and ``.pgf`` only where its LaTeX program is installed); the
    folder must already exist and be writable, and the name short enough for it; a file
    already there must be writable, and a symbolic link must point to something. Finding
    out after a long run, from a traceback, loses the run.

    >>> from autograd._cli import plot_path
    >>> plot_path("loss.png")
    'loss.png'
    >>> plot_path("loss.jpg2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 'loss.jpg2' has an unknown extension; use .png, .svg, .pdf...
    """
    try:
        require_matplotlib()
    except ModuleNotFoundError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    try:
        problem = _plot_path_problem(text)
    except OSError as error:  # e.g. a folder we may not look into
        problem = f"cannot use {text!r}: {error.strerror}"
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _plot_path_problem(text: str) -> str | None:
    # What is wrong with ``text`` as a place for a new picture, or None.
    path = Path(text)
    # First, before anything looks at the file: stat() on too long a name is an OSError.
    name_max = _name_max(path.parent)
    if len(os.fsencode(path.name)) > name_max:
        return (
            f"the file name is too long: {len(os.fsencode(path.name))} bytes, where the "
            f"folder's file system allows {name_max}"
        )
    if path.is_dir():
        return f"{text!r} is a folder; give a file name in it"
    suffix = path.suffix.lower()
    if suffix not in PLOT_FORMATS:
        common = (".png", ".svg", ".pdf")
        others = ", ".join(f for f in PLOT_FORMATS if f not in common)
        return f"{text!r} has an unknown extension; use {', '.join(common)} (or {others})"
    program = PROGRAM_NEEDED.get(suffix)
    if program and shutil.which(program) is None:
        return (
            f"matplotlib needs the program {program} to write {suffix} files, and it is not "
            "installed; use .png, .svg or .pdf"
        )
    if path.is_symlink():
        if not path.exists():
            return f"{text!r} is a symbolic link to '{os.readlink(path)}', which does not exist"
        path = Path(os.path.realpath(path))  # the plot goes where the link points
    folder = path.parent
    if not folder.is_dir():
        return f"folder '{folder}' does not exist; create it first"
    if not os.access(folder, os.W_OK):
        return f"cannot write to folder '{folder}'"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{text!r} exists and is read-only"
    return None


def _name_max(folder: Path) -> int:
    # The longest file name, in bytes, the folder's file system accepts (255 on Linux,
    # macOS and Windows file systems alike when the system cannot say).
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return 255


def add_optimizer_options(
    parser: argparse.ArgumentParser, default_lr: dict[str, float], weight_decay: float
) -> None:
    """``--optimizer``, ``--lr``, ``--momentum`` and ``--weight-decay``, as the training
    scripts take them; :func:`choose_optimizer` fills in the defaults after parsing.

    Parsing leaves ``None`` for an option not given, so that the defaults can depend on
    the optimizer and a ``--momentum`` given with Adam can be refused.
    """
    parser.add_argument("--optimizer", choices=("sgd", "adam"), help="(default adam)")
    parser.add_argument(
        "--lr",
        type=positive_float,
        metavar="RATE",
        help=f"learning rate (default {default_lr['sgd']:g} for sgd,"
        f" {default_lr['adam']:g} for adam)",
    )
    parser.add_argument(
        "--momentum", type=non_negative_float, metavar="M", help="momentum of sgd (default 0.9)"
    )
    parser.add_argument(
        "--weight-decay",
        type=non_negative_float,
        default=weight_decay,
        metavar="W",
        help=f"L2 penalty on every weight (default {weight_decay:g})",
    )


def choose_optimizer(
    parser: argparse.ArgumentParser, args: argparse.Namespace, default_lr: dict[str, float]
) -> None:
    """Refuse ``--momentum`` with Adam, then fill in the optimizer's defaults in ``args``."""
    if args.optimizer == "adam" and args.momentum is not None:
        parser.error("--momentum applies to --optimizer sgd only")
    if args.optimizer is None:
        args.optimizer = "adam"
    if args.lr is None:
        args.lr = default_lr[args.optimizer]
    if args.momentum is None:
        args.momentum = 0.9 if args.optimizer == "sgd" else 0.0
