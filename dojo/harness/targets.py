"""Switch which copy of a kata's learner files the routes import.

The same tests run against the starter (``katas/``), the reference fix (``solutions/``) or
any folder laid out like ``katas/`` (a submission being graded, an alternative fix in the
dojo's own tests). A meta path finder loads ``katas.NN_slug.views`` from
``<target>/NN_slug/views.py`` when that file exists, under the kata's own module name, so
its relative imports (``from .models import Book``) still reach the kata's other modules.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType


class TargetFinder(importlib.abc.MetaPathFinder):
    """Finds ``katas.<kata>.<module>`` in the target folder before the kata's own."""

    def __init__(self, target_dir: Path) -> None:
        self.target_dir = target_dir

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        parts = fullname.split(".")
        if len(parts) != 3 or parts[0] != "katas":
            return None
        candidate = self.target_dir / parts[1] / f"{parts[2]}.py"
        if not candidate.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, candidate)


def install(target_dir: Path) -> TargetFinder:
    """Route learner modules to ``target_dir`` from now on in this process."""
    finder = TargetFinder(target_dir)
    sys.meta_path.insert(0, finder)
    return finder
