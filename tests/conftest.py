"""Shared test settings: a reproducible Hypothesis profile and quiet torch imports."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# tests/browser/ drives Chromium over the built book (minutes): `make browser` runs it after
# `make html`; the default `pytest` run stays fast.
collect_ignore = ["browser"]

# derandomize=True makes every run draw the same examples, so a CI failure reproduces
# locally; deadline=None because a graph of a dozen nodes plus a torch call can be slow
# on a loaded machine without being wrong. HYPOTHESIS_PROFILE=explore turns the
# randomness back on for a longer local search.
settings.register_profile(
    "ci",
    max_examples=400,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config):
    # The pinned CPU torch wheel warns on import when numpy is absent; numpy is not needed
    # for these tests, so the warning is noise in every report.
    config.addinivalue_line("filterwarnings", "ignore:Failed to initialize NumPy:UserWarning")
