"""Join the dojo room the facilitator opened: from then on every make kata and make watch
run of this checkout sends its light (kata, colour, tests passed and failed, duration, and
your diff against the shipped starter) to the room's dashboard, in the background. Sending
never slows or breaks a run; lights wait in build/room/ while the room is out of reach.
make leave stops it.
"""

from __future__ import annotations

import argparse

from dojo.course.catalog import REPO_ROOT
from dojo.errors import DojoError
from dojo.room.sender import RoomError, join

HELP = "send every run's light to the dojo room: ROOM=<url> (NAME=panda); make leave stops"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "room", nargs="?", help="the room's address, from the facilitator's join line"
    )
    parser.add_argument("--name", help="your pair's name on the dashboard (default: a free animal)")


def main(args: argparse.Namespace) -> int:
    if not args.room:
        raise DojoError("Name the room: make join ROOM=<the address the facilitator gave you>")
    try:
        room = join(REPO_ROOT, args.room, args.name)
    except RoomError as error:
        raise DojoError(f"Could not join: {error}.") from None
    print(f"Joined the room as {room.name}. Every make kata and make watch run now shows there:")
    print(f"  {room.dashboard}")
    print("make leave stops sending.")
    return 0
