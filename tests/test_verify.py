"""verify judges katas both ways: a sound kata passes; each kind of broken kata is named."""

from __future__ import annotations

import pytest

from dojo.course.verify import KataReport, verify
from tests.fakekata import BUGGY_VIEW, FIXED_VIEW, KATA_TOML, copy_project, write_kata


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KataReport]:
    """One verify run over a fake course holding one kata of each kind."""
    root = copy_project(tmp_path_factory.mktemp("course"))
    write_kata(root, "01_sound")
    write_kata(root, "02_already_solved", view="# TODO: nothing left to do\n" + FIXED_VIEW)
    write_kata(root, "03_failing_solution", solution=FIXED_VIEW.replace('"hello"}', '"bye"}'))
    write_kata(root, "04_import_error", view="import nowhere_to_be_found  # TODO: fix\n")
    write_kata(
        root,
        "05_no_todo",
        view=BUGGY_VIEW.replace("    # TODO: what does the client expect?\n", ""),
    )
    write_kata(
        root,
        "06_unnamed_failure",
        toml=KATA_TOML.replace('failing = ["test_answers_json"]', 'failing = ["test_answers_200"]'),
    )
    write_kata(root, "07_no_solution", solution=None, readme=None)
    write_kata(root, "08_few_hints", toml=KATA_TOML.replace('"one", "two", "three"', '"one"'))
    (root / "katas" / "01_sound" / "notes.txt").write_text("stray")
    write_kata(root, "09_bad_toml", toml="title = \n")
    return {report.name: report for report in verify(root)}


def problems(reports: dict[str, KataReport], name: str) -> str:
    return "\n".join(reports[name].problems)


def test_a_sound_kata_has_no_problem_but_a_stray_file(reports: dict[str, KataReport]) -> None:
    assert reports["01_sound"].problems == [
        "katas/01_sound/notes.txt is stray: not part of a kata (see DESIGN.md)."
    ]


def test_a_kata_already_solved_as_shipped_is_named(reports: dict[str, KataReport]) -> None:
    assert "the starter passes every test" in problems(reports, "02_already_solved")


def test_a_solution_that_fails_is_named_with_its_test(reports: dict[str, KataReport]) -> None:
    assert "the solution fails test_answers_json" in problems(reports, "03_failing_solution")


def test_a_starter_that_cannot_import_is_named(reports: dict[str, KataReport]) -> None:
    found = problems(reports, "04_import_error")
    assert "The kata's code could not be imported: ModuleNotFoundError" in found
    assert "nowhere_to_be_found" in found


def test_a_missing_todo_marker_is_named(reports: dict[str, KataReport]) -> None:
    assert "no '# TODO' marker in views.py" in problems(reports, "05_no_todo")


def test_a_failure_kata_toml_does_not_name_is_named(reports: dict[str, KataReport]) -> None:
    found = problems(reports, "06_unnamed_failure")
    assert "the starter fails test_answers_json, which kata.toml does not name" in found
    assert "test_answers_200 passes as shipped, but kata.toml says it must fail" in found


def test_missing_readme_and_solution_are_named(reports: dict[str, KataReport]) -> None:
    found = problems(reports, "07_no_solution")
    assert "katas/07_no_solution/README.md is missing." in found
    assert "solutions/07_no_solution/views.py is missing" in found


def test_too_few_hints_are_named(reports: dict[str, KataReport]) -> None:
    assert "has 1 hints; give at least 3" in problems(reports, "08_few_hints")


def test_a_malformed_kata_toml_is_named_with_its_file(reports: dict[str, KataReport]) -> None:
    assert "09_bad_toml/kata.toml: not valid TOML" in problems(reports, "09_bad_toml")


def test_verify_reports_every_kata(reports: dict[str, KataReport]) -> None:
    assert len(reports) == 9
