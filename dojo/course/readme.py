"""Reading a kata's README: its sections, for the runner's short header."""

from __future__ import annotations

from dojo.course.catalog import Kata


def section(kata: Kata, heading: str) -> str:
    """The text under ``## heading`` in the kata's README, or "" when there is none."""
    readme = kata.path / "README.md"
    if not readme.is_file():
        return ""
    lines: list[str] = []
    inside = False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip().lower() == heading.lower()
        elif inside:
            lines.append(line)
    return "\n".join(lines).strip()
