"""Check every kata both ways: the starter fails in exactly the tests its kata.toml names,
the solution passes every test, and the kata has all its parts. With ``--both-modes``,
also in server mode, and each test's verdict must be the same in both modes.

Exit 0 when every kata is sound, 1 otherwise.
"""

from __future__ import annotations

import argparse
import time

from dojo.course.catalog import REPO_ROOT, find_kata
from dojo.course.shipped import shipped_starters
from dojo.course.verify import KataReport, verify
from dojo.harness.servermode import SKIP_PREFIX

HELP = "check every kata fails as shipped and passes with its solution"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kata", help="check only this kata (its number)")
    parser.add_argument(
        "--both-modes",
        action="store_true",
        help="also run every kata in server mode and compare each test's verdict",
    )


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
        reports = verify(REPO_ROOT, only, shipped.path, both_modes=args.both_modes)
    for report in reports:
        print(f"  {'✔' if report.ok else '✘'} {report.name}")
        for problem in report.problems:
            print(f"      - {problem}")
    broken = [report for report in reports if not report.ok]
    elapsed = time.perf_counter() - started
    if args.both_modes:
        disagree = print_modes(reports)
        if disagree:
            print(f"{disagree} katas' verdicts depend on the mode ({elapsed:.1f} s).")
            return 1
    if broken:
        print(f"{len(broken)} of {len(reports)} katas have problems ({elapsed:.1f} s).")
        return 1
    print(
        f"All {len(reports)} katas fail as shipped and pass with their solution ({elapsed:.1f} s)."
    )
    return 0


def print_modes(reports: list[KataReport]) -> int:
    """Print how each kata's verdicts compare in the two modes; the number that disagree."""
    compared = [report for report in reports if report.modes is not None]
    print("In-process and server mode, test by test (starters and solutions):")
    for report in compared:
        modes = report.modes
        assert modes is not None
        skipped = f"; {len(modes.skipped)} not run in server mode" if modes.skipped else ""
        mark = "✔" if modes.agree else "✘"
        print(f"  {mark} {report.name}: {modes.compared} verdicts compared{skipped}")
        for disagreement in modes.disagreements:
            print(f"      - {disagreement}")
        for reason in sorted(modes.reasons):
            print(f"      · {reason.removeprefix(SKIP_PREFIX)}")
    agree = [report for report in compared if report.modes and report.modes.agree]
    full = [r for r in agree if r.modes and not r.modes.skipped and r.modes.compared]
    print(
        f"{len(agree)} of {len(compared)} katas agree in every test both modes ran; "
        f"{len(full)} of them run every test in server mode."
    )
    return len(compared) - len(agree)
