"""The kata's site over real HTTP, for server mode: what ``app`` and ``burst`` are there.

``RemoteApp`` has the API of ``dojo.harness.asgi.App`` (``get``, ``post``, ``request``, ``burst``)
and returns the same ``Response`` and ``BurstReport``, but sends each request over
127.0.0.1 to the kata served by uvicorn in a worker process (``dojo.harness.servermode``), as
HTTP/1.1 made with h11 and written on a connection of its own, a burst's all at once.
The test process never runs the learner's code, so its verdicts rest on what it sees
itself:

- each response, and when it started and ended on the test's own clock;
- the loop held, from outside: while requests are served, probe requests go to an
  endpoint the worker answers on its event loop without touching the kata
  (``dojo.server.serverside``); the longest a probe waits is how long the loop was held, less the
  time the kernel says the worker's loop thread, and the test's own, sat waiting for a CPU
  (``/proc/<pid>/task/<tid>/schedstat``), and no longer than the kernel never saw the loop's
  thread waiting in its selector (``dojo.server.loopstate``): a busy machine delays a probe
  without any code holding the loop, as the in-process watchdog knows from the thread's
  state;
- a burst's peak of requests in flight, from outside: each request is taken to have been
  served for as long as the fastest of the burst took, ending when it ended. Requests that
  overlapped end together; requests that queued end one after another.

The worker's own reports (the exception behind a 500 and its line, the line that held
the loop, when each request was inside the view, the SQL it ran on the loop's thread, and
what no probe sees: slices of a held loop too short to wait on, empty loop turns, clients
dropped unclosed) only enrich the messages, or lower a measure: they can add a failure,
never remove one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
import logging
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import h11
import pytest
from django.conf import settings

from dojo.harness.asgi import BROWSER_HEADERS, BurstReport, Requests, Response
from dojo.harness.concepts import concept_line
from dojo.harness.csrf import browser_headers
from dojo.harness.db import note_server_queries
from dojo.harness.deadline import CANCEL_GRACE, REQUEST_DEADLINE, ask_where_stuck, never_answered
from dojo.harness.houserules import (
    HouseRules,
    Violation,
    busy_wait,
    client_dropped,
    held_in_slices,
    sleep_on_loop,
    sliced_hold,
)
from dojo.harness.loopkeys import Sent, end_other_loops, loop_headers, loop_key
from dojo.harness.loopwatch import STALL_LIMIT, CodeSite, Stall, spinning
from dojo.harness.servermode import ask_site
from dojo.harness.socketupstream import SyncCall
from dojo.harness.upstream import peak_overlap
from dojo.server.kata_site import VIEW_TIMING_HEADER
from dojo.server.loopstate import LoopSightings
from dojo.server.serverside import (
    ERROR_HEADER,
    ERROR_SITE_HEADER,
    HELD_HEADER,
    PROBE_PATH,
    QUERIES_ON_LOOP_HEADER,
    REPORTS_PATH,
    STALL_HEADER,
    SYNC_VIEW_HEADER,
    UNAWAITED_HEADER,
    read_site,
)

# How often a probe goes out while requests are served; each waits for the one before.
# Often enough to see a stall of STALL_LIMIT, seldom enough to leave the test process's
# thread free for the fake upstream's (dojo.harness.socketupstream).
PROBE_INTERVAL = 0.02
NOT_SAID = CodeSite("(the server process did not name the line)", 0, "")


class OutsideStall(Stall):
    """A held loop measured from outside, by probe requests; the site, when the server
    named one, is its report."""

    @property
    def where(self) -> str:
        if self.site is NOT_SAID:
            return "code in the server process that it did not name (a probe request waited)"
        return super().where


class OutsideWatch:
    """The worker's loop watched from outside while a block of the test runs
    (``RemoteApp.watching``): ``.longest`` as ``LoopWatch`` has in-process, with the line the
    responses in ``.responses`` report, if they name one."""

    def __init__(self, probes: _Probes) -> None:
        self.probes = probes
        self.responses: list[Response] = []

    @property
    def longest(self) -> OutsideStall | None:
        seconds = self.probes.longest
        if seconds <= 0:
            return None
        site, callers = inside_stall_site(self.responses)
        return OutsideStall(seconds, site, callers)


class _LoopWatch:
    """Probe requests to the worker's loop, one at a time on one kept-alive connection, for
    as long as any request of the test is in flight: requests served together share it, as
    they share the loop (a light load: this process serves the fake upstream meanwhile).
    They are sent and read by a thread of their own: an answer counts when it reaches this
    process, not when the test's loop, busy with the requests' answers, gets round to it."""

    def __init__(self, app: RemoteApp) -> None:
        # (went out, came back, how long it waited for the loop) of each probe.
        self.samples: list[tuple[float, float, float]] = []
        # When the probe still waiting for its answer went out, if one is.
        self.pending_since: float | None = None
        self.came_back = threading.Event()
        self.users = 0
        # When the kernel saw the worker's loop free: a probe's wait is capped by that.
        self.sightings = LoopSightings(app.worker_pid) if app.worker_pid else None
        if self.sightings is not None:
            self.sightings.start()
        self._stop = threading.Event()
        address = urlsplit(app.base_url)
        self._thread = threading.Thread(
            target=self._probe,
            args=(address.hostname or "127.0.0.1", address.port or 80, app.worker_pid),
            daemon=True,
            name="loop-probe",
        )
        self._thread.start()

    def _probe(self, host: str, port: int, pid: int) -> None:
        me = threading.get_native_id()
        try:
            sock = socket.create_connection((host, port), timeout=REQUEST_DEADLINE)
        except OSError:
            return
        # Short reads, so that a probe still waiting can be given up on when the test ends.
        sock.settimeout(PROBE_INTERVAL)
        http = h11.Connection(h11.CLIENT)
        with sock:
            while not self._stop.is_set():
                waited = runqueue_wait(pid, pid) + runqueue_wait(os.getpid(), me)
                request = h11.Request(
                    method="GET",
                    target=PROBE_PATH,
                    headers=[("host", settings.SITE_HOST), ("content-length", "0")],
                )
                data = (http.send(request) or b"") + (http.send(h11.EndOfMessage()) or b"")
                start = self.pending_since = time.perf_counter()
                self.came_back.clear()
                try:
                    sock.sendall(data)
                    answered = self._answer(sock, http)
                except (OSError, h11.ProtocolError):
                    return
                finally:
                    self.pending_since = None
                    self.came_back.set()
                if not answered:
                    return
                waited = runqueue_wait(pid, pid) + runqueue_wait(os.getpid(), me) - waited
                self.add(start, time.perf_counter(), waited)
                http.start_next_cycle()
                self._stop.wait(PROBE_INTERVAL)

    def _answer(self, sock: socket.socket, http: h11.Connection) -> bool:
        """Read one probe's answer; False if the test ended first, or the server closed."""
        while True:
            event = http.next_event()
            if isinstance(event, h11.EndOfMessage):
                return True
            if isinstance(event, h11.ConnectionClosed):
                return False
            if event is not h11.NEED_DATA:
                continue
            try:
                data = sock.recv(65536)
            except TimeoutError:
                if self._stop.is_set():
                    return False
                continue
            if not data:
                return False
            http.receive_data(data)

    def add(self, start: float, end: float, waited: float) -> None:
        """A probe that went out at ``start`` and came back at ``end``, while either side
        waited ``waited`` seconds for a CPU."""
        held = max(0.0, end - start - waited)
        if self.sightings is not None:
            held = min(held, self.sightings.longest_unseen(start, end))
        self.samples.append((start, end, held))

    def waiting(self, since: float) -> float:
        """How long the probe in flight has waited for the loop, since ``since`` at most."""
        if self.pending_since is None:
            return 0.0
        now = time.perf_counter()
        start = max(self.pending_since, since)
        if self.sightings is not None:
            return self.sightings.longest_unseen(start, now)
        return now - start

    async def close(self) -> None:
        self._stop.set()
        await asyncio.to_thread(self._thread.join)
        if self.sightings is not None:
            self.sightings.stop()


