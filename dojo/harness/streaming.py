"""Read a response as a browser does: chunk by chunk, or walk away in the middle of it.

``dojo.harness.asgi`` collects a response's body at the end and never disconnects, and Django's
``AsyncClient`` can do neither (see FACTS.md). Two lessons need both:

- a streaming view is judged by *when* its chunks arrive: the first rows should reach the
  browser while the view is still producing the last ones;
- a view's lifecycle is judged by what it does when the client leaves: Django then cancels
  the view (the task running it gets ``CancelledError``), and the view should stop and
  clean up, not carry on for nobody.

The ``stream`` fixture drives the same ``ASGIHandler`` as ``app``, with its own ``receive``
and ``send``: it timestamps every body chunk as it arrives, can disconnect after a number of
seconds, after the first chunk or when a condition becomes true, and then watches when the
view leaves and whether the handler finishes. The event loop is watched meanwhile, as in a
burst, so a streaming view that blocks the loop between chunks is named.
"""

from __future__ import annotations

import asyncio
import time
import traceback
import warnings
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dojo.harness.asgi import App, http_scope
from dojo.harness.loopwatch import STALL_LIMIT, CodeSite, LoopWatch, Stall, code_site, stall_report
from dojo.harness.timeline import RequestTimeline, current_timeline, new_request_id, render_rows

if TYPE_CHECKING:
    from dojo.harness.remote import RemoteApp

# After the client leaves, how long the handler may take to finish before it is cancelled.
STOP_GRACE = 2.0
# A view that is still inside Django this long after the client left did not stop.
STOP_LIMIT = 0.3
# Without a disconnect, how long a response may take before the reader gives up.
READ_TIMEOUT = 5.0
# How often a disconnect condition is checked.
POLL = 0.005

Condition = Callable[[], bool]


@dataclass(frozen=True)
class Chunk:
    """One piece of the body, as the browser received it."""

    at: float
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class StreamReport:
    """One request read chunk by chunk: what arrived and when, and, when the client left,
    what the view did about it."""

    method: str
    path: str
    start: float
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[Chunk] = field(default_factory=list)
    end: float = 0.0
    exception: BaseException | None = None
    error_site: CodeSite | None = None
    stall: Stall | None = None
    django_warnings: list[str] = field(default_factory=list)
    view_entered_at: float | None = None
    view_left_at: float | None = None
    disconnected_at: float | None = None
    finished_at: float | None = None
    grace: float = STOP_GRACE
    sent_after_disconnect: int = 0

    # What arrived --------------------------------------------------------------------------

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def content(self) -> bytes:
        return b"".join(chunk.body for chunk in self.chunks)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    @property
    def first_chunk_at(self) -> float | None:
        return self.chunks[0].at if self.chunks else None

    @property
    def last_chunk_at(self) -> float | None:
        return self.chunks[-1].at if self.chunks else None

    def arrival_of(self, text: str) -> float | None:
        """When the chunk that completed the first occurrence of ``text`` arrived."""
        needle = text.encode()
        received = b""
        for chunk in self.chunks:
            received += chunk.body
            if needle in received:
                return chunk.at
        return None

    @property
    def longest_stall(self) -> float:
        return self.stall.seconds if self.stall else 0.0

    # What the view did when the client left -------------------------------------------------

    @property
    def handler_finished(self) -> bool:
        """Django was done with the request: the view, and any streaming of its response."""
        return self.finished_at is not None

    @property
    def stopped_after(self) -> float | None:
        """Seconds from the disconnect until Django was done with the request, streaming
        included (None: it was still running when the harness gave up on it)."""
        if self.disconnected_at is None or self.finished_at is None:
            return None
        return max(0.0, self.finished_at - self.disconnected_at)

    # Explaining ----------------------------------------------------------------------------

    def outcome(self) -> str:
        if self.exception is None:
            return str(self.status) if self.status else "no response"
        return f"{self.status or 'no response'} ({_one_line(self.exception)})"

    def explain(self) -> str:
        """What happened, for an assertion message: the status, the error and where."""
        lines = [f"{self.request_line} returned {self.outcome()}."]
        if self.error_site is not None:
            lines.append(f"The error was raised at {self.error_site}")
        elif self.exception is None and self.status not in (0, 200):
            lines.append(f"Body: {self.text[:300]!r}")
        return "\n".join(lines)

    def arrivals(self, limit: int = 8) -> str:
        """When each chunk reached the browser, counted from the request."""
        bodies = [chunk for chunk in self.chunks if chunk.body]
        if not bodies:
            return "No chunk of the body arrived."
        lines = [f"Chunks as the browser received them ({len(bodies)} in all):"]
        shown = bodies if len(bodies) <= limit else bodies[: limit - 2] + bodies[-2:]
        for index, chunk in enumerate(shown):
            if len(bodies) > limit and index == limit - 2:
                lines.append(f"  ... {len(bodies) - limit} more ...")
            lines.append(f"  at {chunk.at - self.start:5.2f} s  {chunk.text[:60]!r}")
        return "\n".join(lines)

    def warnings_note(self) -> str:
        """Django's own warnings during the request, if any: often the best hint."""
        if not self.django_warnings:
            return ""
        return "Django warned: " + "\n               ".join(dict.fromkeys(self.django_warnings))

    def stall_report(self) -> str:
        """Where the loop was blocked, if it was blocked for long."""
        return stall_report(self.stall)

    def timeline(self) -> str:
        """The view's time inside Django, the disconnect and the chunks, on one axis."""
        rows: list[tuple[str, float, float | None, str]] = []
        if self.view_entered_at is not None:
            done = "done" if self.finished_at is not None else "still running"
            rows.append(("view", self.view_entered_at, self.finished_at, done))
        if self.disconnected_at is not None:
            rows.append(("client left", self.disconnected_at, self.disconnected_at, ""))
        for index, chunk in enumerate(c for c in self.chunks if c.body):
            rows.append((f"chunk {index + 1}", chunk.at, chunk.at, f"{len(chunk.body)} bytes"))
        return render_rows(f"{self.request_line}", rows[:12])

    # Assertions ----------------------------------------------------------------------------

    def assert_status(self, expected: int, meaning: str = "") -> None:
        """Fail unless the response started with status ``expected``."""
        __tracebackhide__ = True
        if self.status != expected or self.exception is not None:
            wanted = f"{expected} ({meaning})" if meaning else str(expected)
            note = self.warnings_note()
            pytest.fail(
                f"{self.explain()}\nExpected {wanted}." + (f"\n{note}" if note else ""),
                pytrace=False,
            )

    def assert_loop_not_blocked(self, longer_than: float = STALL_LIMIT) -> None:
        """Fail if the event loop was blocked for more than ``longer_than`` seconds at once
        while the response was produced."""
        __tracebackhide__ = True
        if self.longest_stall <= longer_than:
            return
        pytest.fail(
            f"While {self.request_line} was streaming, the event loop went "
            f"{self.longest_stall:.2f} s without a free moment (expected never over "
            f"{longer_than:.2f} s).\n\n{self.stall_report()}\n\n{self.arrivals()}",
            pytrace=False,
        )

    def assert_view_stopped(self, within: float = STOP_LIMIT) -> None:
        """Fail unless the view left Django within ``within`` seconds of the client leaving."""
        __tracebackhide__ = True
        if self.disconnected_at is None:
            pytest.fail(
                f"{self.request_line} finished before the client could leave "
                f"({self.outcome()}): nothing to judge.",
                pytrace=False,
            )
        stopped = self.stopped_after
        if stopped is not None and stopped <= within:
            return
        if stopped is None:
            what = (
                f"the view was still running {self.grace:g} s after the client left, "
                "and went on even when it was cancelled again"
            )
        else:
            what = f"the view went on for {stopped:.2f} s after the client left"
        pytest.fail(
            f"The client of {self.request_line} left, but {what}.\n"
            f"Expected the view to stop within {within:g} s: when the client disconnects, "
            "Django cancels the view (CancelledError), and the view must let it through.\n\n"
            f"{self.timeline()}",
            pytrace=False,
        )


