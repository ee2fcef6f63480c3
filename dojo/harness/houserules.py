"""House rules: what every request of every kata test must respect, checked by the harness.

A fix can make a kata's own tests pass and still do something no async view may do: cut a
``time.sleep`` into slices that each stay under the stall limit, spin on
``await asyncio.sleep(0)``, leave a coroutine unawaited or a task running behind the
response, drop an httpx client without closing it, or turn the view back into a sync one.
No kata should have to test for all of that, so the harness does, on every request made
through ``app`` (and ``burst``, and the probes):

========================  ===============================================================
``loop_held``             the learner's code never holds the loop over STALL_LIMIT at once,
                          nor over STALL_LIMIT in all in slices, nor calls ``time.sleep`` or
                          a sync HTTP client on the loop's thread at all
``busy_loop``             the loop thread's CPU time stays well under the wall time while
                          requests wait (no busy waiting)
``unawaited_coroutine``   no coroutine the learner's code creates goes unawaited
``task_left_running``     no task the learner's code started is still running once the
                          response is out, nor, if the view started it, as the view
                          returns (streamed responses aside)
``client_left_open``      no httpx client (async or sync) is dropped without being closed
``db_connection_left_open``  no database connection opened in a worker thread (other
                          than the request's own, which Django closes) is left open
``async_view``            every view a test requests is an ``async def`` view
========================  ===============================================================

A broken rule fails the test, once its own assertions have passed, with the rule's name,
the request and the learner's line. A kata turns a rule off only with a reason, in its
kata.toml: ``[house_rules] task_left_running = "the lesson is background work: ..."``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import gc
import itertools
import sys
import threading
import time
import warnings
import weakref
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import pytest
from asgiref.sync import SyncToAsync, iscoroutinefunction
from django.core.signals import request_started
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponseBase
from django.urls import resolve

from dojo.course.catalog import HOUSE_RULES
from dojo.harness.clients import HttpClients
from dojo.harness.config import kata_folder, kata_of, settings_key
from dojo.harness.loopwatch import (
    BUSY_SLEEP,
    STALL_LIMIT,
    CodeSite,
    LoopWatch,
    Turn,
    callable_name,
    learner_site_at,
    short_wait_hooks,
    short_waits,
    site_of,
    spinning,
    stop_monitor,
    unbroken_spin,
)
from dojo.harness.upstream import Upstream

# Sliced blocking: held this share of a request's time in all, over STALL_LIMIT, fails.
HELD_SHARE_LIMIT = 0.25
# Busy waiting: the loop thread's CPU time over this share of the wall time fails, once a
# window is long enough (and costly enough) for the share to mean something.
# Only a backstop: the CPU share depends on the machine's load (a correct view polling a
# cache every 20 ms, through a worker thread, reached 0.6 in a loaded CI run), so the loop
# turns below are the signal that tells a busy wait.
CPU_SHARE_LIMIT = 0.9
CPU_MIN_SECONDS = 0.5
# A task cancelled as the response goes out needs a few loop turns to finish.
SETTLE_TURNS = 5
# How deep Python remembers where each coroutine was created (for unawaited ones).
ORIGIN_DEPTH = 32

current_request: ContextVar[str] = ContextVar("dojo_current_request", default="")
# Which harness request the running code serves (0: none), and which requests the window
# being watched holds: a task is checked against the window of the request that started it.
_request_key: ContextVar[int] = ContextVar("dojo_request_key", default=0)
_window_keys: ContextVar[set[int] | None] = ContextVar("dojo_window_keys", default=None)
_next_key = itertools.count(1)


@dataclass(frozen=True)
class Violation:
    """One broken house rule: which, during which request, what happened, and where."""

    rule: str
    request: str
    what: str
    site: CodeSite | None = None
    why: str = ""

    def explain(self) -> str:
        during = f"While serving {self.request}, " if self.request else ""
        lines = [f"House rule broken: {HOUSE_RULES[self.rule]} ({self.rule})."]
        lines.append(f"{during}{self.what}")
        if self.site is not None:
            lines.append(f"  {self.site}")
        if self.why:
            lines.append(self.why)
        return "\n".join(lines)


@dataclass
class _Task:
    """A task, or work handed to a thread, that the learner's code started."""

    ref: weakref.ReferenceType[asyncio.Future[Any]]
    created_at: CodeSite
    request: str
    what: str
    key: int = field(default_factory=_request_key.get)
    created: float = field(default_factory=time.perf_counter)
    # Started by the view, and still running, not being cancelled, when the view returned.
    outlived_response: bool = False


