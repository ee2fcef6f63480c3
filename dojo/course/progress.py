"""The learner's local progress: hint levels and the last verdict of each kata.

One small JSON file in the repository root, ignored by git. A verdict is stored with a
fingerprint of the learner's files, so "solved" always means "passes with the files as
they are now"; deleting the file loses nothing but hint levels.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dojo.course.catalog import Kata

PROGRESS_FILE = ".dojo-progress.json"

SOLVED, UNSOLVED, NEVER_RUN, CHANGED = "solved", "not yet", "never run", "changed"


@dataclass
class Progress:
    """Hint levels and verdicts, by kata folder name."""

    path: Path
    hints: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Progress:
        """The progress saved under ``root``; a missing or unreadable file is a fresh start."""
        path = root / PROGRESS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict):
            return cls(path)
        hints = {k: v for k, v in data.get("hints", {}).items() if isinstance(v, int)}
        verdicts = {k: v for k, v in data.get("verdicts", {}).items() if isinstance(v, dict)}
        return cls(path, hints, verdicts)

    def save(self) -> None:
        data = {"hints": self.hints, "verdicts": self.verdicts}
        self.path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def record(self, kata: Kata, passed: bool) -> None:
        """Remember the verdict of ``kata`` for its learner files as they are now."""
        self.verdicts[kata.name] = {"passed": passed, "fingerprint": fingerprint(kata)}
        self.save()

    def state(self, kata: Kata) -> str:
        """solved / not yet / never run, or changed when the files moved on since the run."""
        verdict = self.verdicts.get(kata.name)
        if verdict is None:
            return NEVER_RUN
        if verdict.get("fingerprint") != fingerprint(kata):
            return CHANGED
        return SOLVED if verdict.get("passed") else UNSOLVED


def fingerprint(kata: Kata) -> str:
    """A digest of the learner's files of ``kata``, as they are on disk now."""
    digest = hashlib.sha256()
    for name in kata.files:
        path = kata.path / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()
