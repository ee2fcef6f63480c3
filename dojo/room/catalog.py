"""What the room knows of the katas: their names and titles (for the kata control) and
their reference fixes (for the facilitator's review), read from the facilitator's checkout
in a worker thread, never on the event loop."""

from __future__ import annotations

import asyncio
from functools import cache

from dojo.course.catalog import REPO_ROOT, Kata, load_katas


@cache
def _katas() -> dict[str, Kata]:
    return {kata.name: kata for kata in load_katas(REPO_ROOT)}


async def katas() -> list[dict[str, str]]:
    """Every kata's folder name and title, in order."""
    found = await asyncio.to_thread(_katas)
    return [
        {"name": name, "title": f"{kata.number:02d} · {kata.title}"} for name, kata in found.items()
    ]


async def known(name: str) -> bool:
    return name in await asyncio.to_thread(_katas)


def _reference(name: str) -> str:
    kata = _katas().get(name)
    if kata is None:
        return ""
    parts = []
    for file in kata.files:
        path = kata.solution_path / file
        if path.is_file():
            parts.append(f"# solutions/{name}/{file}\n{path.read_text(encoding='utf-8')}")
    return "\n".join(parts)


async def reference(name: str) -> str:
    """The reference fix's learner files, as one text ("" for a kata not in this checkout)."""
    return await asyncio.to_thread(_reference, name)
