"""A network under httpx's connection pool, whose far end is the test's fake upstream.

Kata views use httpx as production code does: a client, its connection pool, its limits,
timeouts and keep-alive. A mock that replaces the pool (respx's, for one) makes
``httpx.Limits(max_connections=5)`` mean nothing, so a correct cap could never pass. The
dojo goes one layer lower instead: it replaces only httpcore's network backends, the place
where the pool would open a TCP connection. ``connect_tcp`` to a host the fake upstream
serves returns an in-memory stream; the pool writes a real HTTP/1.1 request into it and
reads a real HTTP/1.1 response back, which ``h11`` parses and builds on the fake's side.
So the pool opens, reuses and limits connections as it would on a network.

The stream is the fake's far end only: what to answer, and after how long, is the
upstream's business (``Answerer``). A pooled connection is not tied to the event loop that
opened it (on a network it would be): each test runs on a loop of its own, where a server
runs one for the whole process, so a client kept for the whole app must keep working from
one test to the next; the kata about loop-bound globals follows loops itself (dojo.harness.clients).
Connections to this machine (127.0.0.1, localhost) go to the real network, so a test can
still reach a server it started; any other host fails to connect, loudly.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import h11
import httpcore
import httpx
from httpcore._backends.auto import AutoBackend
from httpcore._backends.sync import SyncBackend

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
READ_CHUNK = 65_536


class Answerer(Protocol):
    """The far end of the fake network: the test's upstream services."""

    def serves(self, host: str) -> bool: ...

    async def answer_async(
        self, request: httpx.Request, timeout: float | None
    ) -> httpx.Response: ...

    def answer_sync(self, request: httpx.Request, read_timeout: float | None) -> httpx.Response: ...

    def connected(self, host: str) -> None: ...


