"""The repository's conftest.py: the dojo's plugin for this repository only, one sentence
for a Python without the dojo's tools, and every run of a kata's tests in the progress."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dojo.course.progress import PROGRESS_FILE
from dojo.course.testrun import run_pytest
from tests.fakekata import FIXED_VIEW, copy_project, write_kata

KATA = "81_progress"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_project(tmp_path)
    write_kata(root, KATA)
    return root


def verdict(root: Path) -> dict[str, object] | None:
    path = root / PROGRESS_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text())["verdicts"].get(KATA)


def test_no_entry_point_loads_the_plugin_into_other_projects() -> None:
    plugins = importlib.metadata.entry_points(group="pytest11")
    assert not [entry for entry in plugins if entry.value.startswith("dojo")]


def test_a_python_without_the_dojos_tools_gets_one_sentence(root: Path, tmp_path: Path) -> None:
    # A Python with pytest alone: no plugin of this environment loads, and Django cannot be
    # found (a package named django says it is not installed).
    missing = tmp_path / "missing"
    (missing / "django").mkdir(parents=True)
    (missing / "django" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'django'\", name='django')\n"
    )
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", f"katas/{KATA}"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(missing), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode != 0
    assert "Traceback" not in ran.stderr + ran.stdout
    assert "lacks the dojo's tools (django is not installed)" in ran.stderr
    assert ". .venv/bin/activate" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr


def test_plain_pytest_records_a_katas_verdict(root: Path) -> None:
    run_pytest([f"katas/{KATA}"], cwd=root)
    assert verdict(root) is not None and verdict(root)["passed"] is False

    (root / "katas" / KATA / "views.py").write_text(FIXED_VIEW)
    run_pytest([f"katas/{KATA}"], cwd=root)
    assert verdict(root) is not None and verdict(root)["passed"] is True


def test_a_run_that_leaves_tests_out_never_records_a_pass(root: Path) -> None:
    (root / "katas" / KATA / "views.py").write_text(FIXED_VIEW)
    run_pytest([f"katas/{KATA}", "-k", "answers_200"], cwd=root)
    assert verdict(root) is None


def test_a_run_against_another_target_is_not_the_learners_progress(root: Path) -> None:
    run_pytest([f"katas/{KATA}", "--target=solutions"], cwd=root)
    assert verdict(root) is None
