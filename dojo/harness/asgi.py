"""Drive the Django project through its ASGI handler, the way a real server does.

Django's ``AsyncClient`` runs every request's thread-sensitive work on one shared thread
and cannot stream or disconnect (see FACTS.md). The real ``ASGIHandler`` gives each
request its own ``ThreadSensitiveContext``, so the harness calls it directly with an ASGI
scope, ``receive`` and ``send``, and records what came back and when.
"""

from __future__ import annotations

import abc
import asyncio
import inspect
import json as jsonlib
import logging
import threading
import time
import traceback
import types
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings

from dojo.harness.concepts import concept_line
from dojo.harness.csrf import browser_headers
from dojo.harness.deadline import (
    CANCEL_GRACE,
    REQUEST_DEADLINE,
    ViewKeptTheLoop,
    awaiting_sites,
    never_answered,
    raise_in_thread,
    stop_learner_threads,
)
from dojo.harness.houserules import HouseRules
from dojo.harness.loopwatch import (
    STALL_LIMIT,
    CodeSite,
    LoopWatch,
    Stall,
    code_site,
    learner_site_at,
    monitor_for,
    stall_report,
)
from dojo.harness.timeline import (
    REQUEST_ID_HEADER,
    RequestTimeline,
    current_timeline,
    new_request_id,
    render_rows,
)

TIMELINE_MIDDLEWARE = "dojo.harness.timeline.RequestTimelineMiddleware"


# What a browser sends with every request: the harness's requests look like production's, so
# a view cannot tell that it is being tested (and serve the test something else).
BROWSER_HEADERS = {
    "user-agent": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36"
    ),
    "accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
    "accept-language": "en-GB,en;q=0.9",
}


