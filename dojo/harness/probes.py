"""Send quick requests while a slow one is being served, and see whether they were answered.

A call that holds the event loop does not only slow the request that makes it: every other
request on the loop waits too, even one that has nothing to do with it (a health check, a
product page). ``meanwhile`` makes that visible. It starts the slow request and, until that
request is done, sends a quick "probe" request every few hundredths of a second. Each probe
is timed from the moment it was due, not from when it was sent: while the loop is blocked a
probe cannot even be sent, and that wait is what a visitor would feel.

The verdict does not depend on the machine's speed: given the interval during which some
work ran (a password check, say), either some probe was answered while it ran, or none was.
On a free loop the probes go on being answered; on a loop the work holds, none can be.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import pytest

from dojo.harness.asgi import App, Response
from dojo.harness.loopwatch import STALL_LIMIT, LoopWatch, Stall, stall_report
from dojo.harness.remote import OutsideWatch, RemoteApp
from dojo.harness.timeline import Row, render_rows

PROBE_EVERY = 0.05
MAX_PROBES = 10

Interval = tuple[float, float]


@dataclass
class Probe:
    """One quick request: when it was due, and what came back when."""

    due: float
    response: Response

    @property
    def waited(self) -> float:
        """From when it was due until its answer: what a visitor would feel."""
        return self.response.end - self.due


@dataclass
class MeanwhileReport:
    """A slow request, the probes sent while it was served, and the longest loop stall."""

    response: Response
    probes: list[Probe]
    every: float
    stall: Stall | None

    @property
    def longest_stall(self) -> float:
        return self.stall.seconds if self.stall else 0.0

    def timeline(self, work: Sequence[tuple[str, Interval]] = ()) -> str:
        """The slow request, any ``work`` inside it, and each probe from when it was due
        until its answer."""
        main = self.response
        rows: list[Row] = [(main.request_line, main.start, main.end, main.outcome())]
        rows += [(f"  {what}", start, end, "") for what, (start, end) in work]
        rows += [
            (
                probe.response.request_line,
                probe.due,
                probe.response.end,
                f"{probe.response.outcome()} after {probe.waited:.2f} s",
            )
            for probe in self.probes
        ]
        drawn = render_rows("Requests, from when each was due until its answer (█)", rows)
        return "\n".join(line.rstrip() for line in drawn.splitlines())

    def stall_report(self) -> str:
        """Where the loop was blocked, if it was blocked for long."""
        return stall_report(self.stall)

    def assert_answered_during(self, work: Sequence[Interval], what: str) -> None:
        """Fail unless some probe was answered while the last of ``work`` (intervals of
        perf_counter time, such as each password check) was running."""
        __tracebackhide__ = True
        main = self.response.request_line
        if not work:
            pytest.fail(f"{main} returned {self.response.outcome()}, but {what} never ran.")
        start, end = work[-1]
        during = [probe for probe in self.probes if start < probe.response.end < end]
        if during:
            return
        probe = self.probes[0].response.request_line if self.probes else "a probe"
        pytest.fail(
            f"While {main} was being served, {probe} was requested every {self.every:.2f} s. "
            f"Expected some of those requests to be answered while {what} ran "
            f"({end - start:.2f} s), but none was: they all waited until it was over.\n\n"
            f"{self.timeline([(what, (start, end))])}\n\n{self.stall_report()}",
            pytrace=False,
        )

    def assert_loop_not_blocked(self, longer_than: float = STALL_LIMIT) -> None:
        """Fail if the event loop was blocked for more than ``longer_than`` seconds at once."""
        __tracebackhide__ = True
        if self.longest_stall <= longer_than:
            return
        pytest.fail(
            f"Expected the event loop to stay free (never blocked over {longer_than:.2f} s).\n"
            f"{self.stall_report()}\n\n{self.timeline()}",
            pytrace=False,
        )


async def probe_while(
    app: App | RemoteApp,
    request: Awaitable[Response],
    probe: str,
    *,
    every: float = PROBE_EVERY,
    max_probes: int = MAX_PROBES,
) -> MeanwhileReport:
    """Serve ``request`` and, until it is done, GET ``probe`` every ``every`` seconds (at
    most ``max_probes`` times); report the probes and the longest loop stall."""

    async def send(due: float) -> Probe:
        return Probe(due, await app.get(probe))

    watching = (
        app.watching(f"a request, and {probe} meanwhile")
        if isinstance(app, RemoteApp)
        else LoopWatch(app.code_roots)
    )
    async with watching as watch:
        main = asyncio.ensure_future(request)
        sent: list[asyncio.Task[Probe]] = []
        due = time.perf_counter() + every
        while len(sent) < max_probes:
            await asyncio.wait([main], timeout=max(0.0, due - time.perf_counter()))
            if main.done():
                break
            sent.append(asyncio.create_task(send(due)))
            # After a blocked loop, the next visitor comes one interval later, not all at once.
            due = max(due, time.perf_counter()) + every
        probes = list(await asyncio.gather(*sent))
        response = await main
        if isinstance(watch, OutsideWatch):
            watch.responses.append(response)
    return MeanwhileReport(response, probes, every, watch.longest)


@pytest.fixture
def meanwhile(app: App | RemoteApp) -> Callable[..., Awaitable[MeanwhileReport]]:
    """Send quick requests while a slow one is served: ``report = await meanwhile(
    app.post("/login/", json=...), probe="/health/")``; then ``report.assert_answered_during(
    intervals, "the password check")`` and ``report.assert_loop_not_blocked()``."""

    def run(
        request: Awaitable[Response],
        probe: str,
        *,
        every: float = PROBE_EVERY,
        max_probes: int = MAX_PROBES,
    ) -> Awaitable[MeanwhileReport]:
        return probe_while(app, request, probe, every=every, max_probes=max_probes)

    return run
