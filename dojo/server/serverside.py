"""What a kata's server process adds in server mode: a probe, and inside reports.

- ``with_probe(application)``: ``GET /__dojo__/probe`` is answered at once by the ASGI
  layer, on the server's event loop, without reaching Django or the kata. The test process
  sends probes while its requests are served; a probe that takes long is the loop held,
  measured from outside (see ``dojo.harness.remote``).
- ``GET /__dojo__/view?path=/books/1/`` answers, as JSON, whether the view that serves
  that path is an ``async def`` view, and its name (``describe_view``; for the tests'
  ``assert_async_view``), or 404 when no view does.
- ``POST /__dojo__/background``: the tasks the learner's code started, and a garbage
  collection while their calls wait, for the tests' ``background_tasks``
  (``dojo.server.backgroundwork``).
- ``POST /__dojo__/settings`` with ``{"settings": {...}, "middleware": [...]}`` makes the
  site use those settings, and the kata's middleware in its chain (after the project's),
  until the next such post; ``{}`` restores the site as it started. The tests' fixtures
  that change Django's settings or chain (``configure_site`` in ``dojo.harness.servermode``)
  change the served site's too. A chain Django cannot build is refused with 422 and the
  error, and the site keeps the chain it had.
- ``GET /__dojo__/password-checks`` answers when each password check of the site ran
  (``dojo.server.passwords``, for ``slow_password_hashing``); a POST there forgets them.
- ``GET /__dojo__/collect`` collects garbage (the test's served ``http_clients`` asks, to
  see from outside which connections a client dropped unclosed held).
- A request sent from another event loop than its test's own is served on a loop of its
  own, and ``POST /__dojo__/loops`` ends those loops (``dojo.server.otherloops``).
- ``GET /__dojo__/reports`` answers, as JSON, the tasks the learner's code started while
  serving earlier requests and that still run (the house rule ``task_left_running``; the
  test process asks once a request or burst has been answered, as in-process it looks
  once the response is out), the database connections opened in other threads than the
  request's own and left open, the coroutines found never awaited since, the records the
  site logged (which the test process logs again, for its ``caplog``), and what no probe
  from outside can see (``watch_loop_use()``): the empty loop turns each answered request
  asked for (a busy wait), the ``time.sleep`` calls on a loop's thread, and the httpx
  clients dropped without being closed; with ``?collect=1`` (at the end of a test) it
  collects garbage first, as in-process.
- ``warm_up_httpx(port)``: the first call of an httpx client imports and builds what later
  calls reuse (a tenth of a second, on the loop); the worker pays it before it serves, as
  the in-process tests pay it before the view runs.
- ``tag_sync_calls_on_loop()``: a sync httpx call made on the event loop's thread carries
  ``SYNC_ON_LOOP_HEADER`` with the learner's line that made it, so the fake upstream can
  tell the tests, as the in-process fake knows by itself (an inside report: it can only
  add a failure, the loop held by a sync client).
- ``InsideReportMiddleware``: a 500 carries the exception behind it and the learner's line,
  and every response the longest time the learner's code held the loop while it was served
  and the line that held it (the loop watchdog of the tests, ``dojo.harness.loopwatch``), how
  long it held the loop in all, in slices too short for a probe to wait on (``HELD_HEADER``),
  and the coroutines the learner's code created and never awaited meanwhile, in response headers,
  so the test's messages read as in-process ones. These are reports from the process that
  runs the learner's code: they enrich a message, and never decide a pass.
- ``use_database(path)`` and ``watch_queries()``: the worker's Django uses the test
  process's database file (it seeds and reads the same rows), and each response says how
  many SQL queries ran on the event loop's thread while it was served, the first one and
  the learner's line behind it (the tests' ``database`` log, fed from outside: it can only
  add a failure).
- ``share_cache(location)``: the worker and the test process use one cache, in files.
- ``report_where_stuck(code_roots)``: on ``STUCK_SIGNAL`` (sent by a test whose request was
  never answered, see ``dojo.harness.deadline``) the worker writes whether its view holds the loop
  and the learner's line it is at to ``stuck_report_path(pid)``; the handler runs on the
  main thread, the loop's, between two bytecodes of even ``while True: pass``.
- A response served by a view that is not ``async def``, or is one wrapped whole in
  sync_to_async, says so in ``SYNC_VIEW_HEADER`` (the house rule ``async_view``).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import gc
import itertools
import json
import logging
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings
import weakref
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from pathlib import Path
from types import FrameType
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
from asgiref.local import Local
from asgiref.sync import SyncToAsync, iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.signals import request_started
from django.http import HttpRequest, HttpResponseBase
from django.test import override_settings

from dojo.harness.loopwatch import (
    CodeSite,
    Run,
    Turn,
    awaiting_sites,
    callable_name,
    learner_site_at,
    learner_sites,
    monitor_for,
    short_wait_hooks,
    short_waits,
    site_of,
    unbroken_spin,
)
from dojo.server import passwords
from dojo.server.otherloops import LOOPS_PATH, OtherLoops, loop_asked, serve_on

PROBE_PATH = "/__dojo__/probe"
VIEW_PATH = "/__dojo__/view"
REPORTS_PATH = "/__dojo__/reports"
SETTINGS_PATH = "/__dojo__/settings"
# The tests' background_tasks, served (dojo.server.backgroundwork).
BACKGROUND_PATH = "/__dojo__/background"
COLLECT_PATH = "/__dojo__/collect"
# Loop turns a task may take to end once its request has been answered (as in-process).
SETTLE_TURNS = 5
# The log records kept for the test process between two reports: a flood keeps its last.
LOGS_KEPT = 500
ERROR_HEADER = "X-Dojo-Error"
ERROR_SITE_HEADER = "X-Dojo-Error-Site"
STALL_HEADER = "X-Dojo-Stall"
HELD_HEADER = "X-Dojo-Held"
UNAWAITED_HEADER = "X-Dojo-Unawaited"
SYNC_ON_LOOP_HEADER = "x-dojo-sync-on-loop"
QUERIES_ON_LOOP_HEADER = "X-Dojo-Queries-On-Loop"
SYNC_VIEW_HEADER = "X-Dojo-Sync-View"
# A test whose request was never answered asks where the view is stuck with this signal.
STUCK_SIGNAL = signal.SIGUSR1
# The loop counts as held by the view once one run of it has lasted this long.
HELD_FOR = 1.0
# How many frames a coroutine remembers of where it was made (as the tests' house rules).
ORIGIN_DEPTH = 32
INSIDE_REPORT_MIDDLEWARE = "dojo.server.serverside.InsideReportMiddleware"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Application = Callable[[Scope, Receive, Send], Awaitable[None]]


def with_probe(application: Application) -> Application:
    """``application``, with ``PROBE_PATH`` and ``VIEW_PATH`` answered on the loop before
    Django sees them."""

    async def probed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PROBE_PATH:
            # The loop watch's thread runs from the first probe on, not from the first
            # request: the tests that watch the worker's threads see it there from the start.
            monitor_for(asyncio.get_running_loop(), InsideReportMiddleware.code_roots)
            await _answer(send, 204, b"")
            return
        if scope["type"] == "http" and scope["path"] == REPORTS_PATH:
            if b"collect" in scope.get("query_string", b""):
                collect_all()  # a coroutine never awaited is reported once collected
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
            unawaited = [(name, site_text(site)) for name, site in _Unawaited.found]
            _Unawaited.found.clear()
            reports = {
                "tasks": _Tasks.left_running(),
                "unawaited": unawaited,
                "connections": _Connections.left_open(),
                "logs": _Logs.taken(),
                **_LoopUse.taken(),
                "dropped_clients": _Clients.taken(),
            }
            await _answer(send, 200, json.dumps(reports).encode())
            return
        if scope["type"] == "http" and scope["path"] == SETTINGS_PATH:
            status, answer = _Overrides.apply(application, await _body(receive))
            await _answer(send, status, json.dumps(answer).encode())
            return
        if scope["type"] == "http" and scope["path"] == passwords.CHECKS_PATH:
            checks = list(passwords.CHECKS)
            if scope["method"] == "POST":
                passwords.CHECKS.clear()
            await _answer(send, 200, json.dumps(checks).encode())
            return
        if scope["type"] == "http" and scope["path"] == BACKGROUND_PATH:
            from dojo.server import backgroundwork

            status, answer = backgroundwork.answer(await _body(receive))
            await _answer(send, status, json.dumps(answer).encode())
            return
        if scope["type"] == "http" and scope["path"] == VIEW_PATH:
            query = parse_qs(scope.get("query_string", b"").decode())
            view = _view_at(query.get("path", ["/"])[0])
            await _answer(send, 404 if view is None else 200, json.dumps(view).encode())
            return
        if scope["type"] == "http" and scope["path"] == COLLECT_PATH:
            collect_all()  # a client dropped unclosed lets its connections go once collected
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
            await _answer(send, 204, b"")
            return
        if scope["type"] == "http" and scope["path"] == LOOPS_PATH:
            await asyncio.to_thread(OtherLoops.end_all)
            await _answer(send, 200, b"{}")
            return
        if scope["type"] != "http":
            await application(scope, receive, send)
            return
        asked = loop_asked(scope)
        if asked is not None:
            await serve_on(served, scope, receive, send, asked)
            return
        await served(scope, receive, send)

    async def served(scope: Scope, receive: Receive, send: Send) -> None:
        # Numbered as it comes in, not as it reaches the view: what a middleware of the
        # learner's in front of the view starts (its way in to a sync-only middleware) is
        # this request's, still being served, as what the view starts is.
        number = next(_numbers)
        _request_number.set(number)
        query = scope.get("query_string", b"").decode("latin-1")
        _current_request.set(f"{scope['method']} {scope['path']}{'?' if query else ''}{query}")
        _Tasks.in_flight.add(number)
        try:
            await _answered_like_a_server(application, scope, receive, send)
        finally:
            _Tasks.in_flight.discard(number)

    return probed


# The errors Django logged while serving the request in this context, first first.
_logged_errors: ContextVar[list[BaseException] | None] = ContextVar(
    "dojo_logged_errors", default=None
)


async def _answered_like_a_server(
    application: Application, scope: Scope, receive: Receive, send: Send
) -> None:
    """Serve one request; an exception that escapes Django (a middleware chain that hands
    the server a coroutine, or awaits a response) is answered 500 as uvicorn would, stamped
    with the first error Django logged for it and its line (the in-process ``ServerApp``
    keeps the same one): InsideReportMiddleware, next to the view, never sees it."""
    errors: list[BaseException] = []
    token = _logged_errors.set(errors)
    started = False

    async def tracked(message: MutableMapping[str, Any]) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await application(scope, receive, tracked)
    except Exception as escaped:
        if started:
            raise
        error = errors[0] if errors else escaped
        first = str(error).strip().splitlines()
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
        headers.append(
            (
                ERROR_HEADER.encode(),
                quote(f"{type(error).__name__}: {first[0] if first else ''}").encode(),
            )
        )
        site = _error_site(error, InsideReportMiddleware.code_roots)
        if site is not None:
            headers.append((ERROR_SITE_HEADER.encode(), site_text(site).encode()))
        del error, escaped
        await send({"type": "http.response.start", "status": 500, "headers": headers})
        await send({"type": "http.response.body", "body": b"Internal Server Error"})
    finally:
        # Their tracebacks hold the request's frames, and maybe a coroutine never awaited,
        # which the reports find only once it is collected.
        errors.clear()
        _logged_errors.reset(token)


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


class _Overrides:
    """The settings and middleware a test asked the site to use (``SETTINGS_PATH``)."""

    active: ClassVar[override_settings | None] = None

    @classmethod
    def apply(cls, handler: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            asked = json.loads(body or b"{}")
            values = dict(asked.get("settings", {}))
            middleware = [str(path) for path in asked.get("middleware", [])]
        except (ValueError, TypeError, AttributeError) as error:
            return 400, {"error": f"{type(error).__name__}: {error}"}
        cls.restore(handler)
        if middleware:
            # The dojo's own stay last, next to the view, as in-process.
            chain = [path for path in settings.MIDDLEWARE if not path.startswith("dojo.")]
            ours = [path for path in settings.MIDDLEWARE if path.startswith("dojo.")]
            values["MIDDLEWARE"] = [*chain, *middleware, *ours]
        if not values:
            return 200, {}
        cls.active = override_settings(**values)
        cls.active.enable()
        if "MIDDLEWARE" not in values:
            return 200, {}
        try:
            handler.load_middleware(is_async=True)
        except Exception as error:  # the learner's middleware, as Django builds the chain
            cls.restore(handler)
            site = _error_site(error, InsideReportMiddleware.code_roots)
            return 422, {
                "error": f"{type(error).__name__}: {error}",
                "site": site_text(site) if site is not None else None,
            }
        return 200, {}

    @classmethod
    def restore(cls, handler: Any) -> None:
        if cls.active is None:
            return
        rebuild = "MIDDLEWARE" in cls.active.options
        cls.active.disable()
        cls.active = None
        if rebuild:
            handler.load_middleware(is_async=True)


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _view_at(path: str) -> dict[str, Any] | None:
    from django.urls import Resolver404, resolve

    try:
        return describe_view(resolve(urlsplit(path).path).func)
    except Resolver404:
        return None


def describe_view(view: Any) -> dict[str, Any]:
    """What the view-is-async checks need to know of ``view``: whether Django awaits it on
    the loop, whether it is a plain ``def`` wrapped whole in sync_to_async, and its name."""
    return {
        "async": iscoroutinefunction(view),
        "wrapped": _wraps_sync_to_async(view),
        "name": getattr(view, "__qualname__", repr(view)),
    }


def _wraps_sync_to_async(view: Any) -> bool:
    """Whether ``view``, or what its decorators wrap, is a sync_to_async (as the house
    rule ``async_view`` asks in-process)."""
    for _ in range(20):  # decorators nest a few deep; a cycle must not hang the server
        if isinstance(view, SyncToAsync):
            return True
        view = getattr(view, "__wrapped__", None)
        if view is None:
            return False
    return False


def warm_up_httpx(port: int) -> None:
    """Make one call with each kind of httpx client to 127.0.0.1:``port`` (the fake
    upstream, which refuses it: the call itself is what counts)."""
    url = f"http://127.0.0.1:{port}/"
    with contextlib.suppress(httpx.HTTPError), httpx.Client() as client:
        client.get(url)

    async def call() -> None:
        with contextlib.suppress(httpx.HTTPError):
            async with httpx.AsyncClient() as client:
                await client.get(url)

    asyncio.run(call())


def collect_all() -> None:
    """Collect every generation's garbage, the part the worker froze at start-up too (a
    cycle through a frozen object is left alone by a plain collection), then freeze again:
    a full collection that comes due among requests stays short. Called between tests, where
    no probe waits."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def watch_loop_use() -> None:
    """From now on, note the empty loop turns and the ``time.sleep`` calls the learner's
    code asks for on a loop's thread, and the httpx clients it drops unclosed (reported at
    ``REPORTS_PATH``)."""
    _LoopUse.watch()
    _Clients.watch()


