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
never speaks TLS, so, like the tests' ``cheap_http_clients`` fixture (``dojo.costs``),
the server can let every client share one SSL context; a kata whose lesson is what a
client costs turns that off in its ``[load]`` table.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import httpx._transports.default

# The name the transports call to build their SSL context (typed loosely: it is private).
httpx_transports: Any = httpx._transports.default

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
# Proxy variables the process must not honour: the redirect replaces them.
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def redirect_httpx(port: int) -> None:
    """From now on in this process, send non-local httpx requests to 127.0.0.1:``port``."""
    httpx.HTTPTransport.handle_request = _redirected(  # type: ignore[method-assign,assignment]
        httpx.HTTPTransport.handle_request, port
    )
    httpx.AsyncHTTPTransport.handle_async_request = _aredirected(  # type: ignore[method-assign,assignment]
        httpx.AsyncHTTPTransport.handle_async_request, port
    )


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
        original = request.url
        request.url = _local_url(original, port) or original
        try:
            return handle(self, request)
        finally:
            request.url = original

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
        original = request.url
        request.url = _local_url(original, port) or original
        try:
            return await handle(self, request)
        finally:
            request.url = original

    return handle_async_request