@dataclass
class _Connection:
    wrapper: Any
    thread: int
    site: CodeSite | None
    request: str
    at: float
    key: int = field(default_factory=_request_key.get)


@dataclass
class _Sleep:
    site: CodeSite
    request: str
    calls: int = 0
    seconds: float = 0.0


@dataclass
class HouseRules:
    """The house rules of one kata test: what it watches, and what broke."""

    code_roots: tuple[Path, ...]
    off: Mapping[str, str] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    clients: HttpClients | None = None
    # Set by the harness when a request ended in an exception (see _collect_garbage).
    saw_exception: bool = False
    upstream: Upstream | None = None
    loop_thread: int | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _tasks: list[_Task] = field(default_factory=list)
    _sleeps: dict[CodeSite, _Sleep] = field(default_factory=dict)
    _unawaited: list[Violation] = field(default_factory=list)
    _short_sleeps: collections.Counter[CodeSite] = field(default_factory=collections.Counter)
    _turns: dict[int, list[Turn]] = field(default_factory=lambda: collections.defaultdict(list))
    _connections: list[_Connection] = field(default_factory=list)
    # Checks a driver adds for the end of the test (server mode: what only the end shows).
    finishers: list[Callable[[], None]] = field(default_factory=list)
    _request_threads: set[int] = field(default_factory=set)
    _previous_factory: Any = None
    _real_run_in_executor: Any = None
    _restore_depth: int = 0

    def applies(self, rule: str) -> bool:
        return rule not in self.off

    # Setting up and tearing down ------------------------------------------------------------

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Watch sleeps, unawaited coroutines and clients for the rest of the test."""
        self.clients = HttpClients(self.code_roots)
        self.clients.install(monkeypatch)
        monkeypatch.setattr(time, "sleep", self._sleep_wrapper(time.sleep))
        asleep, call_at = short_wait_hooks(self._note_turn)
        monkeypatch.setattr(asyncio, "sleep", asleep)
        monkeypatch.setattr(asyncio.BaseEventLoop, "call_at", call_at)
        real_warn = getattr(warnings, "_warn_unawaited_coroutine", None)
        if real_warn is not None:
            monkeypatch.setattr(
                warnings, "_warn_unawaited_coroutine", self._unawaited_hook(real_warn)
            )
        monkeypatch.setattr(
            BaseDatabaseWrapper, "connect", self._connect_wrapper(BaseDatabaseWrapper.connect)
        )
        request_started.connect(self._request_thread, dispatch_uid="dojo-house-rules")
        depth = sys.get_coroutine_origin_tracking_depth()
        sys.set_coroutine_origin_tracking_depth(ORIGIN_DEPTH)
        self._restore_depth = depth

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Watch the tasks created on ``loop`` (the test's loop), once."""
        if self._loop is loop:
            return
        self._loop = loop
        self.loop_thread = threading.get_ident()
        self._previous_factory = loop.get_task_factory()
        loop.set_task_factory(self._task_factory)
        self._real_run_in_executor = loop.run_in_executor
        loop.run_in_executor = self._run_in_executor  # type: ignore[method-assign,assignment]

    def uninstall(self) -> None:
        request_started.disconnect(dispatch_uid="dojo-house-rules")
        sys.set_coroutine_origin_tracking_depth(self._restore_depth)
        if self._loop is not None:
            if self._loop.get_task_factory() == self._task_factory:
                self._loop.set_task_factory(self._previous_factory)
            del self._loop.run_in_executor  # the loop's own method again
            stop_monitor(self._loop)

    # Watching one request or burst ----------------------------------------------------------

    @contextlib.asynccontextmanager
    async def watching(self, what: str) -> AsyncIterator[LoopWatch]:
        """Watch one top-level request (or burst) and note the rules it broke."""
        self.attach(asyncio.get_running_loop())
        keys: set[int] = set()
        token = _window_keys.set(keys)
        try:
            async with LoopWatch(self.code_roots) as watch:
                yield watch
        finally:
            _window_keys.reset(token)
        for _ in range(SETTLE_TURNS):
            await _turn()
        self._check_loop(what, watch, keys)
        self._check_sync_calls(what, watch)
        # Only this window's requests: others running beside it may still be at work.
        self._check_tasks([task for task in self._tasks if task.key in keys])
        self._check_connections(since=watch.start)

    @contextlib.contextmanager
    def serving(self, method: str, path: str) -> Iterator[None]:
        """The harness sends ``method path`` inside this block: what starts here serves it
        (tasks and threads started within carry that on; the test's own code after it
        does not)."""
        self.check_view(method, path)
        line = current_request.set(f"{method} {path}")
        key = next(_next_key)
        token = _request_key.set(key)
        window = _window_keys.get()
        if window is not None:
            window.add(key)
        try:
            yield
        finally:
            _request_key.reset(token)
            current_request.reset(line)

    def check_view(self, method: str, path: str) -> None:
        """Note it if the view answering ``path`` is not an async view."""
        if not self.applies("async_view"):
            return
        try:
            view: Any = resolve(urlsplit(path).path).func
        except Exception:  # no route, or a view Django refuses: the request's own 500 says why
            return
        if _wraps_sync_to_async(view):
            self._note(
                Violation(
                    "async_view",
                    f"{method} {path}",
                    "the view is a plain `def` wrapped whole in sync_to_async (under its "
                    "decorators, if any): all of it runs in a worker thread, as a sync view "
                    "would.",
                    why="Expected an `async def` view that awaits its I/O: in this kata the view "
                    "stays async.",
                )
            )
            return
        if iscoroutinefunction(view):
            return
        name = getattr(view, "__qualname__", repr(view))
        self._note(
            Violation(
                "async_view",
                f"{method} {path}",
                f"the request was answered by {name}(), a plain `def` view: Django runs it "
                "in a worker thread, not on the event loop.",
                why="Expected an `async def` view: in this kata the view stays async.",
            )
        )

    def _check_loop(self, what: str, watch: LoopWatch, keys: set[int]) -> None:
        if not self.applies("loop_held"):
            pass
        elif (stall := watch.longest) is not None and stall.seconds > STALL_LIMIT:
            self._note(
                Violation(
                    "loop_held",
                    what,
                    f"the event loop went {stall.seconds:.2f} s without a free moment "
                    f"(the limit is {STALL_LIMIT:.2f} s), held by",
                    stall.site,
                    "While the loop is held, no other request can make progress.",
                )
            )
        elif held_in_slices(watch.held, watch.wall):
            stall = watch.longest
            site = watch.busiest_site or (stall.site if stall else None)
            longest = stall.seconds if stall else 0.0
            self._note(sliced_hold(what, watch.held, watch.wall, len(watch.runs), longest, site))
        asked = [turn for key in keys for turn in self._turns.get(key, ())]
        turns = len(asked)
        busy = watch.cpu >= CPU_MIN_SECONDS and watch.cpu_share > CPU_SHARE_LIMIT
        spun = spinning(turns, unbroken_spin(asked), watch.wall, short_waits(asked))
        if self.applies("busy_loop") and (busy or spun):
            # The watchdog rarely sees a busy wait (the loop lets go of the GIL only while it
            # polls its selector), so the loop turns it asked for tell where it spins.
            most = self._short_sleeps.most_common(1)
            site = most[0][0] if most else watch.busiest_site
            computing = (
                f" and kept its thread computing {watch.cpu_share:.0%} of the "
                f"{watch.wall:.2f} s it took"
            )
            self._note(busy_wait(what, turns, site, computing))

    def _check_sync_calls(self, what: str, watch: LoopWatch) -> None:
        if not self.applies("loop_held") or self.upstream is None:
            return
        for call in self.upstream.calls:
            if call.blocking and call.thread == self.loop_thread and call.start >= watch.start:
                took = (call.end or time.perf_counter()) - call.start
                self._note(
                    Violation(
                        "loop_held",
                        what,
                        f"a sync HTTP call ({call.method} {call.url}) waited {took:.2f} s for "
                        "its answer on the event loop's thread, made at",
                        call.caller,
                        "A sync client blocks the thread it runs on, here the loop's: every "
                        "request waits for the network with it. Use httpx.AsyncClient.",
                    )
                )
                return

    def _check_connections(self, since: float) -> None:
        if not self.applies("db_connection_left_open"):
            return
        for opened in self._connections:
            if (
                opened.at >= since
                and opened.thread not in self._request_threads
                and opened.thread != self.loop_thread
                and opened.wrapper.connection is not None
            ):
                self._note(
                    Violation(
                        "db_connection_left_open",
                        opened.request,
                        "a database connection was opened in a worker thread and left open "
                        "after the response"
                        + (", by the query at" if opened.site is not None else "."),
                        opened.site,
                        "Django closes the connections of the request's own thread when the "
                        "request finishes; one opened in another thread (asyncio.to_thread, "
                        "an executor) stays open until the thread dies. Use the async ORM "
                        "(aget, acount, async for) or sync_to_async, which run in that thread.",
                    )
                )
                return

    def view_returned(self, response: HttpResponseBase | None, entered: float) -> None:
        """The view of the request being served, entered at ``entered``, has returned
        ``response``: what the view started and neither awaited nor cancelled is left
        running behind the response, however soon it ends (a cache write handed to a task
        nobody awaits ends before the response is out when a thread-bound middleware
        queues behind it). A streamed response's body may still await it: that one is
        judged once the body is out; and what a middleware of the learner's started
        around the view (its way in to a sync-only middleware) is awaited after it."""
        if response is None or response.streaming:
            return
        key = _request_key.get()
        for started in self._tasks:
            task = started.ref()
            if started.key != key or started.created < entered or task is None or task.done():
                continue
            cancelling = isinstance(task, asyncio.Task) and task.cancelling()
            started.outlived_response = started.outlived_response or not cancelling

    def _check_tasks(self, tasks: list[_Task]) -> None:
        if not self.applies("task_left_running"):
            return
        current = asyncio.current_task()
        for started in tasks:
            task = started.ref()
            running = task is not None and not task.done() and task is not current
            if not (running or started.outlived_response):
                continue
            when = "after the response had been sent" if running else "when the view returned"
            self._note(
                Violation(
                    "task_left_running",
                    started.request,
                    f"{started.what} was still running {when}, and the view had not awaited "
                    "it; it was started",
                    started.created_at,
                    "Work left running behind a response is work nobody waits for: its "
                    "errors go unseen, and it goes on after the client has left. Await it, "
                    "or cancel it (and wait for it to finish cancelling).",
                )
            )

    # The end of the test --------------------------------------------------------------------

    def finish(self) -> list[Violation]:
        """Every rule the test broke, once garbage has been collected."""
        for finish in self.finishers:
            finish()
        self._collect_garbage()
        self._check_sleeps()
        # Connections opened outside any request the harness watched (a stream, a task).
        self._check_connections(since=0.0)
        if self.applies("unawaited_coroutine"):
            self.violations.extend(self._unawaited)
        if self.applies("client_left_open") and self.clients is not None:
            for record in [*self.clients.records, *self.clients.sync_records]:
                if record.abandoned and record.site is not None:
                    self._note(client_dropped(record.kind, record.site))
        return self.violations

    def _collect_garbage(self) -> None:
        """Collect what the test left, so an unawaited coroutine warns and a dropped client
        is known dropped. A full collection costs tens of milliseconds with Django loaded;
        it is needed only where garbage may sit in cycles that the young generations do not
        reach: an exception's traceback (its frames hold the view's locals), or a client
        neither closed nor freed yet."""
        gc.collect(1)
        clients = [*self.clients.records, *self.clients.sync_records] if self.clients else []
        pending = any(not record.closed and not record.collected for record in clients)
        if self.saw_exception or pending:
            gc.collect()
        _Garbage.collected = True

    def _check_sleeps(self) -> None:
        if not self.applies("loop_held"):
            return
        for sleep in self._sleeps.values():
            self._note(sleep_on_loop(sleep.request, sleep.calls, sleep.seconds, sleep.site))

    # Hooks ---------------------------------------------------------------------------------

    def _note(self, violation: Violation) -> None:
        if violation not in self.violations:
            self.violations.append(violation)

    def _task_factory(
        self, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kwargs: Any
    ) -> asyncio.Future[Any]:
        if self._previous_factory is not None:
            task: Any = self._previous_factory(loop, coro, **kwargs)
        else:
            task = asyncio.Task(coro, loop=loop, **kwargs)
        site = site_of(sys._getframe(1), self.code_roots)
        if site is not None and isinstance(task, asyncio.Task):
            what = f"a task running {_coroutine_name(task)}"
            self._tasks.append(_Task(weakref.ref(task), site, current_request.get(), what))
        return task  # type: ignore[no-any-return]

    def _run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        future = self._real_run_in_executor(executor, func, *args)
        site = site_of(sys._getframe(1), self.code_roots)
        if site is not None:
            what = f"work handed to a thread ({callable_name(func)})"
            self._tasks.append(_Task(weakref.ref(future), site, current_request.get(), what))
        return future

    def _sleep_wrapper(self, real_sleep: Callable[[float], None]) -> Callable[[float], None]:
        @functools.wraps(real_sleep)
        def sleep(seconds: float) -> None:
            if threading.get_ident() == self.loop_thread and self.applies("loop_held"):
                site = site_of(sys._getframe(1), self.code_roots)
                if site is not None:
                    noted = self._sleeps.setdefault(site, _Sleep(site, current_request.get()))
                    noted.calls += 1
                    noted.seconds += seconds
            real_sleep(seconds)

        return sleep

    def _connect_wrapper(self, real_connect: Callable[[Any], None]) -> Callable[[Any], None]:
        def connect(wrapper: Any) -> None:
            real_connect(wrapper)
            thread = threading.get_ident()
            if thread != threading.main_thread().ident and not _thread_sensitive(sys._getframe(1)):
                site = site_of(sys._getframe(1), self.code_roots)
                self._connections.append(
                    _Connection(wrapper, thread, site, current_request.get(), time.perf_counter())
                )

        return connect

    def _request_thread(self, **kwargs: Any) -> None:
        """Django sends request_started from the request's own thread (its thread-sensitive
        one), whose connections it closes when the request finishes."""
        self._request_threads.add(threading.get_ident())

    def _note_turn(self, frame: FrameType) -> Turn | None:
        """A loop turn the learner's code asked for, if it did."""
        site = site_of(frame, self.code_roots)
        if site is None:
            return None
        self._short_sleeps[site] += 1
        turn = Turn()
        self._turns[_request_key.get()].append(turn)
        return turn

    def _unawaited_hook(self, real_warn: Callable[[Any], None]) -> Callable[[Any], None]:
        def warn_unawaited_coroutine(coro: Any) -> None:
            origin = getattr(coro, "cr_origin", None) or ()
            site = _origin_site(origin, self.code_roots)
            if site is not None:
                name = getattr(coro, "__qualname__", "a coroutine")
                violation = Violation(
                    "unawaited_coroutine",
                    current_request.get(),
                    f"the coroutine {name}() was created and never awaited; it was created",
                    site,
                    "A coroutine does nothing until it is awaited: whatever it was meant to "
                    "do never happened.",
                )
                if violation not in self._unawaited:
                    self._unawaited.append(violation)
            real_warn(coro)

        return warn_unawaited_coroutine


