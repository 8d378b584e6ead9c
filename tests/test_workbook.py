"""The workbook's checker: right engines pass, and each typical mistake gets its diagnosis.

Every broken engine is a correct engine with one bug put in by text substitution: the
seed-style closure engine (``workbook_engines/closure_engine.py``, ``_backward()`` reading
``out.grad``) or the package's own (``_backward(out_grad)``), so each test changes exactly
one thing, in the style where it matters. The substitution helper insists that the text it
replaces is there, so a reformatted engine cannot silently turn a broken engine back into a
correct one.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import autograd.engine
from autograd import workbook
from autograd.workbook import (
    BLOCKED,
    FAIL,
    NOT_WRITTEN,
    PASS,
    STARTER,
    check_file,
    check_source,
)
from autograd.workbook.diagnoses import SECTIONS

ROOT = Path(__file__).resolve().parents[1]
CLOSURE = (Path(__file__).parent / "workbook_engines" / "closure_engine.py").read_text()
BOOK = Path(autograd.engine.__file__).read_text()
ENGINES = {"closure": CLOSURE, "book": BOOK}


def broken(style: str, *replacements: tuple[str, str]) -> str:
    """The correct engine of ``style`` with each (old, new) replaced; old must occur once."""
    text = ENGINES[style]
    for old, new in replacements:
        assert text.count(old) == 1, f"expected exactly one {old!r} in the {style} engine"
        text = text.replace(old, new)
    return text


def with_backward(body: str) -> str:
    """The closure engine with its backward() replaced by ``body`` (indented 8 spaces)."""
    head = CLOSURE[: CLOSURE.index("    def backward(self):")]
    return head + "    def backward(self):\n" + body


def statuses(report: workbook.Report) -> list[workbook.Status]:
    return [result.status for result in report.steps]


def said(report: workbook.Report, step: int) -> str:
    """Everything the report says about ``step``: its diagnoses, cases and details."""
    result = report.steps[step - 1]
    lines = [result.note]
    for diagnosis in result.diagnoses:
        lines += [diagnosis.text, *diagnosis.details, diagnosis.section]
        if diagnosis.case is not None:
            lines.append(diagnosis.case.shown())
    return "\n".join(lines)


def grade(text: str, **options: object) -> workbook.Report:
    return check_source(text, **options)  # type: ignore[arg-type]


def only_step_fails(report: workbook.Report, step: int) -> None:
    """Step ``step`` fails, the earlier ones pass, the later ones pass or wait for it."""
    found = statuses(report)
    assert found[step - 1] == FAIL, report.format()
    assert found[: step - 1] == [PASS] * (step - 1), report.format()
    assert all(status in (PASS, BLOCKED) for status in found[step:]), report.format()


# -- Engines that must pass, and the starter --------------------------------------------------


def test_the_package_engine_passes_every_step_in_a_child_process() -> None:
    report = check_file(autograd.engine.__file__)
    assert statuses(report) == [PASS] * 6, report.format()
    assert report.passed and "Every step checked passes." in report.format()


def test_a_micrograd_style_closure_engine_passes_every_step() -> None:
    report = grade(CLOSURE)
    assert statuses(report) == [PASS] * 6, report.format()


def test_the_starter_is_six_steps_not_yet_written_and_fails() -> None:
    report = grade(STARTER)
    assert statuses(report) == [NOT_WRITTEN] * 6
    assert not report.passed
    assert report.format().count("not yet written") == 6


def test_real_micrograd_is_told_its_backward_does_not_reset_interior_nodes() -> None:
    # micrograd 0.1.0 has no tanh or exp, and its backward() neither resets interior nodes
    # nor avoids recursion: the checker says so, in the step that teaches each.
    micrograd = pytest.importorskip("micrograd.engine")
    report = check_file(micrograd.__file__)
    assert statuses(report)[:4] == [PASS] * 4, report.format()
    assert statuses(report)[5] == FAIL
    assert "RecursionError on a chain 10,000 nodes deep" in said(report, 6)
    assert "does not reset the grad of the nodes that have inputs" in said(report, 6)
    assert "x.grad is 135, expected 78 after the second backward()" in said(report, 6)


# -- 1. The chain-rule factor, in every op and both styles ------------------------------------

MISSING_FACTOR = {
    "__add__": (
        ("self.grad += out.grad\n            other.grad += out.grad",
         "self.grad += 1.0\n            other.grad += 1.0"),
        ("self.grad += 1.0 * out_grad\n            other.grad += 1.0 * out_grad",
         "self.grad += 1.0\n            other.grad += 1.0"),
    ),
    "__mul__": (
        ("self.grad += other.data * out.grad\n            other.grad += self.data * out.grad",
         "self.grad += other.data\n            other.grad += self.data"),
        ("self.grad += other.data * out_grad\n            other.grad += self.data * out_grad",
         "self.grad += other.data\n            other.grad += self.data"),
    ),
    "__pow__": (
        ("self.grad += other * self.data ** (other - 1) * out.grad",
         "self.grad += other * self.data ** (other - 1)"),
        ("self.grad += local * out_grad", "self.grad += local"),
    ),
    "tanh": (
        ("self.grad += (1 - t**2) * out.grad", "self.grad += 1 - t**2"),
        ("self.grad += (1.0 - t * t) * out_grad", "self.grad += 1.0 - t * t"),
    ),
    "relu": (
        ("self.grad += (1.0 if self.data > 0 else 0.0) * out.grad",
         "self.grad += 1.0 if self.data > 0 else 0.0"),
        ("self.grad += (0.0 if self.data <= 0 else 1.0) * out_grad",
         "self.grad += 0.0 if self.data <= 0 else 1.0"),
    ),
    "exp": (
        ("self.grad += e * out.grad", "self.grad += e"),
        ("self.grad += e * out_grad", "self.grad += e"),
    ),
}  # fmt: skip
STEP = {"__add__": 1, "__mul__": 1, "__pow__": 2, "tanh": 5, "relu": 5, "exp": 5}


@pytest.mark.parametrize("style", ["closure", "book"])
@pytest.mark.parametrize("op", list(MISSING_FACTOR))
def test_a_backward_without_the_upstream_factor_is_named(op: str, style: str) -> None:
    old, new = MISSING_FACTOR[op][style == "book"]
    report = grade(broken(style, (old, new)))
    step = STEP[op]
    assert statuses(report)[step - 1] == FAIL, report.format()
    assert all(status != FAIL for status in statuses(report)[: step - 1])
    text = said(report, step)
    method = op if op.startswith("__") else f"{op}()"
    assert f"{method}'s _backward does not multiply by the gradient arriving" in text
    assert ("`out.grad`" if style == "closure" else "`out_grad`") in text
    assert "out.grad = " in text  # the case shows the upstream gradient that exposed it


# -- 2. Gradient feedback from step 1 ------------------------------------------------------


@pytest.mark.parametrize("style", ["closure", "book"])
def test_a_wrong_mul_derivative_fails_step_1_before_backward_is_written(style: str) -> None:
    line = "self.grad += other.data * out" + (".grad" if style == "closure" else "_grad")
    text = broken(style, (line, line.replace("other.data", "self.data")))
    define = (
        "    def backward(self):\n" if style == "closure" else "    def backward(self) -> None:\n"
    )
    text = text.replace(define, define + '        raise NotImplementedError("step 6")\n')
    report = grade(text, last_step=5)
    assert statuses(report)[0] == FAIL, report.format()
    assert "__mul__ has the wrong local derivative for its left operand (self)" in said(report, 1)
    assert not report.passed


@pytest.mark.parametrize("style", ["closure", "book"])
def test_exp_is_not_graded_at_a_degenerate_point(style: str) -> None:
    # self.data * e equals e at x = 1, the old checker's only point for exp.
    line = "self.grad += e * out" + (".grad" if style == "closure" else "_grad")
    report = grade(broken(style, (line, line.replace("e *", "self.data * e *"))))
    only_step_fails(report, 5)
    assert "exp() has the wrong local derivative" in said(report, 5)


@pytest.mark.parametrize("style", ["closure", "book"])
def test_assignment_instead_of_accumulation(style: str) -> None:
    line = "other.grad += self.data * out" + (".grad" if style == "closure" else "_grad")
    report = grade(broken(style, (line, line.replace("+=", "="))))
    only_step_fails(report, 1)
    assert "`=` instead of `+=` in __mul__'s _backward" in said(report, 1)
    assert "Read: Gradient accumulation" in report.format()


def test_assignment_in_the_self_line_shows_only_with_two_nodes() -> None:
    report = grade(broken("closure", ("self.grad += out.grad", "self.grad = out.grad")))
    only_step_fails(report, 1)
    assert "(the line for self)" in said(report, 1) and "(x + y) + x" in said(report, 1)


def test_a_missing_backward_line_names_the_input() -> None:
    report = grade(broken("closure", ("            other.grad += out.grad\n", "")))
    only_step_fails(report, 1)
    assert "never adds to the grad of its right operand (other)" in said(report, 1)


def test_a_backward_never_attached_gives_no_gradient_at_all() -> None:
    line = "        out._backward = _backward\n        return out\n\n    def relu(self):"
    report = grade(broken("closure", (line, "        return out\n\n    def relu(self):")))
    only_step_fails(report, 5)
    assert "no gradient reaches any input of tanh()" in said(report, 5)


def test_wrong_value_and_unwrapped_number() -> None:
    report = grade(
        broken("closure", ("Value(self.data * other.data", "Value(self.data + other.data"))
    )
    assert statuses(report)[0] == FAIL
    assert "__mul__ computes the wrong value" in said(report, 1)
    wrap = "        other = other if isinstance(other, Value) else Value(other)\n"
    text = CLOSURE.replace(wrap, "", 1)
    report = grade(text)
    assert "must accept a plain number" in said(report, 1)


def test_exit_status_is_zero_only_when_every_step_checked_passes(tmp_path: Path) -> None:
    engine = tmp_path / "engine.py"
    engine.write_text(broken("closure", ("self.grad += e * out.grad", "self.grad += e")))
    assert workbook.main(["check", str(engine), "--step", "4"]) == 0
    assert workbook.main(["check", str(engine), "--step", "5"]) == 1
    assert workbook.main(["check", str(engine)]) == 1


# -- 3. backward() as the book teaches it ----------------------------------------------------

POSTORDER = """\
        topo = []
        stack = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                topo.append(node)
            else:
                stack.append((node, True))
                for child in node._prev:
                    stack.append((child, False))