class _Probes:
    """What the loop watch saw while one request (or burst) was served: how long each probe
    waited for the worker's loop, not counting the time either side waited for a CPU."""

    def __init__(self, watch: _LoopWatch) -> None:
        self.watch = watch
        self.since = time.perf_counter()
        self.until: float | None = None
        self.last_wait = 0.0

    @property
    def held(self) -> list[float]:
        """The waits of the probes out while this was served (of one that went out before,
        only the part after it began)."""
        until = self.until if self.until is not None else float("inf")
        return [
            min(held, end - self.since)
            for start, end, held in self.watch.samples
            if end > self.since and start <= until
        ]

    @property
    def wall(self) -> float:
        """How long what was watched took, from the first probe's watch to ``finish()``."""
        return (self.until if self.until is not None else time.perf_counter()) - self.since

    @property
    def longest(self) -> float:
        """The longest wait, counting the probe still waiting (a loop held to the end)."""
        waiting = self.last_wait if self.until is not None else self.watch.waiting(self.since)
        return max([*self.held, waiting])

    async def finish(self) -> None:
        """The probe in flight comes back once the loop is free: it counts, as long as it
        has waited when given up on."""
        if self.watch.pending_since is not None:
            await asyncio.to_thread(self.watch.came_back.wait, CANCEL_GRACE)
        self.last_wait = self.watch.waiting(self.since)
        self.until = time.perf_counter()


