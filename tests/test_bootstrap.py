"""The bootstrap finds the newest Python 3.12+, including pyenv's, and says what to do
when there is none."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from dojo.cli import bootstrap


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


def oldest_python() -> str | None:
    """The oldest Python 3 under pyenv's versions folder, if there is one."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found = sorted(
        root.glob("3.*/bin/python3"), key=lambda p: tuple(map(int, p.parts[-3].split(".")[:2]))
    )
    return str(found[0]) if found else None


def test_the_bootstrap_itself_runs_on_an_old_python(tmp_path: Path) -> None:
    old = oldest_python()
    if old is None:
        pytest.skip("no old Python under pyenv here: `pyenv install 3.6` to run this test")
    env = {"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path / "no-pyenv"), "HOME": str(tmp_path)}
    done = subprocess.run(
        [old, str(Path(bootstrap.__file__)), str(tmp_path / "venv")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "3.12 or newer" in done.stderr + done.stdout
