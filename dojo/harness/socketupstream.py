"""The tests' fake upstream on a real socket of 127.0.0.1, for server mode.

In server mode the kata's view runs in another process, so its httpx calls cannot be taken
in memory (``dojo.harness.fakenet``): they travel over TCP. The worker sends every call to a
non-local host here (``dojo.server.redirect``), keeping the Host header; this server parses it
with the same h11 code as the in-memory fake and answers with the test's own ``Upstream``,
so the call log, latencies, payloads, limits and injected failures are the very objects
and rules of the in-process mode.

It runs on an event loop of its own, in a thread, for the whole session: pytest-asyncio
gives each test a new loop, while the worker, started once per kata, must keep one port to
call. Each test puts its ``Upstream`` in place with ``serving()``; when the test ends, the
calls still in flight are cancelled (a hang ends there) and kept-alive connections are
closed, as a service that went away.

Where a real socket cannot fail the way a failure says (a refused connection, a connect
timeout: the connection is already open when the request arrives), the server answers
with a marker the worker's transport turns into that exception (``TRANSPORT_ERROR_HEADER``);
a dropped connection is a real one. The worker's transport tells the client's read timeout
(``READ_TIMEOUT_HEADER``), so a call that outlasts it fails as in-process: ``ReadTimeout``
after that long, not a cancelled call. A worker in a sandbox, with no network of ours,
calls through a Unix socket (``serve_unix``, ``dojo.server.redirect.through_unix_socket``).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import h11
import httpx

from dojo.harness.fakenet import READ_CHUNK, _Server
from dojo.harness.links import Link, LinkLog
from dojo.harness.loopwatch import CodeSite
from dojo.harness.upstream import Upstream
from dojo.server.redirect import (
    READ_TIMEOUT_HEADER,
    TRANSPORT_ERROR_HEADER,
    TRANSPORT_MESSAGE_HEADER,
)
from dojo.server.serverside import SYNC_ON_LOOP_HEADER, read_site

HOST = "127.0.0.1"
# A marker answer's status: never a real service's, so nothing mistakes it for one.
MARKER_STATUS = 599
STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class SyncCall:
    """A sync HTTP call the worker says it made on its event loop's thread."""

    method: str
    url: str
    start: float
    site: CodeSite | None


