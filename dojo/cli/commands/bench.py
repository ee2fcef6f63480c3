"""Time what learners and maintainers wait for, against the project's budgets: per kata,
the wall time from ``python -m dojo run N`` to its verdict (bytecode cached, as on a
learner's machine) for the starter and for the solution; then the whole of ``verify``.

With ``--runs N``, run every kata both ways and every fix on file N times and name every
verdict that changed between runs: a flaky verdict is a bug in the kata's tests. Timings
belong here, not in timed unit tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from dojo.course.catalog import REPO_ROOT, load_katas
from dojo.course.fairfixes import judge
from dojo.course.shipped import shipped_starters
from dojo.course.verify import run_both_ways, verify

HELP = (
    "time to a verdict per kata and verify's time, against the budgets (--runs N: flaky verdicts)"
)

# The budgets, in seconds, on a 2-core machine.
KATA_BUDGET = 1.0
VERIFY_BUDGET = 60.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runs",
        type=int,
        default=0,
        help="run every kata both ways and every fix N times, and compare verdicts",
    )


def main(args: argparse.Namespace) -> int:
    with shipped_starters(REPO_ROOT) as shipped:
        print(f"Starters: {shipped.source}; your progress is left as it is.\n")
        return _bench(args, shipped.path)


def _bench(args: argparse.Namespace, starters: Path) -> int:
    katas = load_katas()
    print(f"{'kata':<34} {'starter':>9} {'solution':>9}   (budget {KATA_BUDGET:.1f} s, warm)")
    over = []
    for kata in katas:
        _time_run(str(kata.number), str(starters))  # the first run writes the bytecode cache
        starter = _time_run(str(kata.number), str(starters))
        solution = _time_run(str(kata.number), "solutions")
        late = max(starter, solution) > KATA_BUDGET
        over += [kata.name] if late else []
        mark = "  over budget" if late else ""
        print(f"{kata.name:<34} {starter:>8.2f}s {solution:>8.2f}s{mark}", flush=True)
    started = time.perf_counter()
    reports = verify(REPO_ROOT, starters=starters)
    elapsed = time.perf_counter() - started
    broken = sum(not report.ok for report in reports)
    print(
        f"\nverify: {elapsed:.1f} s for {len(reports)} katas ({broken} with problems; "
        f"budget {VERIFY_BUDGET:.0f} s{', over' if elapsed > VERIFY_BUDGET else ''})"
    )
    print(f"katas over the {KATA_BUDGET:.1f} s budget: {', '.join(over) or 'none'}")
    if args.runs > 0:
        return 1 if _changed_verdicts(args.runs, starters) else 0
    return 0


def _time_run(number: str, target: str) -> float:
    environ = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dojo", "run", number, "--target", target],
        cwd=REPO_ROOT,
        capture_output=True,
        check=False,
        env=environ,
    )
    return time.perf_counter() - started


def _changed_verdicts(runs: int, starters: Path) -> list[str]:
    """Run every kata both ways and judge every fix ``runs`` times; name what changed."""
    katas = load_katas()
    seen: dict[str, set[str]] = defaultdict(set)
    for number in range(1, runs + 1):
        started = time.perf_counter()
        starter_run, solutions = run_both_ways(REPO_ROOT, katas, starters)
        for label, run in (("starter", starter_run), ("solution", solutions)):
            for outcome in run.outcomes.values():
                seen[f"{label}: {outcome.nodeid}"].add(outcome.outcome)
            for nodeid in run.collection_errors:
                seen[f"{label}: {nodeid}"].add("collection error")
        for fix_id, judgement in judge(REPO_ROOT).items():
            seen[f"fix {fix_id}"].add("accepted" if judgement.accepted else "rejected")
        print(f"run {number}/{runs}: {time.perf_counter() - started:.1f} s", flush=True)
    changed = sorted(test for test, verdicts in seen.items() if len(verdicts) > 1)
    if changed:
        print(f"\n{len(changed)} verdicts changed between runs:")
        for test in changed:
            print(f"  {test}: {' / '.join(sorted(seen[test]))}")
    else:
        print(f"\nNo verdict changed across {runs} runs ({len(seen)} verdicts each).")
    return changed
