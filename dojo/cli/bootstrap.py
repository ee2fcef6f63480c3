"""Create .venv with a Python 3.12+ found on this machine, and install the dojo into it.

The Makefile runs this file with whatever Python is at hand, which may be older than the
dojo needs, so it uses the standard library only and no syntax newer than Python 3.6.

Which Python: $PYTHON when set; otherwise the newest 3.12+ among python3.14, python3.13,
python3.12 and python3 on the PATH, and the versions pyenv keeps (even when pyenv's global
version is older: its shims then refuse to run the newer ones).
"""

import glob
import os
import shutil
import subprocess
import sys
from typing import List, Mapping, Optional, Tuple

MINIMUM = (3, 12)
NAMES = ("python3.14", "python3.13", "python3.12", "python3")
STAMP = ".dojo-installed"


class BootstrapError(Exception):
    """A problem the user fixes by installing or naming a Python."""


def version_of(executable: str) -> Optional[Tuple[int, int]]:
    """The (major, minor) version of a Python executable, or None if it does not run."""
    try:
        output = subprocess.run(
            [executable, "-c", "import sys; print(*sys.version_info[:2])"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            universal_newlines=True,  # "text" is Python 3.7+; this runs on older ones too
            timeout=20,
            check=True,
        ).stdout
        major, minor = output.split()
        return int(major), int(minor)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def pyenv_root() -> str:
    root = os.environ.get("PYENV_ROOT")
    if root:
        return root
    if shutil.which("pyenv"):
        try:
            return subprocess.run(
                ["pyenv", "root"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                universal_newlines=True,  # "text" is Python 3.7+; this runs on older ones too
                timeout=20,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return os.path.expanduser("~/.pyenv")


def candidates() -> List[str]:
    """Every Python executable worth asking for its version, without duplicates."""
    seen = []  # type: List[str]
    for name in NAMES:
        path = shutil.which(name)
        if path and path not in seen:
            seen.append(path)
    pattern = os.path.join(pyenv_root(), "versions", "*", "bin", "python3")
    for path in sorted(glob.glob(pattern)):
        if path not in seen:
            seen.append(path)
    return seen


def find_python() -> Optional[Tuple[str, Tuple[int, int]]]:
    """The newest Python 3.12+ found, as (path, version), or None."""
    found = []  # type: List[Tuple[Tuple[int, int], str]]
    for path in candidates():
        version = version_of(path)
        if version is not None and version >= MINIMUM:
            found.append((version, path))
    if not found:
        return None
    version, path = max(found)
    return path, version


def choose_python(environ: Mapping[str, str]) -> Tuple[str, Tuple[int, int]]:
    requested = environ.get("PYTHON")
    if requested:
        version = version_of(requested)
        if version is None:
            raise BootstrapError(f"PYTHON={requested} does not run. Name a Python 3.12 or newer.")
        if version < MINIMUM:
            raise BootstrapError(
                "PYTHON={} is Python {}.{}; the dojo needs 3.12 or newer.".format(
                    requested, *version
                )
            )
        return requested, version
    found = find_python()
    if found is None:
        raise BootstrapError(
            "No Python 3.12 or newer found (looked for python3.14, python3.13, python3.12, "
            "python3 and pyenv's versions). Install Python 3.12+ (python.org, your package "
            "manager, or `pyenv install 3.13`), or name one: make kata N=1 PYTHON=/path/to/python3"
        )
    return found


def run(command: List[str]) -> None:
    print("  $ " + " ".join(command), flush=True)
    subprocess.run(command, check=True)


def bootstrap(venv: str, environ: Mapping[str, str]) -> None:
    python = os.path.join(venv, "bin", "python")
    if not (os.path.exists(python) and (version_of(python) or (0, 0)) >= MINIMUM):
        chosen, version = choose_python(environ)
        print(f"Creating {venv} with Python {version[0]}.{version[1]} ({chosen})")
        shutil.rmtree(venv, ignore_errors=True)
        run([chosen, "-m", "venv", venv])
    print(f"Installing the dojo and its tools into {venv} (once, and after pyproject.toml changes)")
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"])
    # Test runs write no bytecode (dojo.course.testrun), so each would compile the dojo
    # anew: compiled once here, checked by hash, a module edited since is still read fresh.
    run([python, "-m", "compileall", "-q", "--invalidation-mode", "checked-hash", "dojo"])
    with open(os.path.join(venv, STAMP), "w") as stamp:
        stamp.write("installed\n")


def main(argv: List[str]) -> int:
    venv = argv[1] if len(argv) > 1 else ".venv"
    try:
        bootstrap(venv, os.environ)
    except BootstrapError as error:
        print("dojo: " + str(error), file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(
            "dojo: setting up {} failed while running: {}".format(venv, " ".join(error.cmd)),
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
