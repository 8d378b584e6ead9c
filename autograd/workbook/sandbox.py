"""Where the learner's code runs: a child process (the command line) or this process.

Both sandboxes answer the same tasks with the same plain data (``probe.py``), so the grader
does not know which one it talks to:

* :class:`ChildProcess` runs the file in ``python -m autograd.workbook.sandbox FILE``,
  sends it one task at a time and reads one JSON answer per task over a pipe that the
  learner's code does not write to. At the time limit the child says which line it is on,
  and the parent kills it: no ``except``, signal handler or ``os._exit`` in the learner's
  file can outlast the limit or fake an answer, and a child that ends without answering
  fails the task.
* :class:`InProcess` is for a browser page, which has one thread and no processes: a
  ``sys.settrace`` hook on the learner's lines stops a task that runs past the limit.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import signal
import sys
import threading
import time
import tokenize
import types
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from autograd.workbook import probe
from autograd.workbook.probe import Learner, StillRunning

#: Seconds a task may run before it is stopped (and the report says where).
TIME_LIMIT = 10.0
#: Seconds the parent waits past the limit for the child to say where it is.
GRACE = 1.0
#: Seconds a child process may take to start, before its first task.
STARTUP_LIMIT = 60.0


class Printed(io.TextIOBase):
    """Stands in for stdout and stderr: counts the learner's lines and keeps none of them."""

    def __init__(self) -> None:
        self.lines = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.lines += str(text).count("\n")
        return len(text)


def perform(learner: Learner, task: dict[str, Any], source: str | bytes) -> dict[str, Any]:
    """Do one task in this process (see ``probe.py``)."""
    if task["task"] == "load":
        try:
            code = compile(source, learner.filename, "exec")
        except (SyntaxError, ValueError) as error:
            line = getattr(error, "lineno", None) or 0
            message = getattr(error, "msg", str(error))
            return {"error": {"type": type(error).__name__, "message": message, "line": line}}
        return probe.load(learner, code)
    if task["task"] == "stub":
        return probe.is_stub(learner, task["method"])
    return probe.run_case(learner, task["index"])


def source_lines(source: bytes) -> list[str]:
    """The file's lines decoded as Python decodes them (byte-order mark, coding cookie)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        return source.decode(encoding).removeprefix("\ufeff").splitlines()
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return source.decode("utf-8", "replace").splitlines()


# -- In this process (the browser) ---------------------------------------------------------


@contextlib.contextmanager
def traced_limit(learner: Learner, seconds: float) -> Iterator[None]:
    """Stop the learner's code after ``seconds``, from a trace hook on its lines.

    Once the limit has passed, every further line of the learner's file raises again, so an
    ``except BaseException`` around a loop cannot keep it going.
    """
    deadline = time.monotonic() + seconds
    state: dict[str, Any] = {"lines": 0, "where": None, "active": True}

    def on_line(frame: types.FrameType, event: str, arg: object) -> Any:
        if event == "line":
            state["lines"] += 1
            if state["where"] is None and state["lines"] % 1000 == 0:
                if time.monotonic() > deadline:
                    state["where"] = learner.where(frame)
            if state["where"] is not None:
                raise StillRunning(state["where"], rearm)
        return on_line

    def on_call(frame: types.FrameType, event: str, arg: object) -> Any:
        return on_line if frame.f_code.co_filename == learner.filename else None

    def rearm() -> None:
        # Called from StillRunning.__del__, in the frame that let the exception go.
        frame = sys._getframe(2)
        if state["active"] and frame.f_code.co_filename == learner.filename:
            frame.f_trace = on_line
            sys.settrace(on_call)

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield
    finally:
        state["active"] = False
        sys.settrace(previous)


class InProcess:
    """Runs the learner's text in this interpreter, each task under :func:`traced_limit`."""

    def __init__(self, text: str, filename: str = "engine.py", seconds: float = TIME_LIMIT):
        self.source = text.removeprefix("\ufeff")
        self.learner = Learner(filename, self.source.splitlines())
        self.seconds = seconds
        self.printed = Printed()

    def ask(self, task: dict[str, Any]) -> dict[str, Any]:
        seconds = task.get("seconds") or self.seconds
        stdin = sys.stdin
        previous = sys.modules.get(probe.MODULE_NAME)
        # dataclasses and friends look a class's module up by its name
        sys.modules[probe.MODULE_NAME] = self.learner.module
        try:
            sys.stdin = io.StringIO()  # an input() in the file ends instead of waiting
            with (
                contextlib.redirect_stdout(self.printed),
                contextlib.redirect_stderr(self.printed),
                traced_limit(self.learner, seconds),
            ):
                return perform(self.learner, task, self.source)
        finally:
            sys.stdin = stdin
            if previous is None:
                sys.modules.pop(probe.MODULE_NAME, None)
            else:
                sys.modules[probe.MODULE_NAME] = previous

    @property
    def printed_lines(self) -> int:
        return self.printed.lines

    def close(self) -> None:
        pass


