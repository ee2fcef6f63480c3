"""Show a kata's title and task, run its tests, and end with a one-line verdict.

Exit 0 only when every test passes.
"""

from __future__ import annotations

import argparse
import textwrap

import pytest

from dojo.course.catalog import REPO_ROOT, Kata, find_kata
from dojo.course.readme import section
from dojo.errors import DojoError
from dojo.room.sender import lights_for_run

HELP = "run one kata's tests: N=4 (TARGET=solutions for the reference fix, SERVER=1 on uvicorn)"
TASK_LINES = 6


class _Tally:
    """Counts passed and failed tests as pytest reports them."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and report.passed:
            self.passed += 1
        elif report.failed:
            self.failed += 1
        elif report.skipped:
            self.skipped += 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", nargs="?", help="the kata's number, like 4 or 04")
    parser.add_argument(
        "--target",
        default="katas",
        help="'katas' (your code, the default) or 'solutions' (the reference fix)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show full tracebacks and every test"
    )
    parser.add_argument(
        "--server",
        action="store_true",
        help="run the tests against the kata served by uvicorn in a worker process (server mode)",
    )


def main(args: argparse.Namespace) -> int:
    kata = find_kata(args.kata)
    print(header(kata, args.target))
    tally = _Tally()
    pytest_args = [
        str(kata.path.relative_to(REPO_ROOT)),
        f"--target={args.target}",
        f"--rootdir={REPO_ROOT}",
        *(["--server"] if args.server else []),
        "-p",
        "no:cacheprovider",
        # dojo is imported before pytest starts, so pytest cannot rewrite its asserts.
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        *(
            ["-v", "--tb=long"]
            if args.verbose
            # -rN: no short summary; the failures above and the verdict below say it all.
            else ["-q", "--tb=short", "--no-header", "--disable-warnings", "-rN"]
        ),
    ]
    room = lights_for_run(REPO_ROOT, kata.name, kata.files, args.target)
    code = pytest.main(pytest_args, plugins=[tally, *room])
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise DojoError(f"{kata.name} has no tests; its test_kata.py is missing or empty.")
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
        raise DojoError(f"pytest could not run {kata.name} (exit {int(code)}); see above.")
    # The plugin has recorded the verdict in the learner's progress (dojo.harness.tally).
    passed = code == pytest.ExitCode.OK
    if args.server and passed and tally.skipped:
        print(partial_verdict(kata, tally))
    else:
        print(verdict(kata, tally, args.target))
    return 0 if passed else 1


def header(kata: Kata, target: str) -> str:
    """The kata's title, level and task, in a few lines."""
    title = f"Kata {kata.number:02d} · {kata.title}"
    facts = f"level {kata.level} ({kata.level_name}) · {', '.join(kata.concepts)}"
    task = section(kata, "Your task")
    task_lines = textwrap.fill(" ".join(task.split()), width=88).splitlines()[:TASK_LINES]
    code_dir = "solutions" if target == "solutions" else "katas"
    files = ", ".join(f"{code_dir}/{kata.name}/{name}" for name in kata.files)
    lines = [
        title,
        facts,
        "",
        *task_lines,
        "",
        f"Edit: {files}" if code_dir == "katas" else f"Running the reference fix: {files}",
        "",
    ]
    return "\n".join(lines)


def partial_verdict(kata: Kata, tally: _Tally) -> str:
    """Server mode, where every test it runs passes but some need the in-process mode."""
    number = kata.number
    return (
        f"✔ Kata {number:02d} passes the {tally.passed} tests server mode runs; "
        f"{tally.skipped} more need the in-process harness (see above): make kata N={number}"
    )


def verdict(kata: Kata, tally: _Tally, target: str) -> str:
    """One line: solved, or how many tests still fail and what to do next."""
    number = kata.number
    total = tally.passed + tally.failed + tally.skipped
    if tally.failed == 0 and tally.skipped == 0:
        if target == "solutions":
            return f"✔ Kata {number:02d}'s reference fix passes all {total} tests."
        return (
            f"✔ Kata {number:02d} solved: all {total} tests pass. Compare with the reference: "
            f"make solution N={number}"
        )
    which = "the reference fix" if target == "solutions" else "your code"
    not_run = f" ({tally.skipped} not run)" if tally.skipped else ""
    return (
        f"✘ Kata {number:02d} is not solved yet: {tally.failed} of {total} tests fail "
        f"against {which}{not_run}. Read the first failure above; stuck? make hint N={number}"
    )
