"""Leave the dojo room: runs of this checkout stop sending their lights, and the lights not
sent yet are dropped. Your lights already on the dashboard stay there.
"""

from __future__ import annotations

import argparse

from dojo.course.catalog import REPO_ROOT
from dojo.room.sender import leave

HELP = "stop sending runs to the dojo room"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def main(args: argparse.Namespace) -> int:
    was = leave(REPO_ROOT)
    if was is None:
        print("Not in a room: nothing to leave.")
    else:
        print(f"Left the room {was.code} ({was.name}): runs are no longer sent.")
    return 0