@dataclass
class Response:
    """What the view answered to one request, and the exception behind a 500."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    content: bytes
    start: float
    end: float
    request_id: str = ""
    exception: BaseException | None = None
    error_site: CodeSite | None = None
    concept: str | None = None
    code_roots: tuple[Path, ...] = ()

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    @property
    def elapsed(self) -> float:
        return self.end - self.start

    def json(self) -> Any:
        return jsonlib.loads(self.content)

    def outcome(self) -> str:
        """The status, with the exception that caused a 500: "500 (TypeError: ...)"."""
        if self.exception is None:
            return str(self.status)
        return f"{self.status} ({_one_line(self.exception)})"

    def explain(self) -> str:
        """What happened, for an assertion message: the status, the error and where it was."""
        lines = [f"{self.request_line} returned {self.outcome()}."]
        if self.error_site is not None:
            lines.append(f"The error was raised at {self.error_site}")
        elif self.exception is not None and (
            origin := unawaited_origin(self.exception, self.code_roots)
        ):
            lines.append(
                "The error was raised inside Django, which was handed a coroutine (never "
                f"awaited) of the function at {origin}"
            )
        elif self.exception is not None and (
            handled := learner_function_handled(self.exception, self.code_roots)
        ):
            lines.append(
                f"The error was raised inside Django, on what it got from the function at {handled}"
            )
        elif self.exception is None and self.status != 200:
            lines.append(f"Body: {self.text[:300]!r}")
        if self.concept:
            lines.append(self.concept)
        return "\n".join(lines)

    def assert_status(self, expected: int, meaning: str = "") -> None:
        """Fail unless the status is ``expected``; ``meaning`` says what that status means."""
        __tracebackhide__ = True
        if self.status != expected:
            wanted = f"{expected} ({meaning})" if meaning else str(expected)
            pytest.fail(
                f"Expected {wanted} from {self.request_line}.\n{self.explain()}", pytrace=False
            )

    def assert_json(self, expected: Any, meaning: str = "") -> None:
        """Fail unless the response is 200 with a JSON body equal to ``expected``."""
        __tracebackhide__ = True
        what = meaning or "the JSON body"
        self.assert_status(200, what)
        content_type = self.headers.get("content-type", "")
        if not content_type.startswith("application/json"):
            pytest.fail(
                f"Expected {what} from {self.request_line}, as application/json.\n"
                f"It answered with Content-Type {content_type!r}; body: {self.text[:300]!r}",
                pytrace=False,
            )
        problem: str | None = None
        try:
            body = self.json()
        except ValueError as error:  # json's JSONDecodeError, or a body that is not UTF-8
            problem = f"{type(error).__name__}: {error}"
        if problem is not None:
            pytest.fail(
                f"Expected {what} from {self.request_line}:\n    {expected!r}\n"
                f"It answered as application/json, but its body is not JSON ({problem}): "
                f"{self.text[:300]!r}",
                pytrace=False,
            )
        if body != expected:
            pytest.fail(
                f"Expected {what} from {self.request_line}:\n    {expected!r}\n"
                f"It returned this JSON:\n    {body!r}",
                pytrace=False,
            )


@dataclass
class BurstReport:
    """N requests fired together: their responses, when each was inside the view, and
    the longest time the event loop was blocked meanwhile."""

    method: str
    path: str
    responses: list[Response]
    intervals: list[tuple[float, float | None]]
    elapsed: float
    stall: Stall | None
    # How the intervals were seen: from inside the view (in-process), or from outside.
    seen: str = "while each was inside the view"

    @property
    def statuses(self) -> list[int]:
        return [response.status for response in self.responses]

    @property
    def peak_in_flight(self) -> int:
        """The most requests that were inside the view at the same moment."""
        from dojo.harness.upstream import peak_overlap

        return peak_overlap(self.intervals)

    @property
    def longest_stall(self) -> float:
        return self.stall.seconds if self.stall else 0.0

    def timeline(self) -> str:
        """One row per request, in the order they entered the view: a staircase when they
        queued, a block when they overlapped."""
        served = sorted(zip(self.intervals, self.responses, strict=True), key=lambda r: r[0][0])
        return render_rows(
            f"Requests, {self.seen} (█)",
            [
                (f"#{index}", start, end, response.outcome())
                for index, ((start, end), response) in enumerate(served, start=1)
            ],
        )

    def stall_report(self) -> str:
        """Where the loop was blocked, if it was blocked for long."""
        return stall_report(self.stall)

    def assert_all_status(self, expected: int = 200, meaning: str = "") -> None:
        """Fail unless every request got ``expected``."""
        __tracebackhide__ = True
        wrong = [response for response in self.responses if response.status != expected]
        if wrong:
            wanted = f"{expected} ({meaning})" if meaning else str(expected)
            pytest.fail(
                f"Expected every request to {self.method} {self.path} to return {wanted}, "
                f"but {len(wrong)} of {len(self.responses)} did not.\n{wrong[0].explain()}",
                pytrace=False,
            )

    def assert_served_concurrently(self, at_least: int | None = None) -> None:
        """Fail unless ``at_least`` requests (all of them by default) were inside the view
        at the same moment, showing the timeline and what blocked the loop."""
        __tracebackhide__ = True
        wanted = len(self.responses) if at_least is None else at_least
        peak = self.peak_in_flight
        if peak >= wanted:
            return
        pytest.fail(
            f"Expected {wanted} of the {len(self.responses)} requests to {self.method} "
            f"{self.path} to be served at the same time, but at most {peak} "
            f"{'was' if peak == 1 else 'were'} inside the view at once: the others waited.\n\n"
            f"{self.timeline()}\n\n{self.stall_report()}",
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


class Requests(abc.ABC):
    """``get`` and ``post`` in the words of a test, for both drivers of the site: each
    sends through its ``request``."""

    @abc.abstractmethod
    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        browser: bool = True,
    ) -> Response:
        """Send one request to the site and read its whole response."""

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``path`` (with its query string)."""
        return await self.request("GET", path, headers=headers)

    async def post(
        self,
        path: str,
        *,
        json: Any = None,
        data: bytes = b"",
        headers: dict[str, str] | None = None,
        browser: bool = True,
    ) -> Response:
        """POST to ``path``, with a JSON body or raw bytes, from a page of the site
        (``browser``, with its CSRF token) or from another service."""
        headers = dict(headers or {})
        if json is not None:
            data = jsonlib.dumps(json).encode()
            headers.setdefault("content-type", "application/json")
        return await self.request("POST", path, body=data, headers=headers, browser=browser)


