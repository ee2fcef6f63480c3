"""The self-check judges the katas as shipped: a learner who has solved a kata does not
make verify say the starter has no bug."""

from __future__ import annotations

import subprocess
from pathlib import Path

from dojo.course.shipped import shipped_starters
from dojo.course.verify import verify
from tests.fakekata import FIXED_VIEW, copy_project, write_kata


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Dojo", "-c", "user.email=dojo@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_a_solved_kata_is_still_verified_as_shipped(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    kata = write_kata(root, "01_hello")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "course")
    (kata / "views.py").write_text(FIXED_VIEW)  # the learner solves it

    with shipped_starters(root) as shipped:
        assert shipped.source == "the starters as last committed (git HEAD)"
        assert shipped.changed == ["katas/01_hello/views.py"]
        assert "TODO" in (shipped.path / "01_hello" / "views.py").read_text()
        [report] = verify(root, starters=shipped.path)
    assert report.ok, report.problems
    assert (kata / "views.py").read_text() == FIXED_VIEW  # the learner's work is untouched


def test_outside_a_git_checkout_katas_are_judged_as_they_are(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    with shipped_starters(root) as shipped:
        assert shipped.path == root / "katas"
        assert "no git history" in shipped.source


def test_a_kata_whose_tests_changed_is_judged_as_its_author_left_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    kata = write_kata(root, "01_hello")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "course")
    (kata / "views.py").write_text("# TODO: a new bug\nBROKEN = True\n")
    (kata / "test_kata.py").write_text("def test_new():\n    pass\n")  # an author at work

    with shipped_starters(root) as shipped:
        assert not (shipped.path / "01_hello").exists()  # katas/ is judged as it is
