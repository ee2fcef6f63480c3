"""The command line: every verb has help, and bad input is one clear line, never a traceback."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from dojo.cli import COMMANDS, build_parser, command_modules
from dojo.course.catalog import KataConfigError, find_kata, load_kata
from dojo.errors import DojoError
from tests.fakekata import KATA_TOML, REPO, copy_project, write_kata


def dojo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dojo", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_every_command_has_help_text() -> None:
    for name, module in zip(COMMANDS, command_modules(), strict=True):
        assert module.HELP, f"dojo {name} has no HELP line"
        assert module.__doc__, f"dojo {name} has no description"
    assert "VERB" in build_parser().format_help()


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("99", "dojo: There is no kata 99; the katas are "),
        ("abc", "dojo: N=abc is not a kata number; the katas are "),
        ("", "dojo: Name a kata with N=<number>; the katas are "),
    ],
)
def test_a_wrong_kata_number_is_one_line_naming_the_valid_ones(number: str, says: str) -> None:
    result = dojo("run", number)
    assert result.returncode == 2
    assert result.stderr.startswith(says)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_kata_numbers_may_be_written_with_or_without_a_leading_zero(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    write_kata(root, "04_missing_await")
    assert find_kata("4", root).name == find_kata("04", root).name == "04_missing_await"
    with pytest.raises(DojoError, match=r"the katas are 4\."):
        find_kata("5", root)


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        (KATA_TOML.replace("level = 1", "level = 7"), "key 'level' must be 1, 2 or 3, not 7"),
        (KATA_TOML.replace('title = "Say hello"\n', ""), "key 'title' is missing"),
        (
            KATA_TOML.replace('files = ["views.py"]', 'files = "views.py"'),
            "key 'files' must be a list",
        ),
        ("title = [", "not valid TOML"),
    ],
)
def test_a_malformed_kata_toml_names_the_file_and_the_key(
    tmp_path: Path, toml: str, says: str
) -> None:
    kata = write_kata(copy_project(tmp_path), "04_missing_await", toml=toml)
    with pytest.raises(KataConfigError) as error:
        load_kata(kata)
    assert "04_missing_await/kata.toml: " in str(error.value)
    assert says in str(error.value)


def test_running_a_kata_ends_with_a_one_line_verdict() -> None:
    number = str(int(sorted((REPO / "katas").glob("[0-9][0-9]_*"))[0].name[:2]))
    starter = dojo("run", number)
    solution = dojo("run", number, "--target", "solutions")
    assert starter.returncode == 1
    assert (
        starter.stdout.strip()
        .splitlines()[-1]
        .startswith(f"✘ Kata {int(number):02d} is not solved yet")
    )
    assert solution.returncode == 0
    assert (
        solution.stdout.strip()
        .splitlines()[-1]
        .startswith(f"✔ Kata {int(number):02d}'s reference fix passes")
    )


def test_the_learning_path_in_katas_readme_is_up_to_date() -> None:
    from dojo.cli.commands.list import learning_path
    from dojo.course.catalog import load_katas, load_parts

    expected = learning_path(load_katas(REPO), load_parts(REPO))
    shown = (REPO / "katas" / "README.md").read_text(encoding="utf-8")
    assert shown == expected, (
        "katas/README.md is out of date: python -m dojo list --markdown > katas/README.md"
    )


def test_the_kata_list_in_the_readme_is_up_to_date() -> None:
    from dojo.cli.commands.list import kata_index
    from dojo.course.catalog import load_katas, load_parts

    index = kata_index(load_katas(REPO), load_parts(REPO))
    assert index in (REPO / "README.md").read_text(encoding="utf-8"), (
        "README.md's kata list is out of date: replace it with python -m dojo list --index"
    )


def test_the_readmes_list_of_load_katas_comes_from_the_catalog() -> None:
    from dojo.cli.commands.list import load_index
    from dojo.course.catalog import load_katas

    listed = load_index(load_katas(REPO))
    assert listed in (REPO / "README.md").read_text(encoding="utf-8"), (
        "README.md's list of load katas is out of date: replace it with python -m dojo list --load"
    )


def test_every_part_of_the_path_holds_katas_in_curriculum_order() -> None:
    from dojo.course.catalog import load_parts

    parts = load_parts(REPO)
    assert [part.first for part in parts] == sorted(part.first for part in parts)
    assert all(part.first <= part.last for part in parts)
    assert all(a.last + 1 == b.first for a, b in itertools.pairwise(parts))
