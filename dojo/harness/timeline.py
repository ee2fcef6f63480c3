"""When each request was inside the view, and a text timeline that shows it at a glance.

The harness puts ``RequestTimelineMiddleware`` innermost in the middleware chain. It
records when each request enters and leaves the view, which is the signal that
does not depend on the machine's speed: requests served concurrently overlap there, and
requests that wait for each other (a blocked event loop) follow one another.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from asgiref.sync import markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

# W3C Trace Context, as a load balancer or a traced client stamps each request: the harness
# tells its requests apart by it, and nothing in it tells a test from production.
REQUEST_ID_HEADER = "traceparent"


def new_request_id() -> str:
    """A fresh trace context: version, trace id, parent span id, flags."""
    return f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01"


TIMELINE_WIDTH = 48

Row = tuple[str, float, float | None, str]


@dataclass
class Interval:
    """When one request entered and left the view."""

    start: float
    end: float | None = None


@dataclass
class RequestTimeline:
    """The intervals of the requests made while it is the current timeline."""

    intervals: dict[str, Interval] = field(default_factory=dict)
    # Called as each request leaves the view, in the request's own context, with the
    # response the view gave (None if it raised) and when the request entered the view.
    on_leave: Callable[[HttpResponseBase | None, float], None] | None = None

    def enter(self, request_id: str) -> None:
        self.intervals[request_id] = Interval(time.perf_counter())

    def leave(self, request_id: str) -> None:
        self.intervals[request_id].end = time.perf_counter()


current_timeline: ContextVar[RequestTimeline | None] = ContextVar(
    "dojo_request_timeline", default=None
)


class RequestTimelineMiddleware:
    """Records when each harness request is inside the view (async only, never adapted).

    The request enters the view at this middleware's ``process_view``, the last one Django
    runs before the view: a sync ``process_view`` of an earlier middleware (CSRF's) runs in
    a worker thread, where the loop turns to other requests, so the moment a request
    reached the middleware chain is not yet the view."""

    async_capable = True
    sync_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        timeline = current_timeline.get()
        request_id = request.headers.get(REQUEST_ID_HEADER)
        if timeline is None or request_id is None:
            return await self.get_response(request)
        response = None
        try:
            response = await self.get_response(request)
            return response
        finally:
            if request_id in timeline.intervals:
                timeline.leave(request_id)
                if timeline.on_leave is not None:
                    timeline.on_leave(response, timeline.intervals[request_id].start)

    async def process_view(self, request: HttpRequest, *args: object) -> None:
        timeline = current_timeline.get()
        request_id = request.headers.get(REQUEST_ID_HEADER)
        if timeline is not None and request_id is not None:
            timeline.enter(request_id)


def render_rows(title: str, rows: Sequence[Row], width: int = TIMELINE_WIDTH) -> str:
    """Draw one row per interval on a shared time axis: serial work makes a staircase,
    concurrent work makes a block."""
    if not rows:
        return f"{title}: none."
    origin = min(start for _, start, _, _ in rows)
    now = time.perf_counter()
    finish = max((end if end is not None else now) for _, _, end, _ in rows)
    span = max(finish - origin, 1e-6)
    label_width = max(len(label) for label, _, _, _ in rows)
    lines = [f"{title}, 0 to {span:.2f} s:"]
    for label, start, end, outcome in rows:
        # An instant at the very end still gets its one column.
        first = min(int((start - origin) / span * width), width - 1)
        last = int(((end if end is not None else now) - origin) / span * width)
        bar = "·" * first + "█" * max(1, last - first)
        bar = bar[:width].ljust(width, "·")
        shown_end = f"{end - origin:.2f}" if end is not None else "…"
        lines.append(
            f"  {label:<{label_width}}  {bar}  {start - origin:.2f}-{shown_end} s  {outcome}"
        )
    return "\n".join(lines)
