"""List every kata with its number, title, level and concepts."""

from __future__ import annotations

import argparse

from dojo.catalog import load_katas

HELP = "list every kata with its number, title, level and concepts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def main(args: argparse.Namespace) -> int:
    katas = load_katas()
    width = max((len(kata.title) for kata in katas), default=5)
    for kata in katas:
        print(
            f"{kata.number:>3}  {kata.title:<{width}}  {kata.level_name:<6}  "
            f"{', '.join(kata.concepts)}"
        )
    print(f"\n{len(katas)} katas. Run one with: make kata N=<number>")
    return 0