def tag_sync_calls_on_loop() -> None:
    """From now on, a sync httpx call on a thread running an event loop says so, and
    where it was made, in a header (the transport removes it again once sent)."""
    handle = httpx.HTTPTransport.handle_request

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return handle(self, request)  # a worker thread: the loop stays free
        site = site_of(sys._getframe(1), InsideReportMiddleware.code_roots)
        request.headers[SYNC_ON_LOOP_HEADER] = site_text(site) if site else "-"
        try:
            return handle(self, request)
        finally:
            request.headers.pop(SYNC_ON_LOOP_HEADER, None)

    httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]


# The SQL the request being served ran on the event loop's thread, with the line behind it.
_queries_on_loop: ContextVar[list[tuple[str, CodeSite | None]] | None] = ContextVar(
    "dojo_queries_on_loop", default=None
)


def use_database(path: str) -> None:
    """Serve with the database file at ``path``: the test process's test database, which
    it seeds and reads back while this process answers from it."""
    settings.DATABASES["default"]["NAME"] = path


class SharedFileCache(FileBasedCache):
    """Django's file cache, whose entries any user may read and write: a graded worker runs
    as a user of its own (``dojo.server.sandbox``), and shares the cache with the tests' process."""

    def _write_content(self, file: Any, timeout: Any, value: Any) -> None:
        super()._write_content(file, timeout, value)  # type: ignore[misc]
        os.fchmod(file.fileno(), 0o666)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        """Set ``key`` unless it is there, as one step, as Redis's and memcached's add are:
        of requests adding one key at once, one wins (Django's file cache looks, then
        writes, and lets two requests in served from two threads; a lock kept in the cache
        needs only one)."""
        if self.has_key(key, version):  # an expired entry's file goes here
            return False
        self._createdir()  # type: ignore[attr-defined]
        descriptor, written = tempfile.mkstemp(dir=self._dir)  # type: ignore[attr-defined]
        try:
            with open(descriptor, "wb") as file:
                self._write_content(file, timeout, value)
            os.link(written, self._key_to_file(key, version))  # type: ignore[attr-defined]
        except FileExistsError:
            return False
        finally:
            os.remove(written)
        return True


