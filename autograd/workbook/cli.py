"""The workbook's command line: ``python -m autograd.workbook start DIR | check FILE|DIR``.

It parses the options, calls the package and prints; the exit status of ``check`` is 0 only
when every step checked passes.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial

from autograd.workbook.catalogue import STEPS
from autograd.workbook.checker import check_file, start
from autograd.workbook.sandbox import TIME_LIMIT


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (0 only when every checked step passes)."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.workbook",
        description="Write your own autograd engine and check it step by step.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    begin = commands.add_parser("start", help="write a starter engine.py into DIR")
    begin.add_argument("directory", metavar="DIR")
    grade = commands.add_parser("check", help="grade your engine.py step by step")
    grade.add_argument("path", metavar="FILE_OR_DIR", help="your engine.py, or the folder of start")
    grade.add_argument(
        "--step", type=int, default=len(STEPS), choices=range(1, len(STEPS) + 1), metavar="N",
        help="check steps 1 to N only (1-6; default 6, every step)",
    )  # fmt: skip
    grade.add_argument(
        "--torch", action="store_true",
        help="compare every gradient with PyTorch too (slower to start; needs PyTorch)",
    )  # fmt: skip
    grade.add_argument(
        "--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
        help=f"stop a check that runs longer than this (default {TIME_LIMIT:g})",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.command == "check" and not args.time_limit > 0:
        parser.error("--time-limit must be a positive number of seconds")
    if args.command == "start":
        try:
            path = start(args.directory)
        except FileExistsError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"Wrote {path}. Fill in step 1, then run:")
        print(f"  python -m autograd.workbook check {path.parent} --step 1")
        return 0
    if args.torch:
        try:
            import torch  # noqa: F401  (fail here, with a clear message, not mid-report)
        except ImportError:
            print("error: --torch needs PyTorch, which is not installed", file=sys.stderr)
            return 2
    echo = partial(print, flush=True)
    try:
        report = check_file(
            args.path, args.step, use_torch=args.torch, seconds=args.time_limit, echo=echo
        )
    except KeyboardInterrupt:
        print("\nStopped (Ctrl-C): your engine was not checked to the end.", flush=True)
        return 130
    return 0 if report.passed else 1
