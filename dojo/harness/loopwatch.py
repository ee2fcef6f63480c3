"""Detect a blocked or busy event loop, and name the line that held it.

The loop alternates between waiting in its selector (free: any request can be served) and
running callbacks (held: nothing else runs until the callback gives the loop back). A
``LoopMonitor`` wraps the loop's selector so that it knows, to the microsecond, when each
run of callbacks began and ended, whatever the machine's speed. A watchdog thread looks at
the loop thread's stack during every run that lasts more than a couple of milliseconds and
notes the learner's lines on it. A run counts as the learner's only when the watchdog caught
the learner's code holding the loop, so a machine too busy to schedule the loop on time does
not fail a correct view.

Three numbers come out of a ``LoopWatch`` window (a request, a burst):

- the longest run held by the learner's code (``time.sleep(0.3)``: 0.3 s);
- the total of those runs, so a blocking call cut into slices adds up
  (``time.sleep(0.02)`` fifteen times: 0.3 s held, though no run lasted over 0.02 s; for
  slices too short to catch one by one, the watchdog's looks that found the learner's
  code on the running loop are counted instead);
- the loop thread's CPU time against the window's wall time, so a loop kept busy by
  ``while not done: await asyncio.sleep(0)`` shows, though it never stops for long.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import gc
import itertools
import linecache
import os
import platform
import selectors
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

# A stall shorter than this is the machine being busy, not a blocking call.
STALL_LIMIT = 0.1
# How often the watchdog looks at the loop thread while it runs callbacks.
POLL = 0.002
# Runs shorter than this are not looked at: a loop turn that short blocks nobody.
SAMPLE_AFTER = 0.002
# Runs kept per loop, newest last (a test makes far fewer).
KEEP_RUNS = 50_000
# The futex system call, where a thread waits for the GIL (and for any lock).
FUTEX = {"x86_64": 202, "aarch64": 98}.get(platform.machine())
# Busy waiting, told by the loop turns the learner's code asks for (the house rule
# ``busy_loop``, in-process and in a served kata's worker alike).
# An asyncio.sleep shorter than this is a loop turn, not a wait: the mark of a busy wait.
BUSY_SLEEP = 0.005
# A request that asks for this many loop turns is waiting by spinning. Speed does not move
# this much: a 0.3 s spin asks for thousands on a quiet machine and hundreds on a loaded one,
# while code that yields now and then to be fair asks for a handful.
BUSY_TURNS = 100
# A spin on a short wait (an upstream's 50 ms) asks for fewer, yet still for many turns in
# every second it spins (560 to 1360 a second on a 2-core machine at a load of 20), where
# code that waits properly asks for none: this many turns, at this rate, is spinning too.
BUSY_MIN_TURNS = 20
BUSY_TURN_RATE = 200.0
# A loaded machine slows the spin itself (fewer turns a second), but not its shape: the
# turns follow one another without a pause. Turns less than TURN_GAP apart count as one
# unbroken spin; unbroken spinning over SPIN_SHARE of a request's time, and SPIN_MIN_SECONDS
# in all, is a busy wait whatever the machine's speed.
TURN_GAP = 0.1
SPIN_SHARE = 0.5
SPIN_MIN_SECONDS = 0.1
# A spin on short timeouts (``asyncio.wait(..., timeout=0.001)`` in a loop) keeps one of its
# short timers pending nearly all the time: a loaded machine makes each fire later, so it
# asks for fewer turns, but the share of the time its timers were pending does not fall.
# Code that waits on something real pends on a short timer a few percent of the time at
# most. Over SHORT_WAIT_SHARE of a request's time, in SHORT_WAIT_MIN_TURNS turns or more
# and SPIN_MIN_SECONDS in all, is a busy wait whatever the machine's speed.
SHORT_WAIT_SHARE = 0.6
SHORT_WAIT_MIN_TURNS = 5
# Python code that waits on a lock, an event or a future: a futex wait there is a real one.
_LOCK_WAITS = ("threading.py", "concurrent/futures/_base.py", "queue.py")


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


@dataclass(frozen=True)
class Run:
    """One run of callbacks that the learner's code held: from ``start`` to ``end``."""

    start: float
    end: float
    sites: tuple[CodeSite, ...]
    # The loop's thread was seen waiting in the kernel (a sleep, a socket), not computing nor
    # waiting for a CPU.
    blocked: bool = True
    # The loop thread's CPU time during the run.
    cpu: float = 0.0
    # Of the run, the time Python's garbage collector took in the loop's thread.
    collecting: float = 0.0

    @property
    def seconds(self) -> float:
        """How long the learner's code held the loop: the whole run when it waited in the
        kernel; when it computed, only its CPU time. A run stretched because a busy machine
        gave the thread no CPU was not held by the code, nor one the garbage collector
        stretched (a full collection of a big process takes over 0.1 s, whatever the view)."""
        held = self.end - self.start if self.blocked else min(self.cpu, self.end - self.start)
        return max(0.0, held - self.collecting)