def share_cache(location: str) -> None:
    """Use the cache files at ``location`` as the default cache: the test process and the
    worker both do in server mode, so what a test clears, or the view keeps, is one cache,
    as Redis or memcached would be for a real site (a local-memory cache is per process)."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "dojo.server.serverside.SharedFileCache",
            "LOCATION": location,
        }
    }
    # The handler may have read the settings, and made a cache, already (as Django's own
    # clear_cache_handlers does when a test overrides CACHES).
    handler: Any = caches
    handler._settings = handler.settings = handler.configure_settings(None)
    handler._connections = Local()


def watch_queries() -> None:
    """From now on, a SQL query run on the event loop's thread is kept for the response of
    the request it ran for (see InsideReportMiddleware)."""
    from django.db.backends.signals import connection_created

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        found = _queries_on_loop.get()
        if found is not None and _on_loop():
            found.append((sql, site_of(sys._getframe(1), InsideReportMiddleware.code_roots)))
        return execute(sql, *args)

    def watch(sender: object, connection: Any, **kwargs: Any) -> None:
        connection.execute_wrappers.append(record)
        _Connections.opened(connection, sys._getframe(1))

    connection_created.connect(watch, weak=False, dispatch_uid="dojo.server.serverside.queries")
    request_started.connect(
        _Connections.request_thread, weak=False, dispatch_uid="dojo.server.serverside.requests"
    )


class _Connections:
    """Database connections opened in threads other than a request's own (whose
    connections Django closes when the request finishes): the house rule
    ``db_connection_left_open``, as in-process."""

    found: ClassVar[list[tuple[weakref.ref[Any], str, CodeSite | None]]] = []
    # Threads, not their ids: a thread that has ended leaves its id to the next one.
    request_threads: ClassVar[weakref.WeakSet[threading.Thread]] = weakref.WeakSet()

    @classmethod
    def request_thread(cls, **kwargs: Any) -> None:
        """Django sends request_started from the request's own thread."""
        cls.request_threads.add(threading.current_thread())

    @classmethod
    def opened(cls, connection: Any, frame: FrameType) -> None:
        thread = threading.current_thread()
        if (
            thread is threading.main_thread()
            or thread in cls.request_threads
            or _thread_sensitive(frame)
        ):
            return
        site = site_of(frame, InsideReportMiddleware.code_roots)
        cls.found.append((weakref.ref(connection), _current_request.get() or "", site))

    @classmethod
    def left_open(cls) -> list[dict[str, str]]:
        """The connections still open, each once: for which request, opened where."""
        left = [
            {"request": request, "site": site_text(site) if site else "-"}
            for ref, request, site in cls.found
            if (connection := ref()) is not None and connection.connection is not None
        ]
        cls.found.clear()
        return left