# -- In a child process (the command line) --------------------------------------------------


class ChildProcess:
    """Runs the learner's file in a child process that is killed at the time limit."""

    def __init__(self, path: Path, seconds: float = TIME_LIMIT) -> None:
        self.path = path
        self.seconds = seconds
        self.process: Any = None
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.printed_before = 0  # lines printed in children that were killed
        self.printed_now = 0
        self.asked = 0  # tasks sent, so an answer can be matched to its task

    def _start(self) -> None:
        import subprocess  # not in the browser, which only uses InProcess

        package_root = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH", "")
        env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograd.workbook.sandbox", str(self.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("AUTOGRAD_WORKBOOK_DEBUG") else subprocess.DEVNULL,
            env=env,
        )
        self.answers = queue.Queue()
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        # Starting Python takes a while on a busy machine: it does not count against the
        # time limit of the first task.
        try:
            if self.answers.get(timeout=STARTUP_LIMIT) is None:
                self.answers.put(None)  # it ended before it was ready: the task will say so
        except queue.Empty:
            pass

    def _read(self, stream: IO[bytes]) -> None:
        answers = self.answers
        for line in stream:
            try:
                answers.put(json.loads(line))
            except ValueError:
                continue
        answers.put(None)

    def ask(self, task: dict[str, Any]) -> dict[str, Any]:
        if self.process is None:
            self._start()
            if task["task"] != "load":
                self._exchange({"task": "load"})  # a new child after a kill: load again
        return self._exchange(task)

    def _exchange(self, task: dict[str, Any]) -> dict[str, Any]:
        seconds = task.get("seconds") or self.seconds
        self.asked += 1
        task = {**task, "seconds": seconds, "number": self.asked}
        try:
            self.process.stdin.write((json.dumps(task) + "\n").encode())
            self.process.stdin.flush()
        except OSError:
            pass  # the child is gone; reading says so
        deadline = time.monotonic() + seconds + GRACE
        while True:
            try:
                answer = self.answers.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self._kill()
                return {"timeout": True, "where": {}}
            if answer is None:
                status = self.process.wait()
                self._forget()
                return {"crashed": status}
            if answer.get("task") != self.asked:
                continue  # a late word about an earlier task
            if "running" in answer:
                self._kill()
                return {"timeout": True, "where": answer["running"]}
            self.printed_now = answer.get("printed", 0)
            return answer["result"]

    @property
    def printed_lines(self) -> int:
        return self.printed_before + self.printed_now

    def _forget(self) -> None:
        self.printed_before += self.printed_now
        self.printed_now = 0
        self.process = None

    def _kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._forget()

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self._kill()


class _Watchdog(threading.Thread):
    """In the child: at the time limit, tell the parent which line the learner's code is on."""

    def __init__(self, learner: Learner, send: Any) -> None:
        super().__init__(daemon=True)
        self.learner, self.send = learner, send
        self.main = threading.main_thread().ident
        self.started = 0.0
        self.limit = TIME_LIMIT
        self.busy = False
        self.reported = True
        self.task = 0

    def begin(self, seconds: float, task: int) -> None:
        self.started, self.limit, self.task = time.monotonic(), seconds, task
        self.busy, self.reported = True, False

    def run(self) -> None:
        while True:
            time.sleep(0.02)
            running = time.monotonic() - self.started
            if self.busy and not self.reported and running > self.limit:
                self.reported = True
                frame = sys._current_frames().get(self.main or 0)
                self.send({"running": self.learner.where(frame), "task": self.task})
            if self.busy and running > self.limit + 60:
                os._exit(3)  # the parent would have killed this process long ago: it is gone


def child(path: str) -> None:
    """The child's side: load the file, then answer one task per line of stdin."""
    commands = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # The learner's code gets an empty stdin and prints into Printed, not into the pipes.
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1) if os.environ.get("AUTOGRAD_WORKBOOK_DEBUG") else (0, 1, 2):
        os.dup2(quiet, fd)
    printed = Printed()
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(), printed, printed
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    source = Path(path).read_bytes()
    learner = Learner(path, source_lines(source))
    sys.modules[probe.MODULE_NAME] = learner.module
    sys.path.insert(0, str(Path(path).parent))  # the learner's own modules beside the file
    lock = threading.Lock()

    def send(message: dict[str, Any]) -> None:
        with lock:
            answers.write(json.dumps(message) + "\n")
            answers.flush()

    watchdog = _Watchdog(learner, send)
    watchdog.start()
    send({"ready": True})
    for line in commands:
        task = json.loads(line)
        watchdog.begin(task["seconds"], task["number"])
        result = perform(learner, task, source)
        watchdog.busy = False
        send({"result": result, "printed": printed.lines, "task": task["number"]})


if __name__ == "__main__":
    child(sys.argv[1])
