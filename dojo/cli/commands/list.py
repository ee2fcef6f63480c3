"""List every kata, part by part, with its state, title, level and concepts, and count the
solved. Solved means its tests pass with your files as they are now: a kata whose files
changed since its last run is run again (quietly) to find out.

--markdown prints the learning path as katas/README.md holds it; --index, the kata list of
the top-level README.
"""

from __future__ import annotations

import argparse

from dojo.cli.commands.solution import is_solved
from dojo.course.catalog import REPO_ROOT, Kata, Part, load_katas, load_parts
from dojo.course.progress import CHANGED, SOLVED, UNSOLVED, Progress

HELP = "every kata with its state (solved, not yet, never run), level and title"
MARKS = {SOLVED: "✔ solved", UNSOLVED: "✘ not yet", CHANGED: "? changed"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--markdown", action="store_true", help="print the learning path as katas/README.md"
    )
    parser.add_argument(
        "--index", action="store_true", help="print the kata list of the top-level README"
    )
    parser.add_argument(
        "--load", action="store_true", help="print the README's list of katas with a load scenario"
    )


def main(args: argparse.Namespace) -> int:
    katas = load_katas()
    parts = load_parts()
    if args.markdown:
        print(learning_path(katas, parts), end="")
        return 0
    if args.index:
        print(kata_index(katas, parts), end="")
        return 0
    if args.load:
        print(load_index(katas), end="")
        return 0
    progress = Progress.load(REPO_ROOT)
    width = max((len(kata.title) for kata in katas), default=5)
    solved = 0
    for part, members in by_part(katas, parts):
        if part is not None:
            print(f"\n{part.title}")
        for kata in members:
            state = progress.state(kata)
            if state == CHANGED:
                state = SOLVED if is_solved(kata) else UNSOLVED
            solved += state == SOLVED
            print(
                f"{kata.number:>4}  {MARKS.get(state, '· never run'):<11}  "
                f"{kata.title:<{width}}  {kata.level_name:<6}  {', '.join(kata.concepts)}"
            )
    print(f"\n{solved} of {len(katas)} katas solved. Run one with: make kata N=<number>")
    return 0


def by_part(katas: list[Kata], parts: list[Part]) -> list[tuple[Part | None, list[Kata]]]:
    """The katas grouped by part, in order; katas outside every part come last."""
    groups: list[tuple[Part | None, list[Kata]]] = [
        (part, [kata for kata in katas if part.holds(kata)]) for part in parts
    ]
    rest = [kata for kata in katas if not any(part.holds(kata) for part in parts)]
    if rest:
        groups.append((None, rest))
    return [(part, members) for part, members in groups if members]


def learning_path(katas: list[Kata], parts: list[Part]) -> str:
    """katas/README.md: the parts, their katas, and what a learner knows after each part."""
    lines = [
        "# The learning path",
        "",
        "Six parts, from your first async view to production patterns. Work through them in",
        "order with `make watch`, or pick a kata with `make kata N=<number>`; `make list` shows",
        "this path with your progress. Levels: 1 easy, 2 medium, 3 hard.",
    ]
    for number, (part, members) in enumerate(by_part(katas, parts), start=1):
        title = f"Part {number}: {part.title}" if part else "More katas"
        lines += ["", f"## {title}", "", "| # | kata | level | concepts |", "|---|---|---|---|"]
        lines += [
            f"| {kata.number:02d} | [{kata.title}]({kata.name}/README.md) | {kata.level} | "
            f"{', '.join(kata.concepts)} |"
            for kata in members
        ]
        if part:
            lines += ["", f"After this part: {part.after}"]
    return "\n".join(lines) + "\n"


def kata_index(katas: list[Kata], parts: list[Part]) -> str:
    """The kata list of the top-level README: one line per part, the katas by number."""
    lines = []
    for number, (part, members) in enumerate(by_part(katas, parts), start=1):
        title = f"Part {number}, {part.title}" if part else "More"
        names = " · ".join(f"{kata.number:02d} {kata.title}" for kata in members)
        lines.append(f"- **{title}**: {names}")
    return "\n".join(lines) + "\n"


def load_index(katas: list[Kata]) -> str:
    """The README's line naming the katas that ``make serve`` and ``make load`` can show."""
    shown = [f"{kata.number} ({kata.title})" for kata in katas if kata.load is not None]
    if not shown:
        return "No kata has a load scenario yet.\n"
    return f"Katas with a load scenario: {', '.join(shown)}.\n"
