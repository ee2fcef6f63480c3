"""What a kata's server process adds in server mode: a probe, and inside reports.

- ``with_probe(application)``: ``GET /__dojo__/probe`` is answered at once by the ASGI
  layer, on the server's event loop, without reaching Django or the kata. The test process
  sends probes while its requests are served; a probe that takes long is the loop held,
  measured from outside (see ``dojo.remote``).
- ``warm_up_httpx(port)``: the first call of an httpx client imports and builds what later
  calls reuse (a tenth of a second, on the loop); the worker pays it before it serves, as
  the in-process tests pay it before the view runs.
- ``tag_sync_calls_on_loop()``: a sync httpx call made on the event loop's thread carries
  ``SYNC_ON_LOOP_HEADER`` with the learner's line that made it, so the fake upstream can
  tell the tests, as the in-process fake knows by itself (an inside report: it can only
  add a failure, the loop held by a sync client).
- ``InsideReportMiddleware``: a 500 carries the exception behind it and the learner's line,
  and every response the longest time the learner's code held the loop while it was served
  and the line that held it (the loop watchdog of the tests, ``dojo.loopwatch``), and the
  coroutines the learner's code created and never awaited meanwhile, in response headers, so the test's messages read as in-process ones. These are reports from
  the process that runs the learner's code: they enrich a message, and never decide a pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
import traceback
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote

import httpx
from asgiref.sync import markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from dojo.loopwatch import CodeSite, Run, learner_site_at, monitor_for, site_of

PROBE_PATH = "/__dojo__/probe"
ERROR_HEADER = "X-Dojo-Error"
ERROR_SITE_HEADER = "X-Dojo-Error-Site"
STALL_HEADER = "X-Dojo-Stall"
UNAWAITED_HEADER = "X-Dojo-Unawaited"
SYNC_ON_LOOP_HEADER = "x-dojo-sync-on-loop"
# How many frames a coroutine remembers of where it was made (as the tests' house rules).
ORIGIN_DEPTH = 32
INSIDE_REPORT_MIDDLEWARE = "dojo.serverside.InsideReportMiddleware"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Application = Callable[[Scope, Receive, Send], Awaitable[None]]


def with_probe(application: Application) -> Application:
    """``application``, with ``PROBE_PATH`` answered on the loop before Django sees it."""

    async def probed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PROBE_PATH:
            headers = [(b"content-length", b"0")]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await application(scope, receive, send)

    return probed


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


class _Errors(logging.Filter):
    """Keeps the exception Django logs for a request's 500, by request."""

    caught: ClassVar[dict[int, BaseException]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and record.exc_info is not None and record.exc_info[1]:
            self.caught[id(request)] = record.exc_info[1]
        return True


class _Unawaited:
    """The coroutines of the learner's code Python found never awaited: (name, line)."""

    found: ClassVar[list[tuple[str, CodeSite]]] = []


def watch_errors() -> None:
    """From now on, the exceptions behind 500s, and the learner's coroutines never awaited,
    are kept for InsideReportMiddleware."""
    logging.getLogger("django.request").addFilter(_Errors())
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
        start = time.perf_counter()
        response = await self.get_response(request)
        runs = monitor.runs_between(start, time.perf_counter())
        since, sites = monitor._busy_since, monitor._sites
        if since is not None and sites:
            # The run that produced this response: the monitor records it once the loop
            # waits again, after the response is out.
            runs.append(Run(since, time.perf_counter(), sites, monitor._blocked))
        if runs:
            run = max(runs, key=lambda run: run.seconds)
            response[STALL_HEADER] = f"{run.seconds:.3f} {site_text(run.sites[0])}"
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
        return response


def _error_site(error: BaseException, code_roots: tuple[Path, ...]) -> CodeSite | None:
    """The innermost line of the learner's code in the exception's traceback (as
    ``dojo.asgi.error_site``, without importing the test harness into the server)."""
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
