"""The whole self-check, as CI runs it: lint and format (ruff), types (mypy over dojo/),
verify (every kata both ways), then the dojo's own tests. Every step runs; exit 1 if any
of them failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from dojo.course.catalog import REPO_ROOT

HELP = "the whole self-check: lint, types, verify and the dojo's own tests"

# What the whole self-check may take on a 2-core machine.
BUDGET = 300.0

STEPS = (
    ("lint", ["-m", "ruff", "check", "."]),
    ("format", ["-m", "ruff", "format", "--check", "."]),
    ("types", ["-m", "mypy"]),
    ("verify", ["-m", "dojo", "verify"]),
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
    failed = []
    for name, command in STEPS:
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, *command], cwd=REPO_ROOT, check=False).returncode
        print(
            f"-- {name}: {'ok' if code == 0 else f'FAILED (exit {code})'} "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        if code != 0:
            failed.append(name)
    took = f"in {time.perf_counter() - began:.0f} s (budget {BUDGET:.0f} s on 2 cores)"
    if failed:
        print(f"\nSelf-check failed: {', '.join(failed)}; {took}.")
        return 1
    print(f"\nSelf-check passed {took}.")
    return 0
