"""The httpx plumbing of a kata's server process: its outgoing requests go to the dojo's
fake upstream, and (as in the tests) its clients can be cheap to create.

Kata views call plain ``http://<service>.example/...`` URLs. In the process that serves a
kata, every httpx request to a host that is not this machine goes to the fake upstream on
127.0.0.1 instead, keeping its Host header and path, so the fake knows which service was
asked; nothing reaches the real network. It works at the transport, so sync and async
clients alike are redirected.

Why not ``HTTP_PROXY`` (httpx honours it): every client the view creates would then also
build a proxy transport with an SSL context of its own, doubling what creating a client
costs, and the fixed views would look slower on a real server than they are.

Cheap clients: creating an httpx client loads the CA bundle into a new SSL context, tens
of milliseconds of CPU (on the event loop, for an ``AsyncClient``). The fake upstream
never speaks TLS, so, like the tests' ``cheap_http_clients`` fixture (``dojo.harness.costs``),
the server can let every client share one SSL context; a kata whose lesson is what a
client costs turns that off in its ``[load]`` table.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import httpx._transports.default

# The name the transports call to build their SSL context (typed loosely: it is private).
httpx_transports: Any = httpx._transports.default

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
# Proxy variables the process must not honour: the redirect replaces them.
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
# Server mode's fake upstream (dojo.harness.socketupstream) answers with these headers where a
# service fails before any answer (a refused connection, a timeout while connecting):
# the transport raises that httpx exception, as the network would have.
TRANSPORT_ERROR_HEADER = "x-dojo-transport-error"
TRANSPORT_MESSAGE_HEADER = "x-dojo-transport-message"
# It also honours the client's read timeout itself, as the in-memory fake does (a call that
# outlasts it fails with ReadTimeout, and is not counted as cancelled): the transport tells
# it the timeout, and waits a little longer itself so that the fake's answer comes first.
READ_TIMEOUT_HEADER = "x-dojo-read-timeout"
READ_TIMEOUT_MARGIN = 0.5


def redirect_httpx(port: int) -> None:
    """From now on in this process, send non-local httpx requests to 127.0.0.1:``port``."""
    httpx.HTTPTransport.handle_request = _redirected(  # type: ignore[method-assign,assignment]
        httpx.HTTPTransport.handle_request, port
    )
    httpx.AsyncHTTPTransport.handle_async_request = _aredirected(  # type: ignore[method-assign,assignment]
        httpx.AsyncHTTPTransport.handle_async_request, port
    )


def through_unix_socket(path: Path) -> None:
    """From now on in this process, httpx connects through the Unix socket at ``path``
    wherever it was sent: a worker in a sandbox has no network of ours, and the fake upstream
    listens there too. Each client still opens, keeps and closes its own connections, in the
    order its code does, so the fake sees a cancelled call as soon as the view drops it."""
    for transport in (httpx.HTTPTransport, httpx.AsyncHTTPTransport):
        transport.__init__ = _with_uds(transport.__init__, str(path))  # type: ignore[method-assign]


def _with_uds(init: Callable[..., None], path: str) -> Callable[..., None]:
    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["uds"] = path
        init(self, *args, **kwargs)

    return __init__


def share_ssl_context() -> None:
    """From now on in this process, httpx clients with default TLS settings share one SSL
    context, so creating a client costs microseconds."""
    real: Callable[..., ssl.SSLContext] = httpx_transports.create_ssl_context
    shared = real()

    def create_ssl_context(
        verify: ssl.SSLContext | str | bool = True, cert: Any = None, trust_env: bool = True
    ) -> ssl.SSLContext:
        if verify is True and cert is None:
            return shared
        return real(verify=verify, cert=cert, trust_env=trust_env)

    httpx_transports.create_ssl_context = create_ssl_context


def without_proxies(environ: dict[str, str]) -> dict[str, str]:
    """A copy of ``environ`` without proxy variables (any case)."""
    return {key: value for key, value in environ.items() if key.lower() not in PROXY_VARIABLES}


def _local_url(url: httpx.URL, port: int) -> httpx.URL | None:
    """Where a request to ``url`` goes instead, or None when it stays on this machine."""
    if url.host in LOOPBACK_HOSTS or url.host.startswith("127."):
        return None
    return url.copy_with(scheme="http", host="127.0.0.1", port=port)


def _redirected(
    handle: Callable[[httpx.HTTPTransport, httpx.Request], httpx.Response], port: int
) -> Callable[[httpx.HTTPTransport, httpx.Request], httpx.Response]:
    @functools.wraps(handle)
    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        original, timeouts = request.url, request.extensions.get("timeout")
        _send_to_fake(request, port)
        try:
            response = handle(self, request)
        finally:
            _restore(request, original, timeouts)
        error = transport_error(response, request)
        if error is not None:
            response.close()
            raise error
        return response

    return handle_request


def _aredirected(
    handle: Callable[
        [httpx.AsyncHTTPTransport, httpx.Request], Coroutine[Any, Any, httpx.Response]
    ],
    port: int,
) -> Callable[[httpx.AsyncHTTPTransport, httpx.Request], Coroutine[Any, Any, httpx.Response]]:
    """See _redirected()."""

    @functools.wraps(handle)
    async def handle_async_request(
        self: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        original, timeouts = request.url, request.extensions.get("timeout")
        _send_to_fake(request, port)
        try:
            response = await handle(self, request)
        finally:
            _restore(request, original, timeouts)
        error = transport_error(response, request)
        if error is not None:
            await response.aclose()
            raise error
        return response

    return handle_async_request


def _send_to_fake(request: httpx.Request, port: int) -> None:
    """Point ``request`` at the fake upstream, telling it the client's read timeout."""
    redirected = _local_url(request.url, port)
    if redirected is None:
        return
    request.url = redirected
    timeouts = request.extensions.get("timeout")
    read = timeouts.get("read") if isinstance(timeouts, dict) else None
    if isinstance(timeouts, dict) and read is not None:
        request.headers[READ_TIMEOUT_HEADER] = repr(read)
        request.extensions["timeout"] = {**timeouts, "read": read + READ_TIMEOUT_MARGIN}


def _restore(request: httpx.Request, url: httpx.URL, timeouts: Any) -> None:
    """``request`` as the view made it."""
    request.url = url
    request.headers.pop(READ_TIMEOUT_HEADER, None)
    if timeouts is not None:
        request.extensions["timeout"] = timeouts


def transport_error(response: httpx.Response, request: httpx.Request) -> Exception | None:
    """The httpx exception a marker answer of the fake upstream stands for, if it is one."""
    name = response.headers.get(TRANSPORT_ERROR_HEADER)
    if name is None:
        return None
    kind = getattr(httpx, name, None)
    if not (isinstance(kind, type) and issubclass(kind, httpx.TransportError)):
        kind = httpx.TransportError
    message = unquote(response.headers.get(TRANSPORT_MESSAGE_HEADER, ""))
    return kind(message, request=request)
