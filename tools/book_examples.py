"""The book's executed examples, read from the chapters, and a stand-in for another math library.

Two jobs, shared by tools/time_examples.py and tests/test_book_portability.py:

- :func:`chapter_units` reads the blocks that ``make doctest`` runs in one chapter
  (```` ```{doctest} ````, ```` ```{testcode} ```` with its ```` ```{testoutput} ````,
  ```` ```{testsetup} ````) straight from its Markdown, without building the book, in the
  form docs/_ext/runinbrowser_runner.py's ``PageRunner`` runs (the runner the Run buttons
  use, which tests/browser/ checks against the doctest builder on every block).
- :func:`another_math_library` stands in for a machine whose C math library rounds
  differently: while it is active, ``math.tanh``, ``exp``, ``log``, ``sin``, ``cos`` (and
  their kin) return a result one unit in the last place away from this machine's, for
  about two inputs in three. Real libraries are allowed to differ that much and do: the
  browser's (WebAssembly's) and glibc's differ on ``math.tanh(0.7)``, glibc's own non-FMA
  code paths on 2 of 20,000 random tanh inputs. An output that changes under it depends on
  the last bits of a math library, and will print something else on some reader's machine.
  Results every library gets exactly (0, 1, any whole number, infinities) are left alone.
"""

from __future__ import annotations

import contextlib
import doctest
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "docs"

# conf.py's doctest_default_flags (tests/test_book_portability.py checks they agree).
DEFAULT_FLAGS = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1

FENCE = re.compile(
    r"^(?P<fence>`{3,})\{(?P<kind>doctest|testcode|testoutput|testsetup)\}(?P<arg>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
OPTION = re.compile(r"^:(?P<name>[\w-]+):[ \t]*(?P<value>.*)$")
# The options a test block in this book may have; anything else must be taught to the reader.
KNOWN_OPTIONS = {"skipif", "hide", "options", "browser-difference", "browser-needs"}

# Functions of the C math library whose last bit may differ between machines.
LIBM = ("tanh", "exp", "log", "sin", "cos", "tan", "atan", "expm1", "log1p", "log2", "log10")


def split_options(body: str) -> tuple[dict[str, str], str]:
    """A directive's ``:name: value`` lines and the code after them."""
    options: dict[str, str] = {}
    lines = body.split("\n")
    if lines and lines[0] == "---":  # MyST's YAML form of the options: keys are enough here
        end = lines.index("---", 1)
        for line in lines[1:end]:
            if not line.startswith(" ") and ":" in line:
                name, _, value = line.partition(":")
                options[name.strip()] = value.strip()
        lines = lines[end + 1 :]
    while lines and (match := OPTION.match(lines[0])):
        options[match["name"]] = match["value"].strip()
        lines.pop(0)
    unknown = set(options) - KNOWN_OPTIONS
    if unknown:
        raise ValueError(f"test block option(s) {sorted(unknown)} are not understood here")
    return options, "\n".join(lines).lstrip("\n")


def flags_of(text: str) -> dict[str, bool]:
    """``:options: +ELLIPSIS, -NORMALIZE_WHITESPACE`` as the runner's {flag number: on}."""
    flags = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        flags[str(doctest.OPTIONFLAGS_BY_NAME[part[1:]])] = part[0] == "+"
    return flags


def chapter_units(chapter: Path) -> list[dict[str, Any]]:
    """The chapter's test blocks in page order, as ``PageRunner`` units."""
    units: list[dict[str, Any]] = []
    for number, match in enumerate(FENCE.finditer(chapter.read_text(encoding="utf-8"))):
        if match["arg"].strip():
            raise ValueError(f"{chapter.name}: test groups are not used in this book")
        options, code = split_options(match["body"])
        if match["kind"] == "testoutput":
            if not units or units[-1]["type"] != "testcode":
                raise ValueError(f"{chapter.name}: a testoutput block follows no testcode")
            units[-1]["want"] = code
            units[-1]["want_options"] = flags_of(options.get("options", ""))
            continue
        units.append(
            {
                "type": match["kind"],
                "code": code,
                "groups": ["default"],
                "options": flags_of(options.get("options", "")),
                "skipif": options.get("skipif"),
                "hidden": "hide" in options,
                "id": f"{chapter.stem}-{number}",
                "needs": "",
            }
        )
    return units


def chapters() -> list[Path]:
    return sorted(CHAPTERS.glob("*.md"))


def _one_ulp_away(name: str, function: Any, salt: int) -> Any:
    index = LIBM.index(name)

    def perturbed(x: float, *rest: float) -> float:
        result = function(x, *rest)
        if not math.isfinite(result) or result == round(result):
            return result  # 0, 1, whole numbers and infinities are exact everywhere
        # A fixed choice per input, as a real library's is: up, down or unchanged.
        # (Hashes of numbers do not depend on PYTHONHASHSEED.)
        way = hash((index, x, *rest, salt)) % 3
        return result if way == 0 else math.nextafter(result, math.inf if way == 1 else -math.inf)

    return perturbed


@contextlib.contextmanager
def another_math_library(salt: int = 1) -> Iterator[None]:
    """While active, ``math``'s functions round like another machine's; ``salt`` picks which."""
    originals = {name: getattr(math, name) for name in LIBM}
    try:
        for name, function in originals.items():
            setattr(math, name, _one_ulp_away(name, function, salt))
        yield
    finally:
        for name, function in originals.items():
            setattr(math, name, function)
