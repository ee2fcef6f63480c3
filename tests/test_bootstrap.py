"""The bootstrap finds the newest Python 3.12+, including pyenv's, and says what to do
when there is none."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dojo import bootstrap


def fake_python(path: Path, version: str) -> str:
    """An executable that answers the version question like a Python would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only an old python3, and a pyenv root with several versions."""
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir / "python3", "3 11")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    return tmp_path


def test_the_newest_pyenv_version_wins_over_an_old_default(machine: Path) -> None:
    fake_python(machine / "pyenv/versions/3.12.1/bin/python3", "3 12")
    newest = fake_python(machine / "pyenv/versions/3.13.0/bin/python3", "3 13")
    fake_python(machine / "pyenv/versions/3.10.13/bin/python3", "3 10")
    assert bootstrap.find_python() == (newest, (3, 13))


def test_no_new_enough_python_says_what_to_install(machine: Path) -> None:
    with pytest.raises(bootstrap.BootstrapError, match=r"No Python 3\.12 or newer found") as error:
        bootstrap.choose_python({})
    assert "PYTHON=/path/to/python3" in str(error.value)


def test_python_names_a_chosen_interpreter(machine: Path) -> None:
    chosen = fake_python(machine / "elsewhere/python", "3 14")
    assert bootstrap.choose_python({"PYTHON": chosen}) == (chosen, (3, 14))
    old = fake_python(machine / "old/python", "3 11")
    with pytest.raises(bootstrap.BootstrapError, match=r"is Python 3\.11; the dojo needs 3\.12"):
        bootstrap.choose_python({"PYTHON": old})


def test_a_broken_shim_is_skipped(machine: Path) -> None:
    shim = machine / "bin" / "python3.13"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.13: command not found' >&2\nexit 127\n")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    assert bootstrap.version_of(str(shim)) is None
    assert os.environ["PATH"].endswith("bin")
