"""The runner behind the book's Run buttons follows the doctest builder's rules.

docs/_ext/runinbrowser_runner.py runs in the reader's browser (Pyodide); here it runs in
CPython on small pages written for each rule. tests/browser/ runs it on the whole book, in
CPython and in Chromium.
"""

from __future__ import annotations

import doctest
import hashlib
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

from runinbrowser_runner import (  # noqa: E402
    PageRunner,
    check_workbook,
    exception_message,
    plain_code,
    shorten_traceback,
)


def extension(name: str = "runinbrowser"):
    """One of the book's Sphinx extensions (skipped where the docs extra is not installed)."""
    pytest.importorskip("sphinx", reason="Sphinx (the docs extra) is not installed")
    return __import__(name)


# sphinx.ext.doctest's default doctest_default_flags
FLAGS = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL | doctest.DONT_ACCEPT_TRUE_FOR_1


def unit(code: str, kind: str = "doctest", **extra: object) -> dict:
    return {
        "type": kind,
        "code": code,
        "groups": ["default"],
        "options": {},
        "skipif": None,
        "hidden": False,
        "needs": "",
    } | extra


def page(*units: dict) -> PageRunner:
    return PageRunner({"default_flags": FLAGS, "units": list(units)})


def test_a_block_matches_or_shows_the_difference() -> None:
    runner = page(unit(">>> 1 + 1\n2\n>>> print('a')\na"), unit(">>> 2 * 3\n7"))
    first, second = runner.run(1)
    assert first["status"] == "match"
    assert first["transcript"] == ">>> 1 + 1\n2\n>>> print('a')\na\n"
    assert second["status"] == "differ"
    assert "Expected:\n    7\nGot:\n    6\n" in second["diff"]


def test_running_a_block_replays_the_earlier_ones_once() -> None:
    runner = page(unit(">>> x = 1"), unit(">>> x += 1"), unit(">>> x\n2"))
    assert [r["index"] for r in runner.run(1)] == [0, 1]
    results = runner.run(2)  # 0 and 1 already ran: only 2
    assert [(r["index"], r["status"]) for r in results] == [(2, "match")]


def test_running_an_earlier_block_again_starts_the_page_afresh() -> None:
    runner = page(unit(">>> x = 1"), unit(">>> x += 1\n>>> x\n2"))
    runner.run(1)
    again = runner.run(1)  # without a fresh namespace x would be 3
    assert [(r["index"], r["status"]) for r in again] == [(0, "match"), (1, "match")]


def test_testcode_runs_as_one_exec_block_against_its_testoutput() -> None:
    code = "total = 0\nfor i in range(3):\n    total += i\nprint(total)\n"
    assert page(unit(code, "testcode", want="3\n")).run(0)[0]["status"] == "match"
    assert page(unit(code, "testcode", want="4\n")).run(0)[0]["status"] == "differ"


def test_default_flags_apply_ellipsis_and_exception_detail() -> None:
    runner = page(
        unit(">>> list(range(20))\n[0, 1, ..., 19]"),
        unit(">>> 1 / 0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: other"),
        unit(">>> 1 / 0\nTraceback (most recent call last):\n  ...\nValueError: no"),
    )
    statuses = [r["status"] for r in runner.run(2)]
    assert statuses == ["match", "match", "differ"]


def test_an_exception_is_shown_as_the_book_shows_it() -> None:
    result = page(unit(">>> {}['k']\n1")).run(0)[0]
    assert result["status"] == "differ"
    assert result["transcript"] == (
        ">>> {}['k']\nTraceback (most recent call last):\n  ...\nKeyError: 'k'\n"
    )
    assert "Expected:\n    1\nGot:\n    Traceback" in result["diff"]


def test_edited_code_echoes_values_like_the_repl_and_is_not_compared() -> None:
    runner = page(unit(">>> a = 2\n>>> a * 10\n20"))
    result = runner.run(0, {0: "a = 3\nfor i in range(2):\n    print(i)\na * 10\n"})[0]
    assert result["status"] == "edited"
    assert result["transcript"] == (
        ">>> a = 3\n>>> for i in range(2):\n...     print(i)\n0\n1\n>>> a * 10\n30\n"
    )


