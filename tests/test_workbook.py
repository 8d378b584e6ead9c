"""The workbook's checker: right engines pass, and each classic mistake gets its diagnosis.

Every broken engine is the correct seed-style engine in ``workbook_engines/closure_engine.py``
with one bug put in by text substitution, so each test changes exactly one thing. The
substitution helper insists that the text it replaces is there, so a reformatted engine
cannot silently turn a broken engine back into a correct one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import autograd.engine
from autograd import workbook
from autograd.workbook import FAIL, NOT_WRITTEN, PASS, STARTER, STEPS, check_file, check_source

ROOT = Path(__file__).resolve().parents[1]
CLOSURE_ENGINE = Path(__file__).parent / "workbook_engines" / "closure_engine.py"
CORRECT = CLOSURE_ENGINE.read_text()


def broken(*replacements: tuple[str, str]) -> str:
    """The correct closure engine with each (old, new) replaced; old must occur once."""
    text = CORRECT
    for old, new in replacements:
        assert text.count(old) == 1, f"expected exactly one {old!r} in the engine"
        text = text.replace(old, new)
    return text


def with_backward(body: str) -> str:
    """The correct engine with its backward() replaced by ``body`` (indented 8 spaces)."""
    head = CORRECT[: CORRECT.index("    def backward(self):")]
    return head + "    def backward(self):\n" + body


def statuses(report: workbook.Report) -> list[str]:
    return [result.status for result in report.steps]


def diagnoses(report: workbook.Report, step: int) -> str:
    return "\n".join(report.steps[step - 1].diagnoses)


def grade(text: str) -> workbook.Report:
    # No torch here, so the suite stays fast; test_torch_* cover the PyTorch reference.
    return check_source(text, use_torch=False)


# -- Engines that must pass ----------------------------------------------------------------


def test_the_package_engine_passes_every_step() -> None:
    report = check_file(autograd.engine.__file__)
    assert statuses(report) == [PASS] * 6, report.format()
    assert report.passed
    assert "Every step passes." in report.format()


def test_a_seed_style_closure_engine_passes_every_step() -> None:
    report = check_file(CLOSURE_ENGINE)
    assert statuses(report) == [PASS] * 6, report.format()
    assert all(not result.note for result in report.steps)


def test_the_starter_is_not_written_yet_at_every_step() -> None:
    report = grade(STARTER)
    assert statuses(report) == [NOT_WRITTEN] * 6, report.format()
    assert not report.passed
    assert "Traceback" not in report.format()


def test_a_half_written_step_says_which_method_is_left() -> None:
    add = '        raise NotImplementedError("step 1: __add__ is not written yet")\n'
    text = STARTER.replace(
        add,
        "        other = other if isinstance(other, Value) else Value(other)\n"
        "        return Value(self.data + other.data, (self, other), '+')\n",
    )
    assert text != STARTER
    report = grade(text)
    assert report.steps[0].status == NOT_WRITTEN
    assert report.steps[0].note == "__mul__ still to write"


def test_before_backward_exists_the_early_steps_check_values_only() -> None:
    # The starter's step 1 filled in, but backward() still a stub: values can be checked.
    closure = CORRECT[CORRECT.index("    def __add__") : CORRECT.index("    def __pow__")]
    stub_start = STARTER.index("    def __add__")
    stub_end = STARTER.index("    def __pow__")
    text = STARTER[:stub_start] + closure + STARTER[stub_end:]
    report = grade(text)
    assert report.steps[0].status == PASS
    assert report.steps[0].note == "values only: gradients wait for backward(), step 6"
    assert report.steps[5].status == NOT_WRITTEN
    assert not report.passed


# -- One bug, one diagnosis ----------------------------------------------------------------


def test_assignment_instead_of_accumulation() -> None:
    report = grade(
        broken(
            ("self.grad += other.data * out.grad", "self.grad = other.data * out.grad"),
            ("other.grad += self.data * out.grad", "other.grad = self.data * out.grad"),
        )
    )
    assert statuses(report)[0] == FAIL
    text = diagnoses(report, 1)
    assert "`=` instead of `+=` in __mul__'s _backward" in text
    assert "x * x   with x = 2" in text  # the smallest failing expression
    assert "x.grad is 2, expected 4" in text
    assert statuses(report)[1:] == [PASS] * 5


@pytest.mark.parametrize(
    ("old", "new", "line", "expression"),
    [
        ("self.grad += out.grad", "self.grad = out.grad", "self", "(x + y) + x"),
        (
            "self.grad += other.data * out.grad",
            "self.grad = other.data * out.grad",
            "self",
            "(x * y) * x",
        ),
    ],
)
def test_assignment_in_one_line_only_is_found_and_the_line_named(old, new, line, expression):
    # x + x and x * x cannot see a `=` in the line that runs first; two nodes can.
    report = grade(broken((old, new)))
    text = diagnoses(report, 1)
    assert f"(the line for {line})" in text
    assert f"{expression}   with x = 2, y = -3" in text
    assert statuses(report)[1:] == [PASS] * 5


def test_assignment_in_a_one_input_operation() -> None:
    report = grade(
        broken(("self.grad += (1 - t**2) * out.grad", "self.grad = (1 - t**2) * out.grad"))
    )
    assert statuses(report) == [PASS, PASS, PASS, PASS, FAIL, PASS]
    text = diagnoses(report, 5)
    assert "`=` instead of `+=` in tanh()'s _backward" in text
    assert "x + x.tanh()   with x = 0.5" in text


def test_wrong_local_derivative_names_the_operation_and_the_input() -> None:
    report = grade(
        broken(("other.grad += self.data * out.grad", "other.grad += other.data * out.grad"))
    )
    text = diagnoses(report, 1)
    assert "__mul__ has the wrong local derivative for its right operand (other)" in text
    assert "x * y   with x = 2, y = -3" in text
    assert "y.grad is -3, expected 2" in text
    assert "x.grad" not in text  # the left operand's gradient is right


def test_wrong_local_derivative_in_an_activation() -> None:
    report = grade(broken(("(1 - t**2)", "(1 - t)")))
    assert statuses(report) == [PASS, PASS, PASS, PASS, FAIL, PASS]
    text = diagnoses(report, 5)
    assert "tanh() has the wrong local derivative for its input (self)" in text
    assert "x.grad is 0.537883, expected 0.786448" in text


def test_missing_backward_line_for_one_input() -> None:
    report = grade(broken(("            other.grad += out.grad\n", "")))
    text = diagnoses(report, 1)
    assert "__add__'s _backward never adds to the grad of its right operand (other)" in text
    assert "x + y   with x = 2, y = -3" in text
    assert "y.grad is 0, expected 1" in text


def test_backward_never_attached_to_the_result() -> None:
    report = grade(
        broken(
            (
                '        out = Value(t, (self,), "tanh")\n',
                '        out = Value(t, (self,), "tanh")\n        return out\n',
            )
        )
    )
    assert statuses(report) == [PASS, PASS, PASS, PASS, FAIL, PASS]
    text = diagnoses(report, 5)
    assert "no gradient reaches any input of tanh(): is `out._backward = _backward` missing" in text
    assert "x.tanh()   with x = 0.5" in text


def test_backward_walking_the_order_forwards() -> None:
    report = grade(broken(("for node in reversed(topo):", "for node in topo:")))
    assert statuses(report)[5] == FAIL
    text = diagnoses(report, 6)
    assert "before that node has its gradient" in text
    assert "(x * 2 + 1) * 3   with x = 2" in text
    # Only one diagnosis: the later step 6 checks fail for the same reason.
    assert len(report.steps[5].diagnoses) == 1
    assert statuses(report)[:5] == [PASS] * 5
    assert "wait for backward(), step 6" in report.steps[0].note


BREADTH_FIRST = """\
        self.grad = 1.0
        queue, seen = [self], {self}
        while queue:
            node = queue.pop(0)
            node._backward()
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
"""

DEPTH_FIRST_CALLS = """\
        self.grad = 1.0
        seen = set()

        def visit(node):
            if node not in seen:
                seen.add(node)
                node._backward()
                for child in node._prev:
                    visit(child)

        visit(self)