def runqueue_wait(pid: int, tid: int) -> float:
    """Seconds thread ``tid`` of process ``pid`` has spent runnable, waiting for a CPU (0
    where the kernel does not say)."""
    try:
        return int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class _Connection:
    """One HTTP/1.1 exchange on a connection of its own to the kata's server."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.http = h11.Connection(h11.CLIENT)

    def request_bytes(
        self,
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str],
        *,
        keep: bool = False,
        browser: bool = False,
    ) -> bytes:
        """The whole request, to be written at once (``keep``: the connection stays open
        for the next one; ``browser``: with the CSRF token a page of the site sends)."""
        # The site's own host and a browser's headers, as in-process: nothing marks a test
        # (graded code must not be able to tell the tests from production).
        host = settings.SITE_HOST
        if browser:
            headers = {**BROWSER_HEADERS, **browser_headers(method, headers, f"http://{host}")}
        fields = {"host": host, **headers, "content-length": str(len(body))}
        fields["connection"] = "keep-alive" if keep else "close"
        # As an HTTP client does: what a URL cannot carry as it is (non-ASCII, spaces) is
        # percent-encoded as UTF-8, and what is already encoded is left alone.
        target = quote(path, safe="!#$%&'()*+,/:;=?@[]~")
        request = h11.Request(method=method, target=target, headers=list(fields.items()))
        data = self.http.send(request) or b""
        if body:
            data += self.http.send(h11.Data(data=body)) or b""
        return data + (self.http.send(h11.EndOfMessage()) or b"")

    async def receive(self) -> tuple[int, dict[str, str], bytes]:
        """The answer: its status, headers (names in lower case) and whole body."""
        status, headers, body = 0, dict[str, str](), bytearray()
        while True:
            event = self.http.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(65536)
                if not data and self.http.their_state is h11.SEND_RESPONSE:
                    raise ConnectionResetError("the connection closed before an answer")
                self.http.receive_data(data)
            elif isinstance(event, h11.Response):
                status = event.status_code
                for name, value in event.headers:
                    key = name.decode("latin-1").lower()
                    text = value.decode("latin-1")
                    headers[key] = f"{headers[key]}, {text}" if key in headers else text
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                if self.http.our_state is h11.DONE and self.http.their_state is h11.DONE:
                    self.http.start_next_cycle()
                return status, headers, bytes(body)

    def close(self) -> None:
        self.writer.close()


class RemoteApp(Requests):
    """The kata's site served by a worker process at ``base_url``."""

    def __init__(
        self,
        base_url: str,
        code_roots: tuple[Path, ...],
        rules: HouseRules | None = None,
        *,
        worker_pid: int = 0,
        sync_calls: Callable[[], list[SyncCall]] = list,
    ) -> None:
        self.base_url = base_url
        # The worker serves on its main thread, whose id on Linux is the process's.
        self.worker_pid = worker_pid
        self.sync_calls = sync_calls
        self.code_roots = code_roots
        self.rules = rules
        self.hung = False
        self._watch: _LoopWatch | None = None
        # Records the site logged before this test began belong to an earlier test.
        self.since = time.time()
        self._stuck: asyncio.Future[tuple[bool, CodeSite | None] | None] | None = None
        # What the test sent, and from which loop: the served clients' evidence is read
        # against it (dojo.harness.servedclients).
        self.sent: list[Sent] = []

    def __enter__(self) -> RemoteApp:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if any(sent.loop is not None for sent in self.sent):
            end_other_loops(urlsplit(self.base_url).port or 80)

    def _note_sent(self, what: str, method: str, path: str, start: float) -> Sent:
        sent = Sent(what, method, path, start, loop_key())
        self.sent.append(sent)
        return sent

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        browser: bool = True,
    ) -> Response:
        """One request, a browser's or another service's, with the loop probed meanwhile."""
        what = f"{method} {path}"
        started = time.perf_counter()
        headers = {**loop_headers(), **(headers or {})}
        sent = self._note_sent(what, method, path, started)
        async with self._probing(what) as probes:
            (connection,) = await self._connect(1)
            start = self._send_all([connection], method, path, body, headers, browser)
            response = await self._answer(connection, method, path, start, probes)
        sent.end = time.perf_counter()
        self._note_sync_calls(what, started)
        self._check_loop(what, probes, [response])
        self._note_held(what, [response])
        self._note_unawaited(what, [response])
        self._note_sync_view(what, [response])
        note_queries_on_loop([response])
        await self._ask_for_reports(what, [response], wall=probes.wall)
        return response

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
        what = f"a burst of {n} x {method} {path}"
        headers = {**loop_headers(), **(headers or {})}
        sent = self._note_sent(what, method, path, time.perf_counter())
        connections = await self._connect(n)
        started = time.perf_counter()
        async with self._probing(what) as probes:
            start = self._send_all(connections, method, path, body, headers, browser)
            responses = await asyncio.gather(
                *(
                    self._answer(connection, method, path, start, probes)
                    for connection in connections
                )
            )
        elapsed = time.perf_counter() - started
        sent.end = time.perf_counter()
        self._note_sync_calls(what, started)
        stall = self._check_loop(what, probes, responses)
        self._note_held(what, responses)
        self._note_unawaited(what, responses)
        self._note_sync_view(what, responses)
        note_queries_on_loop(responses)
        await self._ask_for_reports(what, responses, wall=probes.wall)
        intervals, seen = served_intervals(responses)
        return BurstReport(method, path, list(responses), intervals, elapsed, stall, seen)

    # Sending -------------------------------------------------------------------------------

    async def _connect(self, n: int) -> list[_Connection]:
        """Open ``n`` connections to the server first, so that a burst's requests leave
        together, as the in-process harness starts them in one turn of the loop, not
        spread over as many TCP handshakes on a busy machine."""
        address = urlsplit(self.base_url)
        opened = await asyncio.gather(
            *(asyncio.open_connection(address.hostname, address.port) for _ in range(n))
        )
        return [_Connection(reader, writer) for reader, writer in opened]

    def _send_all(
        self,
        connections: list[_Connection],
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str],
        browser: bool,
    ) -> float:
        """Write the request on every connection, all in one go, and return when. The
        bytes are made first: a burst's requests leave within microseconds of each other,
        as the in-process harness starts them in one turn of the loop (an HTTP client's own
        work per request spread them over a tenth of a second and more on a busy machine,
        longer than the calls the tests look at)."""
        requests = [
            connection.request_bytes(method, path, body, headers, browser=browser)
            for connection in connections
        ]
        start = time.perf_counter()
        for connection, data in zip(connections, requests, strict=True):
            connection.writer.write(data)
        return start

    async def _answer(
        self, connection: _Connection, method: str, path: str, start: float, probes: _Probes
    ) -> Response:
        """Read the answer to the request written on ``connection`` at ``start``."""
        __tracebackhide__ = True
        # Failing outside the except blocks keeps pytest from printing the timeout's chain.
        problem = ""
        try:
            async with asyncio.timeout(REQUEST_DEADLINE):
                status, answer_headers, content = await connection.receive()
        except TimeoutError:
            problem = await self._never_answered(f"{method} {path}", probes)
        except (OSError, h11.ProtocolError) as error:
            problem = (
                f"{method} {path}: the kata's server closed the connection without an answer "
                f"({type(error).__name__}: {error}). Its process may have crashed: run the "
                "kata in-process (without --server) to see the error."
            )
        finally:
            connection.close()
        if problem:
            pytest.fail(problem, pytrace=False)
        end = time.perf_counter()
        exception = remote_exception(answer_headers.get(ERROR_HEADER.lower()))
        return Response(
            method=method,
            path=path,
            status=status,
            headers=answer_headers,
            content=content,
            start=start,
            end=end,
            exception=exception,
            error_site=read_site(answer_headers.get(ERROR_SITE_HEADER.lower(), "")),
            concept=concept_line(f"{type(exception).__name__}: {exception}") if exception else None,
            code_roots=self.code_roots,
        )

    async def _never_answered(self, request: str, probes: _Probes) -> str:
        """The paragraph for a request the view never answered, with where the worker says
        the view is stuck (asked once: a burst's requests all time out together)."""
        self.hung = True
        if self._stuck is None:
            self._stuck = asyncio.ensure_future(ask_where_stuck(self.worker_pid))
        stuck = await asyncio.shield(self._stuck)
        if stuck is None:
            return never_answered(request, None, held_the_loop=probes.longest > STALL_LIMIT)
        held, site = stuck
        return never_answered(request, site, held_the_loop=held)

    # The loop, seen from outside -------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _probing(self, what: str) -> AsyncIterator[_Probes]:
        """The loop watched while ``what`` is served, by the watch of the requests in
        flight, or a new one."""
        if self._watch is None:
            self._watch = _LoopWatch(self)
        watch = self._watch
        watch.users += 1
        try:
            probes = _Probes(watch)
            yield probes
            await probes.finish()
        finally:
            watch.users -= 1
            if watch.users == 0:
                if self._watch is watch:
                    self._watch = None
                await watch.close()

    @contextlib.asynccontextmanager
    async def watching(self, what: str) -> AsyncIterator[OutsideWatch]:
        """The loop watched from outside while the block runs (``what``: the requests it
        sends), for tests that judge the loop over several requests."""
        async with self._probing(what) as probes:
            yield OutsideWatch(probes)

    def _note_sync_calls(self, what: str, since: float) -> None:
        """Note a sync HTTP call the worker said it made on its loop's thread since
        ``since`` (an inside report: it can only add a failure)."""
        if self.rules is None or not self.rules.applies("loop_held"):
            return
        for call in self.sync_calls():
            if call.start >= since:
                self.rules._note(
                    Violation(
                        "loop_held",
                        what,
                        f"a sync HTTP call ({call.method} {call.url}) waited for its answer on "
                        "the event loop's thread, made at",
                        call.site,
                        "A sync client blocks the thread it runs on, here the loop's: every "
                        "request waits for the network with it. Use httpx.AsyncClient.",
                    )
                )
                return

    def _note_held(self, what: str, responses: list[Response]) -> None:
        """Note the loop held in slices, each too short for a probe to wait on, that the
        server said added up while a request was served (an inside report: it can only add
        a failure)."""
        if self.rules is None or not self.rules.applies("loop_held"):
            return
        for response in responses:
            fields = response.headers.get(HELD_HEADER.lower(), "").split(" ", 4)
            if len(fields) < 5:
                continue
            held, wall, slices, longest = (float(field) for field in fields[:4])
            if held_in_slices(held, wall):
                site = read_site(fields[4])
                self.rules._note(sliced_hold(what, held, wall, int(slices), longest, site))
                return

    def _note_unawaited(self, what: str, responses: list[Response]) -> None:
        """Note the coroutines the server reported never awaited (an inside report: it can
        only add a failure)."""
        if self.rules is None or not self.rules.applies("unawaited_coroutine"):
            return
        for name, site in unawaited_reports(responses):
            self.rules._note(
                Violation(
                    "unawaited_coroutine",
                    what,
                    f"the coroutine {name}() was created and never awaited; it was created",
                    site,
                    "A coroutine does nothing until it is awaited: whatever it was meant to "
                    "do never happened.",
                )
            )

    async def _ask_for_reports(
        self,
        what: str,
        responses: list[Response],
        *,
        collect: bool = False,
        wall: float | None = None,
    ) -> None:
        """Ask the server which tasks the learner's code started and left running once
        the responses were out, and which coroutines it never awaited, and note them.
        After a 500 (or when asked) it collects garbage first: the error's traceback may
        hold a coroutine never awaited, found only once collected (as the in-process house
        rules do)."""
        if self.rules is None:
            return
        collect = collect or any(response.status >= 500 for response in responses)
        path = REPORTS_PATH + ("?collect=1" if collect else "")
        (connection,) = await self._connect(1)
        with contextlib.closing(connection):
            connection.writer.write(connection.request_bytes("GET", path, b"", {}))
            async with asyncio.timeout(REQUEST_DEADLINE):
                status, _, content = await connection.receive()
        if status == 200:
            reports = jsonlib.loads(content)
            self._log_again(reports.get("logs", []))
            self._note_reports(what, reports)
            self._note_loop_use(what, reports, wall)

    def _log_again(self, records: list[dict[str, Any]]) -> None:
        """Log in this process what the site logged while it served this test, through the
        same loggers, so ``caplog`` holds what it would hold in-process. These are the
        site's own output, like its responses: they can fail a test that looks for a log
        line, and pass one only if the site wrote it."""
        for fields in records:
            logger = logging.getLogger(fields["name"])
            if fields["created"] >= self.since and logger.isEnabledFor(fields["levelno"]):
                logger.handle(logging.makeLogRecord({**fields, "args": None}))

    def _note_reports(self, what: str, reports: dict[str, Any]) -> None:
        """Note the tasks left running and the coroutines never awaited that the server
        reported (inside reports: they can only add a failure)."""
        assert self.rules is not None
        for name, site in reports.get("unawaited", []):
            if self.rules.applies("unawaited_coroutine") and read_site(site) is not None:
                self.rules._note(
                    Violation(
                        "unawaited_coroutine",
                        what,
                        f"the coroutine {unquote(name)}() was created and never awaited; it "
                        "was created",
                        read_site(site),
                        "A coroutine does nothing until it is awaited: whatever it was meant "
                        "to do never happened.",
                    )
                )
                break
        for opened in reports.get("connections", []):
            if not self.rules.applies("db_connection_left_open"):
                break
            site = read_site(opened["site"])
            self.rules._note(
                Violation(
                    "db_connection_left_open",
                    opened["request"] or what,
                    "a database connection was opened in a worker thread and left open after "
                    "the response" + (", by the query at" if site is not None else "."),
                    site,
                    "Django closes the connections of the request's own thread when the "
                    "request finishes; one opened in another thread (asyncio.to_thread, an "
                    "executor) stays open until the thread dies. Use the async ORM (aget, "
                    "acount, async for) or sync_to_async, which run in that thread.",
                )
            )
            break
        for task in reports.get("tasks", []) if self.rules.applies("task_left_running") else []:
            running = (
                task["what"] if task.get("kind") == "thread" else f"a task running {task['what']}"
            )
            self.rules._note(
                Violation(
                    "task_left_running",
                    task["request"] or what,
                    f"{running} was still running {task['when']}, and the view had not "
                    "awaited it; it was started",
                    read_site(task["site"]),
                    "Work left running behind a response is work nobody waits for: its "
                    "errors go unseen, and it goes on after the client has left. Await it, "
                    "or cancel it (and wait for it to finish cancelling).",
                )
            )
            return

    def note_left_behind(self) -> None:
        """At the end of a test, once the worker has collected its garbage: the clients it
        found dropped unclosed since the requests were answered, and what they asked of the
        loop that was not yet reported (inside reports: they can only add a failure)."""
        if self.rules is None or self.hung:
            return
        status, reports = ask_site(urlsplit(self.base_url).port or 80, REPORTS_PATH + "?collect=1")
        if status == 200 and isinstance(reports, dict):
            self._note_loop_use("", reports, None)

    def _note_loop_use(self, what: str, reports: dict[str, Any], wall: float | None) -> None:
        """Note the empty loop turns (a busy wait), the ``time.sleep`` calls on the loop's
        thread and the httpx clients dropped unclosed that the server reported, as
        in-process; ``wall``: how long the requests that asked for the turns took, if known
        (inside reports: they can only add a failure)."""
        assert self.rules is not None
        turns = reports.get("turns", [])
        count = sum(turn["count"] for turn in turns)
        spin = max((turn["spin"] for turn in turns), default=0.0)
        waited = max((turn["waited"] for turn in turns), default=0.0)
        if self.rules.applies("busy_loop") and spinning(count, spin, wall, waited):
            most = max(turns, key=lambda turn: turn["count"])
            self.rules._note(busy_wait(what, count, read_site(most["site"])))
        for client in reports.get("dropped_clients", []):
            site = read_site(client["site"])
            if self.rules.applies("client_left_open") and site is not None:
                self.rules._note(client_dropped(client["kind"], site, client["request"]))
        for sleep in reports.get("sleeps", []) if self.rules.applies("loop_held") else []:
            site = read_site(sleep["site"])
            if site is not None:
                self.rules._note(
                    sleep_on_loop(sleep["request"] or what, sleep["calls"], sleep["seconds"], site)
                )

    def _note_sync_view(self, what: str, responses: list[Response]) -> None:
        """Note a view the server said is not async, or a sync one wrapped whole in
        sync_to_async (an inside report: it can only add a failure)."""
        if self.rules is None or not self.rules.applies("async_view"):
            return
        for response in responses:
            kind, _, name = response.headers.get(SYNC_VIEW_HEADER.lower(), "").partition(" ")
            if kind == "wrapped":
                self.rules._note(
                    Violation(
                        "async_view",
                        what,
                        "the view is a plain `def` wrapped whole in sync_to_async (under its "
                        "decorators, if any): all of it runs in a worker thread, as a sync "
                        "view would.",
                        why="Expected an `async def` view that awaits its I/O: in this kata "
                        "the view stays async.",
                    )
                )
                return
            if kind == "sync":
                self.rules._note(
                    Violation(
                        "async_view",
                        what,
                        f"the request was answered by {unquote(name)}(), a plain `def` view: "
                        "Django runs it in a worker thread, not on the event loop.",
                        why="Expected an `async def` view: in this kata the view stays async.",
                    )
                )
                return

    def _check_loop(
        self, what: str, probes: _Probes, responses: list[Response]
    ) -> OutsideStall | None:
        """The loop held while ``what`` was served, as the probes saw it; noted as a broken
        house rule when over the limit."""
        seconds = probes.longest
        if seconds <= 0:
            return None
        site, callers = inside_stall_site(responses)
        stall = OutsideStall(seconds, site, callers)
        if self.rules is not None and self.rules.applies("loop_held") and seconds > STALL_LIMIT:
            self.rules._note(
                Violation(
                    "loop_held",
                    what,
                    f"a probe request to the server waited {seconds:.2f} s for its event loop "
                    f"(the limit is {STALL_LIMIT:.2f} s), held by",
                    None if site is NOT_SAID else site,
                    "While the loop is held, no other request can make progress.",
                )
            )
        return stall


