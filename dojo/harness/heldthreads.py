"""The kata server's threads held for a request while its view runs, seen from outside.

What a sync-only middleware costs on an ASGI site is a thread per request: Django calls it
in the request's worker thread, and the middleware reaches the async view through
``async_to_sync``, so that thread sits blocked for as long as the view runs. In server mode
the test process looks at the worker's threads through the kernel, never through the
worker's own reports, so a verdict may rest on it:

- ``/proc/<pid>/task/<tid>/syscall`` says whether a thread sleeps in a futex wait (a lock,
  a queue, a future's result), and its stack pointer; ``/proc/<pid>/maps`` gives the
  thread's stack, so how deep its C stack is while it waits;
- ``.../schedstat`` counts the times it ran: one that did not run between two looks slept
  through.

Every correct chain has idle threads too: Django gives each request a thread of its own
for sync work (``ThreadSensitiveContext``), which waits for work in its executor's queue
while the view runs. That wait sits at the depth any idle executor thread sits at, to the byte, which
``idle_depth`` measures in this process (the same interpreter). A thread that slept
through a request's time in the view, in a futex wait at another depth, was blocked inside
some work it had been given: waiting for the view (``async_to_sync``, a future's result).
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dojo.harness.asgi import BurstReport, Requests, Response
from dojo.harness.houserules import Violation
from dojo.harness.remote import RemoteApp
from dojo.harness.servermode import SKIP_PREFIX, ask_site, configure_site
from dojo.harness.upstream import Upstream
from dojo.server.serverside import PROBE_PATH, read_site
from dojo.server.sitethreads import HELD_SITES_HEADER, HELD_SITES_MIDDLEWARE

# futex on x86_64 and arm64, futex_waitv: where a blocked thread sleeps.
FUTEX_SYSCALLS = frozenset({202, 98, 449})
# nanosleep and clock_nanosleep on x86_64 and on arm64: a thread asleep in time.sleep.
SLEEP_SYSCALLS = {"x86_64": frozenset({35, 230}), "aarch64": frozenset({101, 115})}
# How often the worker's threads are looked at while requests are served.
SAMPLE_INTERVAL = 0.01
# An idle executor thread waits at one depth, to the byte; a thread blocked in work it was
# given waits elsewhere: measured, 80 bytes less for a plain future's result, 1 KB more for
# asyncio.to_thread, 9 KB more for a sync middleware.
SAME_WAIT = 16


@dataclass(frozen=True)
class ThreadState:
    """One look at a thread: how many times it has run, and how deep its C stack is if it
    sleeps in a futex wait (None otherwise)."""

    runs: int
    futex_depth: int | None


def thread_states(pid: int, stacks: Stacks | None = None) -> dict[int, ThreadState]:
    """Every thread of process ``pid`` but its main one (the event loop's), as now."""
    stacks = stacks if stacks is not None else Stacks(pid)
    states = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        tid = int(task.name)
        if tid == pid:
            continue
        try:
            call = (task / "syscall").read_text().split()
            runs = int((task / "schedstat").read_text().split()[2])
        except (OSError, IndexError, ValueError):
            continue  # the thread ended meanwhile
        depth = None
        if call and call[0].isdigit() and int(call[0]) in FUTEX_SYSCALLS:
            depth = stacks.depth(int(call[-2], 16))
        states[tid] = ThreadState(runs, depth)
    return states


class Stacks:
    """The memory mappings of process ``pid``, read again only when a stack pointer falls
    outside those known (a thread started since)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.spans: list[tuple[int, int]] = []

    def depth(self, pointer: int) -> int | None:
        """How far below the top of its stack mapping ``pointer`` is (stacks grow down)."""
        for attempt in range(2):
            for start, end in self.spans:
                if start <= pointer < end:
                    return end - pointer
            if attempt == 0:
                self.spans = _mappings(self.pid)
        return None


def loop_asleep(pid: int) -> bool:
    """Whether the main thread of ``pid`` (the event loop's) sleeps in a sleep call now, as
    ``time.sleep`` does: an event loop waits in its selector, never there."""
    try:
        wchan = Path(f"/proc/{pid}/task/{pid}/wchan").read_text()
        call = Path(f"/proc/{pid}/task/{pid}/syscall").read_text().split()
    except OSError:
        return False
    if "nanosleep" in wchan:
        return True
    sleeps = SLEEP_SYSCALLS.get(platform.machine(), frozenset())
    return bool(call) and call[0].isdigit() and int(call[0]) in sleeps


def _mappings(pid: int) -> list[tuple[int, int]]:
    try:
        lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    except OSError:
        return []
    spans = []
    for line in lines:
        start, _, end = line.split(maxsplit=1)[0].partition("-")
        spans.append((int(start, 16), int(end, 16)))
    return spans


def readable(pid: int) -> bool:
    """Whether the kernel tells this process what ``pid``'s threads wait in."""
    try:
        Path(f"/proc/{pid}/task/{pid}/syscall").read_text()
        Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False
    return idle_depth() is not None


@functools.cache
def idle_depth() -> int | None:
    """The depth an idle executor thread waits for work at, in this interpreter."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        tid = executor.submit(threading.get_native_id).result()
        for _ in range(100):
            time.sleep(0.002)
            state = thread_states(os.getpid()).get(tid)
            if state is not None and state.futex_depth is not None:
                return state.futex_depth
    return None


@dataclass
class HeldThreads:
    """Looks at the threads of the worker ``pid`` while requests are served, and finds
    those that slept through a request's time in the view, blocked in work they were
    given."""

    pid: int
    samples: list[tuple[float, dict[int, ThreadState]]] = field(default_factory=list)
    stacks: Stacks = field(init=False)
    # The deep waits already there before this test's requests: not their doing.
    ignored: set[tuple[int, int]] = field(default_factory=set)
    # When the loop's thread was seen asleep in a sleep call.
    loop_sleeps: list[float] = field(default_factory=list)

    # The threads already awake or waiting in some work before this test's requests (the
    # site's own watchers): not their doing either.
    busy_before: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.stacks = Stacks(self.pid)
        before = thread_states(self.pid, self.stacks)
        self.ignored = {
            (tid, state.futex_depth)
            for tid, state in before.items()
            if state.futex_depth is not None
        }
        idle = idle_depth()
        self.busy_before = {tid for tid, state in before.items() if not _idle(state, idle)}

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Look at the worker's threads every few milliseconds within this block."""
        stop = threading.Event()

        def look() -> None:
            self.busy_before.add(threading.get_native_id())  # this watcher, were it watched
            while True:
                when = time.perf_counter()
                with contextlib.suppress(OSError):
                    self.samples.append((when, thread_states(self.pid, self.stacks)))
                if loop_asleep(self.pid):
                    self.loop_sleeps.append(time.perf_counter())
                if stop.wait(SAMPLE_INTERVAL):
                    return

        watcher = threading.Thread(target=look, daemon=True, name="dojo-held-threads")
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()

    def held(self, inside: Sequence[tuple[float, float]]) -> tuple[set[int], int]:
        """The threads kept in work they were given through one of the ``inside`` intervals
        (when a request was inside the view, as the fake upstream saw it): asleep through it
        elsewhere than an idle thread waits, or, if new or idle before the test's requests,
        never seen back where an idle thread waits (code in the worker can wake a blocked
        thread every few milliseconds, and must not hide it so); and how many intervals
        were seen at least twice."""
        idle = idle_depth()
        assert idle is not None
        held: set[int] = set()
        seen = 0
        for start, end in inside:
            looks = [states for when, states in self.samples if start <= when <= end]
            if len(looks) < 2:
                continue
            seen += 1
            for tid, state in looks[0].items():
                states = [look.get(tid) for look in looks]
                if any(other is None or _idle(other, idle) for other in states):
                    continue
                depth = state.futex_depth
                if depth is not None and (tid, depth) in self.ignored:
                    continue
                if all(other == state for other in states[1:]) and depth is not None:
                    held.add(tid)  # asleep through the whole call, in work it was given
                elif tid not in self.busy_before:
                    # Never back where an idle thread waits: kept in its work throughout,
                    # however often it woke (a wait taken in slices, a poll, a spin).
                    held.add(tid)
        return held, seen


def _idle(state: ThreadState, idle: int | None) -> bool:
    """Whether ``state`` is a thread waiting where an idle executor thread waits for work."""
    depth = state.futex_depth
    return depth is not None and idle is not None and abs(depth - idle) <= SAME_WAIT


class RemoteMiddlewareApp(Requests):
    """``middleware_app`` in server mode: ``app`` over HTTP to the worker serving the kata
    behind its middleware (``configure_site``), with the worker's threads watched while
    each request or burst is served."""

    def __init__(self, remote: RemoteApp, upstream: Upstream) -> None:
        self.remote = remote
        self.upstream = upstream
        # A probe first: the worker starts its own loop watch by then, a thread that is
        # the site's, there before the test's requests.
        ask_site(urlsplit(remote.base_url).port or 80, PROBE_PATH)
        self.threads = HeldThreads(remote.worker_pid)
        # When this site's requests were being served, by the test process's clock.
        self.served: list[tuple[float, float]] = []
        # The learner's lines the server said threads waited at, in the order first said.
        self.sites: dict[str, None] = {}

    @property
    def code_roots(self) -> tuple[Path, ...]:
        return self.remote.code_roots

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        browser: bool = True,
    ) -> Response:
        with self._watched():
            response = await self.remote.request(
                method, path, body=body, headers=headers, browser=browser
            )
        self._note_sites([response])
        self._note_sleeps(f"{method} {path}")
        return response

    async def burst(
        self,
        path: str,
        n: int = 10,
        *,
        method: str = "GET",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        browser: bool = True,
    ) -> BurstReport:
        """``burst`` through the kata's middleware."""
        with self._watched():
            report = await self.remote.burst(
                path, n, method=method, body=body, headers=headers, browser=browser
            )
        self._note_sites(report.responses)
        self._note_sleeps(f"a burst of {n} x {method} {path}")
        return report

    def _note_sleeps(self, what: str) -> None:
        """Note the loop's thread seen asleep in a sleep call while ``what`` was served (as
        the in-process house rules note any ``time.sleep`` on the loop, however short)."""
        start, end = self.served[-1]
        seen = [when for when in self.threads.loop_sleeps if start <= when <= end]
        rules = self.remote.rules
        if not seen or rules is None or not rules.applies("loop_held"):
            return
        rules._note(
            Violation(
                "loop_held",
                what,
                f"the server's event-loop thread was seen asleep in a sleep call "
                f"(time.sleep) {_times(len(seen))}, from outside the server, through the "
                "kernel.",
                why="time.sleep blocks the thread it runs on, here the loop's: every request "
                "waits, however short each sleep is. Use `await asyncio.sleep(...)`.",
            )
        )

    def _note_sites(self, responses: list[Response]) -> None:
        """Keep the lines the server said threads waited at (an inside report: it names
        where, never decides whether)."""
        for response in responses:
            for text in response.headers.get(HELD_SITES_HEADER.lower(), "").split():
                site = read_site(text)
                if site is not None:
                    self.sites[str(site)] = None

    @contextlib.contextmanager
    def _watched(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            with self.threads.watching():
                yield
        finally:
            self.served.append((start, time.perf_counter()))

    def assert_chain_stays_async(self) -> None:
        """Fail if, while a request was inside the view (its call to the fake upstream in
        flight), a thread of the server sat blocked in work it was given: waiting for the
        view, the sign of a sync middleware."""
        __tracebackhide__ = True
        if not readable(self.remote.worker_pid):
            pytest.skip(
                f"{SKIP_PREFIX}this machine's kernel does not show the server's threads "
                "(/proc/<pid>/task/<tid>/syscall), so the middleware chain cannot be checked "
                "from outside"
            )
        inside = [
            (call.start, call.end if call.end is not None else time.perf_counter())
            for call in self.upstream.calls
            if any(start <= call.start <= end for start, end in self.served)
        ]
        held, seen = self.threads.held(inside)
        if not seen:
            pytest.fail(
                "No request was seen inside the view (calling the upstream service) long "
                "enough to look at the server's threads, so the middleware chain could not "
                "be checked. Make the requests succeed first.",
                pytrace=False,
            )
        if not held:
            return
        count = len(held)
        where = "".join(f"\n  {site}" for site in self.sites) or (
            "\n  (the server did not name the line: none of your lines is on the thread's "
            "stack, or asyncio.to_thread or an executor handed it the work)"
        )
        pytest.fail(
            f"While {seen} request{'s were' if seen > 1 else ' was'} inside the view, "
            f"{count} thread{'s' if count > 1 else ''} of the server sat blocked, waiting "
            "for the view to finish (seen from outside the server, through the kernel: "
            "asleep for the whole call to the upstream service, inside work it had been "
            f"given), at:{where}\n"
            "Django ran the middleware in a worker thread and reached the async view from "
            "there through async_to_sync (or your code handed the rest of the chain to a "
            "thread), so every request in flight holds a thread of its own, as under WSGI.\n"
            "Expected the middleware chain to stay async: no thread waiting while the view runs.",
            pytrace=False,
        )


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


@contextlib.contextmanager
def served_middleware_app(
    request: pytest.FixtureRequest, middleware: list[str]
) -> Iterator[RemoteMiddlewareApp]:
    """The kata served behind ``middleware`` for the requesting test (raises, named as
    Django's error, if Django cannot build that chain)."""
    configure_site(request, middleware=[*middleware, HELD_SITES_MIDDLEWARE])
    remote = request.getfixturevalue("app")
    assert isinstance(remote, RemoteApp)
    yield RemoteMiddlewareApp(remote, request.getfixturevalue("upstream"))
