"""make new: a kata from the template has every part, and verify names what to fill in."""

from __future__ import annotations

from pathlib import Path

import pytest

from dojo.course.scaffold import new_kata
from dojo.course.verify import verify
from dojo.errors import DojoError
from tests.fakekata import copy_project, write_kata


def test_a_new_kata_gets_the_next_number_and_every_part(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    write_kata(root, "07_earlier")
    kata = new_kata(root, "fresh_idea")
    assert kata.name == "08_fresh_idea"
    assert sorted(path.name for path in kata.iterdir()) == [
        "README.md",
        "kata.toml",
        "test_kata.py",
        "urls.py",
        "views.py",
    ]
    assert (root / "solutions" / "08_fresh_idea" / "views.py").is_file()


def test_verify_names_exactly_what_the_author_must_fill_in(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    kata = new_kata(root, "fresh_idea")
    [report] = verify(root, [kata])
    assert report.problems == [
        "katas/01_fresh_idea/kata.toml has 0 hints; give at least 3, from a nudge to nearly the answer.",
        "katas/01_fresh_idea/kata.toml: key 'failing' names no test; list the tests the bug breaks.",
        "katas/01_fresh_idea/README.md still has template text: fill in each '<author: ...>'.",
        "katas/01_fresh_idea/kata.toml still has template text: fill in each '<author: ...>'.",
        "katas/01_fresh_idea/test_kata.py still has template text: fill in each '<author: ...>'.",
        "katas/01_fresh_idea/views.py still has template text: fill in each '<author: ...>'.",
        "solutions/01_fresh_idea/views.py still has template text: fill in each '<author: ...>'.",
        "the starter fails test_answers_with_what_the_story_promises, which kata.toml does not "
        "name in 'failing': Expected the JSON body from GET /fresh_idea/:",
    ]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Bad-Name", "is not a valid slug"),
        ("earlier", "A kata named earlier exists already: katas/07_earlier."),
    ],
)
def test_a_bad_or_taken_name_is_refused(tmp_path: Path, name: str, says: str) -> None:
    root = copy_project(tmp_path)
    write_kata(root, "07_earlier")
    with pytest.raises(DojoError, match=says.replace(".", r"\.")):
        new_kata(root, name)