class _Server:
    """The fake's side of one connection: h11 parses requests and frames responses."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.h11 = h11.Connection(h11.SERVER)
        self.outgoing = bytearray()
        self.pending: httpx.Request | None = None
        self._head: h11.Request | None = None
        self._body = bytearray()

    def received(self, data: bytes) -> None:
        self.h11.receive_data(data)
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self._head, self._body = event, bytearray()
            elif isinstance(event, h11.Data):
                self._body += event.data
            elif isinstance(event, h11.EndOfMessage) and self._head is not None:
                self.pending = self._request(self._head, bytes(self._body))
                return
            elif isinstance(event, h11.ConnectionClosed):
                return

    def _request(self, head: h11.Request, body: bytes) -> httpx.Request:
        scheme = "https" if self.port == 443 else "http"
        default_port = 443 if scheme == "https" else 80
        netloc = self.host if self.port == default_port else f"{self.host}:{self.port}"
        if not self.host:
            # On a real socket (server mode) the service is the one the Host header names.
            netloc = next((v.decode() for k, v in head.headers if k == b"host"), "")
        return httpx.Request(
            head.method.decode(),
            f"{scheme}://{netloc}{head.target.decode()}",
            headers=[(name, value) for name, value in head.headers],
            content=body,
        )

    def respond(self, response: httpx.Response) -> None:
        headers = [
            (name, value)
            for name, value in response.headers.raw
            if name.lower() not in (b"content-length", b"transfer-encoding", b"connection")
        ]
        headers.append((b"content-length", str(len(response.content)).encode()))
        self.outgoing += (
            self.h11.send(h11.Response(status_code=response.status_code, headers=headers)) or b""
        )
        self.outgoing += self.h11.send(h11.Data(data=response.content)) or b""
        self.outgoing += self.h11.send(h11.EndOfMessage()) or b""
        if self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE:
            self.h11.start_next_cycle()
        else:
            self.h11 = h11.Connection(h11.SERVER)

    def take(self, max_bytes: int) -> bytes:
        chunk = bytes(self.outgoing[:max_bytes])
        del self.outgoing[:max_bytes]
        return chunk


class _Current:
    """The fake upstream of the test running now. A connection a client keeps in its pool
    from one test to the next (a client made once for the whole app) reaches the services
    of the test it is used in, as a kept-alive connection reaches the service as it is now."""

    answerer: Answerer | None = None


def _answerer(host: str) -> Answerer:
    answerer = _Current.answerer
    if answerer is None or not answerer.serves(host):
        raise httpcore.RemoteProtocolError(
            f"{host} closed the connection: no test's fake upstream serves it any more"
        )
    return answerer


class AsyncFakeStream(httpcore.AsyncNetworkStream):
    """One connection of an AsyncClient's pool to a fake host."""

    def __init__(self, host: str, port: int) -> None:
        self._server = _Server(host, port)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._server.received(buffer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        server = self._server
        if not server.outgoing and server.pending is not None:
            request, server.pending = server.pending, None
            try:
                response = await _answerer(server.host).answer_async(request, timeout)
            except httpx.RemoteProtocolError:
                return b""  # the server hung up: the pool sees the connection close
            except httpx.TransportError as error:
                raise to_httpcore(error) from None
            server.respond(response)
        return server.take(max_bytes)

    async def aclose(self) -> None:
        pass

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return self  # the fake speaks plain HTTP behind any scheme

    def get_extra_info(self, info: str) -> Any:
        # "is_readable" True would tell the pool the server closed an idle connection.
        return False if info == "is_readable" else None


class SyncFakeStream(httpcore.NetworkStream):
    """One connection of a sync Client's pool to a fake host; its waits block the thread."""

    def __init__(self, host: str, port: int) -> None:
        self._server = _Server(host, port)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._server.received(buffer)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        server = self._server
        if not server.outgoing and server.pending is not None:
            request, server.pending = server.pending, None
            try:
                response = _answerer(server.host).answer_sync(request, timeout)
            except httpx.RemoteProtocolError:
                return b""
            except httpx.TransportError as error:
                raise to_httpcore(error) from None
            server.respond(response)
        return server.take(max_bytes)

    def close(self) -> None:
        pass

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return self

    def get_extra_info(self, info: str) -> Any:
        return False if info == "is_readable" else None


def to_httpcore(error: httpx.TransportError) -> Exception:
    """The httpcore exception that httpx turns back into ``error``'s kind."""
    kind = getattr(httpcore, type(error).__name__, None)
    if isinstance(kind, type) and issubclass(kind, Exception):
        return kind(str(error))
    return httpcore.NetworkError(str(error))


def _unreachable(host: str) -> httpcore.ConnectError:
    return httpcore.ConnectError(
        f"{host} is not one of this test's fake upstream services, and kata tests never "
        "reach the real network (dojo upstream fake)"
    )


@contextlib.contextmanager
def fake_network(answerer: Answerer) -> Iterator[None]:
    """Within this block, httpx connections to hosts other than this machine reach
    ``answerer`` in memory, whichever client or pool makes them."""
    real_async = AutoBackend.connect_tcp
    real_sync = SyncBackend.connect_tcp

    async def connect_async(
        backend: AutoBackend,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if _local(host):
            return await real_async(backend, host, port, timeout, local_address, socket_options)
        if not answerer.serves(host):
            raise _unreachable(host)
        answerer.connected(host)
        return AsyncFakeStream(host, port)

    def connect_sync(
        backend: SyncBackend,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if _local(host):
            return real_sync(backend, host, port, timeout, local_address, socket_options)
        if not answerer.serves(host):
            raise _unreachable(host)
        answerer.connected(host)
        return SyncFakeStream(host, port)

    AutoBackend.connect_tcp = connect_async  # type: ignore[method-assign,assignment]
    SyncBackend.connect_tcp = connect_sync  # type: ignore[method-assign,assignment]
    _Current.answerer = answerer
    try:
        yield
    finally:
        _Current.answerer = None
        AutoBackend.connect_tcp = real_async  # type: ignore[method-assign]
        SyncBackend.connect_tcp = real_sync  # type: ignore[method-assign]


def _local(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")
