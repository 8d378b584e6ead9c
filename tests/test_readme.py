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


def test_readme_lists_every_option_of_both_scripts() -> None:
    from autograd import train_toy, verify_gradients

    text = README.read_text()
    for script in (train_toy, verify_gradients):
        for action in script.make_parser()._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in text, f"README does not list {option}"


def shell_lines() -> list[str]:
    """Every line of the README's ```sh blocks: the commands a reader copies."""
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(), flags=re.M | re.S)
    return [line for block in blocks for line in block.splitlines()]


def test_readme_installs_torch_only_with_the_constraints_file() -> None:
    # Without -c constraints.txt, pip on Linux picks a multi-gigabyte CUDA build of torch.
    commands = [
        line
        for line in shell_lines()
        if "pip install" in line and ("torch" in line or ".[" in line)
    ]
    assert commands
    for line in commands:
        assert "-c constraints.txt" in line, line


def test_readme_plot_command_leaves_no_file_in_the_repository() -> None:
    plots = [path for line in shell_lines() for path in re.findall(r"--plot (\S+)", line)]
    assert plots
    for path in plots:
        assert path.startswith("_build/"), path