"""

RECURSIVE_SORT = """\
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
"""


@pytest.mark.parametrize(
    ("body", "expression"),
    [
        (BREADTH_FIRST, "h = x * 3; h * (h + 1)   with x = 2"),
        (DEPTH_FIRST_CALLS, "h = x * 3; h * (h + 1)   with x = 2"),
    ],
    ids=["breadth-first", "depth-first-without-sorting"],
)
def test_shared_node_passing_its_gradient_early(body: str, expression: str) -> None:
    report = grade(with_backward(body))
    text = diagnoses(report, 6)
    assert "backward() visits nodes in the wrong order" in text
    assert expression in text
    assert "x.grad is 21, expected 39" in text
    # h did collect the right total, so this is not mistaken for `=`.
    assert "`=`" not in report.format()
    assert statuses(report)[:5] == [PASS] * 5


def test_recursive_topological_sort_on_a_deep_chain() -> None:
    report = grade(with_backward(RECURSIVE_SORT))
    assert statuses(report) == [PASS] * 5 + [FAIL]
    text = diagnoses(report, 6)
    assert "RecursionError on a chain 10,000 nodes deep" in text
    assert "recursive topological sort" in text
    assert len(report.steps[5].diagnoses) == 1  # shallow graphs are fine


def test_reflected_operators_missing() -> None:
    report = grade(
        broken(
            ("    def __radd__(self, other):\n        return self + other\n", ""),
            ("    def __rmul__(self, other):\n        return self * other\n", ""),
        )
    )
    assert statuses(report) == [PASS, PASS, PASS, FAIL, PASS, PASS]
    text = diagnoses(report, 4)
    assert "4 * x raises TypeError: unsupported operand type(s) for *: 'int' and 'Value'" in text
    assert "looks for Value.__rmul__, which is missing" in text
    assert "looks for Value.__radd__, which is missing" in text


def test_wrong_forward_value() -> None:
    report = grade(
        broken(
            (
                'Value(self.data * other.data, (self, other), "*")',
                'Value(self.data + other.data, (self, other), "*")',
            )
        )
    )
    text = diagnoses(report, 1)
    assert "__mul__ computes the wrong value: its result's .data is -1, expected -6" in text
    assert "x * y   with x = 2, y = -3" in text
    # Later steps built on * fail too, but are not blamed for it.
    assert diagnoses(report, 3) == (
        "-x, x - y and x / y use __mul__ (step 1), which does not pass yet: fix that first."
    )


def test_plain_number_operand_not_wrapped() -> None:
    report = grade(
        broken(
            (
                "        other = other if isinstance(other, Value) else Value(other)\n"
                "        out = Value(self.data + other.data",
                "        out = Value(self.data + other.data",
            )
        )
    )
    text = diagnoses(report, 1)
    assert "x + 5 raises AttributeError: 'int' object has no attribute 'data'" in text
    assert "Wrap it first" in text


def test_a_derived_operation_cut_off_from_the_graph() -> None:
    report = grade(broken(("        return self * -1", "        return Value(-self.data)")))
    text = diagnoses(report, 3)
    assert "__neg__ gives its input (self) no gradient" in text
    assert "-x   with x = 2" in text


def test_tanh_formula_that_overflows() -> None:
    report = grade(
        broken(
            (
                "t = math.tanh(self.data)",
                "t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)",
            )
        )
    )
    text = diagnoses(report, 5)
    assert "x.tanh() raises OverflowError" in text
    assert "with x = 400" in text


def test_backward_that_never_seeds_the_output() -> None:
    report = grade(broken(("        self.grad = 1.0\n", "")))
    assert statuses(report) == [PASS] * 5 + [FAIL]
    assert "passes no gradient at all: it must first set the output's own grad to 1.0" in (
        diagnoses(report, 6)
    )
    # The operations are not blamed for it.
    assert all("values only" in result.note for result in report.steps[:5])


def test_backward_and_operations_that_disagree_on_the_calling_convention() -> None:
    report = grade(broken(("node._backward()", "node._backward(node.grad)")))
    text = diagnoses(report, 6)
    assert "backward() fails on (x + y).backward(): TypeError" in text
    assert "takes 0 positional arguments but 1 was given" in text


def test_a_value_that_defines_eq_cannot_go_into_a_set() -> None:
    report = grade(
        broken(
            (
                "    def __repr__(self):",
                "    def __eq__(self, other):\n        return self.data == other.data\n\n"
                "    def __repr__(self):",
            )
        )
    )
    assert statuses(report)[5] == FAIL
    text = diagnoses(report, 6)
    assert "TypeError: unhashable type: 'Value'" in text
    assert "defines __eq__ loses its hash" in text


# -- The reader's file must never crash or hang the checker --------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CORRECT + "\ndef broken(:\n", "cannot be imported: SyntaxError"),
        (CORRECT + "\nraise RuntimeError('half-finished')\n", "RuntimeError: half-finished"),
        (CORRECT + "\nimport sys\nsys.exit(3)\n", "SystemExit: 3"),
        (CORRECT + "\nname = input('x? ')\n", "EOFError"),
        ("x = 1\n", "defines no class Value"),
        (CORRECT.replace("self.grad = 0.0", "self.grad = None"), "grad None"),
    ],
    ids=["syntax", "exception", "exit", "input", "no-class", "bad-constructor"],
)
def test_a_file_that_cannot_be_graded_gets_a_plain_report(text: str, message: str) -> None:
    report = grade(text)
    assert message in report.format()
    assert not report.steps and not report.passed
    assert "Traceback" not in report.format()


def test_an_endless_loop_is_stopped() -> None:
    looping = with_backward("        while True:\n            pass\n")
    report = check_source(looping, use_torch=False, seconds=0.2)
    assert statuses(report)[5] == FAIL
    assert "still running after 0.2 s" in diagnoses(report, 6)


def test_an_operation_that_hangs_is_timed_out_once_not_in_every_check() -> None:
    looping = broken(
        (
            "        out = Value(self.data + other.data",
            "        while True:\n            pass\n        out = Value(self.data + other.data",
        )
    )
    report = check_source(looping, use_torch=False, seconds=0.2)
    assert "x + y raises TookTooLong: still running after 0.2 s" in diagnoses(report, 1)
    assert "uses __add__ (step 1), which does not pass yet" in diagnoses(report, 6)


def test_an_endless_loop_at_import_is_stopped() -> None:
    report = check_source(CORRECT + "\nwhile True:\n    pass\n", use_torch=False, seconds=0.2)
    assert "cannot be imported: TookTooLong: still running after 0.2 s" in report.format()


def test_without_a_timer_signal_the_checker_grades_without_a_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As in the browser: Pyodide's signal module has no setitimer (checked in tests/browser)."""
    import signal

    monkeypatch.delattr(signal, "setitimer")
    report = check_source(CORRECT, use_torch=False, seconds=0.001)
    assert statuses(report) == [PASS] * 6, report.format()
    assert "TookTooLong" not in report.format()


