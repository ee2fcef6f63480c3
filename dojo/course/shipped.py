"""The katas as shipped: the committed starters, whatever the learner has done to katas/.

A learner edits katas/ (that is the point), so the self-check (verify, bench, the golden
outputs) must not judge those files: a solved kata would read as "the starter passes every
test: no bug to fix". It reads the learner files from the repository's last commit instead,
laid out like katas/ in a scratch folder that ``--target`` can point at.

An author at work changes a kata's tests, kata.toml or README as well, which a learner never
does: such a kata is judged as it is in the working tree, starter and tests together. Outside
a git checkout there is nothing else to read, so katas/ is judged as it is, and it says so.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dojo.course.catalog import KataConfigError, load_kata

GIT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Shipped:
    """Where the shipped starters are, what they were read from, and which learner files
    in katas/ differ from them."""

    path: Path
    source: str
    changed: list[str] = field(default_factory=list)
    authored: set[str] = field(default_factory=set)

    @property
    def learner_changes(self) -> list[str]:
        """Changed files of katas that are not being authored: a learner's work."""
        return [path for path in self.changed if Path(path).parts[1] not in self.authored]


@contextlib.contextmanager
def shipped_starters(root: Path) -> Iterator[Shipped]:
    """A folder laid out like ``katas/`` with the starters of the last commit under
    ``root`` (or ``root/katas`` itself when there is no commit to read)."""
    archive = _git(root, "archive", "--format=tar", "HEAD", "katas")
    if archive is None:
        yield Shipped(root / "katas", "katas/ as it is (no git history to read the starters from)")
        return
    with tempfile.TemporaryDirectory(prefix="dojo-shipped-") as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        output = _git(root, "diff", "--name-only", "HEAD", "--", "katas") or b""
        changed = [line for line in output.decode(errors="replace").splitlines() if line]
        authored = _being_authored(root, changed)
        for kata in authored:
            shutil.rmtree(Path(scratch) / "katas" / kata, ignore_errors=True)
        yield Shipped(
            Path(scratch) / "katas",
            "the starters as last committed (git HEAD)",
            changed,
            authored,
        )


def _being_authored(root: Path, changed: list[str]) -> set[str]:
    """The katas with changes a learner does not make: to tests, kata.toml, the README."""
    authored = set()
    for path in changed:
        parts = Path(path).parts
        if len(parts) < 3:
            continue
        try:
            learner_files = load_kata(root / "katas" / parts[1]).files
        except KataConfigError:
            learner_files = ()
        if parts[2] not in learner_files:
            authored.add(parts[1])
    return authored


def _git(root: Path, *args: str) -> bytes | None:
    """git's output, or None when ``root`` is no git checkout (or git is missing)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
