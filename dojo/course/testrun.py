"""Run pytest in a child process and read its verdicts from a report log.

Verdicts are read outside the process that ran the tests (pytest-reportlog writes one JSON
line per report as it goes), so a crash or a kill loses only what had not happened yet, and
code under test cannot forge the result by patching pytest from inside.

The child runs in a session of its own: a time limit kills it and everything it started,
and whatever it prints is kept to a bounded head and tail, so a test that hangs, spawns or
floods costs its own run only.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # the caller brings the sandbox; the course needs no server code
    from dojo.server.sandbox import Sandbox

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"
# What is kept of a child's printed output: its first and its last half of this many bytes.
OUTPUT_LIMIT = 1_000_000
# What is kept of one test's captured output, and the longest report line read at all.
TEST_OUTPUT_LIMIT = 4_000
LINE_LIMIT = 4_000_000
# Seconds a child may take to exit once its session is over, and how often to look.
EXIT_GRACE = 2.0
POLL_INTERVAL = 0.2


@dataclass
class TestOutcome:
    """The verdict of one test: passed, failed, error (in set-up or tear-down) or skipped."""

    __test__ = False  # not a test class, whatever pytest guesses from the name

    nodeid: str
    outcome: str
    message: str = ""
    duration: float = 0.0
    phases: dict[str, str] = field(default_factory=dict)
    output: str = ""

    @property
    def complete(self) -> bool:
        """Every phase that had to report did: set-up, then the call (unless set-up did not
        pass) and tear-down. A test cut short by a crash or a kill is not complete."""
        if "setup" not in self.phases or "teardown" not in self.phases:
            return False
        return "call" in self.phases or self.phases["setup"] != PASSED

    @property
    def name(self) -> str:
        """The test's name inside its file: ``test_x`` or ``test_x[param]``."""
        return self.nodeid.rsplit("::", 1)[-1]


@dataclass
class TestRun:
    """What one pytest process reported."""

    __test__ = False

    returncode: int
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)
    collection_errors: dict[str, str] = field(default_factory=dict)
    output: str = ""
    timed_out: bool = False

    def in_folder(self, folder: str) -> list[TestOutcome]:
        """The outcomes of tests whose node id starts with ``folder/``."""
        return [o for o in self.outcomes.values() if o.nodeid.startswith(folder.rstrip("/") + "/")]

    def collection_error_in(self, folder: str) -> str | None:
        prefix = folder.rstrip("/") + "/"
        for nodeid, message in self.collection_errors.items():
            if nodeid.startswith(prefix):
                return message
        return None


def run_pytest(
    args: Sequence[str],
    cwd: Path,
    *,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    unset_env: Sequence[str] = (),
    finished: Callable[[], bool] | None = None,
    sandbox: Sandbox | None = None,
    readable: Sequence[Path] = (),
    writable: Sequence[Path] = (),
) -> TestRun:
    """Run ``python -m pytest args`` in ``cwd`` and collect every test's verdict.

    ``env`` adds to this process's environment and ``unset_env`` names variables the child
    must not inherit. After ``timeout`` seconds the child and all it started are killed;
    so are they ``EXIT_GRACE`` seconds after ``finished()`` first says the session is over
    (a thread that never ends can keep a finished pytest from exiting).

    With a ``sandbox``, the child runs inside it with ``env`` alone for its environment
    (nothing inherited), reading ``readable`` besides the system and Python, and writing only
    to ``writable`` and to its report log's folder.
    """
    with tempfile.TemporaryDirectory(prefix="dojo-run-") as scratch:
        log = Path(scratch) / "report.jsonl"
        command = [sys.executable, "-m", "pytest", *args, f"--report-log={log}"]
        child_env = {**os.environ, **(env or {}), "PYTHONDONTWRITEBYTECODE": "1"}
        for name in unset_env:
            child_env.pop(name, None)
        limits = None
        if sandbox is not None and sandbox.available:
            child_env = {**(env or {}), "PYTHONDONTWRITEBYTECODE": "1"}
            command = sandbox.wrap(
                command, env=child_env, cwd=cwd, readable=readable,
                writable=[Path(scratch), *writable],
            )  # fmt: skip
            limits = sandbox.limits()
        returncode, output, timed_out = run_child(
            command, cwd, child_env, timeout, finished, preexec=limits
        )
        run = TestRun(returncode, output=output, timed_out=timed_out)
        if log.exists():
            read_report_log(log, run)
    return run


def run_child(
    command: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    timeout: float | None,
    finished: Callable[[], bool] | None = None,
    preexec: Callable[[], None] | None = None,
) -> tuple[int, str, bool]:
    """Run ``command`` in a session of its own: (exit code, bounded output, timed out).

    When it ends, or after ``timeout`` seconds, or ``EXIT_GRACE`` seconds after
    ``finished()`` turns true, its whole process group is killed, so nothing it started
    lives on to hold its output open or to touch files later.
    """
    child = subprocess.Popen(
        command,
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=preexec,
    )
    assert child.stdout is not None
    output = _BoundedOutput(OUTPUT_LIMIT)
    reader = threading.Thread(target=output.drain, args=(child.stdout,), daemon=True)
    reader.start()
    try:
        timed_out = _wait(child, timeout, finished)
    finally:
        _kill_group(child.pid)
    returncode = child.wait()
    reader.join(timeout=5)
    if not reader.is_alive():  # else a process that left the group still holds the pipe
        child.stdout.close()
    return returncode, output.text(), timed_out