def test_what_the_engine_prints_is_counted_not_shown() -> None:
    report = grade(
        broken(("        self.grad = 1.0\n", "        print('hello')\n        self.grad = 1.0\n"))
    )
    assert report.passed
    assert "hello" not in report.format()
    assert "printed" in report.format()


# -- References ----------------------------------------------------------------------------


def test_finite_differences_and_torch_agree_on_every_expected_gradient() -> None:
    torch = pytest.importorskip("torch")
    for step in STEPS:
        for case in step.cases:
            reference = workbook._reference(case, torch)
            for name, grad in reference.grads.items():
                assert reference.torch_grads[name] == pytest.approx(grad, rel=1e-6, abs=1e-9), (
                    case.code,
                    name,
                )


def test_torch_catches_an_error_too_small_for_finite_differences() -> None:
    pytest.importorskip("torch")
    # A derivative wrong by one part in 10**8 is inside the finite differences' tolerance.
    text = broken(("(1 - t**2) * out.grad", "(1 - t**2) * (1 + 1e-8) * out.grad"))
    assert grade(text).passed
    report = check_source(text)
    assert statuses(report)[4] == FAIL
    assert "tanh() has the wrong local derivative" in diagnoses(report, 5)


def test_without_torch_the_checker_uses_finite_differences(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now fails
    report = check_file(autograd.engine.__file__)
    assert report.passed
    assert "(PyTorch is not installed)" in report.format()
    report = check_source(broken(("(1 - t**2)", "(1 - t)")))
    assert "tanh() has the wrong local derivative" in diagnoses(report, 5)


# -- The command line ------------------------------------------------------------------------


def test_start_writes_the_starter_and_never_overwrites(tmp_path, capsys) -> None:
    folder = tmp_path / "mine"
    assert workbook.main(["start", str(folder)]) == 0
    engine = folder / "engine.py"
    assert engine.read_text() == STARTER
    assert "--step 1" in capsys.readouterr().out
    engine.write_text("# my work\n")
    assert workbook.main(["start", str(folder)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert engine.read_text() == "# my work\n"


def test_check_exit_status_and_step_option(tmp_path, capsys) -> None:
    engine = tmp_path / "engine.py"
    engine.write_text(with_backward(RECURSIVE_SORT))
    assert workbook.main(["check", str(engine), "--no-torch"]) == 1
    assert "step 6" in capsys.readouterr().out
    # Steps 1 to 5 pass, so checking only up to step 5 succeeds and shows no step 6.
    assert workbook.main(["check", str(engine), "--no-torch", "--step", "5"]) == 0
    out = capsys.readouterr().out
    assert "step 5" in out and "step 6" not in out
    engine.write_text(CORRECT)
    assert workbook.main(["check", str(engine), "--no-torch"]) == 0
    assert workbook.main(["check", str(tmp_path / "missing.py")]) == 1


def test_the_commands_run_without_torch_in_a_fresh_interpreter(tmp_path) -> None:
    # A fresh process in which torch cannot be imported, as on a machine without it.
    script = (
        "import sys; sys.modules['torch'] = None\n"
        "from autograd.workbook import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env
        )

    started = run("start", str(tmp_path))
    assert started.returncode == 0, started.stderr
    checked = run("check", str(tmp_path / "engine.py"))
    assert checked.returncode == 1
    assert checked.stdout.count("not yet written") == 6
    assert "(PyTorch is not installed)" in checked.stdout
    assert checked.stderr == ""


def test_the_readme_commands_work_as_written(tmp_path) -> None:
    readme = (ROOT / "README.md").read_text()
    commands = [
        line.split("#")[0].split() for line in readme.splitlines() if "-m autograd.workbook" in line
    ]
    assert [command[3] for command in commands] == ["start", "check"]
    results = []
    for _, _, module, *args in commands:
        args = [arg.replace("mine", str(tmp_path / "mine")) for arg in args]
        results.append(
            subprocess.run(
                [sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT
            )
        )
    assert results[0].returncode == 0, results[0].stderr
    assert results[1].returncode == 1  # the starter: every step still to write
    assert results[1].stdout.count("not yet written") == 6


@pytest.mark.parametrize("chapter", ["accumulation.md", "value.md", "topological-order.md"])
def test_each_engine_chapter_ends_with_a_workbook_step(chapter: str) -> None:
    text = (ROOT / "docs" / chapter).read_text()
    turn = text[text.index("## Your turn") :]
    assert "(workbook.md)" in turn
    assert "## " not in turn[len("## Your turn") :]  # the last section of the chapter
