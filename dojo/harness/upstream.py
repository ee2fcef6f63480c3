"""A fake of the upstream HTTP services a kata's view calls, below httpx's connection pool.

The view's httpx clients are real, pools and all: the fake takes their connections at the
network layer (see ``dojo.harness.fakenet``), so ``httpx.Limits``, pool timeouts and keep-alive
behave as in production. Latency behaves like a network for both kinds of client: on an
``httpx.AsyncClient`` a call awaits its latency without blocking the event loop; on a sync
``httpx.Client`` (or ``httpx.get``) it blocks the calling thread, so a sync client on the
loop's thread stalls the loop and one inside ``asyncio.to_thread`` does not.

Every call is recorded with its start and end, so a test can ask how many calls were in
flight at once. Routes can answer with per-call payloads, error statuses, realistic
failures (``breaks``, see ``dojo.harness.failures``), hangs, or 429 above a concurrency cap.

A call honours the client's read timeout (``httpx.AsyncClient(timeout=1.0)``): when the
route's latency, or a hang, would outlast it, the call fails with ``httpx.ReadTimeout``
after that long, as it would on a network.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import httpx
import pytest

from dojo.harness.failures import Failure, failure_named
from dojo.harness.fakenet import fake_network
from dojo.harness.loopwatch import CodeSite

# The real sleeps, whatever a test patches later (the house rules watch the learner's): a
# call's wait is the network's.
_block = time.sleep
_wait = asyncio.sleep

DEFAULT_LATENCY = 0.2
# How long a call that fails (see dojo.harness.failures) takes, at most.
FAILURE_LATENCY = 0.02
# A sync call that "hangs" blocks its thread at most this long, so no test leaves a
# thread behind; async hangs wait until cancelled.
SYNC_HANG_LIMIT = 30.0

Payload = Any
Reply = Callable[[httpx.Request], Payload]
Answer = Callable[[httpx.Request], httpx.Response]
Latency = float | Callable[[httpx.Request], float]


@dataclass
class UpstreamCall:
    """One request the view made to the fake upstream."""

    route: str
    method: str
    url: str
    start: float
    end: float | None = None
    blocking: bool = False
    status: int | None = None
    failure: Failure | None = None
    thread: int = 0
    cancelled: bool = False
    caller: CodeSite | None = None

    @property
    def finished(self) -> bool:
        return self.end is not None


@dataclass
class _Script:
    """What a route answers: a queue of one-off answers, then its standing answer."""

    reply: Reply
    status: int = 200
    once: list[Answer | Failure] = field(default_factory=list)


class FakeRoute:
    """One upstream endpoint: what it answers, how slowly, and the calls it received."""

    def __init__(
        self,
        upstream: Upstream,
        name: str,
        method: str,
        url: str,
        json: Payload | Reply,
        status: int,
        latency: Latency,
    ) -> None:
        self.upstream = upstream
        self.name = name
        self.method = method
        self.url = url
        self.latency = latency
        self.max_in_flight: int | None = None
        self._script = _Script(reply=_as_reply(json), status=status)
        self._failure: Failure | None = None
        self._hang = False

    # Configuring answers -----------------------------------------------------------------

    def returns(self, json: Payload | Reply, status: int = 200) -> FakeRoute:
        """Answer every later call with ``json`` (a value, or a function of the request)."""
        self._script = _Script(reply=_as_reply(json), status=status, once=self._script.once)
        self._failure = None
        return self

    def then_returns(self, *payloads: Payload) -> FakeRoute:
        """Answer the next calls with these payloads, one each, before the standing answer."""
        for payload in payloads:
            self._script.once.append(functools.partial(_json_response, payload=payload))
        return self

    def fails(self, status: int = 503, times: int | None = None) -> FakeRoute:
        """Answer with an error status: ``times`` calls, or every call when ``times`` is None."""
        if times is None:
            self._script = _Script(reply=_error_payload(status), status=status)
            self._failure = None
            return self
        for _ in range(times):
            self._script.once.append(
                lambda request: _json_response(request, _error_payload(status)(request), status)
            )
        return self

    def breaks(self, failure: Failure | str, times: int | None = None) -> FakeRoute:
        """Fail the way ``failure`` says (one of ``FAILURES``, or its name): ``times``
        calls, or every call when ``times`` is None."""
        failure = failure if isinstance(failure, Failure) else failure_named(failure)
        if times is None:
            self._script = _Script(reply=self._script.reply, status=self._script.status)
            self._failure = failure
            return self
        self._script.once.extend(failure for _ in range(times))
        return self

    def raises(self, error: type[httpx.TransportError] = httpx.ConnectError) -> FakeRoute:
        """Fail every call at the transport level, like a refused connection."""

        def reply(request: httpx.Request) -> Payload:
            raise error(f"{self.name} is unreachable (dojo upstream fake)", request=request)

        self._script = _Script(reply=reply)
        self._failure = None
        return self

    def hangs(self) -> FakeRoute:
        """Never answer: an async call waits until cancelled, a sync call blocks its thread
        (either one until the client's read timeout, if it set one)."""
        self._hang = True
        return self

    def limit(self, max_in_flight: int) -> FakeRoute:
        """Answer 429 Too Many Requests to any call above ``max_in_flight`` at once."""
        self.max_in_flight = max_in_flight
        return self

    # What happened -----------------------------------------------------------------------

    @property
    def calls(self) -> list[UpstreamCall]:
        return [call for call in self.upstream.calls if call.route == self.name]

    @property
    def call_count(self) -> int:
        return len(self.calls)

    @property
    def peak_in_flight(self) -> int:
        return peak_overlap((call.start, call.end) for call in self.calls)

    # Serving a call ----------------------------------------------------------------------

    def _serve_sync(self, request: httpx.Request, read_timeout: float | None) -> httpx.Response:
        call, limited = self.upstream._begin(self, request, blocking=True)
        try:
            delay, answer = self._plan(call, limited, request)
            if (self._hang and answer is None) or _waits_for_ever(call, read_timeout):
                self.upstream._released.wait(min(SYNC_HANG_LIMIT, read_timeout or SYNC_HANG_LIMIT))
                raise httpx.ReadTimeout("the upstream never answered", request=request)
            if read_timeout is not None and delay > read_timeout:
                _block(read_timeout)
                raise _timed_out(request, read_timeout)
            _block(delay)
            return self._respond(call, request, answer)
        finally:
            self.upstream._end(call)

    async def _serve_async(
        self, request: httpx.Request, read_timeout: float | None
    ) -> httpx.Response:
        call, limited = self.upstream._begin(self, request, blocking=False)
        try:
            delay, answer = self._plan(call, limited, request)
            if (self._hang and answer is None and read_timeout is None) or _waits_for_ever(
                call, read_timeout
            ):
                await asyncio.Event().wait()
            if read_timeout is not None and (
                (self._hang and answer is None) or delay > read_timeout
            ):
                await _wait(read_timeout)
                raise _timed_out(request, read_timeout)
            await _wait(delay)
            return self._respond(call, request, answer)
        except asyncio.CancelledError:
            call.cancelled = True  # the caller gave up waiting: cancelled, or its client left
            raise
        finally:
            self.upstream._end(call)

    def _plan(
        self, call: UpstreamCall, limited: bool, request: httpx.Request
    ) -> tuple[float, Answer | None]:
        """How long the next call takes and what it answers (None: the standing answer)."""
        latency = self.latency(request) if callable(self.latency) else self.latency
        latency *= self.upstream.time_scale
        if limited:
            return latency, _too_many_requests
        if self._script.once:
            planned = self._script.once.pop(0)
        elif self._failure is not None:
            planned = self._failure
        else:
            return latency, None
        if isinstance(planned, Failure):
            call.failure = planned
            # A broken service answers (or gives up) fast: the test is about what the view
            # does with the failure, not about waiting for it.
            return min(latency, FAILURE_LATENCY), planned.answer
        return latency, planned

    def _respond(
        self, call: UpstreamCall, request: httpx.Request, answer: Answer | None
    ) -> httpx.Response:
        if answer is None:
            payload = self._script.reply(request)
            response = _json_response(request, payload, self._script.status)
        else:
            response = answer(request)
        call.status = response.status_code
        return response


def _waits_for_ever(call: UpstreamCall, read_timeout: float | None) -> bool:
    """A service that times out only times out a client that set a timeout: with none (a
    client made with ``timeout=None``), the call waits for ever, as in production."""
    failure = call.failure
    timeouts = (httpx.ConnectTimeout, httpx.ReadTimeout)
    return read_timeout is None and failure is not None and failure.error in timeouts


class Upstream:
    """The fake upstream services of one test: routes, their calls, and the peak overlap."""

    def __init__(self) -> None:
        self.routes: dict[str, FakeRoute] = {}
        self.connections: dict[str, int] = {}
        # Every latency is multiplied by this (see the upstream fixture).
        self.time_scale = 1.0
        # Set by the house rules: the learner's line on a stack (a call's caller).
        self.locate: Callable[[FrameType | None], CodeSite | None] = lambda frame: None
        self.calls: list[UpstreamCall] = []
        self._lock = threading.Lock()
        self._released = threading.Event()

    def route(
        self,
        method: str,
        url: str,
        *,
        json: Payload | Reply = None,
        status: int = 200,
        latency: Latency = DEFAULT_LATENCY,
        name: str | None = None,
    ) -> FakeRoute:
        """Fake ``method url`` (any query string). ``json`` is a value or a function of the
        request; ``latency`` is how long each call takes, like a network round trip: seconds,
        or a function of the request (``lambda request: rng.uniform(0.05, 0.3)``), so that
        answers come back in another order than the calls went out."""
        parsed = httpx.URL(url)
        name = name or f"{method} {parsed.host}{parsed.path}"
        fake = FakeRoute(self, name, method, url, json, status, latency)
        self.routes[name] = fake
        return fake

    def get(self, url: str, **options: Any) -> FakeRoute:
        """Fake a GET endpoint; see route()."""
        return self.route("GET", url, **options)

    def post(self, url: str, **options: Any) -> FakeRoute:
        """Fake a POST endpoint; see route()."""
        return self.route("POST", url, **options)

    @property
    def peak_in_flight(self) -> int:
        """The most calls that were in flight at the same moment, over all routes."""
        return peak_overlap((call.start, call.end) for call in self.calls)

    def assert_calls_overlapped(self, at_least: int, route: FakeRoute | None = None) -> None:
        """Fail, with a timeline of the calls, unless ``at_least`` calls were in flight at once."""
        __tracebackhide__ = True
        calls = route.calls if route else self.calls
        peak = peak_overlap((call.start, call.end) for call in calls)
        if peak >= at_least:
            return
        what = f"calls to {route.name}" if route else "upstream calls"
        if not calls:
            pytest.fail(
                f"Expected {at_least} {what} in flight at once, but the view made none.",
                pytrace=False,
            )
        pytest.fail(
            f"Expected at least {at_least} {what} in flight at the same time, "
            f"but at most {peak} {'was' if peak == 1 else 'were'}: "
            "each call waited for the one before it.\n\n" + self.timeline(calls),
            pytrace=False,
        )

    def timeline(self, calls: list[UpstreamCall] | None = None) -> str:
        """A text timeline of the calls, one row each."""
        from dojo.harness.timeline import render_rows

        calls = self.calls if calls is None else calls
        return render_rows(
            "Upstream calls (█ = waiting for the answer)",
            [
                (f"{call.method} {httpx.URL(call.url).path}", call.start, call.end, _status(call))
                for call in calls
            ],
        )

    def network(self) -> AbstractContextManager[None]:
        """Within this block, the process's httpx connections reach this fake."""
        return fake_network(self)

    # The fake network's far end (see dojo.harness.fakenet) -------------------------------------------

    def serves(self, host: str) -> bool:
        return any(httpx.URL(route.url).host == host for route in self.routes.values())

    def connected(self, host: str) -> None:
        with self._lock:
            self.connections[host] = self.connections.get(host, 0) + 1

    async def answer_async(
        self, request: httpx.Request, read_timeout: float | None
    ) -> httpx.Response:
        route = self._route_for(request)
        if route is None:
            return _no_route(request, self.routes)
        return await route._serve_async(request, read_timeout)

    def answer_sync(self, request: httpx.Request, read_timeout: float | None) -> httpx.Response:
        route = self._route_for(request)
        if route is None:
            return _no_route(request, self.routes)
        return route._serve_sync(request, read_timeout)

    def _route_for(self, request: httpx.Request) -> FakeRoute | None:
        for route in self.routes.values():
            url = httpx.URL(route.url)
            if (
                route.method == request.method
                and url.host == request.url.host
                and url.path == request.url.path
            ):
                return route
        return None

    # Bookkeeping, shared by the routes -----------------------------------------------------

    def _begin(
        self, route: FakeRoute, request: httpx.Request, *, blocking: bool
    ) -> tuple[UpstreamCall, bool]:
        with self._lock:
            in_flight = sum(1 for call in route.calls if not call.finished)
            call = UpstreamCall(
                route.name,
                request.method,
                str(request.url),
                time.perf_counter(),
                blocking=blocking,
                thread=threading.get_ident(),
                caller=self.locate(sys._getframe()),
            )
            self.calls.append(call)
        limited = route.max_in_flight is not None and in_flight >= route.max_in_flight
        return call, limited

    def _end(self, call: UpstreamCall) -> None:
        call.end = time.perf_counter()

    def _release(self) -> None:
        """Let any sync call that hangs go, so no thread outlives its test."""
        self._released.set()


def peak_overlap(intervals: Iterator[tuple[float, float | None]] | list[Any]) -> int:
    """The most intervals open at one moment; an interval with no end stays open."""
    events: list[tuple[float, int]] = []
    for start, end in intervals:
        events.append((start, 1))
        events.append((end if end is not None else float("inf"), -1))
    # At equal times, count an end before a start: touching intervals do not overlap.
    events.sort(key=lambda event: (event[0], event[1]))
    peak = current = 0
    for _, change in events:
        current += change
        peak = max(peak, current)
    return peak


def _as_reply(json: Payload | Reply) -> Reply:
    if callable(json):
        return json
    return lambda request: json


def _no_route(request: httpx.Request, routes: dict[str, FakeRoute]) -> httpx.Response:
    """The 404 of a fake host asked for a path the test did not fake."""
    known = [f"{route.method} {route.url}" for route in routes.values()]
    return _json_response(
        request,
        {
            "error": f"the dojo's fake upstream has no route for {request.method} "
            f"{request.url.copy_with(query=None)}",
            "routes": known,
        },
        404,
    )


def _timed_out(request: httpx.Request, timeout: float) -> httpx.ReadTimeout:
    return httpx.ReadTimeout(
        f"no answer within the client's read timeout of {timeout:g} s", request=request
    )


def _too_many_requests(request: httpx.Request) -> httpx.Response:
    return _json_response(request, {"error": "too many requests"}, 429)


def _error_payload(status: int) -> Reply:
    return lambda request: {"error": f"upstream error {status}"}


def _json_response(request: httpx.Request, payload: Payload, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=payload, request=request)


def _status(call: UpstreamCall) -> str:
    if call.end is None:
        return "no answer"
    return str(call.status) if call.status is not None else "error"
