"""The fair-fix proofs: other people's fixes of each kata, and how the kata judges them.

``tests/fixes/NN_slug/`` holds ``right_<what>.py`` (another correct fix, which the kata must
accept) and ``wrong_<what>.py`` (a fix that only hides the symptom, which it must reject);
each replaces the kata's views.py, and a ``right_<what>/`` or ``wrong_<what>/`` folder holds
several learner files. The dojo's own tests check every verdict; ``make bench RUNS=10``
runs them again and again to find a verdict that changes from run to run.

To keep this fast, fixes run in rounds: round i holds the i-th fix of every kata, all in one
pytest process, three rounds at a time; and a kata stops at its first failing test, which is
verdict enough. ``judge(root, server=True)`` judges them again against the katas served, as
grading does: the two modes must agree.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dojo.course.testrun import PASSED, SKIPPED, TestRun, run_pytest
from dojo.harness.servermode import SKIP_PREFIX

# Rounds run side by side: each spends much of its time waiting for the fakes' latencies.
ROUNDS_AT_ONCE = 3


@dataclass(frozen=True)
class Fix:
    """One fix on file: which kata it fixes, and where it is."""

    kata: str
    path: Path

    @property
    def right(self) -> bool:
        return self.path.name.startswith("right_")

    @property
    def id(self) -> str:
        return f"{self.kata}/{self.path.stem}"

    def install(self, target: Path) -> None:
        """Lay the fix out as a target folder: target/NN_slug/<learner files>."""
        folder = target / self.kata
        folder.mkdir(parents=True)
        if self.path.is_dir():
            for file in self.path.glob("*.py"):
                shutil.copy(file, folder / file.name)
        else:
            shutil.copy(self.path, folder / "views.py")


@dataclass(frozen=True)
class Judgement:
    """What a kata's tests made of one fix: the tests it failed, with their first line."""

    fix: Fix
    failing: dict[str, str]
    ran: bool
    output: str = ""
    # Each failed test's whole message: what a rejected right fix was told, to find why.
    messages: dict[str, str] = field(default_factory=dict)
    # Served: the tests server mode could not run (the kata judges them in-process only).
    unserved: frozenset[str] = frozenset()

    @property
    def accepted(self) -> bool:
        return self.ran and not self.failing

    @property
    def fair(self) -> bool:
        """A right fix accepted, or a wrong one rejected by more than an import error."""
        if self.fix.right:
            return self.accepted
        imports = [m for m in self.failing.values() if "could not be imported" in m]
        return bool(self.failing) and len(imports) < len(self.failing)


def all_fixes(root: Path) -> list[Fix]:
    """Every fix on file under ``root/tests/fixes``, kata by kata."""
    fixes = root / "tests" / "fixes"
    return [
        Fix(folder.name, path)
        for folder in sorted(fixes.glob("[0-9][0-9]_*"))
        for path in sorted(folder.iterdir())
        if path.name.startswith(("right_", "wrong_")) and (path.is_dir() or path.suffix == ".py")
    ]


def rounds(fixes: list[Fix]) -> list[list[Fix]]:
    """Round i holds the i-th fix of every kata: no round holds two fixes of one kata."""
    by_kata: dict[str, list[Fix]] = {}
    for fix in fixes:
        by_kata.setdefault(fix.kata, []).append(fix)
    depth = max((len(kata_fixes) for kata_fixes in by_kata.values()), default=0)
    return [
        [kata_fixes[i] for kata_fixes in by_kata.values() if i < len(kata_fixes)]
        for i in range(depth)
    ]


def judge(
    root: Path, fixes: list[Fix] | None = None, *, server: bool = False
) -> dict[str, Judgement]:
    """Run every fix's kata against it (``server``: against the kata served, as grading
    does); the judgements, keyed by fix id."""
    fixes = all_fixes(root) if fixes is None else fixes
    with tempfile.TemporaryDirectory(prefix="dojo-fixes-") as scratch:

        def run_round(number: int, in_round: list[Fix]) -> tuple[list[Fix], TestRun]:
            target = Path(scratch) / f"round{number}"
            for fix in in_round:
                fix.install(target)
            paths = [f"katas/{fix.kata}" for fix in in_round]
            args = [*paths, f"--target={target}", "-q", "--dojo-first-failure"]
            if server:
                args.append("--server")
            return in_round, run_pytest(args, cwd=root)

        with ThreadPoolExecutor(max_workers=ROUNDS_AT_ONCE) as pool:
            results = list(pool.map(lambda args: run_round(*args), enumerate(rounds(fixes))))
    judgements = {}
    for in_round, run in results:
        for fix in in_round:
            outcomes = run.in_folder(f"katas/{fix.kata}")
            failed = [o for o in outcomes if o.outcome not in (PASSED, SKIPPED)]
            failing = {o.name: (o.message.strip().splitlines() or [o.outcome])[0] for o in failed}
            messages = {o.name: o.message for o in failed}
            unserved = frozenset(
                o.name for o in outcomes if o.outcome == SKIPPED and SKIP_PREFIX in o.message
            )
            judgements[fix.id] = Judgement(
                fix, failing, bool(outcomes), run.output[-2000:], messages, unserved
            )
    return judgements


def modes_disagree(in_process: Judgement, served: Judgement) -> str | None:
    """How the served kata judges a fix otherwise than in-process, if it does: a right fix
    must pass both ways; a wrong one must fail served too, unless only tests the kata judges
    in-process only (its kata.toml says why) reject it."""
    fix = in_process.fix
    if fix.right:
        if in_process.accepted != served.accepted:
            accepted = "in-process" if in_process.accepted else "served"
            failing = served.failing or in_process.failing
            return f"a right fix accepted only {accepted}; failing {sorted(failing)}"
        return None
    rejected = set(in_process.failing)
    if rejected and not served.failing and not rejected <= served.unserved:
        return f"a wrong fix rejected in-process ({sorted(rejected)}) but accepted served"
    return None