@dataclass(eq=False)
class _Samples:
    """What the watchdog saw of the loop thread during one window."""

    busy: int = 0
    learner: collections.Counter[CodeSite] = field(default_factory=collections.Counter)
    blocked: int = 0


class LoopMonitor:
    """Knows when one event loop runs callbacks, and which learner lines held it."""

    def __init__(self, loop: asyncio.AbstractEventLoop, code_roots: tuple[Path, ...]) -> None:
        self.code_roots = code_roots
        self.runs: collections.deque[Run] = collections.deque(maxlen=KEEP_RUNS)
        self.thread = threading.get_ident()
        self._busy_since: float | None = time.perf_counter()
        self._busy_cpu = time.thread_time()
        self._busy_collecting = _collecting[self.thread]
        self._sites: tuple[CodeSite, ...] = ()
        self._blocked = True
        self._stat = Path(f"/proc/self/task/{threading.get_native_id()}/stat")
        self._syscall = self._stat.with_name("syscall")
        self._windows: list[_Samples] = []
        self._stop = threading.Event()
        # Called (from the watchdog's thread) once per run that the learner's code has held
        # longer than spin_limit: the loop will not come back by itself.
        self.spin_limit = float("inf")
        self.on_spin: Callable[[tuple[CodeSite, ...]], None] | None = None
        self._spun: float | None = None
        # The run being looked at: when it began, how many looks, how many in a kernel wait.
        self._looks: tuple[float, int, int] = (0.0, 0, 0)
        # The selector is private to asyncio's selector event loops (the default on every
        # platform the dojo runs on); its select() is where the loop waits.
        self._selector: selectors.BaseSelector = getattr(loop, "_selector")  # noqa: B009
        self._select: Callable[..., Any] = self._selector.select
        self._selector.select = self._timed_select
        self._watchdog = threading.Thread(
            target=self._watch, name="dojo-loop-watchdog", daemon=True
        )
        self._watchdog.start()

    def close(self) -> None:
        """Stop watching: the selector is the loop's own again."""
        self._stop.set()
        self._selector.select = self._select  # type: ignore[method-assign]
        if self._watchdog is not threading.current_thread():
            self._watchdog.join(timeout=1.0)

    def runs_between(self, start: float, end: float) -> list[Run]:
        """The learner's runs that overlap ``start``..``end``."""
        return [run for run in self.runs if run.end > start and run.start < end]

    # The loop's side ----------------------------------------------------------------------

    def _timed_select(self, timeout: float | None = None) -> Any:
        now, cpu, collecting = time.perf_counter(), time.thread_time(), _collecting[self.thread]
        since, sites = self._busy_since, self._sites
        self._busy_since, self._sites = None, ()
        if since is not None and sites:
            self.runs.append(
                Run(
                    since,
                    now,
                    sites,
                    self._blocked,
                    cpu - self._busy_cpu,
                    collecting - self._busy_collecting,
                )
            )
        try:
            return self._select(timeout)
        finally:
            self._busy_cpu = time.thread_time()
            self._busy_collecting = _collecting[self.thread]
            self._busy_since = time.perf_counter()

    # The watchdog's side ------------------------------------------------------------------

    def _watch(self) -> None:
        while not self._stop.wait(POLL):
            if self._selector.get_map() is None:
                return  # the loop was closed
            since = self._busy_since
            if since is None:
                continue
            frame = sys._current_frames().get(self.thread)
            sites = tuple(learner_sites(frame, self.code_roots))
            blocked = (
                bool(sites)
                and self._in_kernel_wait()
                and not _starting_a_thread(frame)
                and not _reading_code(frame)
                and not self._waiting_for_the_gil(frame)
            )
            for window in list(self._windows):
                window.busy += 1
                if sites:
                    window.learner[sites[0]] += 1
                    window.blocked += blocked
            # Note the learner's lines once per run, and only for a run already long enough
            # to hold up others; the run may have ended while the stack was read.
            running_for = time.perf_counter() - since
            still_this_run = self._busy_since == since
            if sites and not self._sites and running_for >= SAMPLE_AFTER and still_this_run:
                self._sites, self._looks = sites, (since, 0, 0)
            # A run is blocking when most looks at it found the thread in a kernel wait: the
            # first look alone may come as it enters the wait, or leaves it on a loaded machine.
            if sites and self._sites and still_this_run and self._looks[0] == since:
                _, looks, in_wait = self._looks
                self._looks = (since, looks + 1, in_wait + blocked)
                self._blocked = 2 * (in_wait + blocked) > looks + 1
            if sites and running_for > self.spin_limit and self._spun != since:
                self._spun = since
                if self.on_spin is not None and still_this_run:
                    self.on_spin(sites)

    def _in_kernel_wait(self) -> bool:
        """Whether the loop's thread sleeps in the kernel (Linux: state S or D in /proc),
        rather than computing or waiting for a CPU. A machine too busy to run the thread
        leaves it runnable (R), so a correct view slowed by the load does not count as
        blocking. Where /proc cannot tell, every hold counts."""
        try:
            state = self._stat.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state not in ("S", "D"):
            return False
        # Asleep outside any system call (its syscall file says -1): a page fault, the
        # kernel reading back code a crowded machine evicted from memory, not the code's wait.
        try:
            return self._syscall.read_text().split()[0] != "-1"
        except (OSError, IndexError):
            return True

    def _waiting_for_the_gil(self, frame: FrameType | None) -> bool:
        """Whether the loop's thread waits for the GIL that another thread of the process,
        running right now, holds: a correct view's worker thread (sync_to_async, to_thread)
        computing, not the view blocking. Seen as a futex wait outside Python's own lock
        waits (Event.wait, Future.result, ...), while some other thread is runnable."""
        if FUTEX is None or (frame is not None and frame.f_code.co_filename.endswith(_LOCK_WAITS)):
            return False
        try:
            if int(self._syscall.read_text().split()[0]) != FUTEX:
                return False
        except (OSError, ValueError, IndexError):
            return False
        me = str(threading.get_native_id())
        for task in self._stat.parent.parent.iterdir():
            if task.name in (me, self._stat.parent.name):
                continue
            try:
                if (task / "stat").read_text().rsplit(")", 1)[1].split()[0] == "R":
                    return True
            except (OSError, IndexError):
                continue
        return False