def _thread_sensitive(frame: FrameType | None) -> bool:
    """Whether this thread runs sync_to_async's thread-sensitive work (as the house rules
    tell a request's own thread in-process)."""
    while frame is not None:
        if frame.f_code.co_name == "thread_handler":
            owner = frame.f_locals.get("self")
            if isinstance(owner, SyncToAsync):
                return bool(getattr(owner, "_thread_sensitive", False))
        frame = frame.f_back
    return False


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _Tasks:
    """The tasks the learner's code started while requests were served."""

    started: ClassVar[list[tuple[weakref.ref[asyncio.Task[Any]], str, int, CodeSite]]] = []
    watched: ClassVar[set[asyncio.AbstractEventLoop]] = set()
    # The requests whose view is at work, by number: their tasks may still run.
    serving: ClassVar[set[int]] = set()
    # The requests not yet answered, by number (from when they came in): the work the
    # learner's middleware in front of the view started may still run.
    in_flight: ClassVar[set[int]] = set()
    # Every task noted (by request number, with its line) and how many, until the tests'
    # ``background_tasks`` starts afresh (``dojo.server.backgroundwork``).
    noted: ClassVar[weakref.WeakKeyDictionary[asyncio.Task[Any], tuple[int, CodeSite]]] = (
        weakref.WeakKeyDictionary()
    )
    count: ClassVar[int] = 0
    # Work the learner's code handed to a thread (run_in_executor, asyncio.to_thread).
    handed: ClassVar[list[tuple[weakref.ref[Any], str, int, CodeSite, str]]] = []
    # Tasks and thread work still running when their view returned: left behind the
    # response, however soon they ended (as reported by ``left_running``).
    outlived: ClassVar[list[tuple[weakref.ref[Any], dict[str, Any]]]] = []
    # What a view started (not a middleware around it, which awaits its own after the view).
    by_views: ClassVar[weakref.WeakSet[asyncio.Future[Any]]] = weakref.WeakSet()

    @classmethod
    def watch(cls, loop: asyncio.AbstractEventLoop) -> None:
        """Note the tasks the learner's code creates on ``loop`` from now on, and the work
        it hands to a thread."""
        if loop in cls.watched:
            return
        cls.watched.add(loop)
        previous = loop.get_task_factory()

        def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> Any:
            task = (
                previous(loop, coro, **kwargs)
                if previous
                else asyncio.Task(coro, loop=loop, **kwargs)
            )
            site = site_of(sys._getframe(1), InsideReportMiddleware.code_roots)
            if site is not None and isinstance(task, asyncio.Task) and not _ours(coro):
                request = _current_request.get() or ""
                cls.started.append((weakref.ref(task), request, _request_number.get(), site))
                if _in_view.get():
                    cls.by_views.add(task)
                cls.noted[task] = (_request_number.get(), site)
                cls.count += 1
            return task

        loop.set_task_factory(factory)
        hand = loop.run_in_executor

        def run_in_executor(executor: Any, func: Callable[..., Any], *args: Any) -> Any:
            future = hand(executor, func, *args)
            site = site_of(sys._getframe(1), InsideReportMiddleware.code_roots)
            if site is not None:
                what = f"work handed to a thread ({callable_name(func)})"
                number = _request_number.get()
                cls.handed.append(
                    (weakref.ref(future), _current_request.get() or "", number, site, what)
                )
                if _in_view.get():
                    cls.by_views.add(future)
            return future

        loop.run_in_executor = run_in_executor  # type: ignore[method-assign, assignment]

    @classmethod
    def view_returned(cls, number: int) -> None:
        """Request ``number``'s view has returned a response whose body is not streamed:
        what it started and neither awaited nor cancelled is left running behind it (a
        cache write handed to a task nobody awaits can end before the response is out)."""
        started = []
        for ref, request, task_number, site in cls.started:
            task = ref()
            ours = task_number == number and task is not None and task in cls.by_views
            if ours and task is not None and not task.done() and not task.cancelling():
                cls.outlived.append((ref, _task_report(task, request, site, AT_RETURN)))
                continue
            started.append((ref, request, task_number, site))
        cls.started[:] = started
        handed = []
        for future_ref, request, task_number, site, what in cls.handed:
            future = future_ref()
            ours = task_number == number and future is not None and future in cls.by_views
            if ours and future is not None and not future.done():
                cls.outlived.append((future_ref, _thread_report(what, request, site, AT_RETURN)))
                continue
            handed.append((future_ref, request, task_number, site, what))
        cls.handed[:] = handed

    @classmethod
    def left_running(cls) -> list[dict[str, Any]]:
        """The tasks still running once their request has answered, each once: what, for
        which request, started where. A request served meanwhile (the test's requests
        overlap) may still await its own: they are looked at again next time."""
        running: list[dict[str, Any]] = []
        for ref, report in cls.outlived:
            work = ref()
            still = work is not None and not work.done()
            running.append({**report, "when": AFTER_RESPONSE if still else AT_RETURN})
        cls.outlived.clear()
        later = []
        for ref, request, number, site in cls.started:
            task = ref()
            if task is None or task.done():
                continue
            if number in cls.in_flight:
                later.append((ref, request, number, site))
                continue
            running.append(_task_report(task, request, site, AFTER_RESPONSE))
        cls.started[:] = later
        handed_later = []
        for future_ref, request, number, site, what in cls.handed:
            future = future_ref()
            if future is None or future.done():
                continue
            if number in cls.in_flight:
                handed_later.append((future_ref, request, number, site, what))
                continue
            running.append(_thread_report(what, request, site, AFTER_RESPONSE))
        cls.handed[:] = handed_later
        return running


