"""How many of the server's threads are held waiting for async code, for ``make load``:
a sync-only middleware in front of an async view makes Django run it in a thread, and the
async rest of the chain back on the loop with ``async_to_sync``, so that thread waits, held,
for as long as the request lasts. Requests per second alone may not show it (threads are
cheap until they run out); this count does.

The middleware goes innermost, next to the view (``dojo.server.worker`` adds it before the site
is built), and stamps each response with ``X-Dojo-Threads-Held``: the threads blocked in
``async_to_sync`` as the view started, this request's own included.

In server mode, ``middleware_app`` puts ``HeldSitesMiddleware`` next to the view instead: it
stamps ``X-Dojo-Held-Sites`` with the learner's lines at which threads waited, to name them
in a failure the test process found from outside (``dojo.harness.heldthreads``).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path
from types import FrameType

from asgiref.sync import AsyncToSync, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from dojo.harness.loopwatch import CodeSite, site_of

THREADS_HEADER = "X-Dojo-Threads-Held"
THREADS_MIDDLEWARE = "dojo.server.sitethreads.HeldThreadsMiddleware"
# The frame of a thread that waits for a coroutine to finish on the event loop.
WAITING = "AsyncToSync.__call__"


def held_threads() -> int:
    """The threads of this process that wait, in ``async_to_sync``, for the event loop."""
    return sum(_waits(frame) for frame in sys._current_frames().values())


def _waits(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_qualname == WAITING:
            return True
        frame = frame.f_back
    return False


class HeldThreadsMiddleware:
    """Stamps each response with the threads held waiting for async code as the view began."""

    async_capable = True
    sync_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        held = held_threads()
        response = await self.get_response(request)
        response[THREADS_HEADER] = str(held)
        return response


HELD_SITES_HEADER = "X-Dojo-Held-Sites"
HELD_SITES_MIDDLEWARE = "dojo.server.sitethreads.HeldSitesMiddleware"


def held_sites(code_roots: tuple[Path, ...]) -> list[CodeSite]:
    """The learner's lines at which threads of this process wait for the event loop (in
    ``async_to_sync``, or on a future's result), one per thread that has one."""
    waits = {AsyncToSync.__call__.__code__, Future.result.__code__}
    sites = []
    for frame in sys._current_frames().values():
        top: FrameType | None = frame
        while top is not None and top.f_code not in waits:
            top = top.f_back
        if top is not None and (site := site_of(frame, code_roots)) is not None:
            sites.append(site)
    return sites


class HeldSitesMiddleware:
    """Next to the view, in server mode (``middleware_app``): stamps each response with the
    learner's lines at which threads waited for the loop as the view began. An inside
    report: it names the line in a failure the test process found from outside."""

    async_capable = True
    sync_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from dojo.server.serverside import InsideReportMiddleware, site_text

        sites = held_sites(InsideReportMiddleware.code_roots)
        response = await self.get_response(request)
        if sites:
            response[HELD_SITES_HEADER] = " ".join(site_text(site) for site in sites)
        return response
