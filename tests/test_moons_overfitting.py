"""More data helps on every seed: the claim of docs/two-moons.md's Exercise 3.

The exercise trains the same network on 6 and on 100 noisy moons points (noise 0.3, 40
steps of Adam at 0.1) and scores both on the same 200 fresh points. The page prints seed 0
and says that on each of the seeds 0 to 9 the test accuracy after 100 points is higher
than after 6, and that the sign of overfitting is the gap between training and test
accuracy. This checks both on the ten seeds, with the exercise's own code path (about 5 s).
"""

from __future__ import annotations

import random

from autograd.collector import gc_paused
from autograd.datasets import Moons, make_moons
from autograd.nn import MLP
from autograd.optim import Adam
from autograd.train_moons import accuracy, train

SEEDS = range(10)
FRESH_POINTS, FRESH_LABELS = make_moons(200, 0.3, random.Random(1))


def accuracies(n: int, seed: int) -> tuple[float, float]:
    """Training and test accuracy of the exercise's run on ``n`` points."""
    rng = random.Random(seed)
    points, labels = make_moons(n, 0.3, rng)
    data = Moons(points, labels, FRESH_POINTS, FRESH_LABELS)
    net = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", rng=rng)
    with gc_paused():
        train(net, Adam(net.parameters(), lr=0.1), data, 40, 16, rng)
    return accuracy(net, points, labels), accuracy(net, FRESH_POINTS, FRESH_LABELS)


def test_more_data_gives_a_higher_test_accuracy_on_every_seed() -> None:
    few = {seed: accuracies(6, seed) for seed in SEEDS}
    many = {seed: accuracies(100, seed) for seed in SEEDS}
    for seed in SEEDS:
        assert many[seed][1] > few[seed][1], (seed, few[seed], many[seed])
    # The gap between training and test accuracy is the larger one with 6 points.
    gap_few = sum(train - test for train, test in few.values()) / len(SEEDS)
    gap_many = sum(train - test for train, test in many.values()) / len(SEEDS)
    assert gap_few > gap_many + 0.2, (gap_few, gap_many)