def unawaited_reports(responses: list[Response]) -> list[tuple[str, CodeSite]]:
    """The coroutines the server said the learner's code never awaited: (name, line)."""
    found = []
    for response in responses:
        name, _, site_text = response.headers.get(UNAWAITED_HEADER.lower(), "").partition(" ")
        site = read_site(site_text)
        if site is not None:
            found.append((unquote(name), site))
    return found


def note_queries_on_loop(responses: list[Response]) -> None:
    """Add the SQL queries the server said ran on its loop's thread to the test's query
    log (``database``), as the in-process connections record them."""
    for response in responses:
        count, _, rest = response.headers.get(QUERIES_ON_LOOP_HEADER.lower(), "").partition(" ")
        if not count.isdigit():
            continue
        sql, _, site = rest.partition(" ")
        note_server_queries(int(count), unquote(sql), read_site(site))


def inside_stall_site(responses: list[Response]) -> tuple[CodeSite, tuple[CodeSite, ...]]:
    """The line the server said held its loop longest while these were served."""
    best: tuple[float, CodeSite] | None = None
    for response in responses:
        seconds, _, site_text = response.headers.get(STALL_HEADER.lower(), "").partition(" ")
        site = read_site(site_text)
        if site is None:
            continue
        try:
            held = float(seconds)
        except ValueError:
            continue
        if best is None or held > best[0]:
            best = (held, site)
    return (best[1], ()) if best is not None else (NOT_SAID, ())


