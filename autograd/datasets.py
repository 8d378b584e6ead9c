"""The book's data sets, as plain Python lists: the four toy examples and the two moons.

``XS`` and ``YS`` are the four training examples of the training-loop chapter.
``make_moons`` draws the classic two interleaved half circles; ``train_test_split`` holds
some points back so that a trained network can be scored on points it never saw, and
``Moons`` keeps the two parts together. Both functions take an explicit ``random.Random``,
so the same seed always gives the same points.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real

#: Four inputs with three features each.
XS = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
#: The target output for each input in ``XS``.
YS = [1.0, -1.0, -1.0, 1.0]


@dataclass
class Moons:
    """The points of one run, split into training and test points; labels are 0 or 1."""

    #: The training points, each ``[x, y]``.
    train_points: list[list[float]]
    #: The class of each training point, 0 or 1.
    train_labels: list[int]
    #: The held-back points, each ``[x, y]``, never trained on.
    test_points: list[list[float]]
    #: The class of each test point, 0 or 1.
    test_labels: list[int]


def make_moons(n: int, noise: float, rng: random.Random) -> tuple[list[list[float]], list[int]]:
    """``n`` points on two interleaved half circles, with Gaussian noise; labels 0 and 1.

    Class 0 lies on the upper half of the unit circle around (0, 0); class 1 on the lower
    half of the unit circle around (1, 0.5), which reaches up into the first one's opening.
    The angles are evenly spaced along each half circle, as in scikit-learn's function of
    the same name; ``noise`` is the standard deviation added to each coordinate. Points
    come back in a shuffled order, as ``[x, y]`` lists with a parallel list of labels.
    ``n`` below 2 or a negative ``noise`` raises ValueError; a non-int ``n`` or an ``rng``
    that is not a ``random.Random`` raises TypeError.

    >>> import random
    >>> from autograd.datasets import make_moons
    >>> points, labels = make_moons(4, 0.0, random.Random(0))
    >>> sorted(zip(labels, [[round(c, 3) for c in p] for p in points]))
    [(0, [-1.0, 0.0]), (0, [1.0, 0.0]), (1, [0.0, 0.5]), (1, [2.0, 0.5])]
    """
    if not isinstance(n, Integral) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    n = int(n)
    if n < 2:
        raise ValueError(f"n must be at least 2 (one point per moon), got {n}")
    if not _is_real(noise) or not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")

    n_upper = n // 2
    n_lower = n - n_upper
    labelled = [([math.cos(t), math.sin(t)], 0) for t in _angles(n_upper)]
    labelled += [([1.0 - math.cos(t), 0.5 - math.sin(t)], 1) for t in _angles(n_lower)]
    rng.shuffle(labelled)
    points = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for (x, y), _ in labelled]
    return points, [label for _, label in labelled]


def train_test_split(
    points: Sequence[Sequence[float]],
    labels: Sequence[int],
    test_fraction: float,
    rng: random.Random,
) -> tuple[list[list[float]], list[list[float]], list[int], list[int]]:
    """Shuffle, then hold back ``test_fraction`` of the points for testing.

    Returns ``train_points, test_points, train_labels, test_labels``, the order of
    scikit-learn's function of the same name. Both parts get at least one point.
    ValueError when the lengths differ, there are fewer than 2 points, or ``test_fraction``
    is not strictly between 0 and 1.

    >>> import random
    >>> from autograd.datasets import train_test_split
    >>> train_points, test_points, train_labels, test_labels = train_test_split(
    ...     [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1], 0.25, random.Random(0))
    >>> len(train_points), len(test_points)
    (3, 1)
    >>> sorted(train_points + test_points)
    [[0.0], [1.0], [2.0], [3.0]]
    """
    if len(points) != len(labels):
        raise ValueError(f"{len(points)} points but {len(labels)} labels")
    if len(points) < 2:
        raise ValueError(f"need at least 2 points to split, got {len(points)}")
    if not _is_real(test_fraction) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")

    order = list(range(len(points)))
    rng.shuffle(order)
    n_test = min(max(round(len(points) * test_fraction), 1), len(points) - 1)
    test, train = order[:n_test], order[n_test:]
    return (
        [list(points[i]) for i in train],
        [list(points[i]) for i in test],
        [labels[i] for i in train],
        [labels[i] for i in test],
    )


def _angles(count: int) -> list[float]:
    # Evenly spaced from 0 to pi, both ends included; a single point sits at angle 0.
    if count == 1:
        return [0.0]
    return [math.pi * i / (count - 1) for i in range(count)]


def _is_real(x: object) -> bool:
    # Any real number (a NumPy scalar too), but not a bool.
    return isinstance(x, Real) and not isinstance(x, bool)
