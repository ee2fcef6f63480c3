"""When a server's event loop was free, seen from outside its process, through the kernel.

A probe request that waits long says the loop did not answer; on a busy machine it may also
have waited for the network, or for a CPU, with the loop free all along. The kernel knows:
a loop with nothing to do sits in its selector's wait (``epoll_wait``), and
``/proc/<pid>/task/<tid>/wchan`` (or ``.../syscall``) says so. ``LoopSightings`` looks at
the loop's thread every few milliseconds, from a thread of the test process; a stretch
with no sighting of it waiting in its selector is the most the loop can have been held.

It reads only what the kernel says of the server's thread, never what the server reports,
so a verdict may rest on it: it can only shorten a probe's wait to what the loop really
held, never hide a loop that was held (a held loop is never seen in its selector).
"""

from __future__ import annotations

import bisect
import itertools
import threading
import time
from pathlib import Path

# How often the loop's thread is looked at.
INTERVAL = 0.003
# epoll_wait, epoll_pwait and epoll_pwait2 on x86_64, and epoll_pwait(2) on arm64: where
# the kernel's wchan is hidden, the system call tells the selector's wait.
EPOLL_SYSCALLS = frozenset({232, 281, 441, 22})


class LoopSightings:
    """The times the loop thread ``tid`` of process ``pid`` was seen free, waiting in its
    selector, while ``watching()``; a no-op where /proc cannot tell."""

    def __init__(self, pid: int, tid: int | None = None) -> None:
        task = Path(f"/proc/{pid}/task/{tid if tid is not None else pid}")
        self._wchan = task / "wchan"
        self._syscall = task / "syscall"
        self._free: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.works = self._free_now() is not None

    def start(self) -> None:
        if self.works and self._thread is None:
            self._thread = threading.Thread(target=self._watch, daemon=True, name="loop-sightings")
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def longest_unseen(self, start: float, end: float) -> float:
        """The longest stretch of ``[start, end]`` (``time.perf_counter()`` times) in which
        the loop was never seen free: all of it when it was never seen, or cannot be."""
        if not self.works:
            return end - start
        free = self._free[
            bisect.bisect_left(self._free, start) : bisect.bisect_right(self._free, end)
        ]
        edges = [start, *free, end]
        return max(later - earlier for earlier, later in itertools.pairwise(edges))

    def _watch(self) -> None:
        while not self._stop.wait(INTERVAL):
            if self._free_now():
                self._free.append(time.perf_counter())

    def _free_now(self) -> bool | None:
        """Whether the loop thread waits in its selector now (None: /proc cannot tell)."""
        try:
            wchan = self._wchan.read_text().strip()
            call = self._syscall.read_text().split()[0]
        except (OSError, IndexError):
            return None
        if "epoll" in wchan:
            return True
        if call == "running" or (wchan and wchan != "0"):
            return False
        try:  # the kernel hides where the thread sleeps, not which call it sleeps in
            return int(call) in EPOLL_SYSCALLS
        except ValueError:
            return None