def test_edited_code_that_does_not_parse_says_where() -> None:
    result = page(unit(">>> 1")).run(0, {0: "y = 1\nx = (1,\n"})[0]
    assert result["status"] == "error"
    assert 'File "<your code>", line 2' in result["transcript"]
    assert "SyntaxError" in result["transcript"]


def test_a_traceback_from_edited_code_shows_the_readers_line_numbers() -> None:
    code = "def f(x):\n    return 1 / x\n\nprint('before')\nf(0)\n"
    for kind in ("doctest", "testcode"):
        result = page(unit(">>> 1\n1", kind)).run(0, {0: code})[0]
        assert result["status"] == "edited" and result["raised"], result
        transcript = result["transcript"]
        assert "before\n" in transcript and "  ...\n" not in transcript
        assert 'File "<your code>", line 5, in <module>\n    f(0)\n' in transcript
        assert 'File "<your code>", line 2, in f\n    return 1 / x\n' in transcript
        assert transcript.endswith("ZeroDivisionError: division by zero\n")
        # The runner's own frames are not the reader's business.
        assert "runinbrowser_runner" not in transcript and "doctest" not in transcript


def test_an_error_inside_the_package_keeps_the_packages_frame() -> None:
    code = ">>> from autograd.engine import Value\n>>> Value(1.0) + 'a'\n"
    result = page(unit(">>> 1\n1")).run(0, {0: plain_code(unit(code))})[0]
    assert 'File "<your code>", line 2, in <module>' in result["transcript"]
    assert "engine.py" in result["transcript"]
    assert "TypeError" in result["transcript"]


def test_a_block_says_whether_it_printed_anything() -> None:
    quiet, loud = page(unit(">>> x = 1"), unit(">>> x\n1")).run(1)
    assert (quiet["status"], quiet["printed"]) == ("match", False)
    assert (loud["status"], loud["printed"]) == ("match", True)
    assert page(unit("y = 2\n", "testcode", want="")).run(0)[0]["printed"] is False


def test_testcode_expecting_an_exception_is_judged_as_the_builder_judges_it() -> None:
    want = "Traceback (most recent call last):\n  ...\nValueError: bad\n"
    code = "print('never')\nraise ValueError('bad')\n"
    assert page(unit(code, "testcode", want=want)).run(0)[0]["status"] == "match"
    other = "raise ValueError('other')\n"  # IGNORE_EXCEPTION_DETAIL is a default flag
    assert page(unit(other, "testcode", want=want)).run(0)[0]["status"] == "match"
    wrong = "raise TypeError('bad')\n"
    assert page(unit(wrong, "testcode", want=want)).run(0)[0]["status"] == "differ"


def test_the_exception_pattern_borrowed_from_doctest_still_works() -> None:
    """exception_message reads doctest's private _EXCEPTION_RE, as sphinx.ext.doctest does.

    If a Python release renames or changes it, this fails here, by name, instead of the
    browser quietly judging {testoutput} tracebacks differently from `make doctest`.
    """
    assert hasattr(doctest.DocTestParser, "_EXCEPTION_RE"), (
        "doctest.DocTestParser._EXCEPTION_RE is gone: exception_message in"
        " docs/_ext/runinbrowser_runner.py (and sphinx.ext.doctest) must follow"
    )
    wants = [
        "Traceback (most recent call last):\n  ...\nValueError: bad\n",
        'Traceback (most recent call last):\n  File "x", line 1\nKeyError: 1\nmore\n',
        "printed first\nTraceback (most recent call last):\n  ...\nValueError: x\n",
        "42\n",
        "",
    ]
    for want in wants:
        # doctest's own parser computes the same for an example written with this output.
        [example] = doctest.DocTestParser().get_examples(">>> f()\n" + want)
        assert exception_message(want) == example.exc_msg, want
    assert exception_message(wants[0]) == "ValueError: bad\n"
    assert exception_message("42\n") is None


