"""The room measures its own event loop: a task that sleeps a short tick and notes how much
later than asked it woke. A view that blocked the loop shows as a long stall here, so the
load test reads the proof from the server itself (``/api/stats``)."""

from __future__ import annotations

import asyncio
import time

TICK = 0.01


class Heartbeat:
    """The longest time the loop was late, since the server started."""

    def __init__(self) -> None:
        self.longest_stall = 0.0
        self.beats = 0
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        """Start beating on the running loop (once): called by every request, as the room
        is served without a lifespan."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._beat())

    def reset(self) -> None:
        self.longest_stall = 0.0
        self.beats = 0

    async def _beat(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            late = time.perf_counter() - started - TICK
            self.longest_stall = max(self.longest_stall, late)
            self.beats += 1


heartbeat = Heartbeat()
