"""The grader against a learner who wants the points without the fix: the reference within
reach, odd file names, option values that try to add arguments, and a grade cut short.

Each attack is a submission graded against a small fake course; each must score zero (or,
for a copy of the reference, be flagged) and leave valid outputs behind.
"""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dojo import cli
from dojo.cli.commands.grade import _yes_or_no
from tests.fakekata import BUGGY_VIEW, FIXED_VIEW, REPO, TESTS
from tests.test_grade import grade, katas, make_checkout, submission

NAMES = ["01_hello", "02_hello", "03_hello", "04_hello"]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dojo checkout with four fake katas of the same story."""
    return make_checkout(tmp_path_factory.mktemp("course") / "dojo", dict.fromkeys(NAMES, TESTS))


IMPORTS_THE_REFERENCE = """\
import importlib

hello = importlib.import_module("solutions.{kata}.views").hello
"""

EXECS_THE_REFERENCE = """\
from pathlib import Path

exec(Path(__file__).parents[2].joinpath("solutions", "{kata}", "views.py").read_text())
"""

FINDS_THE_REFERENCE_BY_IMPORTLIB = """\
import importlib

hello = importlib.import_module("solu" + "tions.{kata}.views").hello
"""


def test_a_learner_file_that_reaches_for_the_reference_scores_nothing(course: Path, tmp_path: Path):
    work = tmp_path / "work"
    submission(work, {
        "01_hello": IMPORTS_THE_REFERENCE.format(kata="01_hello"),
        "02_hello": EXECS_THE_REFERENCE.format(kata="02_hello"),
        "03_hello": FINDS_THE_REFERENCE_BY_IMPORTLIB.format(kata="03_hello"),
        "04_hello": BUGGY_VIEW,
    })  # fmt: skip
    # A link to the reference, in place of the file the learner should have written.
    (work / "04_hello" / "views.py").unlink()
    (work / "04_hello" / "views.py").symlink_to(course / "solutions" / "04_hello" / "views.py")

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(work))

    assert results["score"] == 0
    assert katas(results) == dict.fromkeys(NAMES, ("error", 0))
    messages = {kata["name"]: kata["message"] for kata in results["katas"]}
    assert "line 3: reaches for the reference fixes" in messages["01_hello"]
    assert "reaches for the reference fixes" in messages["02_hello"]
    # A name put together at run time escapes the check, and finds no reference to run.
    assert "No module named 'solutions" in messages["03_hello"]
    assert "is a symbolic link" in messages["04_hello"]


def test_a_katas_folder_linked_to_the_solutions_scores_nothing(course: Path, tmp_path: Path):
    work = tmp_path / "fork"
    work.mkdir()
    (work / "katas").symlink_to(course / "solutions")

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(work))

    assert results["score"] == 0
    assert {status for status, _ in katas(results).values()} == {"error"}
    assert all("katas is a symbolic link" in kata["message"] for kata in results["katas"])


def test_a_copy_of_the_reference_scores_and_is_flagged_for_the_instructor(
    course: Path, tmp_path: Path
):
    # Comments, a docstring and blank lines added: the same code, dressed up.
    dressed = '"""My own work."""\n\n\n' + FIXED_VIEW.replace("\n\n", "\n\n\n# Mine!\n")
    work = submission(tmp_path / "work", {
        "01_hello": FIXED_VIEW,
        "02_hello": dressed,
        "03_hello": BUGGY_VIEW,
        "04_hello": FIXED_VIEW.replace('{"greeting": "hello"}', "dict(greeting='hello')"),
    })  # fmt: skip

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(work))

    flags = {kata["name"]: kata["flag"] for kata in results["katas"]}
    assert flags["01_hello"] == "the same code as the reference fix"
    assert flags["02_hello"] == "the same code as the reference fix"
    assert flags["03_hello"] is None
    assert flags["04_hello"] is None  # written another way: the learner's own
    assert katas(results)["01_hello"] == ("pass", 1)  # a flag informs; it costs no point


def test_a_file_name_that_is_not_utf8_leaves_valid_outputs(course: Path, tmp_path: Path):
    fork = tmp_path / "fork"
    subprocess.run(["git", "clone", "-q", str(course), str(fork)], check=True)
    (fork / "katas" / "01_hello" / "views.py").write_text(FIXED_VIEW)
    odd = os.fsencode(fork / "katas") + b"/notes-\xff\xfe.py"
    with open(odd, "wb") as file:
        file.write(b"print('hi')\n")

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(fork))

    assert katas(results)["01_hello"] == ("pass", 1)
    changed = results["grader"]["changed_protected_files"]
    assert {"path": "katas/notes-\ufffd\ufffd.py", "change": "added"} in changed
    assert "notes-" in (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    ET.parse(tmp_path / "out" / "junit.xml")


def test_katas_past_the_deadline_are_marked_and_the_outputs_are_valid(course: Path, tmp_path: Path):
    work = submission(tmp_path / "work", dict.fromkeys(NAMES, FIXED_VIEW))

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(work), "--deadline", "1")

    assert results["status"] != "error"
    assert katas(results) == dict.fromkeys(NAMES, ("timeout", 0))
    assert all("deadline of 1 s" in kata["message"] for kata in results["katas"])
    assert "deadline" in (tmp_path / "out" / "summary.md").read_text()


def test_an_untrusted_grade_is_marked_and_strict_refuses_it(course: Path, tmp_path: Path):
    work = submission(tmp_path / "work", dict.fromkeys(NAMES, FIXED_VIEW))
    why = "No course repository was found."

    _, marked, _ = grade(course, tmp_path / "out", "--submission", str(work), "--untrusted", why)
    code = cli.main([
        "grade", "--repo", str(course), "--out", str(tmp_path / "strict"),
        "--submission", str(work), "--untrusted", why, "--strict=yes",
    ])  # fmt: skip

    assert (marked["grader"]["trusted"], marked["grader"]["untrusted_reason"]) == (False, why)
    assert "Not a trusted grade" in (tmp_path / "out" / "summary.md").read_text()
    assert code == 2
    refused = (tmp_path / "strict" / "results.json").read_text()
    assert '"status": "error"' in refused and why in refused


@pytest.mark.parametrize(
    ("word", "strict"),
    [("1", True), ("TRUE", True), ("Yes", True), ("on", True),
     ("0", False), ("False", False), ("no", False), ("OFF", False)],
)  # fmt: skip
def test_strict_takes_yes_and_no_in_any_case(word: str, strict: bool):
    assert _yes_or_no(word) is strict


@pytest.mark.parametrize("word", ["maybe", "2", "y e s"])
def test_strict_refuses_anything_else_before_grading(word: str, tmp_path: Path):
    shown = subprocess.run(
        ["make", "-s", "grade", f"STRICT={word}", f"SUBMISSION={tmp_path}"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert shown.returncode != 0
    assert "is neither yes nor no" in shown.stderr
    assert not (REPO / "build" / "grade" / ".results.json.partial").exists()


def test_a_kata_value_with_quotes_adds_no_argument(tmp_path: Path):
    shown = subprocess.run(
        ["make", "-s", "grade", 'KATA=4" --out "/tmp/elsewhere', f"SUBMISSION={tmp_path}"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert shown.returncode != 0
    assert 'KATA=4" --out "/tmp/elsewhere: there is no such kata' in shown.stderr