def _wait(
    child: subprocess.Popen[bytes], timeout: float | None, finished: Callable[[], bool] | None
) -> bool:
    """Wait for ``child`` to exit; True when it ran out of time."""
    started = time.monotonic()
    finished_at: float | None = None
    while True:
        now = time.monotonic()
        if timeout is not None and now - started >= timeout:
            return True
        if finished_at is not None and now - finished_at >= EXIT_GRACE:
            return False
        if finished_at is None and finished is not None and finished():
            finished_at = now
        step = POLL_INTERVAL if finished is not None else None
        if timeout is not None:
            left = timeout - (now - started)
            step = left if step is None else min(step, left)
        try:
            child.wait(timeout=step)
            return False
        except subprocess.TimeoutExpired:
            continue


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(pid, signal.SIGKILL)


class _BoundedOutput:
    """Keeps the first and the last ``limit / 2`` bytes of a stream, however much comes."""

    def __init__(self, limit: int) -> None:
        self.half = limit // 2
        self.head = bytearray()
        self.tail = bytearray()
        self.dropped = 0

    def drain(self, stream: IO[bytes]) -> None:
        while chunk := os.read(stream.fileno(), 65536):
            room = self.half - len(self.head)
            self.head += chunk[:room]
            self.tail += chunk[room:] if room > 0 else chunk
            if len(self.tail) > self.half:
                cut = len(self.tail) - self.half
                self.dropped += cut
                del self.tail[:cut]

    def text(self) -> str:
        middle = f"\n[... {self.dropped} bytes of output left out ...]\n" if self.dropped else ""
        return (
            bytes(self.head).decode(errors="replace")
            + middle
            + bytes(self.tail).decode(errors="replace")
        )


def read_report_log(log: Path, run: TestRun) -> None:
    """Fold a pytest-reportlog file into ``run``: one outcome per test, worst phase wins."""
    for line in bounded_lines(log):
        try:
            report = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a kill, or too long to read
        kind = report.get("$report_type")
        if kind == "CollectReport" and report.get("outcome") == "failed":
            run.collection_errors[report["nodeid"]] = _longrepr_text(report.get("longrepr"))
        elif kind == "TestReport":
            _fold_test_report(report, run)


def bounded_lines(path: Path, limit: int = LINE_LIMIT) -> Iterator[str]:
    """The lines of a file, leaving out (as an empty line) any longer than ``limit``."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        while line := lines.readline(limit):
            if line.endswith("\n") or len(line) < limit:
                yield line
                continue
            while (rest := lines.readline(limit)) and not rest.endswith("\n"):
                pass  # skip the rest of an overlong line
            yield ""


def _fold_test_report(report: dict[str, object], run: TestRun) -> None:
    nodeid = str(report["nodeid"])
    when = report.get("when")
    outcome = str(report.get("outcome"))
    current = run.outcomes.setdefault(nodeid, TestOutcome(nodeid, PASSED))
    current.phases[str(when)] = outcome
    current.output = _captured(report.get("sections")) or current.output
    duration = report.get("duration")
    current.duration += float(duration) if isinstance(duration, int | float) else 0.0
    if outcome == "failed":
        verdict = FAILED if when == "call" else ERROR
        if current.outcome in (PASSED, SKIPPED):
            current.outcome = verdict
            current.message = _longrepr_text(report.get("longrepr"))
    elif outcome == "skipped" and current.outcome == PASSED:
        current.outcome = SKIPPED
        current.message = _longrepr_text(report.get("longrepr")).removeprefix("Skipped: ")


def _captured(sections: object) -> str:
    """What a test printed or logged so far (each report repeats the earlier phases'), short."""
    if not isinstance(sections, list):
        return ""
    parts = []
    for section in sections:
        if isinstance(section, list) and len(section) == 2:
            parts.append(f"--- {section[0]} ---\n{section[1]}")
    return "\n".join(parts)[:TEST_OUTPUT_LIMIT]


def _longrepr_text(longrepr: object) -> str:
    if isinstance(longrepr, str):
        return longrepr
    if isinstance(longrepr, dict):
        crash = longrepr.get("reprcrash")
        if isinstance(crash, dict) and crash.get("message"):
            # pytest.fail() messages come as "Failed: <message>"; the message is the news.
            return str(crash["message"]).removeprefix("Failed: ")
        return json.dumps(longrepr)[:2000]
    if isinstance(longrepr, list):  # a skip: (file, line, reason)
        return str(longrepr[-1])
    return ""
