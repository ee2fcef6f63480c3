"""Restore a kata's learner files as shipped, after saving the learner's version.

The learner's files are copied to .dojo-backups/<time>/<kata>/ first: nothing is lost.
"As shipped" is the version in git at --ref (HEAD by default; if you committed your own
work, name the upstream branch instead, e.g. origin/main).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from dojo.course.catalog import REPO_ROOT, Kata, find_kata, load_katas
from dojo.errors import DojoError

HELP = "restore a kata as shipped, keeping a backup: N=4, or ALL=1 (asks first; YES=1)"
BACKUPS = ".dojo-backups"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", nargs="?", help="the kata's number, like 4 or 04")
    parser.add_argument("--all", action="store_true", help="reset every kata")
    parser.add_argument("--yes", action="store_true", help="do not ask before resetting all")
    parser.add_argument("--ref", default="HEAD", help="the git ref holding the shipped files")


def main(args: argparse.Namespace) -> int:
    if args.all:
        katas = load_katas()
        if not args.yes and not _confirm(len(katas)):
            print("Nothing was reset.")
            return 1
    else:
        katas = [find_kata(args.kata)]
    backup = REPO_ROOT / BACKUPS / time.strftime("%Y%m%d-%H%M%S")
    for kata in katas:
        shipped = {name: _shipped(kata, name, args.ref) for name in kata.files}
        changed = [
            name
            for name, text in shipped.items()
            if not (kata.path / name).is_file() or (kata.path / name).read_bytes() != text
        ]
        if not changed:
            continue
        saved = backup / kata.name
        saved.mkdir(parents=True, exist_ok=True)
        for name in changed:
            if (kata.path / name).is_file():
                shutil.copy2(kata.path / name, saved / name)
            (kata.path / name).write_bytes(shipped[name])
        print(
            f"Reset kata {kata.number:02d} ({', '.join(changed)}); your version is in {_shown(saved)}/"
        )
    if not backup.exists():
        print("Nothing to reset: the learner files are as shipped.")
    return 0


def _shipped(kata: Kata, name: str, ref: str) -> bytes:
    path = (kata.path / name).relative_to(REPO_ROOT).as_posix()
    try:
        shown = subprocess.run(
            ["git", "show", f"{ref}:{path}"], cwd=REPO_ROOT, capture_output=True, check=False
        )
    except OSError:
        raise DojoError(
            "reset needs git, to read the files as shipped; git was not found."
        ) from None
    if shown.returncode != 0:
        raise DojoError(
            f"Could not read {path} as shipped from git ({ref}): {shown.stderr.decode().strip()}"
        )
    return shown.stdout


def _confirm(count: int) -> bool:
    if not sys.stdin.isatty():
        raise DojoError("Resetting every kata needs a yes: run again with YES=1.")
    answer = input(f"Reset all {count} katas to their shipped files (backups are kept)? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))
