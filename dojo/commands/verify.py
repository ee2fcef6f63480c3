"""Check every kata both ways: the starter fails in exactly the tests its kata.toml names,
the solution passes every test, and the kata has all its parts.

Exit 0 when every kata is sound, 1 otherwise.
"""

from __future__ import annotations

import argparse
import time

from dojo.catalog import REPO_ROOT, find_kata
from dojo.shipped import shipped_starters
from dojo.verify import verify

HELP = "check every kata fails as shipped and passes with its solution"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kata", help="check only this kata (its number)")


def main(args: argparse.Namespace) -> int:
    only = [find_kata(args.kata).path] if args.kata else None
    started = time.perf_counter()
    with shipped_starters(REPO_ROOT) as shipped:
        print(
            f"Verifying the katas: starters ({shipped.source}) and solutions, side by side...",
            flush=True,
        )
        if shipped.learner_changes:
            print(
                f"  {len(shipped.learner_changes)} of your files in katas/ differ from the last "
                "commit: verify judges the committed starters; make kata N=... runs yours.",
                flush=True,
            )
        if shipped.authored:
            print(
                "  Being authored (tests or kata.toml changed), so judged as they are now: "
                f"{', '.join(sorted(shipped.authored))}.",
                flush=True,
            )
        reports = verify(REPO_ROOT, only, shipped.path)
    for report in reports:
        print(f"  {'✔' if report.ok else '✘'} {report.name}")
        for problem in report.problems:
            print(f"      - {problem}")
    broken = [report for report in reports if not report.ok]
    elapsed = time.perf_counter() - started
    if broken:
        print(f"{len(broken)} of {len(reports)} katas have problems ({elapsed:.1f} s).")
        return 1
    print(
        f"All {len(reports)} katas fail as shipped and pass with their solution ({elapsed:.1f} s)."
    )
    return 0