class SocketUpstream:
    """A real HTTP/1.1 server on 127.0.0.1 answering with the current test's ``Upstream``."""

    def __init__(self) -> None:
        self._listener = socket.create_server((HOST, 0))
        self.port: int = self._listener.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._current: Upstream | None = None
        # Sync calls the worker made on its event loop's thread (its report), this test.
        self.sync_calls_on_loop: list[SyncCall] = []
        # The worker's connections to this server, this test (dojo.harness.links).
        self.links = LinkLog()
        self._connections: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self._unix_servers: list[asyncio.Server] = []

    def start(self) -> SocketUpstream:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._connection, sock=self._listener), self._loop
        ).result(STOP_TIMEOUT)
        return self

    def serve_unix(self, path: Path) -> None:
        """Answer on a Unix socket at ``path`` too, for a worker in a sandbox with no
        network of ours (``dojo.server.redirect.through_unix_socket``); any user may connect to it."""
        server = asyncio.run_coroutine_threadsafe(
            asyncio.start_unix_server(self._connection, path=str(path)), self._loop
        ).result(STOP_TIMEOUT)
        self._unix_servers.append(server)
        path.chmod(0o666)

    def close(self) -> None:
        """Stop serving and end the thread."""
        if not self._thread.is_alive():
            self._listener.close()
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shut_down(), self._loop).result(STOP_TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_TIMEOUT)
        self._loop.close()

    def settle(self) -> None:
        """Return once this server has handled what reached it so far (a connection the
        worker closed is logged closed)."""
        for _ in range(3):
            asyncio.run_coroutine_threadsafe(asyncio.sleep(0), self._loop).result(STOP_TIMEOUT)

    @contextlib.contextmanager
    def serving(self, upstream: Upstream) -> Iterator[None]:
        """Within this block, calls reaching the socket are answered by ``upstream``."""
        self._current = upstream
        self.sync_calls_on_loop = []
        self.links = LinkLog()
        try:
            yield
        finally:
            self._current = None
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._hang_up(), self._loop).result(STOP_TIMEOUT)

    async def _shut_down(self) -> None:
        for server in (self._server, *self._unix_servers):
            if server is not None:
                server.close()
        await self._hang_up()

    async def _hang_up(self) -> None:
        """Close every connection: calls in flight are cancelled, as when a service goes."""
        tasks = list(self._connections)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=STOP_TIMEOUT)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        server = _Server("", 80)
        opened_at = time.perf_counter()
        # Logged once it carries a call to one of the test's services: a connection to any
        # other host (a worker warming its clients up as it starts) is no client's of the view.
        link: Link | None = None
        try:
            while data := await reader.read(READ_CHUNK):
                server.received(data)
                if server.pending is None:
                    continue
                request, server.pending = server.pending, None
                current = self._current
                if link is None and current is not None and current.serves(request.url.host):
                    link = self.links.opened(at=opened_at)
                call = link.called() if link is not None else None
                response = await self._answer(request, reader)
                if response is None:
                    return  # dropped, or the client went away first
                server.respond(response)
                writer.write(server.take(len(server.outgoing)))
                await writer.drain()
                if call is not None:
                    call.answered(failed=response.status_code >= 400)
            if link is not None:
                link.closed(by_client=True)
        except (ConnectionError, h11.RemoteProtocolError, asyncio.CancelledError):
            return
        finally:
            if link is not None:
                link.closed(by_client=False)
            self._connections.discard(task)
            writer.close()

    async def _answer(
        self, request: httpx.Request, reader: asyncio.StreamReader
    ) -> httpx.Response | None:
        """The current upstream's answer, or None to close the connection unanswered."""
        upstream = self._current
        if upstream is None:
            return None  # between tests: no service is there any more
        host = request.url.host
        if not upstream.serves(host):
            return _marker(
                httpx.ConnectError(
                    f"{host} is not one of this test's fake upstream services, and kata tests "
                    "never reach the real network (dojo upstream fake)"
                )
            )
        upstream.connected(host)
        made_at = request.headers.pop(SYNC_ON_LOOP_HEADER, None)
        if made_at is not None:
            self.sync_calls_on_loop.append(
                SyncCall(request.method, str(request.url), time.perf_counter(), read_site(made_at))
            )
        timeout = request.headers.pop(READ_TIMEOUT_HEADER, None)
        read_timeout = float(timeout) if timeout else None
        answer = asyncio.ensure_future(upstream.answer_async(request, read_timeout))
        left = asyncio.ensure_future(reader.read(1))
        try:
            await asyncio.wait({answer, left}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not answer.done():
                answer.cancel()  # the client gave up waiting: its call is cancelled
                await asyncio.wait({answer})
            left.cancel()
            await asyncio.wait({left})  # done reading before the connection reads again
        if answer.cancelled():
            return None
        error = answer.exception()
        if isinstance(error, httpx.RemoteProtocolError):
            return None
        if isinstance(error, httpx.TransportError):
            return _marker(error)
        if error is not None:
            # The test's own reply function failed: in-process, the view's call would raise it.
            text = f"the test's fake upstream failed: {type(error).__name__}: {error}"
            return httpx.Response(500, json={"error": text})
        return answer.result()


def _marker(error: httpx.TransportError) -> httpx.Response:
    """An answer the worker's transport turns into ``error`` (see dojo.server.redirect)."""
    return httpx.Response(
        MARKER_STATUS,
        headers={
            TRANSPORT_ERROR_HEADER: type(error).__name__,
            TRANSPORT_MESSAGE_HEADER: quote(str(error)),
        },
    )
