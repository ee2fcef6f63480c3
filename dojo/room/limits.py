"""Bounded work per request: the body size limit (an ASGI wrapper, before Django reads a
byte) and the per-sender rate limit (a token bucket per pair)."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

MAX_BODY = 256 * 1024
# A pair may send a burst of this many lights, then one every 1/RATE seconds: make watch
# reruns on every save, a learner does not save ten times a second.
BURST = 10
RATE = 2.0
MAX_SENDERS = 1000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


class BodyLimit:
    """Answer 413 to a request whose body is over ``limit`` bytes, reading no more of it
    than that; hand the others to ``app`` with their body read once, in full."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        reason = (
            f"The body is over the room's limit of {self.limit // 1024} KB; nothing was stored."
        )
        body = json.dumps({"error": reason}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RateLimit:
    """A token bucket per sender: ``allow(key)`` is False once a sender spent its burst."""

    def __init__(self, burst: int = BURST, rate: float = RATE) -> None:
        self.burst = burst
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        tokens, since = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * self.rate)
        if len(self._buckets) >= MAX_SENDERS and key not in self._buckets:
            self._forget_full_buckets(now)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True

    def _forget_full_buckets(self, now: float) -> None:
        """Senders whose bucket has refilled are as good as new: forget them."""
        refilled = now - self.burst / self.rate
        for key, (_, since) in list(self._buckets.items()):
            if since < refilled:
                del self._buckets[key]


senders = RateLimit()