def test_skipif_and_missing_packages() -> None:
    runner = page(unit(">>> 1\n2", skipif="True"), unit(">>> import torch", needs="PyTorch"))
    first, second = runner.run(1)
    assert first["status"] == second["status"] == "skipped"
    assert second["reason"] == "needs PyTorch, which the browser does not have"


def test_plain_code_drops_prompts_and_output() -> None:
    assert plain_code(unit(">>> for i in (1, 2):\n...     i\n1\n2\n>>> 3\n3")) == (
        "for i in (1, 2):\n    i\n3\n"
    )
    assert plain_code(unit("print(1)\n", "testcode")) == "print(1)\n"


def test_shorten_traceback_keeps_the_output_before_and_the_exception() -> None:
    text = (
        'printed\nTraceback (most recent call last):\n  File "x", line 1, in <module>\n'
        "    f()\nValueError: bad\n"
    )
    assert shorten_traceback(text) == (
        "printed\nTraceback (most recent call last):\n  ...\nValueError: bad\n"
    )


def test_blocks_that_need_what_the_browser_lacks_are_found_from_the_chapter() -> None:
    needs = extension().needs
    find = {"skipif": '__import__("importlib").util.find_spec("torch") is None', "code": "1"}
    ours = ["autograd"]
    assert needs(find, ours) == "PyTorch"
    assert needs({"skipif": None, "code": ">>> import torch\n"}, ours) == "PyTorch"
    assert needs({"skipif": None, "code": "from torch import nn\n"}, ours) == "PyTorch"
    assert needs({"skipif": None, "code": ">>> import matplotlib.pyplot\n"}, ours) == "Matplotlib"
    assert needs({"skipif": None, "code": ">>> torch_gradients = 1\n"}, ours) == ""
    assert needs({"skipif": None, "code": ">>> import math, numpy as np\n"}, ours) == "NumPy"
    code = ">>> import math, random\n>>> from autograd.nn import MLP\n>>> import os.path as p\n"
    code += "from __future__ import annotations\n"
    assert needs({"skipif": None, "code": code}, ours) == ""


def test_a_module_of_ours_needs_what_it_imports_at_the_top() -> None:
    module_needs = extension().module_needs
    ours = ["autograd"]
    assert module_needs("autograd.tensor", ours) == "NumPy"
    assert module_needs("autograd.tensor_nn", ours) == "NumPy"
    # Imports inside functions do not count: the scalar modules run in the browser.
    assert module_needs("autograd.engine", ours) == ""
    assert module_needs("autograd.plots", ours) == ""
    assert module_needs("autograd.verify_gradients", ours) == ""
    assert module_needs("no.such.module", ours) == ""
    # A docstring line that starts with "from the ..." is prose, not an import (it once
    # took train_toy's imports away from the training-loop page in the browser).
    assert module_needs("autograd.train_toy", ours) == ""
    top_level_imports = extension().top_level_imports
    source = 'import math\n"""\nfrom the top\n"""\ndef f():\n    import numpy\nfrom a.b import c\n'
    assert top_level_imports(source) == ["math", "a.b"]


def test_the_build_refuses_a_vendored_file_that_fails_its_checksum(tmp_path: Path) -> None:
    pyodide_files = extension("pyodide_runtime").pyodide_files
    from sphinx.errors import ExtensionError

    vendor = tmp_path / "vendor"
    vendor.mkdir()
    names = [
        "pyodide.js",
        "pyodide.asm.js",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
        "LICENSE",
    ]
    for name in names:
        (vendor / name).write_bytes(name.encode())
    digests = {name: hashlib.sha256(name.encode()).hexdigest() for name in names}
    (vendor / "MANIFEST.json").write_text(json.dumps({"version": "0", "sha256": digests}))
    app = SimpleNamespace(
        confdir=str(tmp_path), config=SimpleNamespace(runinbrowser_pyodide="vendor")
    )
    assert set(pyodide_files(app)[1]) == set(names)
    (vendor / "pyodide.asm.wasm").write_bytes(b"tampered")
    with pytest.raises(ExtensionError, match="pyodide.asm.wasm does not match"):
        pyodide_files(app)