def _starting_a_thread(frame: FrameType | None) -> bool:
    """Whether the loop's thread waits for a thread it started to be scheduled (a thread
    pool growing under ``asyncio.to_thread``, say): the machine's wait, not a blocking call.
    Only the CPU time of such a run counts against the view."""
    while frame is not None:
        code = frame.f_code
        if code.co_qualname in _THREAD_STARTS and code.co_filename.endswith(_THREAD_MODULES):
            return True
        frame = frame.f_back
    return False


def _reading_code(frame: FrameType | None) -> bool:
    """Whether the loop's thread reads Python code from disk: importing a module on its first
    use (by the library the view calls), or reading a source line for a message (the fake
    upstream notes the learner's line of each call). On a busy machine that is the disk's
    wait, once per file, not a wait the view's code asks for. Only its CPU time counts."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith("<frozen importlib._bootstrap") or filename.endswith(
            _SOURCE_READERS
        ):
            return True
        frame = frame.f_back
    return False


_SOURCE_READERS = (f"{os.sep}linecache.py", f"{os.sep}tokenize.py")


_THREAD_STARTS = frozenset({"Thread.start", "ThreadPoolExecutor._adjust_thread_count"})

# Seconds Python's garbage collector has run in each thread (by thread id), since import.
_collecting: collections.defaultdict[int, float] = collections.defaultdict(float)
_collection_began: dict[int, float] = {}


def _time_collections(phase: str, info: dict[str, int]) -> None:
    """A gc callback: adds each collection's time to the thread that ran it."""
    thread = threading.get_ident()
    if phase == "start":
        _collection_began[thread] = time.perf_counter()
    elif (began := _collection_began.pop(thread, None)) is not None:
        _collecting[thread] += time.perf_counter() - began


gc.callbacks.append(_time_collections)
_THREAD_MODULES = ("threading.py", "concurrent/futures/thread.py")

_monitors: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopMonitor] = (
    weakref.WeakKeyDictionary()
)


def monitor_for(loop: asyncio.AbstractEventLoop, code_roots: tuple[Path, ...]) -> LoopMonitor:
    """The monitor of ``loop``, installed the first time it is asked for."""
    monitor = _monitors.get(loop)
    if monitor is None or monitor._stop.is_set():
        monitor = _monitors[loop] = LoopMonitor(loop, code_roots)
    return monitor


