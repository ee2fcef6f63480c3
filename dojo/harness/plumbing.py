"""Harness pieces for the Django-plumbing katas: a site that answers like a server, a kata's
own middleware, and a cache server.

Server. When an exception escapes Django itself (a middleware chain that hands a response
to ``await``, a URLconf that fails to load), uvicorn answers 500. ``server_app`` does the
same, keeping the exception for the report, where ``app`` would raise it into the test.

Middleware. A test module names the kata's middleware with a marker::

    pytestmark = pytest.mark.middleware("katas.28_hybrid_middleware.middleware.server_timing")

and ``middleware_app`` serves the kata behind it (after ``settings.MIDDLEWARE``, before the
view). Under the real ``ASGIHandler`` every request has its own ``ThreadSensitiveContext``,
so a sync-only middleware does not make requests queue: they still overlap. What it costs
is a thread per request. Django calls the middleware in a worker thread, and the middleware
reaches the async view through ``async_to_sync``, so that thread sits blocked for as long
as the view runs. A probe just in front of the view looks at every thread when a request
arrives and records any that wait in ``async_to_sync`` on behalf of the learner's code:
that is the speed-free signal of a chain that did not stay async.

Cache. ``network_cache`` swaps the default cache for one that answers like a cache server
across the network (Redis, memcached): each operation takes a little time, which blocks the
calling thread, and each is recorded with whether it ran on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from uuid import uuid4

import pytest
from asgiref.sync import AsyncToSync, markcoroutinefunction
from django.core.cache.backends import locmem
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.test.utils import override_settings

from dojo.harness.asgi import App, BurstReport
from dojo.harness.config import kata_folder, settings_key
from dojo.harness.houserules import HouseRules
from dojo.harness.loopwatch import CodeSite, site_of
from dojo.harness.remote import RemoteApp
from dojo.harness.servermode import server_mode
from dojo.harness.timeline import REQUEST_ID_HEADER

PROBE_MIDDLEWARE = "dojo.harness.plumbing.ThreadProbeMiddleware"
MIDDLEWARE_MARKER_HELP = (
    "middleware(*paths): the dotted paths of the kata's middleware that middleware_app "
    "serves the kata behind"
)
# How long one round trip to the fake cache server takes.
CACHE_LATENCY = 0.02

# The probe records of the site being built, read by the probe middleware's __init__.
_building: ContextVar[ThreadProbe | None] = ContextVar("dojo_probe_building", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MIDDLEWARE_MARKER_HELP)


# Middleware under test -------------------------------------------------------------------


@dataclass
class ThreadProbe:
    """The threads found waiting, in the kata's code, for a request inside the view."""

    code_roots: tuple[Path, ...]
    # The kata folder's name: only its code counts (None: any learner code).
    kata: str | None = None
    requests: int = 0
    held: dict[int, CodeSite | None] = field(default_factory=dict)
    # Threads already waiting before the site served anything, such as one left by an
    # earlier test: not this site's doing.
    ignored: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.ignored = set(self._waiting())

    def sample(self) -> None:
        """Look at every other thread now, while a request has just reached the view."""
        self.requests += 1
        for ident, site in self._waiting().items():
            if ident not in self.ignored:
                self.held.setdefault(ident, site)

    def _waiting(self) -> dict[int, CodeSite | None]:
        me = threading.get_ident()
        return {
            ident: site
            for ident, frame in sys._current_frames().items()
            if ident != me and (site := self._async_to_sync_caller(frame)) is not None
        }

    def _async_to_sync_caller(self, frame: FrameType | None) -> CodeSite | None:
        """The kata's line whose call into ``async_to_sync`` this thread is blocked in."""
        while frame is not None and frame.f_code is not AsyncToSync.__call__.__code__:
            frame = frame.f_back
        caller = frame.f_back if frame is not None else None
        while caller is not None and not self._in_kata(caller):
            caller = caller.f_back
        return site_of(caller, self.code_roots)

    def _in_kata(self, frame: FrameType) -> bool:
        path = Path(frame.f_code.co_filename)
        if self.kata is not None and path.parent.name != self.kata:
            return False
        return any(path.is_relative_to(root) for root in self.code_roots)


