"""Follow the life of every ``httpx.AsyncClient``: where it was made, on which event loops
it was used, and whether it was closed before it was dropped.

Two lessons are about a client's lifetime rather than about one request:

- a client made per request costs about 30 ms of CPU on the loop (a new SSL context, see
  FACTS.md), opens its own connections, and, when nobody closes it, leaves them open until
  the garbage collector comes by;
- a client kept for the whole process belongs to the event loop it first ran on: its pooled
  connections are that loop's. On another loop (the next test, ``async_to_sync`` from sync
  code) a real network answers ``RuntimeError: Event loop is closed``. The upstream fake
  never opens a connection, so the harness notes the loops itself instead.

``http_clients`` wraps ``AsyncClient.__init__``, ``send``, ``aclose`` and ``__aexit__`` for
one test and holds the clients weakly, so it changes nothing about when a client is
collected. ``on_new_loop`` runs a coroutine function on a brand-new event loop in another
thread, as the next test or a sync caller would.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import sys
import weakref
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from dojo.harness.config import settings_key
from dojo.harness.loopwatch import CodeSite, site_of
from dojo.harness.servermode import server_mode

# Which event loops each client was used on survives the test that saw it: a module-level
# client made in one test and used in the next is the very case to catch.
_loops_of: weakref.WeakKeyDictionary[httpx.AsyncClient, set[int]] = weakref.WeakKeyDictionary()
_loop_numbers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, int] = (
    weakref.WeakKeyDictionary()
)
_next_loop_number = itertools.count(1)


def _loop_number() -> int | None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    if loop not in _loop_numbers:
        _loop_numbers[loop] = next(_next_loop_number)
    return _loop_numbers[loop]


@dataclass
class ClientRecord:
    """One client: where it was made, and what became of it."""

    number: int
    site: CodeSite | None
    made_in_test: bool
    ref: weakref.ReferenceType[httpx.AsyncClient] | weakref.ReferenceType[httpx.Client]
    kind: str = "httpx.AsyncClient"
    requests: int = 0
    used_at: CodeSite | None = None
    closed: bool = False
    collected: bool = False
    loops: set[int] = field(default_factory=set)

    def where(self) -> str:
        if self.site is not None:
            return f"made at {self.site}"
        made = "made before this test" if not self.made_in_test else "made outside the kata"
        return f"{made}, and used at {self.used_at}" if self.used_at is not None else made

    @property
    def abandoned(self) -> bool:
        """Dropped without being closed: its connections stayed open until collected."""
        return self.collected and not self.closed


class HttpClients:
    """The httpx.AsyncClients made or used while one test runs, and the sync httpx.Clients
    the code under test makes (only whether each was closed: a sync client in a worker
    thread is a fair fix, one left open is not)."""

    def __init__(self, code_roots: tuple[Path, ...]) -> None:
        self.code_roots = code_roots
        self.records: list[ClientRecord] = []
        self.sync_records: list[ClientRecord] = []
        self._by_client: weakref.WeakKeyDictionary[httpx.AsyncClient, ClientRecord] = (
            weakref.WeakKeyDictionary()
        )
        self._by_sync_client: weakref.WeakKeyDictionary[httpx.Client, ClientRecord] = (
            weakref.WeakKeyDictionary()
        )

    # Recording -------------------------------------------------------------------------------

    def _record(self, client: httpx.AsyncClient, *, made: bool) -> ClientRecord:
        record = self._by_client.get(client)
        if record is None:
            site = site_of(sys._getframe(1), self.code_roots) if made else None
            record = ClientRecord(len(self.records) + 1, site, made, weakref.ref(client))
            record.loops = _loops_of.setdefault(client, set())
            weakref.finalize(client, _mark_collected, record)
            self._by_client[client] = record
            self.records.append(record)
        return record

    def _record_sync(self, client: httpx.Client) -> ClientRecord:
        record = self._by_sync_client.get(client)
        if record is None:
            site = site_of(sys._getframe(1), self.code_roots)
            number = len(self.sync_records) + 1
            record = ClientRecord(number, site, True, weakref.ref(client), "httpx.Client")
            weakref.finalize(client, _mark_collected, record)
            self._by_sync_client[client] = record
            self.sync_records.append(record)
        return record

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        tracker = self
        self._install_sync(monkeypatch)
        real_init = httpx.AsyncClient.__init__
        real_send = httpx.AsyncClient.send
        real_aclose = httpx.AsyncClient.aclose
        real_aexit = httpx.AsyncClient.__aexit__

        def __init__(client: httpx.AsyncClient, *args: Any, **kwargs: Any) -> None:
            real_init(client, *args, **kwargs)
            tracker._record(client, made=True)

        async def send(client: httpx.AsyncClient, *args: Any, **kwargs: Any) -> httpx.Response:
            record = tracker._record(client, made=False)
            record.requests += 1
            if record.used_at is None:
                record.used_at = site_of(sys._getframe(1), tracker.code_roots)
            number = _loop_number()
            if number is not None:
                record.loops.add(number)
            return await real_send(client, *args, **kwargs)

        async def aclose(client: httpx.AsyncClient) -> None:
            tracker._record(client, made=False).closed = True
            await real_aclose(client)

        async def __aexit__(client: httpx.AsyncClient, *exc_info: Any) -> None:
            tracker._record(client, made=False).closed = True
            await real_aexit(client, *exc_info)

        monkeypatch.setattr(httpx.AsyncClient, "__init__", __init__)
        monkeypatch.setattr(httpx.AsyncClient, "send", send)
        monkeypatch.setattr(httpx.AsyncClient, "aclose", aclose)
        monkeypatch.setattr(httpx.AsyncClient, "__aexit__", __aexit__)

    def _install_sync(self, monkeypatch: pytest.MonkeyPatch) -> None:
        tracker = self
        real_init = httpx.Client.__init__
        real_close = httpx.Client.close
        real_enter = httpx.Client.__enter__
        real_exit = httpx.Client.__exit__

        def __init__(client: httpx.Client, *args: Any, **kwargs: Any) -> None:
            real_init(client, *args, **kwargs)
            tracker._record_sync(client)

        def close(client: httpx.Client) -> None:
            tracker._record_sync(client).closed = True
            real_close(client)

        def __enter__(client: httpx.Client) -> httpx.Client:
            # A `with` block closes the client on every way out, a generator's block when the
            # generator is closed or collected (a browser that left a stream, say).
            tracker._record_sync(client).closed = True
            return real_enter(client)

        def __exit__(client: httpx.Client, *exc_info: Any) -> None:
            tracker._record_sync(client).closed = True
            real_exit(client, *exc_info)

        monkeypatch.setattr(httpx.Client, "__init__", __init__)
        monkeypatch.setattr(httpx.Client, "close", close)
        monkeypatch.setattr(httpx.Client, "__enter__", __enter__)
        monkeypatch.setattr(httpx.Client, "__exit__", __exit__)

    # What happened ---------------------------------------------------------------------------

    @property
    def made(self) -> list[ClientRecord]:
        """The clients made during the test."""
        return [record for record in self.records if record.made_in_test]

    def abandoned(self) -> list[ClientRecord]:
        """The clients dropped without being closed (after a garbage collection)."""
        gc.collect()
        return [record for record in self.records if record.abandoned]

    # Assertions ------------------------------------------------------------------------------

    def assert_made_at_most(self, count: int, during: str = "the test") -> None:
        """Fail if more than ``count`` AsyncClients were made, naming where."""
        __tracebackhide__ = True
        made = self.made
        if len(made) <= count:
            return
        pytest.fail(
            f"{_count(len(made), 'httpx.AsyncClient')} {_were(made)} made during {during}, "
            f"{_sites(made)}\n"
            f"Expected at most {count}: each new client costs about 30 ms of CPU on the event "
            "loop (a fresh SSL context) and opens its own connections instead of reusing them.",
            pytrace=False,
        )

    def assert_none_abandoned(self) -> None:
        """Fail if a client was dropped without being closed."""
        __tracebackhide__ = True
        abandoned = self.abandoned()
        if not abandoned:
            return
        pytest.fail(
            f"{_count(len(abandoned), 'httpx.AsyncClient')} {_were(abandoned)} dropped without "
            f"being closed, {_sites(abandoned)}\n"
            "An unclosed client keeps its connections open until the garbage collector finds "
            "it; under load the server runs out of sockets.\n"
            "Expected every client to be closed (aclose(), or `async with`) or kept for reuse.",
            pytrace=False,
        )

    def assert_each_on_one_loop(self) -> None:
        """Fail if a client was used on more than one event loop."""
        __tracebackhide__ = True
        shared = [record for record in self.records if len(record.loops) > 1]
        if not shared:
            return
        first = shared[0]
        pytest.fail(
            f"An httpx.AsyncClient was used on {len(first.loops)} different event loops; it was "
            f"{first.where()}\n"
            "A client's pooled connections belong to the loop that opened them: with a real "
            "network, the\nnext loop gets `RuntimeError: Event loop is closed` (the fake "
            "upstream of these tests hides it).\n"
            "Expected each event loop to use a client of its own.",
            pytrace=False,
        )


def _mark_collected(record: ClientRecord) -> None:
    record.collected = True


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _were(records: list[ClientRecord]) -> str:
    return "was" if len(records) == 1 else "were"


def _sites(records: list[ClientRecord]) -> str:
    sites = {f"at {record.site}" if record.site else record.where() for record in records}
    if len(sites) == 1:
        return f"all {sites.pop()}" if len(records) > 1 else sites.pop()
    return "at:\n" + "\n".join(f"  {site}" for site in sorted(sites))


async def run_on_new_loop[T](function: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """``await function(*args, **kwargs)`` on a brand-new event loop in another thread, and
    return its result; the calling loop stays free meanwhile."""

    async def call() -> T:
        return await function(*args, **kwargs)

    return await asyncio.to_thread(asyncio.run, call())


@pytest.fixture
def http_clients(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HttpClients]:
    """Every httpx.AsyncClient the code under test makes or uses: ``.assert_made_at_most(1)``,
    ``.assert_none_abandoned()``, ``.assert_each_on_one_loop()``. In server mode, the
    served site's, judged from their connections (``dojo.harness.servedclients``)."""
    if server_mode(request.config):
        yield served_http_clients(request)
        return
    tracker = HttpClients(request.config.stash[settings_key].code_roots)
    tracker.install(monkeypatch)
    yield tracker


@pytest.fixture
def on_new_loop() -> Callable[..., Awaitable[Any]]:
    """Run a coroutine function on a brand-new event loop, as the next test or a sync caller
    (``async_to_sync``) would: ``report = await on_new_loop(burst, "/path", n=3)``. In
    server mode, the site serves its requests on a new loop too (``dojo.server.otherloops``)."""
    return run_on_new_loop


def served_http_clients(request: pytest.FixtureRequest) -> Any:
    """The served site's clients, seen from the test's ``app`` and the fake upstream."""
    from dojo.harness.servedclients import ServedHttpClients
    from dojo.harness.servermode import kata_servers

    app = request.getfixturevalue("app")
    return ServedHttpClients(app, kata_servers(request.config).upstream)
