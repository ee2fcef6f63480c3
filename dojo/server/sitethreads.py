"""How many of the server's threads are held waiting for async code, for ``make load``:
a sync-only middleware in front of an async view makes Django run it in a thread, and the
async rest of the chain back on the loop with ``async_to_sync``, so that thread waits, held,
for as long as the request lasts. Requests per second alone may not show it (threads are
cheap until they run out); this count does.

The middleware goes innermost, next to the view (``dojo.server.worker`` adds it before the site
is built), and stamps each response with ``X-Dojo-Threads-Held``: the threads blocked in
``async_to_sync`` as the view started, this request's own included.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from types import FrameType

from asgiref.sync import markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

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
