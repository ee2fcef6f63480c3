"""Prove the dojo room holds a dojo's load: start a room of its own on 127.0.0.1, have
pairs send a light every few seconds while dashboards watch the live stream, and print what
it measured: lights sent, stored and seen on every dashboard, the p50/p95/max of a send,
and the longest stall of the room's event loop (its own heartbeat). Exit 1 when a light
was lost or refused, or the loop stalled.
"""

from __future__ import annotations

import argparse

from dojo.room.load import run_load

HELP = "the dojo room under load: 30 pairs, a light every 2 s for 60 s, 3 dashboards"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pairs", type=int, default=30, help="how many pairs send (default 30)")
    parser.add_argument(
        "--every", type=float, default=2.0, help="seconds between a pair's lights (2)"
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they send (60)")
    parser.add_argument("--dashboards", type=int, default=3, help="dashboards open (3)")


def main(args: argparse.Namespace) -> int:
    result = run_load(
        pairs=args.pairs, every=args.every, seconds=args.seconds, dashboards=args.dashboards
    )
    print(result.report())
    return 0 if result.passed else 1
