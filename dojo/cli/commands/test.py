"""The whole self-check, as CI runs it: lint and format (ruff), types (mypy over dojo/),
then verify (every kata both ways) beside the dojo's own tests. Every step runs; exit 1 if
any of them failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time

from dojo.course.catalog import REPO_ROOT

HELP = "the whole self-check: lint, types, verify and the dojo's own tests"

# What the whole self-check may take on a 2-core machine.
BUDGET = 300.0

STEPS = (
    ("lint", ["-m", "ruff", "check", "."]),
    ("format", ["-m", "ruff", "format", "--check", "."]),
    ("types", ["-m", "mypy"]),
)
# verify spends most of its time waiting for the fakes' latencies, so it runs beside the
# tests (its output is shown once it is done) instead of before them.
BESIDE = ("verify", ["-m", "dojo", "verify"])
LAST = (
    # Two workers, a file each at a time: the fair-fix proofs (minutes, in one file) run
    # beside the rest. The slowest tests are named at the end: where the budget goes.
    (
        "the dojo's own tests",
        [
            "-m",
            "pytest",
            "tests",
            "-p",
            "no:cacheprovider",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "--durations=12",
        ],
    ),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def main(args: argparse.Namespace) -> int:
    began = time.perf_counter()
    failed = [name for name, command in STEPS if not _step(name, command)]
    name, command = BESIDE
    with tempfile.TemporaryFile(mode="w+") as output:
        started = time.perf_counter()
        beside = subprocess.Popen(
            [sys.executable, *command], cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT
        )
        # Noted when it ends, which is before the tests end, to say how long it took.
        ended: list[float] = []
        waiter = threading.Thread(target=lambda: ended.append(_ended(beside)), daemon=True)
        waiter.start()
        try:
            failed += [name for name, command in LAST if not _step(name, command)]
        finally:
            waiter.join()
        print(f"\n== {name} (ran beside the tests) ==", flush=True)
        output.seek(0)
        print(output.read(), end="", flush=True)
        if not _said(name, beside.returncode, started, ended[0]):
            failed.append(name)
    took = f"in {time.perf_counter() - began:.0f} s (budget {BUDGET:.0f} s on 2 cores)"
    if failed:
        print(f"\nSelf-check failed: {', '.join(failed)}; {took}.")
        return 1
    print(f"\nSelf-check passed {took}.")
    return 0


def _step(name: str, command: list[str]) -> bool:
    """Run one step with its output shown as it comes; whether it passed."""
    print(f"\n== {name} ==", flush=True)
    started = time.perf_counter()
    code = subprocess.run([sys.executable, *command], cwd=REPO_ROOT, check=False).returncode
    return _said(name, code, started)


def _ended(process: subprocess.Popen[bytes]) -> float:
    process.wait()
    return time.perf_counter()


def _said(name: str, code: int, started: float, ended: float | None = None) -> bool:
    took = (ended or time.perf_counter()) - started
    print(
        f"-- {name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {took:.1f} s", flush=True
    )
    return code == 0
