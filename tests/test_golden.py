"""What a learner sees for the shipped bug of a few katas, stored and compared, so any
change to it is a visible decision. Timings and timeline bars are masked; the payload seed
is fixed. After a deliberate change: UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dojo.course.shipped import shipped_starters
from tests.fakekata import REPO

GOLDEN = Path(__file__).resolve().parent / "golden"
MASKS = (
    (re.compile(r"[█·]{10,}"), "<timeline>"),
    (re.compile(r"\d+\.\d+-(\d+\.\d+|…)(?= s)"), "<t>-<t>"),
    (re.compile(r"\d+\.\d+(?=\s?s\b)"), "<t>"),
    (re.compile(r"(\d+ (passed|failed)(, )?)+ in <t>s"), "<summary>"),
    # A test's random ids in a path: which request a message names can depend on timing.
    (re.compile(r"(?<=/)\d{3,}(?=/)"), "<id>"),
)


def masked(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


@pytest.fixture(scope="module")
def starters() -> Iterator[Path]:
    """The starters as shipped, whatever a learner did to katas/ (and no progress noted)."""
    with shipped_starters(REPO) as shipped:
        yield shipped.path


@pytest.mark.parametrize("number", ["4", "8", "19"])
def test_the_shipped_bug_reads_as_stored(number: str, starters: Path) -> None:
    env = {**os.environ, "PYTEST_ADDOPTS": "--dojo-seed=1", "COLUMNS": "100"}
    env.pop("CI", None)  # pytest words some lines differently on CI
    shown = subprocess.run(
        [sys.executable, "-m", "dojo", "run", number, "--target", str(starters)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    golden = GOLDEN / f"kata{int(number):02d}.txt"
    actual = masked(shown.stdout)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden.name} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert actual == golden.read_text(encoding="utf-8"), (
        f"What a learner sees for kata {number} changed. If that is deliberate, run "
        "UPDATE_GOLDEN=1 pytest tests/test_golden.py and commit the new golden file."
    )