# When work left behind a response was seen running: still, or as its view returned.
AFTER_RESPONSE = "after the response had been sent"
AT_RETURN = "when the view returned"


def _task_report(
    task: asyncio.Task[Any], request: str, site: CodeSite, when: str
) -> dict[str, Any]:
    """A task left running, as ``left_running`` reports it: ``when`` it was seen running."""
    name = getattr(task.get_coro(), "__qualname__", None) or task.get_name()
    return {"what": f"{name}()", "request": request, "site": site_text(site), "when": when}


def _thread_report(what: str, request: str, site: CodeSite, when: str) -> dict[str, Any]:
    """Work handed to a thread and left running, as ``left_running`` reports it."""
    return {
        "what": what,
        "kind": "thread",
        "request": request,
        "site": site_text(site),
        "when": when,
    }


def _asked_by_learner(frame: FrameType | None) -> CodeSite | None:
    """The learner's line that asked for what the code at ``frame`` does, unless a
    library's code (httpx's, anyio's, the dojo's own plumbing) asked on its own account in
    between: a real socket's I/O takes loop turns (anyio's checkpoints) that the learner's
    ``await client.get(...)`` never asked for."""
    while frame is not None:
        filename = frame.f_code.co_filename
        site = learner_site_at(filename, frame.f_lineno, InsideReportMiddleware.code_roots)
        if site is not None:
            return site
        if _library(filename):
            return None
        frame = frame.f_back
    return None


