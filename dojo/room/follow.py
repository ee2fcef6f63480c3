"""``make watch`` follows the room it joined: when the facilitator sets the room's kata, the
watch screen moves to it; when the rotation timer turns, or the room is paused or resumed,
it says so. A daemon thread asks the room every few seconds (a short timeout, errors
ignored: a room out of reach only means no news) and puts the news on the watch's queue.
"""

from __future__ import annotations

import queue
import threading
import time
import urllib.parse
from datetime import datetime
from pathlib import Path
from typing import Any

from dojo.room.sender import RoomError, ask_room, joined

EVERY_SECONDS = 3.0
# What the watch's queue gets: this prefix, then a kata's folder name or a sentence to print.
ROOM_EVENT = "room:"


def follow_room(
    root: Path, events: queue.Queue[str], stop: threading.Event, every: float = EVERY_SECONDS
) -> None:
    """Until ``stop``, put the room's news on ``events``; return at once if not in a room."""
    room = joined(root)
    if room is None:
        return
    url = f"{room.base}/api/room?{urllib.parse.urlencode({'code': room.code})}"
    news = News()
    while not stop.wait(every if news.heard else 0):
        try:
            state: dict[str, Any] = ask_room(url)["room"]
        except (RoomError, KeyError, TypeError):
            continue
        for item in news.hear(state, time.time()):
            events.put(ROOM_EVENT + item)


class News:
    """What the watch should hear as the room's state changes: a kata's folder name to move
    to, or a sentence. The first state heard moves the watch to the room's kata, if set."""

    def __init__(self) -> None:
        self.heard: dict[str, Any] = {}
        self.turn = 0

    def hear(self, now: dict[str, Any], at: float) -> list[str]:
        before, self.heard = self.heard, now
        news = []
        if now.get("kata") and now["kata"] != before.get("kata"):
            news.append(str(now["kata"]))
        if before and now.get("paused") != before.get("paused"):
            news.append(
                "⏸  The room is paused: hands off the keyboards."
                if now.get("paused")
                else "▶  The room is back on: carry on."
            )
        turn = _turn(now, at)
        if (
            before
            and turn > self.turn
            and now.get("rotation_started") == before.get("rotation_started")
        ):
            news.append("🔄 Swap: the navigator drives now, the driver navigates.")
        self.turn = turn
        return news


def _turn(state: dict[str, Any], at: float) -> int:
    """How many rotations have passed since the timer started (0 when it is off)."""
    minutes = state.get("rotation_minutes") or 0
    started = state.get("rotation_started")
    if not minutes or not started:
        return 0
    return int((at - datetime.fromisoformat(started).timestamp()) // (minutes * 60))
