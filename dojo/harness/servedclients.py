"""``http_clients`` in server mode: the served kata's httpx clients, judged from outside.

The test process cannot count the worker's client objects, but it sees their connections
at the fake upstream (``dojo.harness.links``), and what it sent when:

- one client reuses its connections: a request that opens a new connection while one
  answered before that request was sent sits idle and open, or right after the worker
  let a healthy one go with nothing else in flight, comes from another client (or from
  a client that was closed and made again);
- a client dropped without being closed leaves its connections open, unused: asked to
  collect its garbage, the worker closes them then; and a few more requests sent at once
  to the same page reuse every idle connection of a live client, never a dropped one's,
  so a dropped client's connections stay idle while new ones open beside them;
- a client used on two event loops carries, on one connection, the calls of requests the
  test sent from two loops (``dojo.harness.loopkeys``).

Only the collection is asked of the worker: a worker that does not collect leaves its
dropped connections idle, and the requests that follow show them unused.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from django.conf import settings

from dojo.harness.asgi import BROWSER_HEADERS
from dojo.harness.links import Link
from dojo.harness.loopkeys import Sent
from dojo.harness.upstream import peak_overlap

if TYPE_CHECKING:
    from dojo.harness.houserules import HouseRules
    from dojo.harness.remote import RemoteApp
    from dojo.harness.socketupstream import SocketUpstream

# Requests sent at once to tell a live client's idle connections from a dropped one's, and
# how many times, at most: each round takes one call's time.
PROBE_MAX = 8
PROBE_ROUNDS = 3
PROBE_TIMEOUT = 3.0
COLLECT_TIMEOUT = 10.0


@dataclass(frozen=True)
class NewConnection:
    """A connection a client that already had one would not have opened."""

    link: Link
    # The connections that were there to reuse (idle), or that the worker let go.
    instead_of: tuple[Link, ...]
    idle: bool


class ServedHttpClients:
    """The clients of the served kata, from their connections: the API of
    ``dojo.harness.clients.HttpClients``."""

    def __init__(self, app: RemoteApp, upstream: SocketUpstream) -> None:
        self.app = app
        self.upstream = upstream
        self.probes: list[Sent] = []

    @property
    def links(self) -> list[Link]:
        """The connections of the requests this test sent (the worker's own, made while it
        started, are not the view's)."""
        first = min((sent.start for sent in self.app.sent), default=None)
        if first is None:
            return []
        return [link for link in self.upstream.links.links if link.opened_at >= first]

    @property
    def made(self) -> list[Link]:
        """The first connection of each client the connections show (at least)."""
        links = [link for link in self.links if link.calls]
        return links[:1] + [new.link for new in self.new_connections()] + self.let_go_idle()

    # What the connections show ---------------------------------------------------------------

    def new_connections(self, since: float = 0.0) -> list[NewConnection]:
        """The connections opened (their first call after ``since``) where one client
        would have reused one it had."""
        sent = [*self.app.sent, *self.probes]
        found = []
        for link in self.links:
            first = link.first_call
            if first is None or first < since:
                continue
            senders = [s for s in sent if s.start <= first and (s.end is None or first <= s.end)]
            asked = min((s.start for s in senders), default=first)
            others = [other for other in self.links if other is not link]
            idle = tuple(o for o in others if o.idle_at(asked) and o.open_at(first))
            if idle:
                found.append(NewConnection(link, idle, idle=True))
                continue
            # Nothing in flight from the moment the test sent the request on: a pool that
            # was still handing back a connection may open another, one that let its last go
            # had no reason to.
            quiet = not any(
                call.start < first and (call.end is None or call.end > asked)
                for other in others
                for call in other.calls
            )
            let_go = tuple(
                o
                for o in others
                if o.healthy_close and o.closed_at is not None and o.closed_at <= first
            )
            if quiet and let_go:
                found.append(NewConnection(link, let_go, idle=False))
        return found

    def let_go_idle(self) -> list[Link]:
        """The connections the worker let go while idle, once another connection had carried
        a whole call since their own last one: a pool lets a connection go as it hands it
        back (over its keep-alive limit) or after seconds of idleness, so these were
        dropped clients' connections, closed when their client was collected."""
        found = []
        for link in self.links:
            if not link.healthy_close or link.closed_at is None:
                continue
            last = link.calls[-1].end
            assert last is not None  # a healthy close: every call answered
            if any(
                last < call.start and call.end is not None and call.end < link.closed_at
                for other in self.links
                if other is not link
                for call in other.calls
            ):
                found.append(link)
        return found

    def _probe_idle(self) -> float:
        """Send requests at once to the page the test asked for last, as many as there are
        idle connections, until each has carried one (or a new one opened beside them).
        Returns when the probing began."""
        began = time.perf_counter()
        path = next((s.path for s in reversed(self.app.sent) if s.method == "GET"), None)
        now = time.perf_counter()
        idle = [link for link in self.links if link.idle_at(now)]
        if path is None or not idle:
            return began
        count = min(len(idle), PROBE_MAX)
        for _ in range(PROBE_ROUNDS):
            sent = Sent(f"{count} x GET {path}", "GET", path, time.perf_counter(), None)
            self.probes.append(sent)
            with concurrent.futures.ThreadPoolExecutor(count) as pool:
                list(pool.map(lambda _: self._get(path), range(count)))
            sent.end = time.perf_counter()
            self.upstream.settle()
            reused = all(any(call.start >= began for call in link.calls) for link in idle)
            if reused or self.new_connections(since=began):
                break
        return began

    def _get(self, path: str, timeout: float = PROBE_TIMEOUT) -> None:
        address = self.app.base_url.removeprefix("http://").rstrip("/")
        host, _, port = address.partition(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        # What the view answers does not matter here, only which connections it used.
        with contextlib.suppress(OSError, http.client.HTTPException):
            # As every served request: the site's own host, a browser's headers.
            headers = {**BROWSER_HEADERS, "Host": settings.SITE_HOST}
            connection.request("GET", path, headers=headers)
            connection.getresponse().read()
        connection.close()

    def _collect(self) -> float:
        """Let the worker finish what it was doing, then ask it to collect garbage; returns
        when it was asked. Closes logged after that are of clients collected."""
        from dojo.server.serverside import COLLECT_PATH, PROBE_PATH

        self._get(PROBE_PATH)  # answered on the worker's loop: what it had queued is done
        self.upstream.settle()
        asked = time.perf_counter()
        self._get(COLLECT_PATH, COLLECT_TIMEOUT)
        self.upstream.settle()
        return asked

    # Assertions ------------------------------------------------------------------------------

    def assert_made_at_most(self, count: int, during: str = "the test") -> None:
        """Fail if the connections show more than ``count`` clients."""
        __tracebackhide__ = True
        self._probe_idle()
        new = self.new_connections()
        made = len(self.made)
        if made <= count:
            return
        idle = [item for item in new if item.idle]
        let_go = [item for item in new if not item.idle]
        dropped = self.let_go_idle()
        why = []
        if dropped:
            why.append(
                f"{_count(len(dropped), 'connection')} sat unused while others carried calls, "
                "then closed on its own (a dropped client, collected)"
            )
        if idle:
            why.append(
                f"{_count(len(idle), 'new connection')} opened while connections opened "
                "earlier sat idle, free to reuse"
            )
        if let_go:
            why.append(
                f"{_count(len(let_go), 'new connection')} opened just after the server "
                "closed the one it had used, healthy, with nothing else in flight"
            )
        pytest.fail(
            f"During {during}, the services the view calls saw {_count(len(self.links), 'connection')} "
            f"from the server: {'; '.join(why)}.\nOne client reuses its own connections, so "
            f"at least {made} httpx clients were made (seen from the services' side).\n"
            f"Expected at most {count}: each new client costs about 30 ms of CPU on the event "
            "loop (a fresh SSL context) and opens its own connections instead of reusing them.",
            pytrace=False,
        )

    def collected(self) -> list[Link]:
        """The connections the worker closed only when asked to collect its garbage: those
        of clients dropped without being closed."""
        asked = self._collect()
        return [
            link
            for link in self.links
            if link.closed_by_client and link.closed_at is not None and link.closed_at >= asked
        ]

    def assert_none_abandoned(self) -> None:
        """Fail if the connections show a client dropped without being closed."""
        __tracebackhide__ = True
        collected = self.collected()
        collected += [link for link in self.let_go_idle() if link not in collected]
        began = self._probe_idle()
        unused = {
            other.number: other
            for item in self.new_connections(since=began)
            if item.idle
            for other in item.instead_of
            if not any(call.start >= began for call in other.calls)
        }
        if not collected and not unused:
            return
        what = []
        if collected:
            what.append(
                f"{_count(len(collected), 'connection')} to the services it calls open, unused, "
                "until the server collected its garbage"
            )
        if unused:
            what.append(
                f"{_count(len(unused), 'connection')} sat idle, never used again, while more "
                "requests to the same page opened new ones"
            )
        pytest.fail(
            f"The server left {' and '.join(what)}: an httpx client was dropped without "
            "being closed (seen from the services' side).\n"
            "An unclosed client keeps its connections open until the garbage collector finds "
            "it; under load the server runs out of sockets.\n"
            "Expected every client to be closed (aclose(), or `async with`) or kept for reuse.",
            pytrace=False,
        )

    def assert_each_on_one_loop(self) -> None:
        """Fail if one connection carried calls of requests sent from two event loops."""
        __tracebackhide__ = True
        for link in self.links:
            loops: dict[str | None, Sent] = {}
            for call in link.calls:
                senders = {
                    s.loop: s
                    for s in self.app.sent
                    if s.start <= call.start and (s.end is None or call.start <= s.end)
                }
                if len(senders) == 1:
                    loops.update(senders)
            if len(loops) < 2:
                continue
            others = [loop for loop in loops if loop is not None]
            named = [
                f"  {sent.what}, from "
                + ("the test's own loop" if loop is None else f"loop {others.index(loop) + 2}")
                for loop, sent in loops.items()
            ]
            pytest.fail(
                "One connection to the services the view calls carried the calls of requests "
                f"sent from {len(loops)} different event loops:\n" + "\n".join(named) + "\n"
                "The server used one httpx.AsyncClient on more than one event loop; its pooled "
                "connection belongs to the loop that opened it: with a real network, the next "
                "loop gets `RuntimeError: Event loop is closed`.\n"
                "Expected each event loop to use a client of its own.",
                pytrace=False,
            )


def note_clients_left_open(app: RemoteApp, upstream: SocketUpstream, rules: HouseRules) -> None:
    """The house rule ``client_left_open`` in server mode, at the end of a test: the worker
    is asked to collect its garbage, and a connection it closes then was a dropped client's
    (what the worker does here can only add a failure)."""
    from dojo.harness.houserules import Violation

    if not rules.applies("client_left_open"):
        return
    clients = ServedHttpClients(app, upstream)
    now = time.perf_counter()
    left_open = sum(1 for link in clients.links if link.open_at(now))
    calls = [(call.start, call.end or now) for link in clients.links for call in link.calls]
    # One client's pool opens a connection only when all it has are busy: it never holds
    # more than the most calls it had in flight at once. Only more than that can be a
    # dropped client's, and a collection (a tenth of a second) is asked for only then.
    if left_open <= max(peak_overlap(calls), 1):
        return
    collected = clients.collected()
    if not collected:
        return
    rules._note(
        Violation(
            "client_left_open",
            "",
            f"{_count(len(collected), 'connection')} to the services the view calls stayed "
            "open until the server collected its garbage: an httpx client was dropped without "
            "being closed.",
            None,
            "An unclosed client keeps its connections open until the garbage collector finds "
            "it. Close it (`async with`, or aclose()), or keep one for reuse.",
        )
    )


def check_loops_kept_apart(app: RemoteApp, upstream: SocketUpstream) -> None:
    """At the end of a test that sent requests from other event loops: fail if one
    connection carried calls for two of them. The worker serves those requests on loops of
    its own; one that served them on its main loop instead would hand them the main loop's
    connections, which the fake upstream sees."""
    __tracebackhide__ = True
    if any(sent.loop is not None for sent in app.sent):
        ServedHttpClients(app, upstream).assert_each_on_one_loop()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