@functools.cache
def _library(filename: str) -> bool:
    return "site-packages" in filename or Path(filename).is_relative_to(_DOJO)


class _LoopUse:
    """What the learner's code does on the loop's thread that no probe sees: the empty loop
    turns it asks for (``await asyncio.sleep(0)``, a wait under ``BUSY_SLEEP``), the mark of
    a busy wait, and ``time.sleep`` calls, each too short to hold a probe up for long (the
    house rules ``busy_loop`` and ``loop_held``, as in-process)."""

    # By request number: the request, when each turn was asked, and where.
    turns: ClassVar[dict[int, tuple[str, list[Turn], collections.Counter[CodeSite]]]] = {}
    # By request and line: how many sleeps, how long in all.
    sleeps: ClassVar[dict[tuple[str, CodeSite], list[float]]] = {}

    @classmethod
    def watch(cls) -> None:
        """Note, from now on, every short wait and every ``time.sleep`` on a loop's thread
        that the learner's code asks for."""
        asleep, call_at = short_wait_hooks(cls._turn)
        real_sleep = time.sleep

        @functools.wraps(real_sleep)
        def sleep(seconds: float) -> None:
            if _on_loop():
                site = site_of(sys._getframe(1), InsideReportMiddleware.code_roots)
                if site is not None:
                    noted = cls.sleeps.setdefault((_current_request.get() or "", site), [0, 0.0])
                    noted[0] += 1
                    noted[1] += seconds
            real_sleep(seconds)

        asyncio.sleep = asleep
        asyncio.BaseEventLoop.call_at = call_at  # type: ignore[method-assign, assignment]
        time.sleep = sleep  # type: ignore[assignment]

    @classmethod
    def _turn(cls, frame: FrameType) -> Turn | None:
        site = _asked_by_learner(frame)
        if site is None:
            return None
        number = _request_number.get()
        _, asked, sites = cls.turns.setdefault(
            number, (_current_request.get() or "", [], collections.Counter())
        )
        turn = Turn()
        asked.append(turn)
        sites[site] += 1
        return turn

    @classmethod
    def taken(cls) -> dict[str, list[dict[str, Any]]]:
        """The turns of the requests answered since last asked (each with its count, how
        long it spun unbroken, and the line that asked most), and the sleeps."""
        turns = []
        for number in [number for number in cls.turns if number not in _Tasks.in_flight]:
            request, asked, sites = cls.turns.pop(number)
            turns.append(
                {
                    "request": request,
                    "count": len(asked),
                    "spin": unbroken_spin(asked),
                    "waited": short_waits(asked),
                    "site": site_text(sites.most_common(1)[0][0]),
                }
            )
        sleeps = [
            {"request": request, "calls": int(calls), "seconds": seconds, "site": site_text(site)}
            for (request, site), (calls, seconds) in cls.sleeps.items()
        ]
        cls.sleeps.clear()
        return {"turns": turns, "sleeps": sleeps}


class _Clients:
    """The httpx clients the learner's code makes, and those it drops without closing them
    (the house rule ``client_left_open``, as ``dojo.harness.clients`` follows them
    in-process): an unclosed client keeps its connections open until collected."""

    # By id: kind, the request that made it, where, and whether it was closed since.
    made: ClassVar[dict[int, tuple[str, str, CodeSite, list[bool]]]] = {}
    dropped: ClassVar[list[dict[str, str]]] = []

    @classmethod
    def watch(cls) -> None:
        """Follow every httpx client made from now on."""
        async_init, aclose, aexit = (
            httpx.AsyncClient.__init__,
            httpx.AsyncClient.aclose,
            httpx.AsyncClient.__aexit__,
        )
        sync_init, close, enter, exit_ = (
            httpx.Client.__init__,
            httpx.Client.close,
            httpx.Client.__enter__,
            httpx.Client.__exit__,
        )

        def made_async(client: httpx.AsyncClient, *args: Any, **kwargs: Any) -> None:
            async_init(client, *args, **kwargs)
            cls._made(client, "httpx.AsyncClient", sys._getframe(1))

        async def aclosed(client: httpx.AsyncClient) -> None:
            cls._closed(client)
            await aclose(client)

        async def aexited(client: httpx.AsyncClient, *exc_info: Any) -> None:
            cls._closed(client)
            await aexit(client, *exc_info)

        def made_sync(client: httpx.Client, *args: Any, **kwargs: Any) -> None:
            sync_init(client, *args, **kwargs)
            cls._made(client, "httpx.Client", sys._getframe(1))

        def closed(client: httpx.Client) -> None:
            cls._closed(client)
            close(client)

        def entered(client: httpx.Client) -> httpx.Client:
            # A `with` block closes the client on every way out (as in-process).
            cls._closed(client)
            return enter(client)

        def exited(client: httpx.Client, *exc_info: Any) -> None:
            cls._closed(client)
            exit_(client, *exc_info)

        for owner, name, wrapper in (
            (httpx.AsyncClient, "__init__", made_async),
            (httpx.AsyncClient, "aclose", aclosed),
            (httpx.AsyncClient, "__aexit__", aexited),
            (httpx.Client, "__init__", made_sync),
            (httpx.Client, "close", closed),
            (httpx.Client, "__enter__", entered),
            (httpx.Client, "__exit__", exited),
        ):
            setattr(owner, name, wrapper)

    @classmethod
    def _made(cls, client: object, kind: str, frame: FrameType) -> None:
        site = site_of(frame, InsideReportMiddleware.code_roots)
        if site is not None:
            cls.made[id(client)] = (kind, _current_request.get() or "", site, [False])
            weakref.finalize(client, cls._gone, id(client))

    @classmethod
    def _closed(cls, client: object) -> None:
        if id(client) in cls.made:
            cls.made[id(client)][3][0] = True

    @classmethod
    def _gone(cls, key: int) -> None:
        kind, request, site, closed = cls.made.pop(key)
        if not closed[0]:
            cls.dropped.append({"kind": kind, "request": request, "site": site_text(site)})

    @classmethod
    def taken(cls) -> list[dict[str, str]]:
        """The clients dropped unclosed since last asked. One held in a reference cycle is
        found only once garbage is collected: at the end of a test (``?collect=1``), not
        after each request, where a collection would also take the background tasks that
        the tests' ``background_tasks`` collects at a moment of its choosing."""
        dropped = list(cls.dropped)
        cls.dropped.clear()
        return dropped


