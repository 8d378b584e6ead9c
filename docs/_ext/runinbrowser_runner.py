"""Run one page's examples the way ``sphinx-build -b doctest`` does, inside the reader's browser.

This module runs in Pyodide (the page's Run button imports it there), and also in CPython,
where tests/test_runinbrowser.py checks its rules one by one and tests/browser/ checks that
it gives the doctest builder's verdict on every block of the book. It follows
sphinx/ext/doctest.py:

- one namespace per page and group (every block here is in the group "default");
  ``testsetup`` code runs first;
- ``{doctest}`` blocks are parsed by :class:`doctest.DocTestParser` and each example is
  compiled in "single" mode, so an expression's value is printed as in the REPL;
- a ``{testcode}`` block is one example run in "exec" mode whose expected output is
  the following ``{testoutput}``, compared with ``DONT_ACCEPT_BLANKLINE`` added (the
  builder replaces doctest's ``compile`` for that; here the example is one call that
  compiles the block in "exec" mode and runs it: the same verdict, through public names);
- outputs are compared by :class:`doctest.OutputChecker` with the book's default flags
  (``doctest_default_flags``) and the block's own ``:options:`` and ``# doctest:`` flags.

Running block k first replays the page's earlier blocks 0..k-1 that have not run yet; running
a block at or before the last one run starts the page's namespace again, so a block's output
never depends on the order in which the reader clicked.

The reader's edited code runs the same way, compiled under the name ``<your code>`` with its
own line numbers, so a traceback points at the reader's lines.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import io
import json
import sys
import traceback
from typing import Any

_PARSER = doctest.DocTestParser()
# The interpreter's own frames are noise to a reader: keep what precedes the traceback and
# the exception line(s), which is also what the book shows.
_TRACEBACK = "Traceback (most recent call last):\n"
# The file name of the reader's edited code in tracebacks.
READER_FILE = "<your code>"


def exception_message(want: str) -> str | None:
    """The exception message that the expected output ``want`` shows (None if it shows none).

    sphinx.ext.doctest finds it for a ``{testoutput}`` with doctest's private pattern
    ``DocTestParser._EXCEPTION_RE``, and so does this, to give the same verdict; no public
    name does it. tests/test_runinbrowser.py fails loudly if Python renames or changes it.
    """
    match = doctest.DocTestParser._EXCEPTION_RE.match(want)  # as sphinx.ext.doctest does
    return match.group("msg") if match else None


def exec_example(source: str, filename: str) -> str:
    """One doctest example that compiles ``source`` in "exec" mode and runs it, as one call.

    doctest compiles every example in "single" mode, which holds one statement: a
    ``{testcode}`` block needs "exec". The call runs in the example's namespace (``exec``
    without arguments uses the caller's).
    """
    return (
        f"__import__('builtins').exec(__import__('builtins').compile("
        f"{source!r}, {filename!r}, 'exec'))\n"
    )


def reader_traceback(exc_info: Any, text: str) -> str:
    """The traceback of an exception from the reader's code, from its first line there on.

    Lines of ``<your code>`` are numbered and quoted from the reader's ``text``; the frames
    of the runner that lead to it are left out.
    """
    frames = traceback.extract_tb(exc_info[2])
    first = next((i for i, f in enumerate(frames) if f.filename == READER_FILE), len(frames))
    lines = text.splitlines()
    shown = []
    for frame in frames[first:]:
        if frame.filename == READER_FILE and frame.lineno and frame.lineno <= len(lines):
            line = lines[frame.lineno - 1].strip()
            frame = traceback.FrameSummary(frame.filename, frame.lineno, frame.name, line=line)
        shown.append(frame)
    return (
        _TRACEBACK
        + "".join(traceback.format_list(shown))
        + "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
    )


class _Runner(doctest.DocTestRunner):
    """A DocTestRunner that records each example's output and verdict instead of printing."""

    def __init__(self, optionflags: int) -> None:
        self.checker = doctest.OutputChecker()
        super().__init__(checker=self.checker, verbose=False, optionflags=optionflags)
        self.records: list[dict[str, Any]] = []

    def report_start(self, out, test, example) -> None:
        pass

    def report_success(self, out, test, example, got) -> None:
        self.records.append({"example": example, "got": got, "ok": True, "diff": ""})

    def report_failure(self, out, test, example, got) -> None:
        diff = self.checker.output_difference(example, got, self.optionflags)
        self.records.append({"example": example, "got": got, "ok": False, "diff": diff})

    def report_unexpected_exception(self, out, test, example, exc_info) -> None:
        got = (
            _TRACEBACK
            + "  ...\n"
            + "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
        )
        diff = self.checker.output_difference(example, got, self.optionflags)
        self.records.append({"example": example, "got": got, "ok": False, "diff": diff})


