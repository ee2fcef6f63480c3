"""The room measures its own event loop: a task sleeps a short tick and notes how much later
than asked it woke. A view that blocked the loop shows as a long stall here, so the load
test reads the proof from the server itself (``/stats``).

On a busy machine a process also wakes late because no CPU was free for it, which says
nothing about its code. Linux counts that time per thread (``/proc/thread-self/schedstat``:
time spent waiting for a CPU), so the stall charged to the room is the lateness less that
wait; the raw lateness is reported beside it. Reading that file is no disk I/O: the kernel
answers from memory, in microseconds.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

TICK = 0.01
SCHEDSTAT = Path("/proc/thread-self/schedstat")


class Heartbeat:
    """The loop's longest stall (its own, and as the clock saw it) since the last reset."""

    def __init__(self) -> None:
        self.longest_stall = 0.0
        self.longest_late = 0.0
        self.beats = 0
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        """Start beating on the running loop (once): called by the views, as the room is
        served without a lifespan."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._beat())

    def reset(self) -> None:
        self.longest_stall = 0.0
        self.longest_late = 0.0
        self.beats = 0

    async def _beat(self) -> None:
        waited = _cpu_wait()
        while True:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            late = max(0.0, time.perf_counter() - started - TICK)
            now_waited = _cpu_wait()
            stall = max(0.0, late - (now_waited - waited))
            waited = now_waited
            self.longest_late = max(self.longest_late, late)
            self.longest_stall = max(self.longest_stall, stall)
            self.beats += 1


def _cpu_wait() -> float:
    """Seconds this thread has spent runnable but waiting for a CPU (0 where unknown)."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


heartbeat = Heartbeat()
