"""Detect a blocked event loop, and name the line that blocked it.

A heartbeat task sleeps a few milliseconds at a time and measures how late it wakes: on a
free loop it is never more than a little late; while a view runs ``time.sleep(0.3)`` on
the loop it is 0.3 s late. A watchdog thread notices a late heartbeat while the loop is
still blocked and reads the loop thread's current frame, so the report can show the file,
line and source text of the call that held the loop. A late heartbeat counts as a stall
only when the watchdog caught the learner's code holding the loop, so a machine too busy to
wake the loop on time does not fail a correct view.
"""

from __future__ import annotations

import asyncio
import linecache
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType

HEARTBEAT = 0.005
# A stall shorter than this is the machine being busy, not a blocking call.
STALL_LIMIT = 0.1
# The watchdog looks at the loop thread once the heartbeat is this late.
SAMPLE_AFTER = 0.02


@dataclass(frozen=True)
class CodeSite:
    """A line of code: where a stall happened or an error was raised."""

    file: str
    line: int
    source: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}\n    {self.source}"


@dataclass(frozen=True)
class Stall:
    """The event loop did not run anything else for ``seconds``, held at ``site``, which
    was reached from ``callers`` (the learner's outer frames, innermost first)."""

    seconds: float
    site: CodeSite
    callers: tuple[CodeSite, ...] = ()

    @property
    def where(self) -> str:
        """The site, and the learner's lines that led to it."""
        lines = [str(self.site)]
        lines += [f"called from {caller}" for caller in self.callers]
        return "\n  ".join(lines)


class LoopWatch:
    """Async context manager measuring the longest event-loop stall the learner's code
    caused inside it."""

    def __init__(self, code_roots: tuple[Path, ...]) -> None:
        self.code_roots = code_roots
        self.longest: Stall | None = None
        self._last_beat = time.perf_counter()
        self._sampled: tuple[float, list[CodeSite]] | None = None
        self._stop = threading.Event()
        self._beat_task: asyncio.Task[None] | None = None
        self._watchdog: threading.Thread | None = None

    async def __aenter__(self) -> LoopWatch:
        self._last_beat = time.perf_counter()
        self._beat_task = asyncio.create_task(self._beat())
        loop_thread = threading.get_ident()
        self._watchdog = threading.Thread(
            target=self._watch, args=(loop_thread,), name="dojo-loop-watchdog", daemon=True
        )
        self._watchdog.start()
        # Let the heartbeat take its first beat before the code under watch runs.
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._beat_task is not None:
            self._beat_task.cancel()
            await asyncio.gather(self._beat_task, return_exceptions=True)
        if self._watchdog is not None:
            self._watchdog.join()

    async def _beat(self) -> None:
        while True:
            self._last_beat = beat = time.perf_counter()
            await asyncio.sleep(HEARTBEAT)
            late = time.perf_counter() - beat - HEARTBEAT
            sampled = self._sampled
            sites = sampled[1] if sampled is not None and sampled[0] == beat else []
            # Only a stall with the learner's code on the loop counts: a loop left waiting
            # because the machine is busy was not blocked by the view.
            if sites and (self.longest is None or late > self.longest.seconds):
                self.longest = Stall(late, sites[0], tuple(sites[1:]))

    def _watch(self, loop_thread: int) -> None:
        while not self._stop.wait(HEARTBEAT):
            beat = self._last_beat
            already = self._sampled is not None and self._sampled[0] == beat
            if already or time.perf_counter() - beat < SAMPLE_AFTER:
                continue
            frame = sys._current_frames().get(loop_thread)
            self._sampled = (beat, learner_sites(frame, self.code_roots))


def site_of(frame: FrameType | None, code_roots: tuple[Path, ...]) -> CodeSite | None:
    """The innermost frame in the learner's code (under one of ``code_roots``), if any."""
    sites = learner_sites(frame, code_roots)
    return sites[0] if sites else None


def learner_sites(frame: FrameType | None, code_roots: tuple[Path, ...]) -> list[CodeSite]:
    """Every frame of the learner's code on the stack, innermost first."""
    sites = []
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        for root in code_roots:
            if path.is_relative_to(root):
                sites.append(code_site(path, frame.f_lineno, root.parent))
                break
        frame = frame.f_back
    return sites


def code_site(path: Path, line: int, relative_to: Path) -> CodeSite:
    """A CodeSite with the path shown relative to the repository."""
    shown = path.relative_to(relative_to) if path.is_relative_to(relative_to) else path
    return CodeSite(str(shown), line, linecache.getline(str(path), line).strip())


def stall_report(stall: Stall | None) -> str:
    """Where the loop was blocked, if it was blocked for long, in plain words."""
    if stall is None or stall.seconds < STALL_LIMIT:
        return "The event loop was never blocked for long."
    return (
        f"The event loop went {stall.seconds:.2f} s without a free moment, held by\n"
        f"  {stall.where}\n"
        "While the loop is blocked, no other request can make progress."
    )