def busy_wait(what: str, turns: int, site: CodeSite | None, computing: str = "") -> Violation:
    """The broken ``busy_loop`` rule: ``turns`` empty loop turns asked for while serving
    ``what``, mostly at ``site``."""
    return Violation(
        "busy_loop",
        what,
        f"your code asked the event loop for {turns} empty turns "
        f"(`asyncio.sleep(0)`, or a wait of under {BUSY_SLEEP * 1000:g} ms){computing}"
        + (", mostly at" if site is not None else "."),
        site,
        "Waiting by looping (`while ...: await asyncio.sleep(0)`) keeps the loop "
        "busy for nothing: await the thing itself (an Event, a Future, the task).",
    )


def client_dropped(kind: str, site: CodeSite, request: str = "") -> Violation:
    """The broken ``client_left_open`` rule: an httpx client made at ``site`` dropped
    without being closed."""
    how = "`async with`, or aclose()" if kind == "httpx.AsyncClient" else "`with`, or close()"
    return Violation(
        "client_left_open",
        request,
        f"an {kind} was dropped without being closed; it was made",
        site,
        "An unclosed client keeps its connections open until the garbage "
        f"collector finds it. Close it ({how}), or keep one for reuse.",
    )


def held_in_slices(held: float, wall: float) -> bool:
    """Whether holding the loop ``held`` seconds in all, in slices, while requests took
    ``wall`` seconds, breaks the ``loop_held`` rule (however short each slice)."""
    return held > STALL_LIMIT and held > HELD_SHARE_LIMIT * wall


