"""The two-way self-check: every kata fails as shipped, for the named reason, and passes
with its reference fix; and it has every part of the kata anatomy.

The starters run in SHARDS pytest processes and the solutions in as many more, all side by
side, and the verdicts are read from their report logs; a hang costs one test
(pytest-timeout), not the run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dojo.course.bothmodes import ModeComparison, compare_modes
from dojo.course.catalog import MIN_HINTS, Kata, KataConfigError, kata_dirs, load_kata
from dojo.course.scaffold import placeholders_left
from dojo.course.testrun import FAILED, PASSED, TestRun, run_pytest

TODO_MARKER = re.compile(r"#\s*TODO\b")
KATA_PARTS = ("README.md", "kata.toml", "urls.py", "test_kata.py")
# Folders a kata may hold besides its parts and Python modules (views.py, models.py, ...).
ALLOWED_FOLDERS = {"templates", "migrations", "__pycache__"}
# A hang costs one test; this bounds the whole run should something hang outside a test.
RUN_TIMEOUT = 600.0
# pytest processes per side (starters, solutions): the tests mostly wait for the fakes'
# latencies, so four processes share two cores (118 s against 148 s for one per side, on
# this 2-core machine at a load of 8-10).
SHARDS = 2


@dataclass
class KataReport:
    """What verify found wrong with one kata; no problems means it is sound both ways."""

    name: str
    problems: list[str] = field(default_factory=list)
    # With both modes: how the kata's verdicts in server mode compare with in-process.
    modes: ModeComparison | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(
    root: Path,
    only: Sequence[Path] | None = None,
    starters: Path | None = None,
    *,
    both_modes: bool = False,
) -> list[KataReport]:
    """Check the katas under ``root`` (or just ``only``), the starters taken from
    ``starters`` (a folder laid out like katas/; default: katas/ itself); one report per
    kata folder. With ``both_modes``, also run them in server mode and compare verdicts."""
    folders = list(only) if only is not None else kata_dirs(root)
    reports: dict[str, KataReport] = {}
    katas: list[Kata] = []
    for folder in folders:
        report = reports[folder.name] = KataReport(folder.name)
        try:
            kata = load_kata(folder)
        except KataConfigError as error:
            report.problems.append(str(error))
            continue
        report.problems += anatomy_problems(kata, starters)
        katas.append(kata)
    if only is None:
        known = {folder.name for folder in folders}
        for stray in sorted((root / "solutions").glob("[0-9][0-9]_*")):
            if stray.name not in known:
                reports[stray.name] = KataReport(
                    stray.name, [f"solutions/{stray.name} has no kata in katas/."]
                )
    if katas:
        starter_run, solutions = run_both_ways(root, katas, starters)
        for kata in katas:
            reports[kata.name].problems += starter_problems(kata, starter_run)
            if all((kata.solution_path / name).is_file() for name in kata.files):
                reports[kata.name].problems += solution_problems(kata, solutions)
        if both_modes:
            served = run_both_ways(root, katas, starters, server=True)
            for kata in katas:
                reports[kata.name].modes = compare_modes(kata, (starter_run, solutions), served)
    return [reports[name] for name in sorted(reports)]


def run_both_ways(
    root: Path, katas: Sequence[Kata], starters: Path | None = None, *, server: bool = False
) -> tuple[TestRun, TestRun]:
    """Run every kata's tests against the starters (from ``starters``, default katas/) and
    against the solutions, SHARDS pytest processes each, all at once (``server``: in
    server mode, skips listed)."""
    mode = ["--server", "-rs"] if server else []
    # Every SHARDS-th kata to a shard: neighbours in the course cost alike, so the shards do.
    shards = [katas[i::SHARDS] for i in range(SHARDS) if katas[i::SHARDS]]

    def run(target: str, shard: Sequence[Kata]) -> TestRun:
        paths = [str(kata.path.relative_to(root)) for kata in shard]
        args = [*paths, f"--target={target}", f"--rootdir={root}", "-p", "no:cacheprovider", "-q"]
        return run_pytest([*args, *mode], cwd=root, timeout=RUN_TIMEOUT)

    starter_target = str(starters) if starters is not None else "katas"
    with ThreadPoolExecutor(max_workers=2 * len(shards)) as pool:
        starter_runs = [pool.submit(run, starter_target, shard) for shard in shards]
        solution_runs = [pool.submit(run, "solutions", shard) for shard in shards]
        return (
            merged([run.result() for run in starter_runs]),
            merged([run.result() for run in solution_runs]),
        )


def merged(runs: Sequence[TestRun]) -> TestRun:
    """One run made of several pytest processes' runs."""
    whole = TestRun(max(run.returncode for run in runs))
    for run in runs:
        whole.outcomes.update(run.outcomes)
        whole.collection_errors.update(run.collection_errors)
        whole.timed_out = whole.timed_out or run.timed_out
    whole.output = "\n".join(run.output for run in runs)
    return whole