def run_edited(text: str, repl: bool, globs: dict[str, Any]) -> tuple[str, bool, bool]:
    """Run the reader's ``text`` in ``globs``: (transcript, printed anything, raised).

    With ``repl``, statement by statement as typed at the REPL, echoing each value; else as
    one block. It stops at the first exception, as a script does, and shows its traceback
    with the reader's line numbers. Raises SyntaxError when ``text`` does not parse.
    """
    parts = statements(text) if repl else [(1, text)]
    code = [
        compile("\n" * (line - 1) + part, READER_FILE, "single" if repl else "exec")
        for line, part in parts
    ]  # every statement compiles before any runs, as a script's would
    transcript, printed, raised = [], False, False
    hook, sys.displayhook = sys.displayhook, sys.__displayhook__  # the REPL's echo
    try:
        for (_, part), compiled in zip(parts, code):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                try:
                    exec(compiled, globs)
                except Exception:
                    print(reader_traceback(sys.exc_info(), text), end="")
                    raised = True
            printed = printed or bool(out.getvalue())
            transcript.append((with_prompts(part) if repl else "") + out.getvalue())
            if raised:
                break
    finally:
        sys.displayhook = hook
    return "".join(transcript), printed, raised


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


def statements(code: str) -> list[tuple[int, str]]:
    """``code`` split into its top-level statements: (first line number, source text).

    Raises SyntaxError (with the line) when the reader's edited code does not parse.
    """
    tree = ast.parse(code, READER_FILE)
    lines = code.splitlines(keepends=True)
    # A decorator belongs to the statement it decorates.
    starts = [
        min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        for node in tree.body
    ]
    ends = starts[1:] + [len(lines) + 1]
    return [(a, "".join(lines[a - 1 : b - 1]).rstrip() + "\n") for a, b in zip(starts, ends)]


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
            "printed": False,
        }
        reason = self.skip_reason(unit)
        if reason:
            return result | {"status": "skipped", "reason": reason}
        edited = edits.get(index)
        if edited is not None:
            try:
                transcript, printed, raised = run_edited(
                    edited, unit["type"] == "doctest", self.namespaces[group]
                )
            except SyntaxError as error:
                text = "".join(traceback.format_exception_only(SyntaxError, error))
                return result | {"status": "error", "transcript": text}
            return result | {
                "status": "edited",
                "transcript": transcript,
                "printed": printed,
                "raised": raised,
            }
        examples = self.examples(unit)
        runner = _Runner(self.flags)
        test = doctest.DocTest(
            [example for example, _ in examples], {}, group, f"<{unit['type']} {index}>", 0, None
        )
        # Run in the page's namespace and keep it, as the doctest builder does.
        test.globs = self.namespaces[group]
        runner.run(test, out=lambda text: None, clear_globs=False)
        # What the reader sees for each example: its text with prompts (REPL style), or
        # nothing for a block that runs as a whole.
        shown = {id(example): prompt for example, prompt in examples}
        transcript, diffs = [], []
        for record in runner.records:
            got = shorten_traceback(record["got"])
            prompt = shown[id(record["example"])]
            transcript.append(prompt + got)
            if not record["ok"]:
                diffs.append(prompt + record["diff"])
        result["transcript"] = "".join(transcript)
        result["printed"] = any(record["got"] for record in runner.records)
        if diffs:
            result["status"] = "expected" if unit.get("expected_difference") else "differ"
            result["diff"] = "\n".join(diffs)
            result["reason"] = unit.get("expected_difference", "")
        return result

    def examples(self, unit: dict[str, Any]) -> list[tuple[doctest.Example, str]]:
        """The doctest examples of ``unit``, each with the text that the transcript shows
        before its output (the example with prompts, or nothing for a whole block)."""
        options = {int(flag): value for flag, value in unit["options"].items()}
        if unit["type"] == "doctest":
            examples = _PARSER.get_examples(unit["code"])
            for example in examples:
                example.options = options | example.options
            return [(example, with_prompts(example.source)) for example in examples]
        if unit["type"] == "testsetup":
            return [(doctest.Example(exec_example(unit["code"], "<testsetup>"), ""), "")]
        want = unit.get("want") or ""
        want_options = {int(f): v for f, v in unit.get("want_options", {}).items()}
        want_options[doctest.DONT_ACCEPT_BLANKLINE] = True
        source = exec_example(unit["code"], "<testcode>")
        example = doctest.Example(
            source, want, exc_msg=exception_message(want), options=want_options
        )
        return [(example, "")]


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