class App(Requests):
    """The Django project under test, reached through a fresh ASGIHandler."""

    def __init__(
        self,
        code_roots: tuple[Path, ...],
        middleware: Sequence[str] = (),
        rules: HouseRules | None = None,
    ) -> None:
        self.code_roots = code_roots
        self.rules = rules
        with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, *middleware, TIMELINE_MIDDLEWARE]):
            self.handler = ASGIHandler()
        self._errors: dict[str, BaseException] = {}
        self._counter = 0
        self.hung = False
        self._spun_at: CodeSite | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        browser: bool = True,
    ) -> Response:
        """One request, on its own timeline: a browser's, or another service's."""
        token = current_timeline.set(self._timeline())
        try:
            async with self.watching(f"{method} {path}"):
                return await self._send(method, path, body, headers or {}, browser)
        finally:
            current_timeline.reset(token)

    def _timeline(self) -> RequestTimeline:
        """A timeline for requests about to be sent, which tells the house rules when each
        request's view has returned."""
        return RequestTimeline(on_leave=self.rules.view_returned if self.rules else None)

    def watching(self, what: str) -> AbstractAsyncContextManager[LoopWatch]:
        """Watch the loop while ``what`` is served, keeping the house rules if any."""
        if self.rules is None:
            return LoopWatch(self.code_roots)
        return self.rules.watching(what)

    async def burst(
        self,
        path: str,
        n: int = 10,
        *,
        method: str = "GET",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        browser: bool = True,
    ) -> BurstReport:
        """Fire ``n`` identical requests at once and report how they were served."""
        timeline = self._timeline()
        token = current_timeline.set(timeline)
        try:
            started = time.perf_counter()
            async with self.watching(f"a burst of {n} x {method} {path}") as watch:
                responses = await asyncio.gather(
                    *(self._send(method, path, body, headers or {}, browser) for _ in range(n))
                )
            elapsed = time.perf_counter() - started
        finally:
            current_timeline.reset(token)
        # A request that never reached the view (rejected by a middleware) counts as an instant.
        intervals = [
            (interval.start, interval.end)
            if (interval := timeline.intervals.get(response.request_id))
            else (response.start, response.start)
            for response in responses
        ]
        return BurstReport(method, path, list(responses), intervals, elapsed, watch.longest)

    async def _send(
        self, method: str, path: str, body: bytes, headers: dict[str, str], browser: bool
    ) -> Response:
        if self.rules is None:
            return await self._exchange(method, path, body, headers, browser)
        with self.rules.serving(method, path):
            return await self._exchange(method, path, body, headers, browser)

    async def _exchange(
        self, method: str, path: str, body: bytes, headers: dict[str, str], browser: bool
    ) -> Response:
        """One request through the ASGI handler, and what came back."""
        self._counter += 1
        request_id = new_request_id()
        scope = http_scope(
            method, path, headers, request_id, client_port=40000 + self._counter, browser=browser
        )
        body_sent = False
        finished = asyncio.Event()

        async def receive() -> dict[str, Any]:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await finished.wait()
            return {"type": "http.disconnect"}

        status = 0
        response_headers: dict[str, str] = {}
        chunks: list[bytes] = []

        async def send(message: Mapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    response_headers[key.decode().lower()] = value.decode()
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        start = time.perf_counter()
        self._watch_for_spins()
        # As under uvicorn, each request runs in a task of its own, with its own copy of the
        # context: no ContextVar set while serving one request is seen by the next.
        task = asyncio.create_task(self.handler(scope, receive, send))
        try:
            await self._within_deadline(f"{method} {path}", task)
        finally:
            finished.set()
        exception = self._errors.pop(request_id, None)
        if exception is not None and self.rules is not None:
            self.rules.saw_exception = True
        return Response(
            method=method,
            path=path,
            status=status,
            headers=response_headers,
            content=b"".join(chunks),
            start=start,
            end=time.perf_counter(),
            request_id=request_id,
            exception=exception,
            error_site=error_site(exception, self.code_roots) if exception else None,
            concept=concept_line(_error_text(exception, self.code_roots)) if exception else None,
            code_roots=self.code_roots,
        )

    async def _within_deadline(self, request: str, task: asyncio.Task[None]) -> None:
        """Await the request's task; fail the test, plainly, if the view never answers."""
        __tracebackhide__ = True
        try:
            await asyncio.wait({task}, timeout=REQUEST_DEADLINE)
        except asyncio.CancelledError:
            task.cancel()  # the test gave up on this request (its own timeout)
            raise
        # A view stopped by the loop's watchdog is done, though the wait may have timed out
        # in the same loop turn.
        if task.done():
            try:
                task.result()
                return
            except ViewKeptTheLoop:
                self.hung = True
                message = never_answered(request, self._spun_at, held_the_loop=True)
            pytest.fail(message, pytrace=False)
        self.hung = True
        sites = awaiting_sites(task, self.code_roots)
        in_thread = stop_learner_threads(self.code_roots, threading.get_ident())
        task.cancel()
        await asyncio.wait({task}, timeout=CANCEL_GRACE)
        if self._spun_at is not None:
            # Stopped by the watchdog, and still unwinding (Django's TaskGroup) at the deadline.
            message = never_answered(request, self._spun_at, held_the_loop=True)
        else:
            site = sites[0] if sites else None
            message = never_answered(request, site, held_the_loop=False, thread_site=in_thread)
        pytest.fail(message, pytrace=False)

    def _watch_for_spins(self) -> None:
        """Have the loop's watchdog stop a view that holds the loop past the deadline."""
        monitor = monitor_for(asyncio.get_running_loop(), self.code_roots)
        if monitor.on_spin is not None:
            return
        loop_thread = threading.get_ident()

        def stop_the_view(sites: tuple[CodeSite, ...]) -> None:
            self._spun_at = sites[0]
            raise_in_thread(loop_thread, ViewKeptTheLoop)

        monitor.spin_limit = REQUEST_DEADLINE
        monitor.on_spin = stop_the_view

    # Set-up and tear-down around a test ----------------------------------------------------

    def __enter__(self) -> App:
        # Like Django's test client: a request must not close the test's database connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        # The harness reports a view's exception itself (status, error, learner's line);
        # Django's log of it, through asgiref's internals, would only bury that.
        self._catcher = _ExceptionCatcher(self._errors)
        logging.getLogger("django.request").addFilter(self._catcher)
        return self

    def __exit__(self, *exc_info: object) -> None:
        logging.getLogger("django.request").removeFilter(self._catcher)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class _ExceptionCatcher(logging.Filter):
    """Keeps the exception behind each 500, keyed by the harness's request id, and drops
    Django's log records of the harness's requests."""

    def __init__(self, errors: dict[str, BaseException]) -> None:
        super().__init__()
        self.errors = errors

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        request_id = request.headers.get(REQUEST_ID_HEADER) if request is not None else None
        if request_id is None:
            return True
        if record.exc_info is not None and record.exc_info[1] is not None:
            self.errors[request_id] = record.exc_info[1]
        # The harness reports its requests' statuses and errors itself.
        return False


def http_scope(
    method: str,
    path: str,
    headers: dict[str, str],
    request_id: str,
    *,
    client_port: int,
    browser: bool = True,
) -> dict[str, Any]:
    """The ASGI scope of a harness request to ``path`` (with its query string): what a
    browser would send to the site's own host (its CSRF token with a POST), with ``headers``
    added or replaced; not ``browser``: only ``headers``, as another service sends them."""
    url = urlsplit(path)
    if browser:
        given = browser_headers(method, headers, origin=f"http://{settings.SITE_HOST}")
        sent = {**BROWSER_HEADERS, **given}
    else:
        sent = {name.lower(): value for name, value in headers.items()}
    raw_headers = [(b"host", settings.SITE_HOST.encode())]
    raw_headers += [(name.encode(), value.encode()) for name, value in sent.items()]
    raw_headers.append((REQUEST_ID_HEADER.lower().encode(), request_id.encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": url.path,
        "raw_path": url.path.encode(),
        "query_string": url.query.encode(),
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", client_port),
        "server": (settings.SITE_HOST, 80),
    }


def error_site(exception: BaseException, code_roots: tuple[Path, ...]) -> CodeSite | None:
    """The innermost line of learner code in the exception's traceback (for a SyntaxError,
    the offending line itself)."""
    if isinstance(exception, SyntaxError) and exception.filename and exception.lineno:
        path = Path(exception.filename)
        for root in code_roots:
            if path.is_relative_to(root):
                return code_site(path, exception.lineno, root.parent)
    for frame, line in reversed(list(traceback.walk_tb(exception.__traceback__))):
        path = Path(frame.f_code.co_filename)
        for root in code_roots:
            if path.is_relative_to(root):
                return code_site(path, line, root.parent)
    return None


def unawaited_origin(exception: BaseException, code_roots: tuple[Path, ...]) -> CodeSite | None:
    """When Django's own code raised the error while holding a coroutine of the learner's
    (a middleware's ``async def __call__`` Django took for a sync one, say), the line that
    defines that coroutine's function: no frame of the learner's is in the traceback."""
    for frame, _ in reversed(list(traceback.walk_tb(exception.__traceback__))):
        for value in _plain_locals(frame):
            code = value.cr_code
            site = learner_site_at(code.co_filename, code.co_firstlineno, code_roots)
            if site is not None:
                return site
    return None


def learner_function_handled(
    exception: BaseException, code_roots: tuple[Path, ...]
) -> CodeSite | None:
    """When Django's own code raised the error about what a function of the learner's gave
    it (a view or a middleware that returned None, say), the line that defines that
    function: no frame of the learner's is in the traceback, as the function had returned."""
    for frame, _ in reversed(list(traceback.walk_tb(exception.__traceback__))):
        for value in _handled_values(frame):
            code = _code_of(value)
            site = code and learner_site_at(code.co_filename, code.co_firstlineno, code_roots)
            if site:
                return site
    return None


def _handled_values(frame: types.FrameType) -> Iterator[Any]:
    """The frame's locals; for a middleware of Django's among them, the next one in the
    chain (what it got the response from); for a class-based view's function, the class's
    handler of the request's method."""
    for value in frame.f_locals.values():
        yield value
        if type(value) is types.FunctionType and "view_class" in vars(value):
            method = _plain_attributes(frame.f_locals.get("request")).get("method")
            if isinstance(method, str):
                yield _class_attribute(vars(value)["view_class"], method.lower())
        elif type(value).__module__.startswith("django."):
            yield _plain_attributes(value).get("get_response")


def _plain_attributes(value: Any) -> dict[str, Any]:
    # Not getattr: a lazy object (request.user) would run its queries from here.
    try:
        attributes: dict[str, Any] = object.__getattribute__(value, "__dict__")
    except AttributeError:
        return {}
    return attributes


def _class_attribute(klass: Any, name: str) -> Any:
    """``name`` as the class defines or inherits it, without running any descriptor."""
    mro = klass.__mro__ if isinstance(klass, type) else ()
    return next((vars(base)[name] for base in mro if name in vars(base)), None)


def _code_of(value: Any) -> types.CodeType | None:
    """The code of a function, a method, or an object's ``__call__`` (a middleware's), under
    the wrappers Django puts around them (each keeps what it wraps as ``__wrapped__``)."""
    # type(), not isinstance(): see _plain_locals.
    if type(value) is types.FunctionType:
        value = inspect.unwrap(value)
    if type(value) is types.MethodType:
        value = value.__func__
    if type(value) is not types.FunctionType:
        value = _class_attribute(type(value), "__call__")
    return value.__code__ if type(value) is types.FunctionType else None


def _plain_locals(frame: types.FrameType) -> list[types.CoroutineType[Any, Any, Any]]:
    # type(), not isinstance(): isinstance would evaluate a lazy proxy such as
    # request.user, running its database queries on the loop from here.
    return [value for value in frame.f_locals.values() if type(value) is types.CoroutineType]


def _error_text(exception: BaseException, code_roots: tuple[Path, ...]) -> str:
    """The exception's text, plus a note when the learner's code handed a coroutine on as a
    value (JsonResponse(coroutine) says nothing of coroutines itself)."""
    text = f"{type(exception).__name__}: {exception}"
    for frame, _ in traceback.walk_tb(exception.__traceback__):
        path = Path(frame.f_code.co_filename)
        if not any(path.is_relative_to(root) for root in code_roots):
            continue
        if _plain_locals(frame):
            return f"{text} (a coroutine object was passed as a value)"
    if unawaited_origin(exception, code_roots) is not None:
        return f"{text} (a coroutine object was passed as a value)"
    if (
        "'NoneType'" in text
        and error_site(exception, code_roots) is None
        and learner_function_handled(exception, code_roots) is not None
    ):
        return f"{text} (a function of the learner's returned None)"
    return text


def _one_line(exception: BaseException) -> str:
    message = str(exception).strip().splitlines()
    return f"{type(exception).__name__}: {message[0]}" if message else type(exception).__name__
