"""The two-moons chapter's weight-decay comparison: the default run with four amounts of L2.

docs/two-moons.md runs it while the book builds (``python -m docs.examples.moons_weight_decay``,
through the ``run-module`` directive): four full trainings take several seconds, too long
for an example that a reader runs in the page, where it would freeze the tab.
"""

from __future__ import annotations

import sys

from autograd.collector import gc_paused
from autograd.train_moons import accuracy, make_optimizer, parse_args, setup, train


def main() -> int:
    """Train the default run with four amounts of weight decay; print weights and accuracy."""
    for weight_decay in (0.0, 0.0001, 0.01, 0.05):
        args = parse_args(["--weight-decay", str(weight_decay)])  # the defaults otherwise
        data, net, rng = setup(args)
        optimizer = make_optimizer(
            args.optimizer, net.parameters(), args.lr, args.momentum, args.weight_decay
        )
        with gc_paused():
            train(net, optimizer, data, args.steps, args.batch_size, rng)
        size = sum(p.data**2 for p in net.parameters())
        test = accuracy(net, data.test_points, data.test_labels)
        print(f"weight decay {weight_decay}: squared weights {size:.2f}, test {test:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
