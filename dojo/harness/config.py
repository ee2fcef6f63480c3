"""The plugin's settings, shared by the plugin's hooks and its fixtures."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

from dojo.course.catalog import KATA_DIR_PATTERN, Kata, KataConfigError, load_kata

# How a kata's tests begin when its learner files cannot be imported (the dojo room's light
# for such a run is amber: the tests could not run).
IMPORT_FAILED = "The kata's code could not be imported"


@dataclass(frozen=True)
class DojoSettings:
    """The plugin's settings, read once from the command line and the ini file."""

    root: Path
    target: str
    target_dir: Path
    seed: int

    @property
    def code_roots(self) -> tuple[Path, ...]:
        """Folders holding learner code: where a stall or an error is reported from."""
        roots = (self.root / "katas", self.root / "solutions", self.target_dir)
        return tuple(dict.fromkeys(roots))


settings_key = pytest.StashKey[DojoSettings]()


def kata_folder(path: Path) -> Path | None:
    """The kata folder (katas/NN_slug) a test file belongs to, if any."""
    for parent in path.parents:
        if parent.parent.name == "katas" and KATA_DIR_PATTERN.match(parent.name):
            return parent
    return None


@functools.cache
def kata_of(folder: Path) -> Kata | None:
    """The kata in ``folder`` with its kata.toml read once per run (None when the file is
    malformed: verify and the kata's import check report that, not every test)."""
    try:
        return load_kata(folder)
    except KataConfigError:
        return None