def sliced_hold(
    what: str, held: float, wall: float, slices: int, longest: float, site: CodeSite | None
) -> Violation:
    """The broken ``loop_held`` rule: the loop held ``held`` seconds in all, in slices."""
    return Violation(
        "loop_held",
        what,
        f"your code held the event loop {held:.2f} s in all "
        f"({held / wall:.0%} of the {wall:.2f} s it took), in "
        f"{slices} slices of at most {longest:.3f} s, held mostly by",
        site,
        "Cutting a blocking wait into slices does not free the loop: the slices "
        "add up, and every other request waits for them all.",
    )


def sleep_on_loop(request: str, calls: int, seconds: float, site: CodeSite) -> Violation:
    """The broken ``loop_held`` rule: ``time.sleep`` on the loop's thread, however short."""
    return Violation(
        "loop_held",
        request,
        f"time.sleep() ran on the event loop's thread {_times(calls)}, {seconds:.2f} s in all, at",
        site,
        "time.sleep blocks the thread it runs on, here the loop's: every request "
        "waits, however short each sleep is. Use `await asyncio.sleep(...)`.",
    )


def _origin_site(
    origin: tuple[tuple[str, int, str], ...], code_roots: tuple[Path, ...]
) -> CodeSite | None:
    """The innermost learner line where a coroutine was created."""
    for filename, line, _ in origin:
        site = learner_site_at(filename, line, code_roots)
        if site is not None:
            return site
    return None


