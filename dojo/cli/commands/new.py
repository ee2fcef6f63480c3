"""Start a new kata: the next-numbered katas/NN_slug and solutions/NN_slug, from a template
with every part of the anatomy. ``make verify`` then names what is left to fill in.
"""

from __future__ import annotations

import argparse

from dojo.course.catalog import REPO_ROOT
from dojo.course.scaffold import new_kata
from dojo.errors import DojoError

HELP = "start a new kata from the template: NAME=slug (make verify lists what to fill in)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="the kata's slug, like missing_await")


def main(args: argparse.Namespace) -> int:
    if not args.name:
        raise DojoError("Name the new kata: make new NAME=slug (lowercase, like missing_await).")
    kata = new_kata(REPO_ROOT, args.name)
    number = int(kata.name[:2])
    print(f"Created katas/{kata.name}/ and solutions/{kata.name}/ from the template.")
    print(f"Fill in every '<author: ...>'; `make verify` lists what is left (kata {number}).")
    print("Then add tests/fixes/" + kata.name + "/right_*.py and wrong_*.py (see CONTRIBUTING.md).")
    return 0
