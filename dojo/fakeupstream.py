"""The kata's upstream services played by a real HTTP server, for ``make serve`` and
``make load``: the network twin of the tests' fake (``dojo.upstream``).

Each route of the kata's ``[load]`` scenario waits its latency without blocking (so many
calls can be in flight at once, as with a real service), then answers its JSON payload.
The view's process sends its upstream requests here (see ``dojo.redirect``); they arrive
with the service's name in the Host header, or in absolute form (``GET http://x.example/y``)
from a client that uses this server as its HTTP proxy (``curl -x``). A request no route
matches gets a 502 that names it, as an unmocked request fails loudly in the tests.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from dojo.scenario import UpstreamRoute

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class FakeUpstream:
    """An ASGI application that answers the routes of a load scenario."""

    def __init__(self, routes: Iterable[UpstreamRoute], *, log: bool = False) -> None:
        self.routes = {(route.method, route.host, route.path): route for route in routes}
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _drain(receive)
        method, host, path = _target(scope)
        route = self.routes.get((method, host, path))
        started = time.perf_counter()
        if route is None:
            status, payload = (
                502,
                {
                    "error": f"the dojo's fake upstream has no route for {method} http://{host}{path}",
                    "routes": [f"{m} http://{h}{p}" for m, h, p in self.routes],
                },
            )
        else:
            await asyncio.sleep(route.latency)
            status, payload = route.status, route.json
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
        if self.log:
            elapsed = time.perf_counter() - started
            print(
                f"    upstream  {method} http://{host}{path}  {status}  {elapsed:.2f} s",
                file=sys.stderr,
                flush=True,
            )


def _target(scope: Scope) -> tuple[str, str, str]:
    """The method, host and path of a request, in origin form or absolute (proxy) form."""
    path: str = scope["path"]
    if path.startswith(("http://", "https://")):
        parts = urlsplit(path)
        return scope["method"], parts.hostname or "", parts.path or "/"
    headers = dict(scope["headers"])
    host = headers.get(b"host", b"").decode("latin-1").rsplit(":", 1)[0]
    return scope["method"], host, path


async def _drain(receive: Receive) -> None:
    """Read the request body, whatever it is: the fake answers by route alone."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
