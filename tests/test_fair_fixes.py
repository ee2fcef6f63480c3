"""Tests judge fixes fairly: for every kata, other correct fixes pass every test and plausible
wrong fixes (ones that only hide the symptom) fail at least one (see dojo.course.fairfixes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dojo.course.catalog import kata_dirs
from dojo.course.fairfixes import Fix, Judgement, all_fixes, judge, modes_disagree
from tests.fakekata import REPO

# Wrong fixes on file per kata, at the least: one per kind of symptom-hiding the kata invites.
MIN_WRONG_FIXES = 3


# Judging every fix on file takes minutes: the first test that asks waits that long.
pytestmark = pytest.mark.timeout(1200)


@pytest.fixture(scope="module")
def judgements() -> dict[str, Judgement]:
    """Every fix's judgement, keyed by fix id."""
    return judge(REPO)


@pytest.mark.parametrize("fix", all_fixes(REPO), ids=lambda fix: fix.id)
def test_the_kata_judges_this_fix_fairly(fix: Fix, judgements: dict[str, Judgement]) -> None:
    judgement = judgements[fix.id]
    assert judgement.ran, f"no test of {fix.kata} ran for {fix.id}:\n{judgement.output}"
    if fix.right:
        told = "\n\n".join(f"{test}:\n{text}" for test, text in judgement.messages.items())
        assert judgement.fair, f"{fix.id} is a correct fix, but the kata fails it:\n\n{told}"
    else:
        assert judgement.failing, (
            f"{fix.id} only hides the symptom, but every test of {fix.kata} passes it"
        )
        assert judgement.fair, f"{fix.id} fails only by an import error: {judgement.failing}"


@pytest.mark.parametrize("kata", [path.name for path in kata_dirs(REPO)])
def test_every_kata_has_right_and_wrong_fixes_on_file(kata: str) -> None:
    fixes = [fix for fix in all_fixes(REPO) if fix.kata == kata]
    wrong = [fix for fix in fixes if not fix.right]
    assert any(fix.right for fix in fixes), (
        f"tests/fixes/{kata}/ needs at least one right_*.py (another correct fix)."
    )
    assert len(wrong) >= MIN_WRONG_FIXES, (
        f"tests/fixes/{kata}/ has {len(wrong)} wrong_*.py; it needs at least "
        f"{MIN_WRONG_FIXES} fixes that only hide the symptom, of different kinds."
    )


def test_the_modes_disagree_only_where_grading_would_judge_a_fix_otherwise() -> None:
    right, wrong = Fix("01_x", Path("right_a.py")), Fix("01_x", Path("wrong_b.py"))
    failed = {"test_it": "Expected 200"}
    assert modes_disagree(Judgement(right, {}, True), Judgement(right, {}, True)) is None
    assert modes_disagree(Judgement(right, {}, True), Judgement(right, failed, True))
    assert modes_disagree(Judgement(wrong, failed, True), Judgement(wrong, failed, True)) is None
    assert modes_disagree(Judgement(wrong, failed, True), Judgement(wrong, {}, True))
    # Rejected only by a test the kata judges in-process only: grading runs that one inside.
    unserved = Judgement(wrong, {}, True, unserved=frozenset({"test_it"}))
    assert modes_disagree(Judgement(wrong, failed, True), unserved) is None