def stop_monitor(loop: asyncio.AbstractEventLoop) -> None:
    """Stop watching ``loop``, if it was watched."""
    monitor = _monitors.pop(loop, None)
    if monitor is not None:
        monitor.close()


class LoopWatch:
    """Async context manager: how the learner's code held the event loop inside it."""

    def __init__(self, code_roots: tuple[Path, ...]) -> None:
        self.code_roots = code_roots
        self.start = self.end = 0.0
        self.cpu = 0.0
        self.runs: list[Run] = []
        self._samples = _Samples()
        self._monitor: LoopMonitor | None = None
        self._cpu_start = 0.0

    async def __aenter__(self) -> LoopWatch:
        self._monitor = monitor_for(asyncio.get_running_loop(), self.code_roots)
        self._monitor._windows.append(self._samples)
        self.start = time.perf_counter()
        self._cpu_start = time.thread_time()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cpu = time.thread_time() - self._cpu_start
        self.end = time.perf_counter()
        assert self._monitor is not None
        self._monitor._windows.remove(self._samples)
        # The run in progress is the harness's own, resuming after the last await.
        self.runs = self._monitor.runs_between(self.start, self.end)

    @property
    def wall(self) -> float:
        return self.end - self.start

    @property
    def longest(self) -> Stall | None:
        """The longest run the learner's code held the loop for, if any."""
        if not self.runs:
            return None
        run = max(self.runs, key=lambda run: run.seconds)
        return Stall(run.seconds, run.sites[0], run.sites[1:])

    @property
    def held(self) -> float:
        """How long, in all, the learner's code held the loop waiting in the kernel (a
        sleep, a socket): the runs the watchdog caught it in, or, when the slices are too
        short to catch one by one (a blocking wait cut into 1 ms pieces), one poll's worth
        for each time it found the learner's code so. Under load the watchdog polls less
        often, so the estimate only errs low. Computing on the loop shows in ``cpu``."""
        caught = sum(run.seconds for run in self.runs if run.blocked)
        return max(caught, self._samples.blocked * POLL)

    @property
    def cpu_share(self) -> float:
        """The loop thread's CPU time as a share of the window's wall time."""
        return self.cpu / self.wall if self.wall > 0 else 0.0

    @property
    def busiest_site(self) -> CodeSite | None:
        """The learner's line the watchdog most often found running on the loop."""
        common = self._samples.learner.most_common(1)
        return common[0][0] if common else None

    @property
    def learner_share(self) -> float:
        """Of the watchdog's looks at a running loop, the share that found learner code."""
        if not self._samples.busy:
            return 0.0
        return sum(self._samples.learner.values()) / self._samples.busy


def site_of(frame: FrameType | None, code_roots: tuple[Path, ...]) -> CodeSite | None:
    """The innermost frame in the learner's code (under one of ``code_roots``), if any."""
    sites = learner_sites(frame, code_roots)
    return sites[0] if sites else None


def learner_sites(frame: FrameType | None, code_roots: tuple[Path, ...]) -> list[CodeSite]:
    """Every frame of the learner's code on the stack, innermost first (a kata's tests are
    not the learner's code)."""
    sites = []
    while frame is not None:
        site = learner_site_at(frame.f_code.co_filename, frame.f_lineno, code_roots)
        if site is not None:
            sites.append(site)
        frame = frame.f_back
    return sites


def awaiting_sites(task: asyncio.Task[Any], code_roots: tuple[Path, ...]) -> list[CodeSite]:
    """The learner's lines a task's coroutines are suspended at, innermost first: where a
    view that awaits forever (``while True: await asyncio.sleep(...)``) keeps waiting."""
    sites = []
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is not None:
            site = learner_site_at(frame.f_code.co_filename, frame.f_lineno, code_roots)
            if site is not None:
                sites.append(site)
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return sites[::-1]


def learner_site_at(filename: str, line: int, code_roots: tuple[Path, ...]) -> CodeSite | None:
    """The CodeSite of ``filename:line`` if that is the learner's code, else None (the
    watchdog asks this for every frame it sees, hundreds of times a second: a second time
    costs one lookup by strings, where a cache keyed by the roots' paths compared paths)."""
    known = _sites_under.get(id(code_roots))
    if known is None or known[0] is not code_roots:
        if len(_sites_under) >= _ROOT_SETS_KEPT:
            _sites_under.clear()
        known = _sites_under[id(code_roots)] = (code_roots, {})
    sites = known[1]
    try:
        return sites[filename, line]
    except KeyError:
        root = _learner_root(filename, code_roots)
        site = code_site(Path(filename), line, root.parent) if root is not None else None
        sites[filename, line] = site
        return site


