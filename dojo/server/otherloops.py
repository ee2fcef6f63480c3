"""Requests served on event loops of their own, as sync code runs async code.

A server runs one event loop for its whole life, so a lock or a client made at import time
never meets a second loop there. Sync code meets many: each ``async_to_sync`` call from a
management command, a Celery task or the next test runs the view on a new loop, and a
long-lived worker thread runs one loop after another. In server mode a request the test
process sends from an event loop other than its test's own says which one in
``LOOP_HEADER`` (``<thread>/<loop>``, numbers the test process gives), and the worker serves
it the same way: on a loop of its own, in a thread of its own, one loop per test loop and
one thread per test thread, each thread running its loops one after the other and closing
each before the next starts. The requests of one test loop all meet on the worker's
mirror of it, so the learner's loop-bound objects meet a second and a third loop in the
worker, and the test sees what they do there from outside: a 500, calls that no longer
take turns, one connection used from two loops.

``POST /__dojo__/loops`` ends every such loop and thread (the test process asks when a
test that used them ends).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from typing import Any, ClassVar

LOOP_HEADER = b"x-dojo-event-loop"
LOOPS_PATH = "/__dojo__/loops"
# How long a loop that has served its requests may take to finish what they left running.
WIND_DOWN_SECONDS = 1.0

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Application = Callable[[Scope, Receive, Send], Awaitable[None]]


def loop_asked(scope: Scope) -> tuple[str, str] | None:
    """The (thread, loop) a request asks to be served on, if it asks for one."""
    for name, value in scope.get("headers", ()):
        if name == LOOP_HEADER:
            thread, _, loop = value.decode("latin-1").partition("/")
            return (thread, loop) if thread and loop else None
    return None


class _Thread:
    """A thread that runs event loops one after the other, as a sync worker thread does."""

    def __init__(self) -> None:
        self.loops: list[asyncio.AbstractEventLoop] = []
        self._next: list[asyncio.AbstractEventLoop | None] = []
        self._ready = threading.Condition()
        self.thread = threading.Thread(target=self._run, daemon=True, name="dojo-other-loop")
        self.thread.start()

    def start_loop(self) -> asyncio.AbstractEventLoop:
        """A new loop, run once the one before it has ended."""
        loop = asyncio.new_event_loop()
        with self._ready:
            self._next.append(loop)
            self._ready.notify()
        return loop

    def end(self) -> None:
        """End the running loop and the thread, after what the loops still run."""
        with self._ready:
            self._next.append(None)
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._next:
                    self._ready.wait()
                loop = self._next.pop(0)
            if loop is None:
                return
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._serve_until_the_next(loop))
                with contextlib.suppress(Exception):
                    loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    async def _serve_until_the_next(self, loop: asyncio.AbstractEventLoop) -> None:
        """Serve until another loop (or the end) is asked for, then let the requests'
        leftovers finish, as ``asyncio.run`` does before it closes its loop."""
        while True:
            with self._ready:
                if self._next:
                    break
            await asyncio.sleep(0.01)
        me = asyncio.current_task()
        left = [task for task in asyncio.all_tasks(loop) if task is not me]
        if left:
            await asyncio.wait(left, timeout=WIND_DOWN_SECONDS)
            for task in left:
                task.cancel()


class OtherLoops:
    """The worker's mirrors of the test process's other loops, by thread and loop."""

    threads: ClassVar[dict[str, _Thread]] = {}
    current: ClassVar[dict[str, tuple[str, asyncio.AbstractEventLoop]]] = {}

    @classmethod
    def loop_for(cls, thread: str, loop: str) -> asyncio.AbstractEventLoop:
        runner = cls.threads.get(thread)
        if runner is None:
            runner = cls.threads[thread] = _Thread()
        now = cls.current.get(thread)
        if now is None or now[0] != loop:
            cls.current[thread] = (loop, runner.start_loop())
        return cls.current[thread][1]

    @classmethod
    def end_all(cls) -> None:
        """End every loop and thread (their requests have all been answered)."""
        for runner in cls.threads.values():
            runner.end()
        for runner in cls.threads.values():
            runner.thread.join(WIND_DOWN_SECONDS * 2)
        cls.threads.clear()
        cls.current.clear()


async def serve_on(
    application: Application,
    scope: Scope,
    receive: Receive,
    send: Send,
    asked: tuple[str, str],
) -> None:
    """Serve the request with ``application`` on the loop ``asked`` for; the server's own
    loop only carries its messages."""
    home = asyncio.get_running_loop()
    loop = OtherLoops.loop_for(*asked)

    def carried[T](step: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., Awaitable[T]]:
        async def on_home_loop(*args: Any) -> T:
            future = asyncio.run_coroutine_threadsafe(step(*args), home)
            return await asyncio.wrap_future(future)

        return on_home_loop

    async def receive_home() -> MutableMapping[str, Any]:
        return await receive()

    async def send_home(message: MutableMapping[str, Any]) -> None:
        await send(message)

    async def serve() -> None:
        await application(scope, carried(receive_home), carried(send_home))

    await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(serve(), loop))
