"""The two-moons defaults generalize for every seed, not for one lucky one.

The README and docs/two-moons.md promise that ``python -m autograd.train_moons`` gets at
least 95% of the test points right. A claim about a random experiment has to hold beyond
the seed it was tried on: this trains the default run for each of the seeds 0 to 9 and
requires at least 95% on nine of them and at least 93% on all ten. (With the earlier
defaults, SGD with momentum on 300 points, seeds 1, 4 and 6 gave 93%, 94% and 88%.)
It takes a minute of CPU time, marked ``slow``; ``make test`` and CI run it all the same.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from autograd import train_moons

SEEDS = range(10)


def final_test_accuracy(seed: int) -> float:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = train_moons.main(["--seed", str(seed), "--log-every", "0"])
    assert status == 0
    last = out.getvalue().splitlines()[-1]
    # "final accuracy: train 98.5%, test 96.0%"
    assert last.startswith("final accuracy: train "), last
    return float(last.rpartition("test ")[2].removesuffix("%"))


@pytest.mark.slow
def test_the_defaults_reach_95_percent_on_nine_seeds_of_ten_and_93_on_all() -> None:
    accuracies = {seed: final_test_accuracy(seed) for seed in SEEDS}
    assert sum(accuracy >= 95.0 for accuracy in accuracies.values()) >= 9, accuracies
    assert min(accuracies.values()) >= 93.0, accuracies
