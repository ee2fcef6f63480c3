"""Show the next hint of a kata, one level at a time, from a nudge to nearly the answer.

The level reached is remembered in the progress file; ``--level N`` shows a chosen hint.
"""

from __future__ import annotations

import argparse
import textwrap

from dojo.course.catalog import REPO_ROOT, find_kata
from dojo.course.progress import Progress
from dojo.errors import DojoError

HELP = "the next hint of a kata: N=4 (LEVEL=2 for a chosen one)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", nargs="?", help="the kata's number, like 4 or 04")
    # Read as text: LEVEL=x deserves the same plain sentence as LEVEL=9, not argparse's.
    parser.add_argument("--level", help="show this hint (1 is the first)")
    # make watch asks for hints itself: there, the next one is a key away.
    parser.add_argument("--in-watch", action="store_true", help=argparse.SUPPRESS)


def main(args: argparse.Namespace) -> int:
    kata = find_kata(args.kata)
    if not kata.hints:
        raise DojoError(f"Kata {kata.number} has no hints yet; its README is the best guide.")
    progress = Progress.load(REPO_ROOT)
    total = len(kata.hints)
    if args.level is not None:
        chosen = args.level.strip()
        if not chosen.isdigit() or not 1 <= int(chosen) <= total:
            raise DojoError(
                f"Kata {kata.number} has hints 1 to {total}; LEVEL={args.level} is not one."
            )
        level = int(chosen)
    else:
        level = progress.hints.get(kata.name, 0) + 1
        if level > total:
            print(
                f"That was the last of the {total} hints of kata {kata.number}. "
                f"See one again with: make hint N={kata.number} LEVEL=<1-{total}>"
            )
            return 0
    progress.hints[kata.name] = max(level, progress.hints.get(kata.name, 0))
    progress.save()
    print(f"Hint {level} of {total} · Kata {kata.number:02d} · {kata.title}\n")
    print(
        textwrap.fill(kata.hints[level - 1], width=88, initial_indent="  ", subsequent_indent="  ")
    )
    if level < total:
        how = "press [h]" if args.in_watch else f"make hint N={kata.number}"
        print(f"\nStill stuck? {how} for the next one.")
    else:
        print("\nThat was the last hint.")
    return 0
