"""One kata's Django site, as ``make serve`` and ``make load`` run it under uvicorn.

The kata is served at the root of the site by its own URLconf, as in its tests, from the
learner's copy (``katas/``) or another folder laid out like it (``solutions/``; the same
finder as the tests' ``--target``). A middleware stamps each response with when the
request was inside the view (``X-Dojo-View: <start> <end>``, ``time.perf_counter`` of
this machine), so ``make load`` can draw whether requests were served one after another
or together, and with the longest time the event loop was blocked meanwhile
(``X-Dojo-Loop-Stall``, seconds), measured by a heartbeat task on the server's loop, as
the tests' loop watch does. With ``log``, it also prints one line per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from asgiref.sync import markcoroutinefunction
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase

from dojo.harness import targets

VIEW_TIMING_HEADER = "X-Dojo-View"
LOOP_STALL_HEADER = "X-Dojo-Loop-Stall"
HEARTBEAT = 0.005
# A heartbeat later than this counts as a stall; less is the machine being busy.
MIN_STALL = 0.02
TIMING_MIDDLEWARE = "dojo.server.kata_site.ViewTimingMiddleware"
# Where the timing middleware notes, on the request, when it entered the view.
VIEW_ENTERED = "_dojo_view_entered"

LOG_SETTING = "DOJO_LOG_REQUESTS"


class LoopHeartbeat:
    """A task that wakes every few milliseconds on the server's event loop and keeps the
    times it woke late: each is a stretch during which the loop ran nothing else."""

    def __init__(self) -> None:
        self.stalls: deque[tuple[float, float]] = deque(maxlen=10_000)  # (start, end)
        self._task: asyncio.Task[None] | None = None
        self._last_beat = time.perf_counter()

    def ensure_running(self) -> None:
        if self._task is None or self._task.done():
            # A beat is due now: if the request that starts the heartbeat holds the loop
            # before the task first runs, that first wait is its stall, and it counts.
            self._last_beat = time.perf_counter() - HEARTBEAT
            self._task = asyncio.get_running_loop().create_task(self._beat())

    def longest_between(self, start: float, end: float) -> float:
        """The longest stall that overlapped the interval from ``start`` to ``end``, counting
        the one in progress: code on the loop, like this, runs while the heartbeat waits."""
        stalls = [*self.stalls, (self._last_beat + HEARTBEAT, time.perf_counter())]
        return max(
            (
                stall_end - stall_start
                for stall_start, stall_end in stalls
                if stall_end > start and stall_start < end and stall_end - stall_start > MIN_STALL
            ),
            default=0.0,
        )

    async def _beat(self) -> None:
        while True:
            woke = time.perf_counter()
            if woke - self._last_beat - HEARTBEAT > MIN_STALL:
                self.stalls.append((self._last_beat + HEARTBEAT, woke))
            self._last_beat = woke
            await asyncio.sleep(HEARTBEAT)


class ViewTimingMiddleware:
    """Stamps each response with when its request was inside the view (async only)."""

    async_capable = True
    sync_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]) -> None:
        self.get_response = get_response
        self.log = bool(getattr(settings, LOG_SETTING, False))
        self.heartbeat = LoopHeartbeat()
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        self.heartbeat.ensure_running()
        arrived = time.perf_counter()
        response = await self.get_response(request)
        end = time.perf_counter()
        stall = self.heartbeat.longest_between(arrived, end)
        # A request that never reached the view (refused by a middleware) counts as an instant.
        start = getattr(request, VIEW_ENTERED, end)
        response[VIEW_TIMING_HEADER] = f"{start:.6f} {end:.6f}"
        response[LOOP_STALL_HEADER] = f"{stall:.3f}"
        if self.log:
            blocked = f"  (the event loop blocked {stall:.2f} s at once)" if stall else ""
            print(
                f"  {request.method} {request.get_full_path()}  {response.status_code}  "
                f"{end - start:.2f} s in the view{blocked}",
                file=sys.stderr,
                flush=True,
            )
        return response

    async def process_view(self, request: HttpRequest, *args: object) -> None:
        # The last middleware Django runs before the view: an earlier one's sync process_view
        # (CSRF's) runs in a worker thread, where the loop turns to other requests.
        setattr(request, VIEW_ENTERED, time.perf_counter())


def build_application(kata_name: str, target_dir: Path | None, *, log: bool = False) -> Any:
    """The ASGI application of kata ``kata_name`` (``08_blocking_sleep``), with its learner
    files from ``target_dir`` (None: the kata's own). Imports the kata's URLconf now, so a
    broken views.py stops the server at start with its traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kata_project.settings")
    if target_dir is not None:
        targets.install(target_dir)

    settings.ROOT_URLCONF = f"katas.{kata_name}.urls"
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, TIMING_MIDDLEWARE]
    settings.LOGGING = _server_logging()
    setattr(settings, LOG_SETTING, log)

    from django.core.asgi import get_asgi_application

    application = get_asgi_application()
    # Django may refuse a view as the URLconf builds it (a class-based view whose handlers
    # are not all sync or all async): a real server starts anyway and answers each request
    # 500 with Django's error, as the in-process site does. Only code that does not import
    # stops the server here.
    with contextlib.suppress(ImproperlyConfigured):
        importlib.import_module(settings.ROOT_URLCONF)
    return application


def _server_logging() -> dict[str, Any]:
    """A view's exception goes to stderr with its traceback: the terminal of ``make serve``,
    the log that ``make load`` quotes."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
        "loggers": {
            "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}
        },
    }
