"""Run one page's examples the way ``sphinx-build -b doctest`` does, inside the reader's browser.

This module runs in Pyodide (the page's Run button imports it there), and also in CPython,
where tests/test_runinbrowser.py checks its rules one by one and tests/browser/ checks that
it gives the doctest builder's verdict on every block of the book. It follows
sphinx/ext/doctest.py:

- one namespace per page and group (every block here is in the group "default");
  ``testsetup`` code runs first;
- ``{doctest}`` blocks are parsed by :class:`doctest.DocTestParser` and each example is
  compiled in "single" mode, so an expression's value is printed as in the REPL;
- a ``{testcode}`` block is one example compiled in "exec" mode whose expected output is
  the following ``{testoutput}``, compared with ``DONT_ACCEPT_BLANKLINE`` added;
- outputs are compared by :class:`doctest.OutputChecker` with the book's default flags
  (``doctest_default_flags``) and the block's own ``:options:`` and ``# doctest:`` flags.

Running block k first replays the page's earlier blocks 0..k-1 that have not run yet; running
a block at or before the last one run starts the page's namespace again, so a block's output
never depends on the order in which the reader clicked.
"""

from __future__ import annotations

import ast
import doctest
import json
import traceback
from typing import Any

_PARSER = doctest.DocTestParser()
# The interpreter's own frames are noise to a reader: keep what precedes the traceback and
# the exception line(s), which is also what the book shows.
_TRACEBACK = "Traceback (most recent call last):\n"


class _Runner(doctest.DocTestRunner):
    """A DocTestRunner that records each example's output and verdict instead of printing."""

    def __init__(self, optionflags: int) -> None:
        super().__init__(verbose=False, optionflags=optionflags)
        self.records: list[dict[str, Any]] = []

    def report_start(self, out, test, example) -> None:
        pass

    def report_success(self, out, test, example, got) -> None:
        self.records.append({"example": example, "got": got, "ok": True, "diff": ""})

    def report_failure(self, out, test, example, got) -> None:
        diff = self._checker.output_difference(example, got, self.optionflags)
        self.records.append({"example": example, "got": got, "ok": False, "diff": diff})

    def report_unexpected_exception(self, out, test, example, exc_info) -> None:
        got = (
            _TRACEBACK
            + "  ...\n"
            + "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
        )
        diff = self._checker.output_difference(example, got, self.optionflags)
        self.records.append({"example": example, "got": got, "ok": False, "diff": diff})


def shorten_traceback(text: str) -> str:
    """``text`` with a traceback's frame lines replaced by ``  ...``, as the book prints it."""
    start = text.find(_TRACEBACK)
    if start < 0:
        return text
    lines = text[start + len(_TRACEBACK) :].splitlines(keepends=True)
    # The exception itself starts at the first line that is not an indented frame line.
    first = next((i for i, line in enumerate(lines) if not line.startswith(" ")), len(lines))
    return text[:start] + _TRACEBACK + "  ...\n" + "".join(lines[first:])


def with_prompts(source: str) -> str:
    """``source`` as typed at the REPL: ``>>>`` before the first line, ``...`` before the rest."""
    lines = source.rstrip("\n").split("\n")
    return (
        "".join((">>> " if i == 0 else "... ") + line + "\n" for i, line in enumerate(lines))
        if source.strip()
        else ""
    )


def plain_code(unit: dict[str, Any]) -> str:
    """The code of a block without prompts and expected output: what Edit shows."""
    if unit["type"] != "doctest":
        return unit["code"]
    examples = _PARSER.get_examples(unit["code"])
    return "".join(example.source for example in examples)


def statements(code: str) -> list[str]:
    """``code`` split into its top-level statements, each as its own source text.

    Raises SyntaxError (with the line) when the reader's edited code does not parse.
    """
    tree = ast.parse(code)
    lines = code.splitlines(keepends=True)
    # A decorator belongs to the statement it decorates.
    starts = [
        min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        for node in tree.body
    ]
    ends = starts[1:] + [len(lines) + 1]
    return ["".join(lines[a - 1 : b - 1]).rstrip() + "\n" for a, b in zip(starts, ends)]