"""
THEN_WALK = """\
        for node in topo:
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(topo):
            node._backward()
"""


def test_no_visited_set_is_diagnosed_as_a_backward_running_twice() -> None:
    report = grade(with_backward(POSTORDER + THEN_WALK))
    only_step_fails(report, 6)
    assert "a node's _backward runs more than once" in said(report, 6)
    assert "keep a set of visited nodes" in said(report, 6)


def test_duplicates_removed_afterwards_are_too_slow_on_a_reuse_heavy_graph() -> None:
    # Right gradients, but 2 ** 24 visits: only the short time limit shows it.
    dedupe = "        topo = list(dict.fromkeys(topo))\n"
    started = time.perf_counter()
    report = grade(with_backward(POSTORDER + dedupe + THEN_WALK))
    assert time.perf_counter() - started < 10
    only_step_fails(report, 6)
    assert "still running after 2 s on 24 levels of `y = y + y`" in said(report, 6)
    assert "keep a set of visited nodes" in said(report, 6)


MICROGRAD_WALK = (
    "        self.grad = 1.0\n        for node in reversed(topo):\n            node._backward()\n"
)
CORRECT_ORDER = CLOSURE[
    CLOSURE.index("        topo, visited") : CLOSURE.index("        for node in topo:")
]


@pytest.mark.parametrize(
    ("walk", "expected"),
    [
        (  # micrograd's own: the interior nodes keep the first call's gradients
            "        self.grad = 1.0\n        for node in reversed(topo):\n"
            "            node._backward()\n",
            "does not reset the grad of the nodes that have inputs",
        ),
        (  # PyTorch's zero_grad inside backward(): the leaves no longer add up
            "        for node in topo:\n            node.grad = 0.0\n        self.grad = 1.0\n"
            "        for node in reversed(topo):\n            node._backward()\n",
            "sets the leaves' grad back to 0",
        ),
        (
            "        self.grad = 1.0\n        for node in topo:\n            node._backward()\n",
            "walk the topological order backwards",
        ),
        (
            "        for node in reversed(topo):\n            node._backward()\n",
            "must first set the output's own grad to 1.0",
        ),
        (
            THEN_WALK.replace("node._backward()", "node._backward(node.grad)"),
            "disagree on how the gradient gets in",
        ),
    ],
)
def test_each_backward_mistake_has_its_own_diagnosis(walk: str, expected: str) -> None:
    report = grade(with_backward(CORRECT_ORDER + walk))
    only_step_fails(report, 6)
    assert expected in said(report, 6)
    # One mistake, one diagnosis: the later cases that fail for the same reason say nothing.
    assert len(report.steps[5].diagnoses) == 1, report.format()


def test_the_books_numbers_for_two_backward_calls() -> None:
    # The diamond a = 3x, b = a + 1, c = a * b at x = 2: 39, then 78 (135 without the reset).
    walk = MICROGRAD_WALK
    report = grade(with_backward(CORRECT_ORDER + walk))
    assert "x.grad is 135, expected 78 after the second backward()" in said(report, 6)
    zeroing = (
        "            if node._prev:\n                node.grad = 0.0",
        "            node.grad = 0.0",
    )
    report = grade(broken("book", zeroing))
    only_step_fails(report, 6)
    assert "x.grad is 6, expected 12 after the second backward()" in said(report, 6)


@pytest.mark.parametrize("style", ["closure", "book"])
def test_walking_the_order_forwards_in_either_style(style: str) -> None:
    old = "for node in reversed(topo):" if style == "closure" else "for node in reversed(order):"
    report = grade(broken(style, (old, old.replace("reversed(", "(").replace("):", "):", 1))))
    only_step_fails(report, 6)
    assert "walk the topological order backwards" in said(report, 6)


def test_a_recursive_topological_sort_dies_on_the_deep_chain() -> None:
    recursive = (
        "        topo, visited = [], set()\n\n"
        "        def build(v):\n            if v not in visited:\n                visited.add(v)\n"
        "                for child in v._prev:\n                    build(child)\n"
        "                topo.append(v)\n\n        build(self)\n"
    )
    report = grade(with_backward(recursive + THEN_WALK))
    only_step_fails(report, 6)
    assert "RecursionError on a chain 10,000 nodes deep" in said(report, 6)
    assert "topological-order.md#why-iterative-not-recursive" in said(report, 6) or (
        "recursion" in said(report, 6)
    )


def test_a_value_that_defines_eq_cannot_go_into_backwards_set() -> None:
    eq = "    def __eq__(self, other):\n        return self.data == other.data\n\n"
    report = grade(broken("closure", ("    def __repr__", eq + "    def __repr__")))
    only_step_fails(report, 6)
    assert "leave __eq__ out of Value" in said(report, 6)


# -- Reflected operators, blocked steps -------------------------------------------------------


@pytest.mark.parametrize("style", ["closure", "book"])
def test_radd_returning_other_plus_self_is_explained(style: str) -> None:
    old = "return self + other" + (
        "" if style == "closure" else "  # other + self; addition commutes"
    )
    report = grade(broken(style, (old, "return other + self")))
    assert statuses(report)[3] == FAIL, report.format()
    assert "__radd__ calls itself forever: `other + self`" in said(report, 4)
    assert "Return `self + other`" in said(report, 4)


def test_a_later_step_is_blocked_by_an_earlier_one_not_failed() -> None:
    report = grade(broken("closure", ("other.grad += out.grad", "other.grad += 2 * out.grad")))
    assert statuses(report)[0] == FAIL
    # `x + x ** 2` (step 2) and the tanh/relu/exp sums (step 5) use the broken +.
    assert report.steps[1].status is BLOCKED and report.steps[1].blocked_by == 1
    assert "blocked by step 1" in report.format()
    assert "Next: step 1" in report.format()


def test_missing_reflected_operators() -> None:
    text = CLOSURE.replace(
        "    def __radd__(self, other):\n        return self + other\n\n", ""
    ).replace("    def __rmul__(self, other):\n        return self * other\n\n", "")
    report = grade(text)
    assert statuses(report)[3] == FAIL
    assert "reflected operators are not written" in said(report, 4)


def test_tanh_from_exp_overflows() -> None:
    formula = "(math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)"
    report = grade(broken("closure", ("t = math.tanh(self.data)", f"t = {formula}")))
    only_step_fails(report, 5)
    assert "compute tanh with math.tanh" in said(report, 5)


# -- 4. The learner's engine in its own process -------------------------------------------------


def write(tmp_path: Path, text: str | bytes, name: str = "engine.py") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_value_imported_from_the_package_is_reported(tmp_path: Path) -> None:
    report = check_file(write(tmp_path, "from autograd.engine import Value\n"))
    assert "does not define Value itself: its Value comes from autograd.engine" in report.problem
    subclass = "from autograd.engine import Value as V\n\n\nclass Value(V):\n    pass\n"
    report = check_file(write(tmp_path, subclass))
    assert "does not define Value.__add__ itself" in report.problem
    assert not report.passed


def test_replacing_math_isclose_cannot_fake_a_pass(tmp_path: Path) -> None:
    text = broken("closure", ("self.grad += e * out.grad", "self.grad += e"))
    text += "\nmath.isclose = lambda *args, **keywords: True\n"
    only_step_fails(check_file(write(tmp_path, text)), 5)
    only_step_fails(grade(text), 5)  # the browser's grader binds isclose before any learner code


def test_os_exit_cannot_end_the_check_with_success(tmp_path: Path) -> None:
    report = check_file(write(tmp_path, CLOSURE + "\nimport os\nos._exit(0)\n"))
    assert "ended the checker's process" in report.problem and not report.passed
    inside = broken("closure", ("            self.grad += e * out.grad", "            os._exit(0)"))
    report = check_file(write(tmp_path, "import os\n" + inside))
    assert statuses(report)[4] == FAIL and "ended the checker's process" in said(report, 5)
    engine = write(tmp_path, CLOSURE + "\nimport os\nos._exit(0)\n")
    assert workbook.main(["check", str(engine)]) == 1


LOOP_IN_ADD = """\
        import time
        while True:
            try:
                time.sleep(0.001)
            except BaseException:
                pass