def _thread_sensitive(frame: FrameType | None) -> bool:
    """Whether this thread runs sync_to_async's thread-sensitive work: a request's own
    thread (Django closes its connections when the request finishes) or, outside any
    request, the one thread every test's own ORM calls share."""
    while frame is not None:
        if frame.f_code.co_name == "thread_handler":
            owner = frame.f_locals.get("self")
            if isinstance(owner, SyncToAsync):
                return bool(getattr(owner, "_thread_sensitive", False))
        frame = frame.f_back
    return False


async def _turn() -> None:
    """One turn of the loop, with the real asyncio.sleep (the house rules watch the other)."""
    await _real_asleep(0)


_real_asleep = asyncio.sleep


def _coroutine_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    return f"{getattr(coro, '__qualname__', None) or task.get_name()}()"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


# The plugin's side ------------------------------------------------------------------------

rules_key = pytest.StashKey[HouseRules]()


@pytest.fixture(autouse=True)
def _dojo_house_rules(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HouseRules | None]:
    """Every kata test keeps the house rules (see dojo.harness.houserules)."""
    kata = kata_folder(request.node.path)
    if kata is None:
        yield None
        return
    _forget_the_last_failure()
    config = kata_of(kata)
    off = config.house_rules_off if config is not None else {}
    rules = HouseRules(request.config.stash[settings_key].code_roots, off)
    _Garbage.collected = False
    rules.install(monkeypatch)
    rules.upstream = request.getfixturevalue("upstream")
    rules.upstream.locate = lambda frame: site_of(frame, rules.code_roots)
    request.node.stash[rules_key] = rules
    try:
        yield rules
    finally:
        rules.uninstall()