class PageRunner:
    """The examples of one page, their shared namespaces, and how far each has run."""

    def __init__(self, page: dict[str, Any]) -> None:
        self.units: list[dict[str, Any]] = page["units"]
        self.flags: int = page["default_flags"]
        self.namespaces: dict[str, dict[str, Any]] = {}
        # Index of the last unit run in each group's namespace (-1: fresh namespace).
        self.position: dict[str, int] = {}

    @classmethod
    def from_json(cls, text: str) -> PageRunner:
        return cls(json.loads(text))

    def groups(self, unit: dict[str, Any]) -> list[str]:
        if "*" in unit["groups"]:
            return sorted({g for u in self.units for g in u["groups"] if g != "*"} or {"default"})
        return unit["groups"]

    def run_json(self, index: int, edits_json: str = "{}") -> str:
        """JSON for the browser: :meth:`run` with edits given as ``{"index": code}``."""
        edits = {int(k): v for k, v in json.loads(edits_json).items()}
        return json.dumps(self.run(index, edits))

    def run(self, index: int, edits: dict[int, str] | None = None) -> list[dict[str, Any]]:
        """Run unit ``index`` after the units before it; one result per unit that ran.

        ``edits`` maps a unit's index to the code the reader typed in its place.
        """
        edits = edits or {}
        results = []
        for group in self.groups(self.units[index]):
            if self.position.get(group, -1) >= index:
                del self.position[group]
            if group not in self.position:
                self.position[group] = -1
                self.namespaces[group] = {}
                for j, unit in enumerate(self.units):
                    if unit["type"] == "testsetup" and group in self.groups(unit):
                        results.append(self.run_unit(j, group, edits))
            for j in range(self.position[group] + 1, index + 1):
                unit = self.units[j]
                if unit["type"] != "testsetup" and group in self.groups(unit):
                    results.append(self.run_unit(j, group, edits))
            self.position[group] = index
        return results

    def skip_reason(self, unit: dict[str, Any]) -> str:
        """Why the doctest builder would skip ``unit`` here ('' when it runs)."""
        if unit.get("needs"):
            return f"needs {unit['needs']}, which the browser does not have"
        # The book's own condition, evaluated in a fresh namespace as the builder does.
        if unit.get("skipif") and eval(unit["skipif"], {}):
            return f"skipped here, as the book's check skips it when {unit['skipif']}"
        return ""

    def run_unit(self, index: int, group: str, edits: dict[int, str]) -> dict[str, Any]:
        unit = self.units[index]
        result: dict[str, Any] = {
            "index": index,
            "status": "match",
            "transcript": "",
            "diff": "",
            "reason": "",
        }
        reason = self.skip_reason(unit)
        if reason:
            return result | {"status": "skipped", "reason": reason}
        edited = index in edits
        try:
            examples, mode = self.examples(unit, edits.get(index))
        except SyntaxError as error:
            return result | {
                "status": "error",
                "transcript": shorten_traceback(
                    "".join(traceback.format_exception_only(SyntaxError, error))
                ),
            }
        runner = _Runner(self.flags)
        test = doctest.DocTest(examples, {}, group, f"<{unit['type']} {index}>", 0, None)
        # Run in the page's namespace and keep it, as the doctest builder does.
        test.globs = self.namespaces[group]
        original_compile = doctest.compile if hasattr(doctest, "compile") else None
        # The doctest builder's own trick: doctest compiles in "single" mode, which cannot
        # hold a multi-statement testcode block, so the compile it uses is replaced.
        doctest.compile = lambda source, name, _mode, flags, inherit: compile(
            source, name, mode, flags, inherit
        )
        try:
            runner.run(test, out=lambda text: None, clear_globs=False)
        finally:
            if original_compile is None:
                del doctest.compile
            else:
                doctest.compile = original_compile
        transcript, diffs = [], []
        for record in runner.records:
            got = shorten_traceback(record["got"])
            if mode == "single":
                transcript.append(with_prompts(record["example"].source) + got)
            else:
                transcript.append(got)
            if not record["ok"]:
                where = with_prompts(record["example"].source) if mode == "single" else ""
                diffs.append(where + record["diff"])
        result["transcript"] = "".join(transcript)
        if edited:
            result["status"] = "edited"
        elif diffs:
            result["status"] = "expected" if unit.get("expected_difference") else "differ"
            result["diff"] = "\n".join(diffs)
            result["reason"] = unit.get("expected_difference", "")
        return result

    def examples(self, unit: dict[str, Any], edited: str | None) -> tuple[list, str]:
        """The doctest examples of ``unit`` (or of the reader's edit of it) and compile mode."""
        options = {int(flag): value for flag, value in unit["options"].items()}
        if edited is not None:
            if unit["type"] == "doctest":
                # The reader's code is run statement by statement, echoing values like the REPL.
                return [doctest.Example(s, "") for s in statements(edited)], "single"
            compile(edited, f"<edited {unit['type']}>", "exec")  # a SyntaxError surfaces here
            return [doctest.Example(edited, "")], "exec"
        if unit["type"] == "doctest":
            examples = _PARSER.get_examples(unit["code"])
            for example in examples:
                example.options = options | example.options
            return examples, "single"
        if unit["type"] == "testsetup":
            return [doctest.Example(unit["code"], "")], "exec"
        want = unit.get("want") or ""
        want_options = {int(f): v for f, v in unit.get("want_options", {}).items()}
        want_options[doctest.DONT_ACCEPT_BLANKLINE] = True
        match = _PARSER._EXCEPTION_RE.match(want)  # as sphinx.ext.doctest does
        example = doctest.Example(
            unit["code"], want, exc_msg=match.group("msg") if match else None, options=want_options
        )
        return [example], "exec"


def python_version() -> str:
    """The interpreter's version, shown to the reader next to a difference."""
    import platform

    return platform.python_version()


def check_workbook(source: str, last_step: int = 6) -> str:
    """The workbook's Check button: the checker's report on ``source``, steps 1 to ``last_step``.

    Returns JSON ``{"report": ..., "passed": ...}``; the report is the text that
    ``python -m autograd.workbook check engine.py --step N`` prints for a file with this
    source. The expected numbers come from central finite differences, as the command's do by
    default; the time limit comes from a trace hook on the learner's lines
    (``autograd.workbook.sandbox.InProcess``), since the page has no second process.
    """
    from autograd.workbook import check_source  # only the workbook's page needs it

    report = check_source(source, "engine.py", last_step=last_step)
    return json.dumps({"report": report.format(), "passed": report.passed})
