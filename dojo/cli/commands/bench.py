"""Time what learners and maintainers wait for, against the project's budgets: per kata,
the wall time from ``python -m dojo run N`` to its verdict (bytecode cached, as on a
learner's machine) for the starter and for the solution; then the whole of ``verify``.

With ``--runs N``, run every kata both ways and every fix on file N times and name every
verdict that changed between runs: a flaky verdict is a bug in the kata's tests. With
``--served``, judge every fix on file both in-process and against its kata served (as
grading judges it) and name each fix the two modes judge otherwise. Timings belong here,
not in timed unit tests.
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
from dojo.course.fairfixes import judge, modes_disagree
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
    parser.add_argument(
        "--served",
        action="store_true",
        help="judge every fix on file in-process and served, and compare the verdicts",
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
    failed = args.runs > 0 and bool(_changed_verdicts(args.runs, starters))
    if args.served:
        failed = bool(_modes_disagree()) or failed
    return 1 if failed else 0


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


def _modes_disagree() -> list[str]:
    """Judge every fix on file in-process and served; name each fix judged otherwise."""
    started = time.perf_counter()
    in_process, served = judge(REPO_ROOT), judge(REPO_ROOT, server=True)
    found = []
    for fix_id, judgement in in_process.items():
        why = modes_disagree(judgement, served[fix_id])
        if why is not None:
            found.append(f"{fix_id}: {why}")
    took = time.perf_counter() - started
    if found:
        print(f"\n{len(found)} of {len(in_process)} fixes judged otherwise served ({took:.0f} s):")
        for line in found:
            print(f"  {line}")
    else:
        print(
            f"\nEvery one of {len(in_process)} fixes judged the same in both modes ({took:.0f} s)."
        )
    return found


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