class _Garbage:
    """Whether the garbage of the last kata test has been collected."""

    collected = True


def _forget_the_last_failure() -> None:
    """A failed test leaves its garbage behind (an exception, its traceback and whatever its
    frames held, such as an unawaited coroutine): collect it now, before this test's hooks
    are in place, or Python would report it during this test as if this test had made it.
    A test that passed collected its own garbage in finish()."""
    if not _Garbage.collected:
        gc.collect()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Once a kata test's own assertions pass, fail it if it broke a house rule."""
    result = yield
    rules = item.stash.get(rules_key, None)
    if rules is not None:
        broken = rules.finish()
        if broken:
            raise pytest.fail.Exception(explain(broken), pytrace=False)
    return result


def pytest_unconfigure(config: pytest.Config) -> None:
    """Collect the last test's garbage now, quietly: at the interpreter's exit, an unawaited
    coroutine would print its warning after pytest's summary, where it explains nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gc.collect()


def explain(violations: list[Violation]) -> str:
    """The message for a test that broke house rules: each rule once, the first time."""
    shown: dict[str, Violation] = {}
    for violation in violations:
        shown.setdefault(violation.rule, violation)
    text = "\n\n".join(violation.explain() for violation in shown.values())
    return (
        f"{text}\n\nThe kata's own checks passed, but the harness checks these house rules on "
        "every request of every kata (see the README's house rules)."
    )


def _wraps_sync_to_async(view: Any) -> bool:
    """Whether ``view``, or what its decorators wrap (``__wrapped__``), is a sync_to_async."""
    for _ in range(20):  # decorators nest a few deep; a cycle must not hang the harness
        if isinstance(view, SyncToAsync):
            return True
        view = getattr(view, "__wrapped__", None)
        if view is None:
            return False
    return False
