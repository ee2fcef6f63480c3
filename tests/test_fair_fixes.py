"""Tests judge fixes fairly: for every kata, another correct fix passes every test and a
plausible wrong fix (one that only hides the symptom) fails at least one.

The fixes live in tests/fixes/NN_slug/: ``right_<what>.py`` and ``wrong_<what>.py`` replace the
kata's views.py (a ``right_<what>/`` folder holds several learner files). To keep this fast,
fixes run in rounds: round i holds the i-th fix of every kata, all in one pytest process.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from dojo.catalog import kata_dirs
from dojo.testrun import PASSED, TestRun, run_pytest
from tests.fakekata import REPO

FIXES = REPO / "tests" / "fixes"


@dataclass(frozen=True)
class Fix:
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


def all_fixes() -> list[Fix]:
    return [
        Fix(folder.name, path)
        for folder in sorted(FIXES.glob("[0-9][0-9]_*"))
        for path in sorted(folder.iterdir())
        if path.name.startswith(("right_", "wrong_")) and (path.is_dir() or path.suffix == ".py")
    ]


def rounds(fixes: list[Fix]) -> list[list[Fix]]:
    by_kata: dict[str, list[Fix]] = {}
    for fix in fixes:
        by_kata.setdefault(fix.kata, []).append(fix)
    depth = max((len(kata_fixes) for kata_fixes in by_kata.values()), default=0)
    return [
        [kata_fixes[i] for kata_fixes in by_kata.values() if i < len(kata_fixes)]
        for i in range(depth)
    ]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TestRun]:
    """Every fix's run, keyed by fix id; all rounds run two at a time."""

    def run_round(number: int, fixes: list[Fix]) -> tuple[list[Fix], TestRun]:
        target = tmp_path_factory.mktemp(f"round{number}")
        for fix in fixes:
            fix.install(target)
        paths = [f"katas/{fix.kata}" for fix in fixes]
        return fixes, run_pytest([*paths, f"--target={target}", "-q"], cwd=REPO)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda args: run_round(*args), enumerate(rounds(all_fixes()))))
    return {fix.id: run for fixes, run in results for fix in fixes}


@pytest.mark.parametrize("fix", all_fixes(), ids=lambda fix: fix.id)
def test_the_kata_judges_this_fix_fairly(fix: Fix, verdicts: dict[str, TestRun]) -> None:
    run = verdicts[fix.id]
    outcomes = run.in_folder(f"katas/{fix.kata}")
    assert outcomes, f"no test of {fix.kata} ran for {fix.id}:\n{run.output[-2000:]}"
    failing = {o.name: o.message.strip().splitlines()[0] for o in outcomes if o.outcome != PASSED}
    if fix.right:
        assert not failing, f"{fix.id} is a correct fix, but the kata fails it: {failing}"
    else:
        assert failing, f"{fix.id} only hides the symptom, but every test of {fix.kata} passes it"
        imports = [m for m in failing.values() if "could not be imported" in m]
        assert len(imports) < len(failing), f"{fix.id} fails only by an import error: {imports}"


@pytest.mark.parametrize("kata", [path.name for path in kata_dirs(REPO)])
def test_every_kata_has_a_right_and_a_wrong_fix_on_file(kata: str) -> None:
    kinds = {fix.right for fix in all_fixes() if fix.kata == kata}
    assert kinds == {True, False}, (
        f"tests/fixes/{kata}/ needs at least one right_*.py (another correct fix) and one "
        "wrong_*.py (a fix that only hides the symptom)."
    )
