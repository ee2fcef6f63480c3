"""What the worker knows of a request the test reads as a stream (the ``stream`` fixture).

In server mode the test reads a streamed response over a real socket and leaves by closing
it; uvicorn then tells Django (``http.disconnect``), and Django cancels the view. Whether
the view stopped, when, and whether it still sent something afterwards is known only in
this process, so ``watched(application)`` keeps, for each request, keyed by the client's
port (nothing in the request marks it as a test's):

- when the application began and finished serving it;
- when the application heard that the client had gone, and how many messages it sent
  after that (uvicorn drops them; a real server does the same);
- the exception that escaped it (a stream cut off by an error), and the learner's line;
- the longest the learner's code held the loop meanwhile, and where;
- Django's warnings while it served it (``StreamingHttpResponse`` over a sync iterator).

``GET /__dojo__/stream?port=N&until=T`` answers that report as JSON once the request is
done, or at ``T`` (the test's ``perf_counter``, the same clock system-wide): a view still
running then is cancelled, again and again for up to a second, as the in-process harness
stops one that outlived the test's patience (``dojo.harness.streaming``), and reported
unfinished. These are inside reports: the test process may use them to explain, or to add
a failure, never to pass a test (``dojo.harness.remotestream``).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import time
import warnings
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import parse_qs

from dojo.harness.loopwatch import monitor_for
from dojo.server.serverside import (
    Application,
    InsideReportMiddleware,
    Receive,
    Scope,
    Send,
    _answer,
    _error_site,
    site_text,
)

STREAM_PATH = "/__dojo__/stream"
# The requests remembered: a test asks for its own right after reading it.
KEPT = 64
# How long to wait for a request the client sent but the server may not have read yet.
ARRIVAL_WAIT = 1.0
# How long a view that swallows its cancellation is cancelled again before it is left.
STOP_TRIES_FOR = 1.0
STOP_POLL = 0.05


@dataclass
class _Served:
    """One request, as this process served it."""

    started: float
    task: asyncio.Task[Any] | None
    finished: float | None = None
    heard_gone_at: float | None = None
    sent_after_gone: int = 0
    error: str | None = None
    error_site: str | None = None
    stopped_by_harness: bool = False
    warnings: list[str] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def report(self) -> dict[str, Any]:
        monitor = monitor_for(asyncio.get_running_loop(), InsideReportMiddleware.code_roots)
        runs = monitor.runs_between(self.started, self.finished or time.perf_counter())
        stall = max(runs, key=lambda run: run.seconds) if runs else None
        return {
            "started": self.started,
            "finished": None if self.stopped_by_harness else self.finished,
            "heard_gone_at": self.heard_gone_at,
            "sent_after_gone": self.sent_after_gone,
            "error": self.error,
            "error_site": self.error_site,
            "stall": [stall.seconds, site_text(stall.sites[0])] if stall else None,
            "warnings": self.warnings,
        }


_served: collections.OrderedDict[int, _Served] = collections.OrderedDict()
# Set and cleared as each request arrives: wakes a report waiting for its request.
_arrival = asyncio.Event()
_warnings_of: ContextVar[list[str] | None] = ContextVar("dojo_stream_warnings", default=None)


def watched(application: Application) -> Application:
    """``application``, keeping what ``STREAM_PATH`` reports of every request it serves."""

    async def watching(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("client"):
            await application(scope, receive, send)
            return
        if scope["path"] == STREAM_PATH:
            query = parse_qs(scope.get("query_string", b"").decode())
            answer = await _report(int(query["port"][0]), float(query["until"][0]))
            await _answer(send, 200 if answer else 404, json.dumps(answer).encode())
            return
        if scope["path"].startswith("/__dojo__/"):
            await application(scope, receive, send)
            return
        await _serve(application, scope, receive, send)

    return watching


async def _serve(application: Application, scope: Scope, receive: Receive, send: Send) -> None:
    served = _Served(time.perf_counter(), asyncio.current_task())
    port = int(scope["client"][1])
    _served[port] = served
    _served.move_to_end(port)
    while len(_served) > KEPT:
        _served.popitem(last=False)
    _arrival.set()
    _arrival.clear()

    async def receiving() -> Any:
        message = await receive()
        if message["type"] == "http.disconnect" and served.heard_gone_at is None:
            served.heard_gone_at = time.perf_counter()
        return message

    async def sending(message: Any) -> None:
        if served.heard_gone_at is not None:
            served.sent_after_gone += 1
        await send(message)

    token = _warnings_of.set(served.warnings)
    try:
        await application(scope, receiving, sending)
    except asyncio.CancelledError:
        if not served.stopped_by_harness:
            raise
        # Stopped here after the test's patience ran out: uvicorn need not hear of it.
    except BaseException as error:
        first = str(error).strip().splitlines()
        served.error = f"{type(error).__name__}: {first[0] if first else ''}"
        site = _error_site(error, InsideReportMiddleware.code_roots)
        served.error_site = site_text(site) if site is not None else None
        raise
    finally:
        _warnings_of.reset(token)
        served.finished = time.perf_counter()
        served.done.set()


async def _report(port: int, until: float) -> dict[str, Any] | None:
    """The report of the request from ``port``, once it is done or ``until`` has passed
    (then stopped, as far as it lets itself be)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(ARRIVAL_WAIT):
            while port not in _served:
                await _arrival.wait()
    served = _served.get(port)
    if served is None:
        return None
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(served.done.wait(), max(0.0, until - time.perf_counter()))
    if not served.done.is_set() and served.task is not None:
        served.stopped_by_harness = True
        deadline = time.perf_counter() + STOP_TRIES_FOR
        while not served.done.is_set() and time.perf_counter() < deadline:
            served.task.cancel()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(served.done.wait(), STOP_POLL)
    return served.report()


def keep_warnings() -> None:
    """From now on, Django's warnings are shown every time (not once per line), and each
    is kept for the request that caused it."""
    warnings.filterwarnings("always", module=r"django(\.|$)")
    show = warnings.showwarning

    def showwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        kept = _warnings_of.get()
        if kept is not None:
            kept.append(str(message))
        show(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning
