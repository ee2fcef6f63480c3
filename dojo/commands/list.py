"""List every kata with its state, number, title, level and concepts, and count the solved.

Solved means its tests pass with your files as they are now: a kata whose files changed
since its last run is run again (quietly) to find out.
"""

from __future__ import annotations

import argparse

from dojo.catalog import REPO_ROOT, load_katas
from dojo.commands.solution import is_solved
from dojo.progress import CHANGED, SOLVED, UNSOLVED, Progress

HELP = "list every kata with its state (solved, not yet, never run), level and title"
MARKS = {SOLVED: "✔ solved", UNSOLVED: "✘ not yet", CHANGED: "? changed"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def main(args: argparse.Namespace) -> int:
    katas = load_katas()
    progress = Progress.load(REPO_ROOT)
    width = max((len(kata.title) for kata in katas), default=5)
    solved = 0
    for kata in katas:
        state = progress.state(kata)
        if state == CHANGED:
            state = SOLVED if is_solved(kata) else UNSOLVED
        solved += state == SOLVED
        print(
            f"{kata.number:>3}  {MARKS.get(state, '· never run'):<11}  {kata.title:<{width}}  "
            f"{kata.level_name:<6}  {', '.join(kata.concepts)}"
        )
    print(f"\n{solved} of {len(katas)} katas solved. Run one with: make kata N=<number>")
    return 0