def _ours(coro: Any) -> bool:
    """Whether ``coro`` is the dojo's own (the served site's heartbeat, started by the first
    request through a chain a test rebuilt, with the kata's middleware above it)."""
    code = getattr(coro, "cr_code", None)
    return code is not None and Path(code.co_filename).is_relative_to(_DOJO)


_DOJO = Path(__file__).resolve().parent.parent


# The request being served (method and path), for what its tasks are reported under.
_current_request: ContextVar[str | None] = ContextVar("dojo_current_request", default=None)
_request_number: ContextVar[int] = ContextVar("dojo_request_number", default=0)
# Set while a view (and what runs between this middleware and it) serves the request.
_in_view: ContextVar[bool] = ContextVar("dojo_in_view", default=False)
_numbers = itertools.count(1)


class _Errors(logging.Filter):
    """Keeps the exception Django logs for a request's 500, by request."""

    caught: ClassVar[dict[int, BaseException]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and record.exc_info is not None and record.exc_info[1]:
            self.caught[id(request)] = record.exc_info[1]
            logged = _logged_errors.get()
            if logged is not None:
                logged.append(record.exc_info[1])
        return True


class _Logs(logging.Handler):
    """The records the site logged (the learner's loggers, Django's, asyncio's), for the
    test process to log again where its ``caplog`` sees them."""

    kept: ClassVar[collections.deque[dict[str, Any]]] = collections.deque(maxlen=LOGS_KEPT)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("uvicorn"):  # the server's own, which in-process has none
            return
        self.kept.append(
            {
                "name": record.name,
                "levelno": record.levelno,
                "levelname": record.levelname,
                "msg": record.getMessage(),
                "pathname": record.pathname,
                "filename": record.filename,
                "module": record.module,
                "lineno": record.lineno,
                "funcName": record.funcName,
                "created": record.created,
                "exc_text": self.format_exception(record),
            }
        )

    def format_exception(self, record: logging.LogRecord) -> str | None:
        if record.exc_info:
            return logging.Formatter().formatException(record.exc_info)
        return record.exc_text

    @classmethod
    def taken(cls) -> list[dict[str, Any]]:
        """The records kept since the last report, taken out."""
        records = list(cls.kept)
        cls.kept.clear()
        return records


class _Unawaited:
    """The coroutines of the learner's code Python found never awaited: (name, line)."""

    found: ClassVar[list[tuple[str, CodeSite]]] = []


def watch_errors() -> None:
    """From now on, the exceptions behind 500s, and the learner's coroutines never awaited,
    are kept for InsideReportMiddleware, and what the site logs for the reports."""
    logging.getLogger("django.request").addFilter(_Errors())
    # INFO and above, as a test's caplog.set_level(logging.INFO) would have them logged; the
    # test process logs each again only if its own loggers' levels let it through.
    root = logging.getLogger()
    root.addHandler(_Logs())
    root.setLevel(min(root.getEffectiveLevel(), logging.INFO))
    real_warn = getattr(warnings, "_warn_unawaited_coroutine", None)
    if real_warn is None:
        return
    sys.set_coroutine_origin_tracking_depth(ORIGIN_DEPTH)

    def warn_unawaited_coroutine(coro: Any) -> None:
        for filename, line, _ in getattr(coro, "cr_origin", None) or ():
            site = learner_site_at(filename, line, InsideReportMiddleware.code_roots)
            if site is not None:
                _Unawaited.found.append((getattr(coro, "__qualname__", "a coroutine"), site))
                break
        real_warn(coro)

    setattr(warnings, "_warn_unawaited_coroutine", warn_unawaited_coroutine)  # noqa: B010


class InsideReportMiddleware:
    """Stamps a 500 with its exception and the learner's line it was raised at."""

    async_capable = True
    sync_capable = False
    code_roots: tuple[Path, ...] = ()

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        monitor = monitor_for(asyncio.get_running_loop(), self.code_roots)
        _Tasks.watch(asyncio.get_running_loop())
        _current_request.set(f"{request.method} {request.get_full_path()}")
        number = _request_number.get()
        start = time.perf_counter()
        queries: list[tuple[str, CodeSite | None]] = []
        _queries_on_loop.set(queries)
        _Tasks.serving.add(number)
        inside = _in_view.set(True)
        try:
            response = await self.get_response(request)
        finally:
            _in_view.reset(inside)
            _Tasks.serving.discard(number)
        if not response.streaming:
            _Tasks.view_returned(number)
        end = time.perf_counter()
        runs = monitor.runs_between(start, end)
        since, sites = monitor._busy_since, monitor._sites
        if since is not None and sites:
            # The run that produced this response: the monitor records it once the loop
            # waits again, after the response is out.
            runs.append(Run(since, time.perf_counter(), sites, monitor._blocked))
        if runs:
            run = max(runs, key=lambda run: run.seconds)
            response[STALL_HEADER] = f"{run.seconds:.3f} {site_text(run.sites[0])}"
        # Waits in the kernel too short for a probe to wait on add up (the rule's test is
        # the tests' own: dojo.harness.houserules.held_in_slices). From the runs the
        # monitor keeps anyway: a loop watch of its own per request, sampled beside the
        # others, slowed nine requests at once enough to hold the loop itself.
        blocked = [run for run in runs if run.blocked]
        if blocked:
            longest = max(blocked, key=lambda run: run.seconds)
            response[HELD_HEADER] = (
                f"{sum(run.seconds for run in blocked):.3f} {end - start:.3f} {len(blocked)} "
                f"{longest.seconds:.3f} {site_text(longest.sites[0])}"
            )
        error = _Errors.caught.pop(id(request), None)
        if error is not None:
            first = str(error).strip().splitlines()
            response[ERROR_HEADER] = quote(f"{type(error).__name__}: {first[0] if first else ''}")
            site = _error_site(error, self.code_roots)
            if site is not None:
                response[ERROR_SITE_HEADER] = site_text(site)
            # The traceback held the frames, and a coroutine in them: it is let go of here.
            del error
        if _Unawaited.found:
            name, site = _Unawaited.found.pop(0)
            response[UNAWAITED_HEADER] = f"{quote(name)} {site_text(site)}"
        match = request.resolver_match
        if match is not None:
            view = describe_view(match.func)
            if view["wrapped"] or not view["async"]:
                kind = "wrapped" if view["wrapped"] else "sync"
                response[SYNC_VIEW_HEADER] = f"{kind} {quote(view['name'])}"
        if queries:
            sql, site = queries[0]
            where = site_text(site) if site is not None else "-"
            response[QUERIES_ON_LOOP_HEADER] = f"{len(queries)} {quote(sql)} {where}"
        return response


def _error_site(error: BaseException, code_roots: tuple[Path, ...]) -> CodeSite | None:
    """The innermost line of the learner's code in the exception's traceback (as
    ``dojo.harness.asgi.error_site``, without importing the test harness into the server)."""
    for frame, line in reversed(list(traceback.walk_tb(error.__traceback__))):
        site = learner_site_at(frame.f_code.co_filename, line, code_roots)
        if site is not None:
            return site
    return None


def site_text(site: CodeSite) -> str:
    """A line of code as one header value; ``read_site`` reads it back."""
    return quote(f"{site.file}\n{site.line}\n{site.source}")


def read_site(text: str) -> CodeSite | None:
    """The line of code ``site_text`` wrote, or None if ``text`` is not one."""
    parts = unquote(text).split("\n", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return CodeSite(parts[0], int(parts[1]), parts[2])


def report_where_stuck(code_roots: tuple[Path, ...]) -> None:
    """Answer ``STUCK_SIGNAL``: write where the learner's code is to
    ``stuck_report_path(os.getpid())`` (call from the main thread, the loop's)."""

    def report(signum: int, frame: FrameType | None) -> None:
        # Whatever goes wrong here must not raise into the code the signal interrupted.
        with contextlib.suppress(Exception):
            held, site = _where_stuck(asyncio.get_running_loop(), frame, code_roots)
            path = stuck_report_path(os.getpid())
            written = path.with_suffix(".part")
            written.write_text(
                f"{'held' if held else 'waiting'} {site_text(site) if site else '-'}"
            )
            written.replace(path)

    signal.signal(STUCK_SIGNAL, report)


def _where_stuck(
    loop: asyncio.AbstractEventLoop, frame: FrameType | None, code_roots: tuple[Path, ...]
) -> tuple[bool, CodeSite | None]:
    """Whether the learner's code holds the loop (caught at ``frame``, running for over
    ``HELD_FOR``), and its line; else the line a task of the learner's awaits at."""
    since = monitor_for(loop, code_roots)._busy_since
    sites = learner_sites(frame, code_roots)
    if sites and since is not None and time.perf_counter() - since > HELD_FOR:
        return True, sites[0]
    for task in asyncio.all_tasks(loop):
        awaiting = awaiting_sites(task, code_roots)
        if awaiting:
            return False, awaiting[0]
    return False, None


def stuck_report_path(pid: int) -> Path:
    """Where the worker ``pid`` writes where its view is stuck (``report_where_stuck``)."""
    return Path(tempfile.gettempdir()) / f"dojo-stuck-{pid}"


def read_stuck_report(path: Path) -> tuple[bool, CodeSite | None] | None:
    """What ``report_where_stuck`` wrote at ``path``: (held the loop, the learner's line)."""
    try:
        held, site = path.read_text().split(" ", 1)
    except (OSError, ValueError):
        return None
    return held == "held", read_site(site)
