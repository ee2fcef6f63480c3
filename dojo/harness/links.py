"""The worker's connections to the fake upstream, as the fake saw them, for server mode.

An httpx client owns a pool of connections, and no two clients share one. So what the
clients of the served kata did can be read from the connections alone, from outside the
process that made them: when each was opened, which calls it carried, and whether the
worker closed it after a full answer (a client closed, or its pool let it go), or it was
closed under a call (a failure, a timeout) or by the fake. ``dojo.harness.servedclients``
judges them.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field


@dataclass
class Call:
    """One call on a connection: when it arrived, and when its answer was written."""

    start: float
    end: float | None = None
    # Answered with an error: a client may drop a connection that failed it.
    failed: bool = False

    def answered(self, *, failed: bool = False) -> None:
        self.end = time.perf_counter()
        self.failed = failed


@dataclass
class Link:
    """One connection the worker opened to the fake upstream."""

    number: int
    opened_at: float
    calls: list[Call] = field(default_factory=list)
    closed_at: float | None = None
    # Closed by the worker when no call was in flight: a client, or its pool, let it go.
    closed_by_client: bool = False

    def called(self) -> Call:
        call = Call(time.perf_counter())
        self.calls.append(call)
        return call

    def closed(self, *, by_client: bool) -> None:
        if self.closed_at is None:
            self.closed_at = time.perf_counter()
            self.closed_by_client = by_client

    def open_at(self, moment: float) -> bool:
        return self.opened_at <= moment and (self.closed_at is None or self.closed_at > moment)

    def idle_at(self, moment: float) -> bool:
        """Open at ``moment``, with a call answered before it and none in flight."""
        if not self.open_at(moment):
            return False
        answered = [call for call in self.calls if call.start <= moment]
        return bool(answered) and all(
            call.end is not None and call.end <= moment for call in answered
        )

    @property
    def first_call(self) -> float | None:
        return self.calls[0].start if self.calls else None

    @property
    def healthy_close(self) -> bool:
        """Let go by the worker after its answers, none of its calls cut short."""
        return (
            self.closed_by_client
            and bool(self.calls)
            and all(call.end is not None for call in self.calls)
            and not self.calls[-1].failed
        )


class LinkLog:
    """Every connection of one test, in the order they were opened."""

    def __init__(self) -> None:
        self.links: list[Link] = []
        self._numbers = itertools.count(1)

    def opened(self, at: float | None = None) -> Link:
        """A connection opened ``at`` (a perf_counter time; now if None)."""
        link = Link(next(self._numbers), time.perf_counter() if at is None else at)
        self.links.append(link)
        return link