# The learner's lines seen so far, by the code roots they were looked for under (held, so
# the roots' id is not reused while kept); the roots' tuples live as long as a kata's run.
_sites_under: dict[int, tuple[tuple[Path, ...], dict[tuple[str, int], CodeSite | None]]] = {}
_ROOT_SETS_KEPT = 64


@functools.cache
def _learner_root(filename: str, code_roots: tuple[Path, ...]) -> Path | None:
    """The code root holding ``filename``, if it is the learner's (the watchdog asks this
    for every frame it sees, hundreds of times a second)."""
    path = Path(filename)
    if path.name.startswith("test_"):
        return None
    for root in code_roots:
        if path.is_relative_to(root):
            return root
    return None


@functools.cache
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


class Turn:
    """An empty loop turn the learner's code asked for: ``asked`` when (perf_counter), and
    ``ended`` when the short timer it set fired (``asked`` for a turn with no timer, or one
    cancelled before it fired)."""

    __slots__ = ("asked", "ended")

    def __init__(self) -> None:
        self.asked = self.ended = time.perf_counter()

    def on_firing(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """``callback``, the short timer's, noting when it fires."""

        def fire(*args: Any) -> Any:
            self.ended = time.perf_counter()
            return callback(*args)

        return fire


def short_wait_hooks(
    note: Callable[[FrameType], Turn | None],
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """``asyncio.sleep`` and ``BaseEventLoop.call_at`` as they are now, each calling
    ``note`` with its caller's frame for every empty loop turn asked for: a sleep of 0, or a
    timer under BUSY_SLEEP, whatever sets it (``asyncio.sleep(0.001)``,
    ``asyncio.wait(..., timeout=0)``, ``asyncio.wait_for``, ``asyncio.timeout``). The Turn
    ``note`` returns, if any, is told when the timer fires."""
    real_asleep, real_call_at = asyncio.sleep, asyncio.BaseEventLoop.call_at

    @functools.wraps(real_asleep)
    def asleep(delay: float, result: Any = None) -> Any:
        if delay <= 0:  # a longer sleep sets a timer, which call_at counts
            note(sys._getframe(1))
        return real_asleep(delay, result)

    @functools.wraps(real_call_at)
    def call_at(loop: asyncio.BaseEventLoop, when: float, *args: Any, **kwargs: Any) -> Any:
        if when - loop.time() < BUSY_SLEEP and (turn := note(sys._getframe(1))):
            callback, *rest = args
            args = (turn.on_firing(callback), *rest)
        return real_call_at(loop, when, *args, **kwargs)

    return asleep, call_at


def unbroken_spin(turns: list[Turn]) -> float:
    """How long the loop turns kept coming less than TURN_GAP apart: the time spent
    spinning, however fast the machine let the spin go."""
    times = sorted(turn.asked for turn in turns)
    return sum(
        later - earlier
        for earlier, later in itertools.pairwise(times)
        if later - earlier < TURN_GAP
    )


def short_waits(turns: list[Turn]) -> float:
    """How long, in all, one of the turns' short timers was pending."""
    pending = 0.0
    covered_to = float("-inf")
    for turn in sorted(turns, key=lambda turn: turn.asked):
        start = max(turn.asked, covered_to)
        if turn.ended > start:
            pending += turn.ended - start
            covered_to = turn.ended
    return pending


def spinning(turns: int, spin: float, wall: float | None, waited: float = 0.0) -> bool:
    """Whether ``turns`` loop turns, in unbroken spinning ``spin`` seconds long, whose short
    timers were pending ``waited`` seconds in all, asked for while requests took ``wall``
    seconds (None: not known), are a busy wait."""
    if turns >= BUSY_TURNS:
        return True
    if wall is None or turns < SHORT_WAIT_MIN_TURNS:
        return False
    if waited >= SPIN_MIN_SECONDS and waited >= SHORT_WAIT_SHARE * wall:
        return True
    if turns < BUSY_MIN_TURNS:
        return False
    return turns >= BUSY_TURN_RATE * wall or (
        spin >= SPIN_MIN_SECONDS and spin >= SPIN_SHARE * wall
    )


def callable_name(func: Any) -> str:
    """A function's name, looking through partials; never repr(), which could run a
    query (a partial over a QuerySet's method shows the QuerySet's rows)."""
    while isinstance(func, functools.partial):
        func = func.func
    return f"{getattr(func, '__qualname__', type(func).__name__)}()"