"""


def test_catching_everything_in_an_endless_loop_cannot_outlast_the_limit(tmp_path: Path) -> None:
    wrap = "        other = other if isinstance(other, Value) else Value(other)\n"
    text = CLOSURE.replace(wrap, wrap + LOOP_IN_ADD, 1)
    text = "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n" + text
    for report in (check_file(write(tmp_path, text), seconds=1), grade(text, seconds=0.5)):
        assert statuses(report)[0] == FAIL
        assert "still running after" in said(report, 1) and "an endless loop?" in said(report, 1)
        assert "in Value.__add__" in said(report, 1)


def test_an_endless_loop_at_import(tmp_path: Path) -> None:
    text = CLOSURE + "\nwhile True:\n    pass\n"
    report = check_file(write(tmp_path, text), seconds=1)
    assert "is still running after 1 s while imported: an endless loop? (line" in report.problem
    assert "still running after 0.5 s while imported" in grade(text, seconds=0.5).problem


@pytest.mark.parametrize(
    "encoded",
    [
        b"\xef\xbb\xbf" + CLOSURE.encode(),
        b"# -*- coding: latin-1 -*-\n# d\xe9riv\xe9e\n" + CLOSURE.encode(),
    ],
)
def test_the_file_is_read_as_python_reads_it(tmp_path: Path, encoded: bytes) -> None:
    report = check_file(write(tmp_path, encoded))
    assert statuses(report) == [PASS] * 6, report.format()


def test_printing_is_counted_not_shown(tmp_path: Path) -> None:
    text = broken("closure", ("            self.grad += e * out.grad", "            print('e', e)\n"
                              "            self.grad += e * out.grad"))  # fmt: skip
    lines: list[str] = []
    report = check_file(write(tmp_path, text), echo=lines.append)
    assert report.passed
    assert report.printed_lines > 0
    assert f"Your engine printed {report.printed_lines} lines" in "\n".join(lines)
    assert not any(line.startswith("e ") for line in lines)


# -- 5. A report that talks to a learner -------------------------------------------------------


def run_cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "autograd.workbook", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_each_line_is_printed_as_soon_as_it_is_known(tmp_path: Path) -> None:
    old = "        out = Value(self.data**other"
    text = broken("closure", (old, "        while True:\n            pass\n" + old))
    process = run_cli("check", str(write(tmp_path, text)), "--time-limit", "4")
    assert process.stdout is not None
    first = [process.stdout.readline() for _ in range(2)]
    started = time.monotonic()
    assert first[0].startswith("Checking engine.py") and "step 1" in first[1]
    assert process.poll() is None  # step 1's line came while step 2 was still being checked
    rest = process.stdout.read()
    assert time.monotonic() - started > 2
    assert "... __pow__: still running after 4 s: an endless loop?" in rest or (
        "still running after 4 s: an endless loop? (line" in rest
    )
    assert process.wait() == 1


def test_ctrl_c_prints_one_line(tmp_path: Path) -> None:
    old = "        out = Value(self.data**other"
    text = broken("closure", (old, "        while True:\n            pass\n" + old))
    process = run_cli("check", str(write(tmp_path, text)))
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert out.strip().splitlines()[-1].startswith("Stopped (Ctrl-C)")
    assert "Traceback" not in err and err == ""


def test_step_n_runs_only_the_cases_up_to_step_n(tmp_path: Path) -> None:
    # backward() hangs, but --step 1 never calls it, so the check ends at once.
    text = with_backward("        while True:\n            pass\n")
    started = time.monotonic()
    assert workbook.main(["check", str(write(tmp_path, text)), "--step", "5"]) == 0
    assert time.monotonic() - started < 8


def test_check_accepts_the_folder_that_start_made(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "mine"
    assert workbook.main(["start", str(folder)]) == 0
    assert (folder / "engine.py").read_text() == STARTER
    capsys.readouterr()
    assert workbook.main(["check", str(folder)]) == 1
    assert capsys.readouterr().out.count("not yet written") == 6
    (folder / "engine.py").write_text(CLOSURE)
    assert workbook.main(["check", str(folder)]) == 0
    assert workbook.main(["start", str(folder)]) == 1  # never overwrites
    assert workbook.main(["check", str(tmp_path / "missing.py")]) == 1


def test_pytorch_is_imported_only_on_request(tmp_path: Path) -> None:
    engine = write(tmp_path, CLOSURE)
    script = (
        "import sys\nfrom autograd.workbook import main\n"
        f"status = main(['check', {str(engine)!r}])\n"
        "sys.exit(10 * ('torch' in sys.modules) + status)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Expected numbers come from central finite differences." in done.stdout


def test_with_torch_every_gradient_is_compared_with_pytorch_too(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    report = check_file(write(tmp_path, CLOSURE), use_torch=True)
    assert report.passed and "PyTorch (float64)" in report.references


def test_every_diagnosis_points_to_a_section_that_exists() -> None:
    import re

    for title, address in SECTIONS.values():
        chapter, _, anchor = address.partition("#")
        text = (ROOT / "docs" / chapter).read_text()
        assert title.split(":")[0] in text.splitlines()[0], (title, chapter)
        if anchor:
            slugs = set()
            for heading in re.findall(r"^#{1,3} (.+)$", text, flags=re.M):
                slug = re.sub(r"[^\w\- ]", "", heading.lower()).strip().replace(" ", "-")
                slugs.add(slug)
            assert anchor in slugs, (address, sorted(slugs))


def test_the_readme_commands_work_as_written(tmp_path: Path) -> None:
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


def test_no_module_of_the_package_is_over_400_lines() -> None:
    for module in (ROOT / "autograd" / "workbook").glob("*.py"):
        assert len(module.read_text().splitlines()) <= 400, module.name


def test_finite_differences_and_torch_agree_on_every_expected_gradient() -> None:
    # The catalogue's expected numbers come from finite differences by default: PyTorch in
    # float64 must agree with every one of them, upstream gradient included.
    torch = pytest.importorskip("torch")
    from autograd.workbook.catalogue import CASES
    from autograd.workbook.references import reference

    for case in CASES:
        expected = reference(case, torch)
        assert expected.torch_grads is not None
        for name, value in expected.grads.items():
            assert expected.torch_grads[name] == pytest.approx(value, rel=1e-6, abs=1e-6), (
                case.shown(),
                name,
            )


def test_the_test_points_avoid_zero_and_one_and_the_upstream_is_never_one() -> None:
    from autograd.workbook.catalogue import CASES

    manual = [case for case in CASES if case.mode == "manual"]
    assert len(manual) > 30
    for case in manual:
        assert abs(case.upstream) >= 1.5, case.shown()
        for _, value in case.inputs:
            assert abs(value) >= 0.3 and abs(abs(value) - 1) >= 0.2, case.shown()
