"""What a kata's server process adds for the tests' ``background_tasks``, in server mode.

In-process, the fixture sees the tasks the learner's code starts in its own memory. Served,
those tasks live in the worker; ``POST /__dojo__/background`` (``serverside.BACKGROUND_PATH``)
tells the test process about them, and lets it test whether the app holds them:

- ``{"do": "look"}``: how many tasks the learner's code started in this test, and the ones
  still pending, each with its coroutine, the line that created it and the line it waits at;
- ``{"do": "park"}``: from now on, an httpx call made by such a task once the request that
  started it has answered waits before it goes out, on a future nothing but the task itself
  refers to (``parked_calls``). A task waiting on a socket is reachable from the event
  loop's selector, whatever the app does; a parked one is held by what the app holds it
  with, and by nothing else;
- ``{"do": "collect"}``: collect garbage, let the parked calls that are still there go,
  and stop parking. A task nothing held was collected with its call, which never reaches
  the fake upstream: the test process sees that itself, in the fake's log;
- ``{"do": "end"}`` (every served test ends so, from its ``app``): let parked calls go,
  stop parking, cancel the tasks still pending and forget them, as the in-process mode's
  event loop, which ends with its test, does.

Every answer is an inside report (the process runs the learner's code): the tests use it
to know when to look, and to name tasks and lines; their verdicts rest on what the fake
upstream saw.
"""

from __future__ import annotations

import asyncio
import functools
import json
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

import httpx

from dojo.harness.loopwatch import awaiting_sites
from dojo.server.serverside import InsideReportMiddleware, _Tasks, collect_all, site_text


class _Parking:
    """Calls of background tasks held back until the test collects garbage."""

    on: ClassVar[bool] = False
    # Weakly: a parked call is held by its task alone, so a task nobody holds goes with it.
    parked: ClassVar[weakref.WeakKeyDictionary[asyncio.Future[None], str]] = (
        weakref.WeakKeyDictionary()
    )

    @classmethod
    def applies(cls) -> bool:
        """Whether the running task is the learner's, and its request has answered."""
        if not cls.on:
            return False
        task = asyncio.current_task()
        started = _Tasks.noted.get(task) if task is not None else None
        return started is not None and started[0] not in _Tasks.serving

    @classmethod
    async def wait(cls) -> None:
        task = asyncio.current_task()
        assert task is not None
        future = asyncio.get_running_loop().create_future()
        cls.parked[future] = task.get_name()
        del task
        await future

    @classmethod
    def release(cls) -> None:
        cls.on = False
        for future in list(cls.parked):
            if not future.done():
                future.set_result(None)
        cls.parked.clear()


def parked_calls() -> None:
    """From now on, the async httpx calls of background tasks wait while the test parks
    them (install after the redirect to the fake upstream)."""
    handle = httpx.AsyncHTTPTransport.handle_async_request
    httpx.AsyncHTTPTransport.handle_async_request = _parking(handle)  # type: ignore[method-assign,assignment]


def _parking(
    handle: Callable[[Any, httpx.Request], Coroutine[Any, Any, httpx.Response]],
) -> Callable[[Any, httpx.Request], Coroutine[Any, Any, httpx.Response]]:
    @functools.wraps(handle)
    async def handle_async_request(self: Any, request: httpx.Request) -> httpx.Response:
        if _Parking.applies():
            await _Parking.wait()
        return await handle(self, request)

    return handle_async_request


def answer(body: bytes) -> tuple[int, dict[str, Any]]:
    """The answer to a post at ``serverside.BACKGROUND_PATH``: (status, JSON)."""
    try:
        do = json.loads(body or b"{}").get("do")
    except (ValueError, AttributeError):
        do = None
    extra: dict[str, Any] = {}
    if do == "park":
        _Parking.on = True
    elif do == "collect":
        extra = _collect()
    elif do == "end":
        _Parking.release()
        for task in list(_Tasks.noted):
            task.cancel()
        _Tasks.noted.clear()
        _Tasks.count = 0
    elif do != "look":
        return 400, {"error": f"unknown request {do!r}"}
    return 200, {**_look(), **extra}


def _collect() -> dict[str, Any]:
    # Names by id only: a reference kept here would hold the very tasks being collected.
    before = {id(future): name for future, name in _Parking.parked.items()}
    collect_all()
    after = {id(future) for future in _Parking.parked}
    _Parking.release()
    return {
        "parked": list(before.values()),
        "collected": [name for key, name in before.items() if key not in after],
    }


def _look() -> dict[str, Any]:
    pending = [task for task in list(_Tasks.noted) if not task.done()]
    return {
        "started": _Tasks.count,
        "pending": [_describe(task) for task in pending],
        "parked": len(_Parking.parked),
    }


def _describe(task: asyncio.Task[Any]) -> dict[str, Any]:
    coro = task.get_coro()
    waiting = awaiting_sites(task, InsideReportMiddleware.code_roots)
    return {
        "name": task.get_name(),
        "what": f"{getattr(coro, '__qualname__', None) or task.get_name()}()",
        "created_at": site_text(_Tasks.noted[task][1]),
        "waiting_at": site_text(waiting[0]) if waiting else None,
    }