def served_intervals(
    responses: list[Response],
) -> tuple[list[tuple[float, float | None]], str]:
    """When each request was served, and how that was seen. From outside: as long as the
    fastest took, ending when it ended. Where the server's own stamps show less overlap,
    those count instead: an inside report can lower the peak, never raise it."""
    fastest = min(response.elapsed for response in responses)
    outside: list[tuple[float, float | None]] = [
        (response.end - fastest, response.end) for response in responses
    ]
    inside = [view_interval(response) for response in responses]
    if all(interval is not None for interval in inside):
        stamped = [interval for interval in inside if interval is not None]
        if peak_overlap(stamped) < peak_overlap(outside):
            return stamped, "while each was inside the view, as the server said"
    return outside, "seen from outside: each as long as the fastest took, ending when answered"


def view_interval(response: Response) -> tuple[float, float | None] | None:
    """When the server says the request was inside the view (its X-Dojo-View stamp)."""
    stamp = response.headers.get(VIEW_TIMING_HEADER.lower(), "").split()
    try:
        start, end = (float(value) for value in stamp)
    except ValueError:
        return None
    return (start, end)


def remote_exception(text: str | None) -> BaseException | None:
    """The server's report of the exception behind a 500, as an exception of that name."""
    if not text:
        return None
    name, _, message = unquote(text).partition(": ")
    if not name.isidentifier():
        return None
    kind: type[Exception] = type(name, (Exception,), {"__module__": "server"})
    return kind(message)
