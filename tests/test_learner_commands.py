"""hint, reset, solution and list, as a learner runs them on a checkout of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakekata import FIXED_VIEW, copy_project, write_kata


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A committed checkout with one kata, as a learner clones it."""
    root = copy_project(tmp_path)
    write_kata(root, "01_hello")
    git = ["git", "-c", "user.name=dojo", "-c", "user.email=dojo@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "as shipped"], cwd=root, check=True)
    return root


def dojo(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOJO_ROOT": str(course)}
    return subprocess.run(
        [sys.executable, "-m", "dojo", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_hints_come_one_level_at_a_time_and_say_when_they_run_out(course: Path) -> None:
    assert "Hint 1 of 3 · Kata 01 · Say hello" in dojo(course, "hint", "1").stdout
    assert "Hint 2 of 3" in dojo(course, "hint", "1").stdout
    assert "Hint 3 of 3" in dojo(course, "hint", "1").stdout
    assert "That was the last of the 3 hints of kata 1." in dojo(course, "hint", "1").stdout
    assert "Hint 1 of 3" in dojo(course, "hint", "1", "--level", "1").stdout


@pytest.mark.parametrize("level", ["x", "0", "4", "-1"])
def test_a_level_that_is_no_hint_is_a_sentence(course: Path, level: str) -> None:
    shown = dojo(course, "hint", "1", "--level", level)
    assert shown.returncode == 2
    assert f"Kata 1 has hints 1 to 3; LEVEL={level} is not one." in shown.stderr
    assert "usage:" not in shown.stderr


def test_a_missing_or_broken_progress_file_only_resets_hint_levels(course: Path) -> None:
    dojo(course, "hint", "1")
    (course / ".dojo-progress.json").write_text("{not json")
    assert "Hint 1 of 3" in dojo(course, "hint", "1").stdout
    (course / ".dojo-progress.json").unlink()
    assert "Hint 1 of 3" in dojo(course, "hint", "1").stdout


def test_reset_restores_the_kata_and_keeps_the_learners_version(course: Path) -> None:
    views = course / "katas" / "01_hello" / "views.py"
    shipped = views.read_text()
    views.write_text("# my attempt\n")
    result = dojo(course, "reset", "1")
    assert result.returncode == 0, result.stderr
    assert views.read_text() == shipped
    [backup] = (course / ".dojo-backups").glob("*/01_hello/views.py")
    assert backup.read_text() == "# my attempt\n"
    assert "your version is in .dojo-backups/" in result.stdout


def test_reset_all_needs_a_yes_without_a_terminal(course: Path) -> None:
    result = dojo(course, "reset", "--all")
    assert result.returncode == 2
    assert "run again with YES=1" in result.stderr
    assert dojo(course, "reset", "--all", "--yes").returncode == 0


def test_the_solution_is_shown_only_once_solved_or_forced(course: Path) -> None:
    refused = dojo(course, "solution", "1")
    assert refused.returncode == 1
    assert "Kata 01 is not solved yet" in refused.stdout
    forced = dojo(course, "solution", "1", "--force")
    assert "Warning: you have not solved this kata yet" in forced.stdout
    assert "+    return JsonResponse" in forced.stdout
    (course / "katas" / "01_hello" / "views.py").write_text(FIXED_VIEW)
    assert "Your files are the same as the reference fix." in dojo(course, "solution", "1").stdout


def test_list_shows_live_state_and_counts_the_solved(course: Path) -> None:
    assert "· never run" in dojo(course, "list").stdout
    dojo(course, "run", "1")
    assert "✘ not yet" in dojo(course, "list").stdout
    (course / "katas" / "01_hello" / "views.py").write_text(FIXED_VIEW)
    shown = dojo(course, "list").stdout
    assert "✔ solved" in shown
    assert "1 of 1 katas solved." in shown