class ThreadProbeMiddleware:
    """Just in front of the view: records the threads that wait for the request (async only,
    so it never adds a thread of its own)."""

    async_capable = True
    sync_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]) -> None:
        self.get_response = get_response
        self.probe = _building.get()
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self.probe is not None and request.headers.get(REQUEST_ID_HEADER):
            self.probe.sample()
        return await self.get_response(request)


class _AnswersLikeAServer(ASGIHandler):
    """The site's handler, wrapped: an exception that escapes Django becomes a 500, as uvicorn
    answers it, and is kept as that request's error (unless Django logged an earlier one)."""

    def __init__(self, inner: ASGIHandler, errors: dict[str, BaseException]) -> None:
        # Not ASGIHandler.__init__: the inner handler has loaded the middleware already.
        self.inner = inner
        self.errors = errors

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[Mapping[str, Any]]],
        send: Callable[[Mapping[str, Any]], Awaitable[None]],
    ) -> None:
        started = False

        async def tracked_send(message: Mapping[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.inner(scope, receive, tracked_send)
        except Exception as error:
            headers = dict(scope["headers"])
            request_id = headers.get(REQUEST_ID_HEADER.lower().encode(), b"").decode()
            self.errors.setdefault(request_id, error)
            if not started:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": b"Internal Server Error"})


class ServerApp(App):
    """The kata's site as a server serves it: an exception that escapes Django (a broken
    middleware chain, a URLconf that fails to load) is a 500, not a traceback in the test."""

    def __init__(
        self,
        code_roots: tuple[Path, ...],
        middleware: Sequence[str] = (),
        rules: HouseRules | None = None,
    ) -> None:
        super().__init__(code_roots, middleware=middleware, rules=rules)
        self.handler = _AnswersLikeAServer(self.handler, self._errors)


class MiddlewareApp(ServerApp):
    """The kata's site behind the kata's own middleware, with a probe in front of the view."""

    def __init__(
        self,
        code_roots: tuple[Path, ...],
        middleware: Sequence[str],
        kata: str | None = None,
        rules: HouseRules | None = None,
    ) -> None:
        self.probe = ThreadProbe(code_roots, kata)
        token = _building.set(self.probe)
        try:
            super().__init__(code_roots, middleware=[*middleware, PROBE_MIDDLEWARE], rules=rules)
        finally:
            _building.reset(token)

    def assert_chain_stays_async(self) -> None:
        """Fail if, while any request so far was inside the view, a thread sat blocked in the
        learner's code waiting for it (``async_to_sync``): the sign of a sync middleware."""
        __tracebackhide__ = True
        requests = self.probe.requests
        if requests == 0:
            pytest.fail(
                "No request reached the view, so the middleware chain could not be checked. "
                "Make the requests succeed first.",
                pytrace=False,
            )
        if not self.probe.held:
            return
        sites = Counter(
            str(site) if site else "(unknown line)" for site in self.probe.held.values()
        )
        where = "\n".join(
            f"  {count} thread{'s' if count > 1 else ''} at {site}" for site, count in sites.items()
        )
        held = len(self.probe.held)
        pytest.fail(
            f"While {requests} request{'s were' if requests > 1 else ' was'} inside the view, "
            f"{held} thread{'s' if held > 1 else ''} sat blocked in your code, waiting for the "
            f"view to finish:\n{where}\n"
            "Django ran that code in a worker thread and reached the async view from there "
            "through async_to_sync, so every request in flight holds a thread of its own, "
            "as under WSGI.\n"
            "Expected the middleware chain to stay async: no thread waiting while the view runs.",
            pytrace=False,
        )


@pytest.fixture
def server_app(request: pytest.FixtureRequest) -> Iterator[ServerApp | RemoteApp]:
    """``app``, answering as a server does when an exception escapes Django (a URLconf that
    fails to load): a 500 whose ``.exception`` names the error, not a traceback. In server
    mode ``app`` is one: uvicorn answers so, and the worker names the error."""
    if server_mode(request.config):
        yield request.getfixturevalue("app")
        return
    rules = request.getfixturevalue("_dojo_house_rules")
    site = ServerApp(request.config.stash[settings_key].code_roots, rules=rules)
    with site:
        yield site


@pytest.fixture
def middleware_app(request: pytest.FixtureRequest) -> Iterator[MiddlewareApp]:
    """The kata's site behind the middleware named by the test's ``middleware`` marker;
    ``middleware_app.assert_chain_stays_async()`` fails if a thread waited for the view
    (in server mode, the served site's, its threads seen from outside: dojo.harness.heldthreads)."""
    marker = request.node.get_closest_marker("middleware")
    if marker is None or not marker.args:
        raise pytest.UsageError(
            f"{request.node.nodeid}: middleware_app needs the kata's middleware: add "
            'pytestmark = pytest.mark.middleware("katas.NN_slug.middleware.Name").'
        )
    paths = [str(path) for path in marker.args]
    if server_mode(request.config):
        from dojo.harness.heldthreads import served_middleware_app

        with served_middleware_app(request, paths) as served:
            yield served  # type: ignore[misc]
        return
    code_roots = request.config.stash[settings_key].code_roots
    kata = kata_folder(request.node.path)
    site = MiddlewareApp(
        code_roots,
        paths,
        kata.name if kata else None,
        rules=request.getfixturevalue("_dojo_house_rules"),
    )
    with site:
        yield site


@pytest.fixture
def middleware_burst(middleware_app: MiddlewareApp) -> Callable[..., Awaitable[BurstReport]]:
    """``burst`` for ``middleware_app``: N requests at once through the kata's middleware."""
    return middleware_app.burst


# A cache server across the network --------------------------------------------------------


@dataclass(frozen=True)
class CacheCall:
    """One operation the view asked of the cache server."""

    operation: str
    key: str
    on_loop: bool
    site: CodeSite | None


@dataclass
class CacheServer:
    """What the fake cache server was asked, and from where."""

    code_roots: tuple[Path, ...]
    latency: float = CACHE_LATENCY
    calls: list[CacheCall] = field(default_factory=list)

    def record(self, operation: str, key: str) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            on_loop = False
        else:
            on_loop = True
        site = site_of(sys._getframe(), self.code_roots)
        self.calls.append(CacheCall(operation, key, on_loop, site))
        # A round trip to the server: it blocks the calling thread, like a real client.
        time.sleep(self.latency)

    def assert_never_blocked_the_loop(self) -> None:
        """Fail if a cache operation ran on the event loop's thread (a sync cache call)."""
        __tracebackhide__ = True
        blocking = [call for call in self.calls if call.on_loop]
        if not blocking:
            return
        first = blocking[0]
        where = f", at\n  {first.site}" if first.site else ""
        pytest.fail(
            f"{len(blocking)} of {len(self.calls)} cache calls ran on the event loop{where}\n"
            f"(cache.{first.operation}({first.key!r})). In production the cache is a server "
            "across the network: a sync call waits for its answer with the whole loop blocked, "
            "and every other request waits too.\n"
            "Expected every cache call from the async view to be awaited (the a-prefixed API).",
            pytrace=False,
        )


_servers: dict[str, CacheServer] = {}


class NetworkCache(LocMemCache):
    """A local-memory cache that answers like a server across the network (see
    ``network_cache``). Its async methods are Django's defaults: the sync ones in a thread."""

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        self.server = _servers[name]

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        self.server.record("get", key)
        return super().get(key, default, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self.server.record("set", key)
        super().set(key, value, timeout, version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        self.server.record("add", key)
        return super().add(key, value, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        self.server.record("delete", key)
        return super().delete(key, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        self.server.record("has_key", key)
        return super().has_key(key, version)


@pytest.fixture
def network_cache(request: pytest.FixtureRequest) -> Iterator[CacheServer]:
    """The default cache as a server across the network: every call takes a little time,
    blocking its thread, and is recorded; ``assert_never_blocked_the_loop()`` fails if a
    sync cache call ran on the event loop. In server mode the served site's cache is a
    real server in the test process (``dojo.harness.cacheserver``)."""
    server = CacheServer(request.config.stash[settings_key].code_roots)
    if server_mode(request.config):
        from dojo.harness.cacheserver import served_cache

        with served_cache(request, server):
            yield server
        return
    location = f"dojo-{uuid4().hex}"
    _servers[location] = server
    backend = {"BACKEND": "dojo.harness.plumbing.NetworkCache", "LOCATION": location}
    try:
        with override_settings(CACHES={"default": backend}):
            yield server
    finally:
        del _servers[location]
        # LocMemCache keeps every cache's data in module-level dicts, keyed by location.
        for store in ("_caches", "_expire_info", "_locks"):
            getattr(locmem, store).pop(location, None)