class Streamer:
    """Requests through the app's ASGIHandler, read chunk by chunk."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._counter = 0

    async def __call__(
        self,
        path: str,
        *,
        method: str = "GET",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        disconnect_after: float | None = None,
        disconnect_after_first_chunk: bool = False,
        disconnect_when: Condition | None = None,
        grace: float = STOP_GRACE,
        read_for: float = READ_TIMEOUT,
    ) -> StreamReport:
        """Send one request and read its response as it arrives.

        The client leaves ``disconnect_after`` seconds after sending it, after the first
        chunk of the body (``disconnect_after_first_chunk``), or as soon as
        ``disconnect_when()`` is true, whichever comes first; the handler then has ``grace``
        seconds to finish. Without a disconnect the client reads for at most ``read_for``
        seconds.
        """
        self._counter += 1
        request_id = new_request_id()
        report = StreamReport(method=method, path=path, start=time.perf_counter(), grace=grace)
        timeline = RequestTimeline()
        token = current_timeline.set(timeline)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                async with LoopWatch(self.app.code_roots) as watch:
                    await self._run(
                        report,
                        request_id,
                        body,
                        headers or {},
                        _Leave(disconnect_after, disconnect_after_first_chunk, disconnect_when),
                        grace,
                        read_for,
                    )
        finally:
            current_timeline.reset(token)
        report.end = time.perf_counter()
        report.stall = watch.longest
        report.django_warnings = [str(w.message) for w in caught if _from_django(w)]
        interval = timeline.intervals.get(request_id)
        if interval is not None:
            report.view_entered_at, report.view_left_at = interval.start, interval.end
        # A 500 answered by Django: the exception its log record carried (see dojo.harness.asgi).
        logged = self.app._errors.pop(request_id, None)
        if report.exception is None and logged is not None:
            report.exception = logged
        report.error_site = _error_site(report.exception, self.app.code_roots)
        return report

    async def _run(
        self,
        report: StreamReport,
        request_id: str,
        body: bytes,
        headers: dict[str, str],
        leave: _Leave,
        grace: float,
        read_for: float,
    ) -> None:
        gone = asyncio.Event()
        body_sent = False

        async def receive() -> dict[str, Any]:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        def disconnect() -> None:
            if not gone.is_set():
                report.disconnected_at = time.perf_counter()
                gone.set()

        async def send(message: Mapping[str, Any]) -> None:
            # Like a real server: what is sent after the client left goes nowhere.
            if gone.is_set():
                report.sent_after_disconnect += 1
                return
            if message["type"] == "http.response.start":
                report.status = message["status"]
                for key, value in message.get("headers", []):
                    report.headers[key.decode().lower()] = value.decode()
            elif message["type"] == "http.response.body":
                chunk = Chunk(time.perf_counter(), message.get("body", b""))
                report.chunks.append(chunk)
                if chunk.body and leave.after_first_chunk:
                    disconnect()

        scope = self._scope(
            method=report.method, path=report.path, headers=headers, request_id=request_id
        )
        handler = asyncio.ensure_future(self.app.handler(scope, receive, send))
        handler.add_done_callback(lambda _: setattr(report, "finished_at", time.perf_counter()))
        watcher = asyncio.ensure_future(leave.watch(disconnect, gone))
        try:
            await _wait_for_end(handler, gone, grace, read_for)
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
            if handler.done():
                if not handler.cancelled() and handler.exception() is not None:
                    report.exception = handler.exception()
            else:
                await _stop(handler)
                # It ended, if at all, because the harness cancelled it: not on its own.
                report.finished_at = None
            gone.set()  # the connection is closed either way: nothing more to receive

    def _scope(
        self, *, method: str, path: str, headers: dict[str, str], request_id: str
    ) -> dict[str, Any]:
        return http_scope(method, path, headers, request_id, client_port=50000 + self._counter)


@dataclass(frozen=True)
class _Leave:
    """When the client walks away."""

    after: float | None
    after_first_chunk: bool
    when: Condition | None

    async def watch(self, disconnect: Callable[[], None], gone: asyncio.Event) -> None:
        if self.after is None and self.when is None:
            return
        deadline = None if self.after is None else time.perf_counter() + self.after
        while not gone.is_set():
            if deadline is not None and time.perf_counter() >= deadline:
                break
            if self.when is not None and self.when():
                break
            await asyncio.sleep(POLL)
        disconnect()


async def _wait_for_end(
    handler: asyncio.Future[Any], gone: asyncio.Event, grace: float, read_for: float
) -> None:
    """Wait for the handler: up to ``read_for`` while the client reads, and at most ``grace``
    more once the client has left."""
    reading = asyncio.ensure_future(gone.wait())
    try:
        await asyncio.wait(
            {handler, reading}, timeout=read_for, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        reading.cancel()
    if not handler.done() and gone.is_set():
        await asyncio.wait({handler}, timeout=grace)


async def _stop(handler: asyncio.Future[Any]) -> None:
    """Cancel a handler that outlived its test's patience, again and again if the view
    swallows the cancellation, for at most a second; then leave it."""
    deadline = time.perf_counter() + 1.0
    while not handler.done() and time.perf_counter() < deadline:
        handler.cancel()
        await asyncio.wait({handler}, timeout=0.05)
    if handler.done() and not handler.cancelled():
        handler.exception()  # retrieved, so asyncio does not log it as never retrieved


def _from_django(message: warnings.WarningMessage) -> bool:
    return "django" in Path(message.filename).parts or "StreamingHttpResponse" in str(
        message.message
    )


def _error_site(exception: BaseException | None, code_roots: tuple[Path, ...]) -> CodeSite | None:
    if exception is None:
        return None
    for frame, line in reversed(list(traceback.walk_tb(exception.__traceback__))):
        path = Path(frame.f_code.co_filename)
        for root in code_roots:
            if path.is_relative_to(root):
                return code_site(path, line, root.parent)
    return None


def _one_line(exception: BaseException) -> str:
    message = str(exception).strip().splitlines()
    return f"{type(exception).__name__}: {message[0]}" if message else type(exception).__name__


@pytest.fixture
def stream(app: App | RemoteApp) -> Callable[..., Awaitable[StreamReport]]:
    """Read a response chunk by chunk, or leave in the middle: ``report = await
    stream("/export/")``, ``await stream("/jobs/", disconnect_after=0.3)`` or
    ``disconnect_after_first_chunk=True`` or ``disconnect_when=lambda: ...``; the report has
    each chunk's arrival time, the loop's longest stall, and when the view stopped."""
    if isinstance(app, App):
        return Streamer(app)
    # Server mode: over a real socket to the served kata (imported here: it builds on this).
    from dojo.harness.remotestream import RemoteStreamer

    return RemoteStreamer(app)
