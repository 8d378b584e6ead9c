"""Measure the CPython CPU time of every executed example of the built book; print the slowest.

Usage (after ``make html``, which writes each page's examples into its HTML):

    python tools/time_examples.py [--top N] [--limit SECONDS] [--book _build/html]

Each page's examples run in order in one namespace, the way ``make doctest`` and the page's
Run buttons run them (docs/_ext/runinbrowser_runner.py's PageRunner), and each block is
timed with ``time.process_time``: CPU time, which the load of a shared machine inflates far
less than wall-clock time. Blocks that need what the browser lacks (PyTorch, NumPy, a second
process) have no Run button but still run here, as ``make doctest`` runs them. The exit
status is 1 when a block with a Run button took more than ``--limit`` seconds of CPU time
(one second by default): the browser runs the same code several times slower than CPython,
on the page's only thread, so an example past that freezes the reader's tab. Heavier work
belongs in a build-time run (the ``run-module`` directive).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
sys.path.insert(0, str(ROOT))

from runinbrowser_runner import PageRunner  # noqa: E402

DATA = re.compile(r'<script type="application/json" id="runinbrowser-data">(.*?)</script>', re.S)


@dataclass
class Timing:
    page: str
    index: int
    line: str  # the block's first line of code, to find it in the chapter
    seconds: float
    needs: str  # what the browser lacks for it ('' when it has a Run button)
    status: str


def first_line(code: str) -> str:
    for line in code.splitlines():
        text = line.removeprefix(">>> ").strip()
        if text and not text.startswith("#"):
            return text[:60]
    return ""


def time_page(name: str, data: dict) -> list[Timing]:
    """Run the page's blocks in order, timing each; torch blocks run too, as in doctest."""
    needs = {i: unit.get("needs", "") for i, unit in enumerate(data["units"])}
    units = [unit | {"needs": ""} for unit in data["units"]]
    runner = PageRunner({"default_flags": data["default_flags"], "units": units})
    timings = []
    for index, unit in enumerate(units):
        if unit["type"] == "testsetup":
            continue
        start = time.process_time()
        results = runner.run(index)
        seconds = time.process_time() - start
        status = results[-1]["status"] if results else "not run"
        timings.append(Timing(name, index, first_line(unit["code"]), seconds, needs[index], status))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--top", type=int, default=12, help="how many of the slowest to print")
    parser.add_argument(
        "--limit", type=float, default=1.0, help="CPU seconds a block with a Run button may take"
    )
    parser.add_argument("--json", type=Path, help="also write every timing to this file")
    args = parser.parse_args(argv)
    pages = sorted(args.book.glob("*.html"))
    if not pages:
        parser.error(f"no HTML pages in {args.book}: run `make html` first")
    timings: list[Timing] = []
    for path in pages:
        match = DATA.search(path.read_text(encoding="utf-8"))
        if match:
            timings += time_page(path.stem, json.loads(match.group(1)))
    timings.sort(key=lambda t: t.seconds, reverse=True)
    total = sum(t.seconds for t in timings)
    print(f"{len(timings)} blocks, {total:.1f} s of CPU time in all; the slowest:")
    for t in timings[: args.top]:
        where = f"  (no Run button: needs {t.needs})" if t.needs else ""
        print(f"{t.seconds:7.3f} s  {t.page:<20} block {t.index:<3} {t.line}{where}")
    not_matching = [t for t in timings if t.status not in ("match", "skipped")]
    for t in not_matching:
        print(f"note: {t.page} block {t.index} gave {t.status!r}, not the book's output")
    if args.json:
        args.json.write_text(json.dumps([t.__dict__ for t in timings], indent=1) + "\n")
    too_slow = [t for t in timings if not t.needs and t.seconds > args.limit]
    for t in too_slow:
        print(
            f"too slow for a page: {t.page} block {t.index} ({t.line}) took {t.seconds:.2f} s "
            f"of CPU time, more than {args.limit:g} s"
        )
    return 1 if too_slow else 0


if __name__ == "__main__":
    sys.exit(main())
