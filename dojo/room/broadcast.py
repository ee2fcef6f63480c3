"""Hands each event to every open dashboard without ever waiting on one of them.

Each live stream owns a bounded queue. ``publish`` puts the event in every queue without
waiting; a dashboard too slow to keep up (its queue full) is dropped, and its browser
reconnects and gets the whole room again. So a post costs the same however many dashboards
are open or stuck, and memory stays bounded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

QUEUE_SIZE = 500
MAX_LISTENERS = 100


class Full(Exception):
    """There are already MAX_LISTENERS open streams."""


class Broadcast:
    """The open streams of one server process (the room runs in one)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[dict[str, Any] | None]] = set()

    @property
    def listeners(self) -> int:
        return len(self._queues)

    @asynccontextmanager
    async def listen(self) -> AsyncIterator[asyncio.Queue[dict[str, Any] | None]]:
        """A queue of the events published from now on; ``None`` in it means: dropped."""
        if len(self._queues) >= MAX_LISTENERS:
            raise Full
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    def publish(self, event: dict[str, Any]) -> None:
        """Give ``event`` to every listener now; drop any whose queue is full."""
        for queue in list(self._queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                self._queues.discard(queue)
                queue.get_nowait()  # room for the note that it was dropped
                queue.put_nowait(None)


broadcast = Broadcast()
