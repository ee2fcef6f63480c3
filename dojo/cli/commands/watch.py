"""Run the current kata (the first unsolved, or N), rerun it whenever one of its files
changes, and wait for keys: enter run, h hint, n next, l list, r reset, s solution, q quit.

--poll watches by polling, where file events do not arrive (network drives, WSL).
"""

from __future__ import annotations

import argparse
import sys

from dojo.cli.watch import Watcher
from dojo.course.catalog import REPO_ROOT, find_kata, load_katas
from dojo.course.progress import SOLVED, Progress
from dojo.errors import DojoError

HELP = "rerun the current kata on every save, with keys for hints and more (N=7, POLL=1)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", nargs="?", help="start at this kata (default: the first unsolved)")
    parser.add_argument(
        "--poll", action="store_true", help="poll for changes instead of file events"
    )


def main(args: argparse.Namespace) -> int:
    if not sys.stdin.isatty():
        raise DojoError("watch reads keys from a terminal; without one, use: make kata N=<number>")
    katas = load_katas()
    if not katas:
        raise DojoError("There are no katas to watch.")
    if args.kata:
        wanted = find_kata(args.kata).name
        start = next(i for i, kata in enumerate(katas) if kata.name == wanted)
    else:
        progress = Progress.load(REPO_ROOT)
        unsolved = [i for i, kata in enumerate(katas) if progress.state(kata) != SOLVED]
        start = unsolved[0] if unsolved else 0
    return Watcher(REPO_ROOT, katas, start, poll=args.poll).run()
