"""datasets: the moons lie where the geometry says, the noise has its size, splits partition."""

from __future__ import annotations

import math
import random

import pytest

from autograd.datasets import make_moons, train_test_split


def test_counts_and_labels() -> None:
    points, labels = make_moons(7, 0.1, random.Random(0))
    assert len(points) == len(labels) == 7
    assert labels.count(0) == 3 and labels.count(1) == 4
    assert all(len(p) == 2 and all(isinstance(c, float) for c in p) for p in points)


def test_without_noise_the_points_lie_on_the_two_half_circles() -> None:
    points, labels = make_moons(50, 0.0, random.Random(1))
    for (x, y), label in zip(points, labels):
        if label == 0:  # upper half of the unit circle around (0, 0)
            assert math.hypot(x, y) == pytest.approx(1.0, abs=1e-12)
            assert y >= -1e-12
        else:  # lower half of the unit circle around (1, 0.5)
            assert math.hypot(x - 1.0, y - 0.5) == pytest.approx(1.0, abs=1e-12)
            assert y <= 0.5 + 1e-12


def test_without_noise_the_angles_are_evenly_spaced_from_0_to_pi() -> None:
    points, labels = make_moons(10, 0.0, random.Random(2))
    upper = sorted(math.atan2(y, x) for (x, y), label in zip(points, labels) if label == 0)
    assert upper == pytest.approx([math.pi * i / 4 for i in range(5)], abs=1e-12)


def test_noise_is_gaussian_with_the_given_standard_deviation() -> None:
    # Across the circle, the distance to it is one coordinate of 2-D isotropic noise: its
    # mean square is noise ** 2 (for noise much smaller than the radius).
    noise = 0.05
    points, labels = make_moons(4000, noise, random.Random(3))
    residuals = [
        math.hypot(x, y) - 1.0 if label == 0 else math.hypot(x - 1.0, y - 0.5) - 1.0
        for (x, y), label in zip(points, labels)
    ]
    mean = sum(residuals) / len(residuals)
    mean_square = sum(r * r for r in residuals) / len(residuals)
    assert abs(mean) < 0.01
    assert math.sqrt(mean_square) == pytest.approx(noise, rel=0.1)


def test_shuffled_so_the_classes_are_mixed() -> None:
    _, labels = make_moons(100, 0.1, random.Random(4))
    assert labels[:50] != [0] * 50


def test_same_seed_same_points_other_seed_other_points() -> None:
    assert make_moons(20, 0.1, random.Random(5)) == make_moons(20, 0.1, random.Random(5))
    assert make_moons(20, 0.1, random.Random(5)) != make_moons(20, 0.1, random.Random(6))


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((1, 0.1, random.Random(0)), ValueError),
        ((0, 0.1, random.Random(0)), ValueError),
        ((10.0, 0.1, random.Random(0)), TypeError),
        ((True, 0.1, random.Random(0)), TypeError),
        ((10, -0.1, random.Random(0)), ValueError),
        ((10, math.nan, random.Random(0)), ValueError),
        ((10, math.inf, random.Random(0)), ValueError),
        ((10, 0.1, None), TypeError),
        ((10, 0.1, 0), TypeError),
    ],
)
def test_bad_arguments_are_clear_errors(args, error) -> None:
    with pytest.raises(error, match="n must|noise must|rng must"):
        make_moons(*args)


def test_split_is_a_partition_that_keeps_points_and_labels_together() -> None:
    points = [[float(i), float(-i)] for i in range(30)]
    labels = [i % 2 for i in range(30)]
    train_points, test_points, train_labels, test_labels = train_test_split(
        points, labels, 1 / 3, random.Random(0)
    )
    assert len(test_points) == len(test_labels) == 10
    assert len(train_points) == len(train_labels) == 20
    assert sorted(train_points + test_points) == sorted(points)
    for p, y in zip(train_points + test_points, train_labels + test_labels):
        assert y == int(p[0]) % 2
    # The test points are a random draw, not the first or last ten.
    assert sorted(int(p[0]) for p in test_points) not in (list(range(10)), list(range(20, 30)))


def test_split_is_seeded() -> None:
    points, labels = [[float(i)] for i in range(10)], [0] * 10
    assert train_test_split(points, labels, 0.3, random.Random(1)) == train_test_split(
        points, labels, 0.3, random.Random(1)
    )
    assert train_test_split(points, labels, 0.3, random.Random(1)) != train_test_split(
        points, labels, 0.3, random.Random(2)
    )


def test_split_leaves_at_least_one_point_on_each_side() -> None:
    train_points, test_points, _, _ = train_test_split(
        [[0.0], [1.0]], [0, 1], 0.01, random.Random(0)
    )
    assert len(train_points) == len(test_points) == 1


@pytest.mark.parametrize(
    ("points", "labels", "fraction", "rng", "error"),
    [
        ([[0.0], [1.0]], [0], 0.5, random.Random(0), ValueError),
        ([[0.0]], [0], 0.5, random.Random(0), ValueError),
        ([[0.0], [1.0]], [0, 1], 0.0, random.Random(0), ValueError),
        ([[0.0], [1.0]], [0, 1], 1.0, random.Random(0), ValueError),
        ([[0.0], [1.0]], [0, 1], 0.5, None, TypeError),
    ],
)
def test_bad_split_arguments_are_clear_errors(points, labels, fraction, rng, error) -> None:
    with pytest.raises(error, match="labels|at least 2|test_fraction|rng must"):
        train_test_split(points, labels, fraction, rng)


def test_numpy_numbers_are_accepted_like_ints_and_floats():
    np = pytest.importorskip("numpy")
    import random

    points, labels = make_moons(np.int64(10), np.float32(0.1), random.Random(0))
    assert len(points) == len(labels) == 10
    with pytest.raises(ValueError, match="noise"):
        make_moons(10, True, random.Random(0))