# -- The workbook's editor ------------------------------------------------------------------

STARTER_JSON = re.compile(
    r'<script type="application/json" class="workbook-starter">(.*?)</script>', re.S
)


def test_the_workbook_editor_embeds_the_packages_starter_exactly() -> None:
    """The directive takes STARTER from the package when the book is built; never a copy."""
    workbook_editor = extension("workbook_editor")
    from autograd import workbook

    noted: list[str] = []
    env = SimpleNamespace(note_dependency=noted.append)
    state = SimpleNamespace(document=SimpleNamespace(settings=SimpleNamespace(env=env)))
    machine = SimpleNamespace(reporter=None)
    directive = workbook_editor.WorkbookEditor(
        "workbook-editor", [], {}, [], 1, 0, "", state, machine
    )
    [node] = directive.run()
    html = node.astext()
    assert node["format"] == "html" and node.get("workbook_editor")
    [embedded] = STARTER_JSON.findall(html)
    assert json.loads(embedded) == workbook.STARTER
    assert "needs JavaScript" in html
    # The page is rebuilt when the starter's file changes.
    assert noted == [str(Path(workbook.__file__).resolve()), str(workbook.STARTER_PATH.resolve())]


def test_no_starter_text_can_close_the_script_element() -> None:
    html = extension("workbook_editor").workbook_editor_html('x = "</script><b>"\n')
    [embedded] = STARTER_JSON.findall(html)
    assert json.loads(embedded) == 'x = "</script><b>"\n'


def test_check_workbook_gives_the_report_the_command_prints(tmp_path: Path, capsys) -> None:
    from autograd import workbook

    text = workbook.STARTER.replace(
        '        raise NotImplementedError("step 1: __add__ is not written yet")\n',
        "        return Value(self.data + other.data)\n",
    )
    engine = tmp_path / "engine.py"
    engine.write_text(text, encoding="utf-8")
    for step in (1, 6):
        status = workbook.main(["check", str(engine), "--step", str(step)])
        printed = capsys.readouterr().out
        result = json.loads(check_workbook(text, step))
        assert result == {"report": printed.rstrip("\n"), "passed": status == 0}
        assert printed.count("  step ") == step
    assert "__add__" in printed and "not yet written" in printed


def test_check_workbook_refuses_a_step_out_of_range() -> None:
    with pytest.raises(ValueError, match="last_step must be 1 to 6, not 7"):
        check_workbook("", 7)


def test_a_chapter_gives_the_reason_a_block_differs_in_the_browser(tmp_path: Path) -> None:
    """``:browser-difference:`` on a block reaches the page's data; the build is unchanged."""
    pytest.importorskip("sphinx", reason="Sphinx (the docs extra) is not installed")
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    root = Path(__file__).resolve().parents[1]
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(root / 'docs' / '_ext')!r})\n"
        "extensions = ['runinbrowser']\n"
        f"runinbrowser_pyodide = {str(root / 'vendor' / 'pyodide')!r}\n"
        "runinbrowser_packages = []\n"
    )
    (src / "index.rst").write_text(
        "Page\n====\n\n"
        ".. doctest::\n   :browser-difference: The last bit\n      differs there.\n\n"
        "   >>> 1 + 1\n   2\n\n"
        ".. testcode::\n\n   print(3)\n\n.. testoutput::\n\n   3\n"
    )
    # docutils keeps directives and nodes in global registries: restore them afterwards.
    with docutils_namespace():
        app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None)
        app.build()
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    [data] = re.findall(r'id="runinbrowser-data">(.*?)</script>', html, re.S)
    doctest_unit, testcode_unit = json.loads(data)["units"]
    assert doctest_unit["expected_difference"] == "The last bit differs there."
    assert "expected_difference" not in testcode_unit
    assert "browser-difference" not in html.replace("runinbrowser-data", "")
