"""Run pytest in a child process and read its verdicts from a report log.

Verdicts are read outside the process that ran the tests (pytest-reportlog writes one JSON
line per report as it goes), so a crash or a kill loses only what had not happened yet, and
code under test cannot forge the result by patching pytest from inside.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"


@dataclass
class TestOutcome:
    """The verdict of one test: passed, failed, error (in set-up or tear-down) or skipped."""

    __test__ = False  # not a test class, whatever pytest guesses from the name

    nodeid: str
    outcome: str
    message: str = ""
    duration: float = 0.0

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
    env: dict[str, str] | None = None,
) -> TestRun:
    """Run ``python -m pytest args`` in ``cwd`` and collect every test's verdict."""
    with tempfile.TemporaryDirectory(prefix="dojo-run-") as scratch:
        log = Path(scratch) / "report.jsonl"
        command = [sys.executable, "-m", "pytest", *args, f"--report-log={log}"]
        child_env = {**os.environ, **(env or {}), "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            finished = subprocess.run(
                command,
                cwd=cwd,
                env=child_env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            run = TestRun(finished.returncode, output=finished.stdout + finished.stderr)
        except subprocess.TimeoutExpired as expired:
            output = expired.stdout or b""
            text = output.decode(errors="replace") if isinstance(output, bytes) else output
            run = TestRun(-9, output=text, timed_out=True)
        if log.exists():
            read_report_log(log, run)
    return run


def read_report_log(log: Path, run: TestRun) -> None:
    """Fold a pytest-reportlog file into ``run``: one outcome per test, worst phase wins."""
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            report = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a kill
        kind = report.get("$report_type")
        if kind == "CollectReport" and report.get("outcome") == "failed":
            run.collection_errors[report["nodeid"]] = _longrepr_text(report.get("longrepr"))
        elif kind == "TestReport":
            _fold_test_report(report, run)


def _fold_test_report(report: dict[str, object], run: TestRun) -> None:
    nodeid = str(report["nodeid"])
    when = report.get("when")
    outcome = str(report.get("outcome"))
    current = run.outcomes.setdefault(nodeid, TestOutcome(nodeid, PASSED))
    duration = report.get("duration")
    current.duration += float(duration) if isinstance(duration, int | float) else 0.0
    if outcome == "failed":
        verdict = FAILED if when == "call" else ERROR
        if current.outcome in (PASSED, SKIPPED):
            current.outcome = verdict
            current.message = _longrepr_text(report.get("longrepr"))
    elif outcome == "skipped" and current.outcome == PASSED:
        current.outcome = SKIPPED


def _longrepr_text(longrepr: object) -> str:
    if isinstance(longrepr, str):
        return longrepr
    if isinstance(longrepr, dict):
        crash = longrepr.get("reprcrash")
        if isinstance(crash, dict) and crash.get("message"):
            return str(crash["message"])
        return json.dumps(longrepr)[:2000]
    if isinstance(longrepr, list):  # a skip: (file, line, reason)
        return str(longrepr[-1])
    return ""
