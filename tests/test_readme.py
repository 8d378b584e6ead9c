"""The README's example is executed, so the numbers it shows cannot drift from the code."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples_run_and_match() -> None:
    blocks = re.findall(r"^```pycon\n(.*?)^```", README.read_text(), flags=re.M | re.S)
    assert blocks, "the README should show at least one executed example"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for number, block in enumerate(blocks):
        test = parser.get_doctest(block, {}, f"README.md block {number}", str(README), 0)
        assert test.examples, f"README block {number} has no >>> examples"
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} README example(s) failed; see above"