def anatomy_problems(kata: Kata, starters: Path | None = None) -> list[str]:
    """Missing parts, missing hints or TODO marker (in the starters as shipped, when
    ``starters`` holds them), a missing solution, stray files."""
    where = f"katas/{kata.name}"
    problems = [
        f"{where}/{part} is missing." for part in KATA_PARTS if not (kata.path / part).exists()
    ]
    if len(kata.hints) < MIN_HINTS:
        problems.append(
            f"{where}/kata.toml has {len(kata.hints)} hints; give at least {MIN_HINTS}, "
            "from a nudge to nearly the answer."
        )
    if not kata.failing:
        problems.append(
            f"{where}/kata.toml: key 'failing' names no test; list the tests the bug breaks."
        )
    shipped = starters / kata.name if starters is not None else kata.path
    learner_files = [
        shipped / name if (shipped / name).is_file() else kata.path / name for name in kata.files
    ]
    for path in learner_files:
        if not path.is_file():
            problems.append(f"{where}/{path.name} is listed in 'files' but missing.")
    if not any(
        path.is_file() and TODO_MARKER.search(path.read_text(encoding="utf-8"))
        for path in learner_files
    ):
        problems.append(
            f"{where}: no '# TODO' marker in {', '.join(kata.files)}; show where to look."
        )
    for name in kata.files:
        if not (kata.solution_path / name).is_file():
            problems.append(f"solutions/{kata.name}/{name} is missing: write the reference fix.")
    for name in placeholders_left(kata.path):
        problems.append(f"{where}/{name} still has template text: fill in each '<author: ...>'.")
    if kata.solution_path.is_dir():
        for name in placeholders_left(kata.solution_path):
            problems.append(
                f"solutions/{kata.name}/{name} still has template text: fill in each '<author: ...>'."
            )
    for path in sorted(kata.path.iterdir()):
        allowed = path.name in KATA_PARTS or path.name in ALLOWED_FOLDERS or path.suffix == ".py"
        if not allowed and not path.name.startswith("."):
            problems.append(f"{where}/{path.name} is stray: not part of a kata (see DESIGN.md).")
    if kata.solution_path.is_dir():
        for path in sorted(kata.solution_path.iterdir()):
            if path.name not in set(kata.files) | {"__pycache__"}:
                problems.append(
                    f"solutions/{kata.name}/{path.name} is stray: a solution holds only the "
                    "learner's files."
                )
    return problems


def starter_problems(kata: Kata, run: TestRun) -> list[str]:
    """The starter must fail, and fail in exactly the tests kata.toml names."""
    folder = f"katas/{kata.name}"
    error = run.collection_error_in(folder)
    if error:
        return [f"the starter fails to import or collect: {_first_line(error)}"]
    outcomes = run.in_folder(folder)
    if not outcomes:
        return ["no test ran for the starter."]
    failing = {o.name for o in outcomes if o.outcome != PASSED}
    names = {o.name for o in outcomes}
    expected = set(kata.failing)
    if not failing:
        return ["the starter passes every test: as shipped, the kata has no bug to fix."]
    messages = {o.name: _first_line(o.message) for o in outcomes}
    problems = [
        f"the starter fails {name}, which kata.toml does not name in 'failing': {messages[name]}"
        for name in sorted(failing - expected)
    ]
    for name in sorted(expected - failing):
        if name in names:
            problems.append(f"{name} passes as shipped, but kata.toml says it must fail.")
        else:
            problems.append(f"kata.toml names {name} in 'failing', but there is no such test.")
    problems += [
        f"the starter's {o.name} ends in an {o.outcome}, not a failure: {messages[o.name]}"
        for o in outcomes
        if o.name in expected and o.outcome not in (PASSED, FAILED)
    ]
    return problems


def solution_problems(kata: Kata, run: TestRun) -> list[str]:
    """The reference fix must pass every test."""
    folder = f"katas/{kata.name}"
    error = run.collection_error_in(folder)
    if error:
        return [f"the solution fails to import or collect: {_first_line(error)}"]
    outcomes = run.in_folder(folder)
    if not outcomes:
        return ["no test ran for the solution."]
    return [
        f"the solution fails {o.name}: {_first_line(o.message)}"
        for o in outcomes
        if o.outcome != PASSED
    ]


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else "(no message)"
