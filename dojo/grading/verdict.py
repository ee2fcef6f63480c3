"""Judging one kata's run: a verdict for every test the kata must run, then the kata's.

A test passes only when pytest's report log shows every phase of it pass and the grader's
guard saw the same; a test that did not report is an error, never a pass. Anything that
shows the run was tampered with turns the whole kata into an error.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from pathlib import Path

from dojo.course.catalog import Kata
from dojo.course.testrun import ERROR, FAILED, PASSED, SKIPPED, TestOutcome, TestRun
from dojo.grading.gradelogs import GuardLog, first_line, test_source

TAMPERED = (
    "Your code changed how pytest runs or reports tests ({detail}), so nothing this kata's "
    "run reported can be trusted."
)
FORGED = "pytest's report says a test passed that the grader did not see pass."


@dataclass
class TestResult:
    """One test's verdict, in Exercism's terms: pass, fail or error."""

    kata: str
    nodeid: str
    status: str
    message: str = ""
    output: str = ""
    test_code: str = ""
    duration: float = 0.0
    timed_out: bool = False

    @property
    def name(self) -> str:
        return self.nodeid.rsplit("::", 1)[-1]


@dataclass
class KataResult:
    """One kata's verdict: pass, fail, error or timeout, and its tests'."""

    kata: Kata
    status: str
    message: str = ""
    tests: list[TestResult] = field(default_factory=list)
    duration: float = 0.0
    max_score: int = 1
    # How alike the learner's files are to the reference fix (0 to 1), for the instructor.
    likeness: float | None = None
    # The tests judged only inside the sandbox, in the learner's own process (the others on a
    # server, from outside it): the kata says they can only be judged in-process.
    judged_inside: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        """One point when every test passes: a partial fix is not a fix."""
        return self.max_score if self.status == "pass" else 0


@dataclass(frozen=True)
class Judge:
    """Turns what a kata's run reported into verdicts; ``catalog`` holds the trusted tests
    (for each test's code), ``kata_time_limit`` is when a kata's process was killed."""

    catalog: Path
    kata_time_limit: float

    def errored(self, kata: Kata, expected: list[str], message: str) -> KataResult:
        """Every expected test of ``kata`` is an error, for one reason."""
        tests = [self._result(kata, nodeid, "error", message) for nodeid in expected]
        return KataResult(kata, "error", first_line(message), tests)

    def judge(self, kata: Kata, expected: list[str], run: TestRun, guard: GuardLog) -> KataResult:
        """The verdict of ``kata`` from its run's report log and its guard's log."""
        if guard.tampered:
            return self.errored(kata, expected, TAMPERED.format(detail=guard.tampered))
        tests = [self._verdict(kata, nodeid, run, guard) for nodeid in expected]
        if any(test.status == "pass" and not guard.saw_pass(test.nodeid) for test in tests):
            return self.errored(kata, expected, FORGED)
        failing = [test for test in tests if test.status != "pass"]
        if not failing:
            return KataResult(kata, "pass", "", tests)
        first = failing[0]
        if run.timed_out:
            unfinished = next((t for t in tests if t.status == "error" and t.timed_out), first)
            message = f"stopped after {self.kata_time_limit:g} s: {unfinished.name} never finished"
            return KataResult(kata, "timeout", message, tests)
        message = f"{first.name}: {first_line(first.message)}"
        if any(test.timed_out for test in tests):
            return KataResult(kata, "timeout", message, tests)
        if any(test.status == "error" for test in tests):
            return KataResult(kata, "error", message, tests)
        return KataResult(kata, "fail", message, tests)

    def _result(self, kata: Kata, nodeid: str, status: str, message: str = "") -> TestResult:
        code = test_source(self.catalog, nodeid)
        return TestResult(kata.name, nodeid, status, message, test_code=code)

    def _verdict(self, kata: Kata, nodeid: str, run: TestRun, guard: GuardLog) -> TestResult:
        outcome = run.outcomes.get(nodeid)
        if outcome is None or not outcome.complete:
            result = self._result(kata, nodeid, "error", self._unreported(kata, run))
            result.timed_out = run.timed_out
            result.output = first_line(run.output[-2000:], last=True)
            return result
        result = self._result(kata, nodeid, *_status(outcome))
        result.output, result.duration = outcome.output, outcome.duration
        result.timed_out = "Timeout (>" in outcome.message and "pytest-timeout" in outcome.message
        if result.timed_out:
            result.message = f"Did not finish in time: {result.message}"
        return result

    def _unreported(self, kata: Kata, run: TestRun) -> str:
        if run.timed_out:
            return (
                f"Did not finish: the kata's tests were stopped after "
                f"{self.kata_time_limit:g} s (its time limit)."
            )
        error = run.collection_error_in(f"katas/{kata.name}")
        if error:
            return f"The tests could not start: {error}"
        return (
            f"Did not report: the test process ended ({_ending(run.returncode)}) "
            "before this test finished."
        )


def _ending(returncode: int) -> str:
    """How a process ended, in words: a signal whether it came straight (-9) or through a
    sandbox that passes its child's death on as 128 + the signal (137)."""
    number = -returncode if returncode < 0 else returncode - 128
    if 0 < number < signal.NSIG and (returncode < 0 or returncode > 128):
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"killed by {name}, exit code {returncode}"
    return f"exit code {returncode}"


def _status(outcome: TestOutcome) -> tuple[str, str]:
    if outcome.outcome == PASSED:
        return "pass", ""
    if outcome.outcome == SKIPPED:
        return "fail", f"Skipped ({outcome.message}); a skipped test does not count as passed."
    if outcome.outcome == FAILED:
        return "fail", outcome.message
    assert outcome.outcome == ERROR
    return "error", outcome.message


# Worst first: a kata's verdict is its worst part's.
SEVERITY = ("timeout", "error", "fail", "pass")


def combined(kata: Kata, expected: list[str], parts: list[KataResult]) -> KataResult:
    """One verdict from the verdicts of runs that each judged some of ``kata``'s tests."""
    if not parts:
        return KataResult(kata, "error", "no test ran")
    if len(parts) == 1:
        return parts[0]
    tests = {test.nodeid: test for part in parts for test in part.tests}
    worst = min(parts, key=lambda part: SEVERITY.index(part.status))
    ordered = [tests[nodeid] for nodeid in expected if nodeid in tests]
    return KataResult(kata, worst.status, worst.message, ordered)


def unlocate(result: KataResult, paths: dict[str, str]) -> None:
    """Say ``katas/...`` where a message names a file of the run's temporary folders."""
    for path, shown in paths.items():
        result.message = result.message.replace(path, shown)
        for test in result.tests:
            test.message = test.message.replace(path, shown)
            test.output = test.output.replace(path, shown)
