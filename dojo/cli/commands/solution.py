"""Show the reference fix of a kata as a diff against your files, once you have solved it.

Before that, --force shows it anyway, after a warning: comparing is best after solving.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys

from dojo.course.catalog import REPO_ROOT, Kata, find_kata
from dojo.course.progress import SOLVED, Progress

HELP = "compare your fix with the reference, once solved: N=4 (FORCE=1 before)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", nargs="?", help="the kata's number, like 4 or 04")
    parser.add_argument("--force", action="store_true", help="show it even if not solved yet")


def main(args: argparse.Namespace) -> int:
    kata = find_kata(args.kata)
    if not is_solved(kata):
        if not args.force:
            print(
                f"Kata {kata.number:02d} is not solved yet: its tests do not all pass with your "
                f"files. Solve it first (make kata N={kata.number}), or look anyway with FORCE=1."
            )
            return 1
        print("Warning: you have not solved this kata yet; the answer is below.\n")
    print(solution_diff(kata) or "Your files are the same as the reference fix.")
    return 0


def is_solved(kata: Kata) -> bool:
    """Whether the kata's tests pass with the learner's files as they are now."""
    progress = Progress.load(REPO_ROOT)
    if progress.state(kata) == SOLVED:
        return True
    passed = (
        subprocess.run(
            [sys.executable, "-m", "pytest", str(kata.path), "-q", "-p", "no:cacheprovider"],
            cwd=REPO_ROOT,
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    return passed  # recorded in the progress by the run itself (dojo.harness.tally)


def solution_diff(kata: Kata) -> str:
    """A unified diff from the learner's files to the reference fix."""
    chunks: list[str] = []
    for name in kata.files:
        mine = (kata.path / name).read_text(encoding="utf-8").splitlines(keepends=True)
        reference = (
            (kata.solution_path / name).read_text(encoding="utf-8").splitlines(keepends=True)
        )
        chunks += difflib.unified_diff(
            mine, reference, f"katas/{kata.name}/{name} (yours)", f"solutions/{kata.name}/{name}"
        )
    return "".join(chunks)
