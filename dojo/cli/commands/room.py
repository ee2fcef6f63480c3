"""Open the dojo room on this machine: an async Django app on uvicorn that shows every
pair's test runs live on a dashboard. Prints the join line for the pairs and the dashboard's
address for you. The room's data lives in build/room/: Ctrl-C stops the room, and running
this again resumes it (same code, token and port).

It listens on 127.0.0.1; --host 0.0.0.0 (make room HOST=0.0.0.0) opens it to the room's
network, and the lines printed then use this machine's address there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dojo.course.catalog import REPO_ROOT
from dojo.room.server import DEFAULT_HOST, Opened, listen, prepare, reachable_address, serve

HELP = "open the dojo room: a live dashboard of every pair's runs (HOST=0.0.0.0, PORT=)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for the room's network)",
    )
    parser.add_argument("--port", type=int, help="the port (default: the room's last one, or 8765)")
    parser.add_argument(
        "--dir",
        type=Path,
        default=REPO_ROOT / "build" / "room",
        help="where the room's data lives (default build/room/)",
    )


def main(args: argparse.Namespace) -> int:
    code, token = prepare(args.dir)
    sock = listen(args.host, args.port, args.dir)
    opened = Opened(code, token, reachable_address(args.host), sock.getsockname()[1])
    print(opened.banner(), flush=True)
    serve(sock)
    print("The room is closed; make room resumes it.")
    return 0
