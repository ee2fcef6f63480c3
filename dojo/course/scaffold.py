"""``new``: start a kata from a template that has every part of the kata anatomy.

Every place the author must fill in is marked ``<author: ...>``, and verify names each
one that is left, so ``make verify`` is the author's to-do list.
"""

from __future__ import annotations

import re
from pathlib import Path

from dojo.course.catalog import KATA_DIR_PATTERN, kata_dirs
from dojo.errors import DojoError

TEMPLATES = Path(__file__).resolve().parent / "templates"
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER = "<author"


def new_kata(root: Path, slug: str) -> Path:
    """Create katas/NN_slug and solutions/NN_slug, numbered after the last kata."""
    if not SLUG.match(slug):
        raise DojoError(
            f"NAME={slug!r} is not a valid slug: use lowercase letters, digits and "
            "underscores, starting with a letter (like missing_await)."
        )
    existing = kata_dirs(root)
    for path in existing:
        match = KATA_DIR_PATTERN.match(path.name)
        if match and match["slug"] == slug:
            raise DojoError(f"A kata named {slug} exists already: katas/{path.name}.")
    number = max((int(path.name[:2]) for path in existing), default=0) + 1
    if number > 99:
        raise DojoError("There are 99 katas already; kata numbers have two digits.")
    name = f"{number:02d}_{slug}"
    fields = {"number": f"{number:02d}", "n": str(number), "name": name, "slug": slug}
    kata = root / "katas" / name
    _render(TEMPLATES / "kata", kata, fields)
    _render(TEMPLATES / "solution", root / "solutions" / name, fields)
    return kata


def placeholders_left(folder: Path) -> list[str]:
    """The files of ``folder`` that still hold an ``<author: ...>`` placeholder."""
    return [
        path.name
        for path in sorted(folder.iterdir())
        if path.is_file() and PLACEHOLDER in path.read_text(encoding="utf-8", errors="replace")
    ]


def _render(templates: Path, destination: Path, fields: dict[str, str]) -> None:
    destination.mkdir(parents=True)
    for template in sorted(templates.glob("*.tmpl")):
        text = template.read_text(encoding="utf-8").format(**fields)
        (destination / template.name.removesuffix(".tmpl")).write_text(text, encoding="utf-8")
