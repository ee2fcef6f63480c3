"""The kata's upstream services played by a real HTTP server, for ``make serve`` and
``make load``: the network twin of the tests' fake (``dojo.harness.upstream``).

Each route of the kata's ``[load]`` scenario waits its latency without blocking (so many
calls can be in flight at once, as with a real service), then answers its JSON payload.
The view's process sends its upstream requests here (see ``dojo.server.redirect``); they arrive
with the service's name in the Host header, or in absolute form (``GET http://x.example/y``)
from a client that uses this server as its HTTP proxy (``curl -x``). A request no route
matches gets a 502 that names it, as an unmocked request fails loudly in the tests.

It counts what reaches it (calls, the most in flight at once, connections opened), so
``make load`` can show what a burst did to the services: ``GET /_dojo/stats`` on its own
address answers the counts since the last ``POST /_dojo/reset``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from dojo.course.scenario import UpstreamRoute

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

STATS_PATH = "/_dojo/stats"
RESET_PATH = "/_dojo/reset"
CONTROL_HOSTS = ("127.0.0.1", "localhost")
# What a route answers for the calls its ``fails_first`` turns away: a busy service.
FAILING_STATUS = 503


@dataclass
class UpstreamStats:
    """What reached the fake upstream: calls answered, the most at once, connections."""

    calls: int = 0
    peak_in_flight: int = 0
    connections: int = 0


class FakeUpstream:
    """An ASGI application that answers the routes of a load scenario."""

    def __init__(self, routes: Iterable[UpstreamRoute], *, log: bool = False) -> None:
        self.routes = list(routes)
        self.log = log
        self.stats = UpstreamStats()
        self._in_flight = 0
        self._connections: set[Any] = set()
        self._calls_on: dict[tuple[Any, str, str], int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _drain(receive)
        method, host, path, query = _target(scope)
        if host in CONTROL_HOSTS and path in (STATS_PATH, RESET_PATH):
            if path == RESET_PATH:
                self.reset()
            await _answer(send, 200, asdict(self.stats))
            return
        started = time.perf_counter()
        self._count_call(scope)
        try:
            status, payload = await self._play(scope, method, host, path, query)
        finally:
            self._in_flight -= 1
        await _answer(send, status, payload)
        if self.log:
            elapsed = time.perf_counter() - started
            print(
                f"    upstream  {method} http://{host}{path}  {status}  {elapsed:.2f} s",
                file=sys.stderr,
                flush=True,
            )

    def reset(self) -> None:
        """Count from zero again (the connections already open count as known)."""
        self.stats = UpstreamStats()

    def route(self, method: str, host: str, path: str, query: str) -> UpstreamRoute | None:
        """The route that answers a call: one with its query first, then any query, then a
        prefix (``*``) route."""
        asked = sorted(parse_qsl(query, keep_blank_values=True))
        candidates = [r for r in self.routes if r.method == method and r.host == host]
        for route in candidates:
            if route.path == path and route.query and sorted(parse_qsl(route.query)) == asked:
                return route
        for route in candidates:
            if route.path == path and not route.query:
                return route
        for route in candidates:
            if route.prefix and path.startswith(route.path[:-1]) and not route.query:
                return route
        return None

    def _count_call(self, scope: Scope) -> None:
        self.stats.calls += 1
        self._in_flight += 1
        self.stats.peak_in_flight = max(self.stats.peak_in_flight, self._in_flight)
        client = scope.get("client")
        if client is not None and tuple(client) not in self._connections:
            self._connections.add(tuple(client))
            self.stats.connections += 1

    async def _play(
        self, scope: Scope, method: str, host: str, path: str, query: str
    ) -> tuple[int, Any]:
        route = self.route(method, host, path, query)
        if route is None:
            asked = f"{method} http://{host}{path}" + (f"?{query}" if query else "")
            return 502, {
                "error": f"the dojo's fake upstream has no route for {asked}",
                "routes": [f"{r.method} {r.url}" for r in self.routes],
            }
        await asyncio.sleep(route.latency)
        if route.fails_first:
            # Counted per connection: a client that retries on the connection it holds
            # gets through after ``fails_first`` failures, as from a service that was busy.
            key = (tuple(scope.get("client") or ()), route.method, route.url)
            seen = self._calls_on[key] = self._calls_on.get(key, 0) + 1
            if seen <= route.fails_first:
                return FAILING_STATUS, {"error": "busy, try again"}
        return route.status, route.json


async def _answer(send: Send, status: int, payload: Any) -> None:
    """A JSON answer, whole."""
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _target(scope: Scope) -> tuple[str, str, str, str]:
    """The method, host, path and query of a request, in origin or absolute (proxy) form."""
    path: str = scope["path"]
    if path.startswith(("http://", "https://")):
        parts = urlsplit(path)
        return scope["method"], parts.hostname or "", parts.path or "/", parts.query
    headers = dict(scope["headers"])
    host = headers.get(b"host", b"").decode("latin-1").rsplit(":", 1)[0]
    query = scope.get("query_string", b"").decode("latin-1")
    return scope["method"], host, path, query


async def _drain(receive: Receive) -> None:
    """Read the request body, whatever it is: the fake answers by route alone."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
