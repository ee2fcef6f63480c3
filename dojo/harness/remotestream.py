"""The ``stream`` fixture in server mode: a response read over a real socket, chunk by chunk.

``RemoteStreamer`` has the API of ``dojo.harness.streaming.Streamer`` and fills the same
``StreamReport``, for the kata served by a worker process (``dojo.harness.remote``): it
writes the request on a connection of its own, timestamps each piece of the chunked body as
it comes off the socket, and leaves as a browser closing the tab does, by closing the
connection (uvicorn then tells Django, which cancels the view). What the report says rests
on what this process sees:

- the status, headers and each chunk, when it arrived, on the test's own clock;
- a body cut off before its end (the server closed the connection mid-body): the response
  failed, whatever the worker says;
- the loop held, from the probes (``RemoteApp``'s loop watch);
- the fake upstream's log, which the tests read themselves.

What only the worker knows comes from its report (``dojo.server.streamwatch``): when the view
finished after the client left, whether it sent more afterwards, the exception that cut the
body off and the learner's line, the line that held the loop, Django's warnings. A report
can only make a verdict worse: a worker that says nothing leaves the view counted as never
finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import h11

from dojo.harness.deadline import REQUEST_DEADLINE
from dojo.harness.loopwatch import CodeSite
from dojo.harness.remote import NOT_SAID, OutsideStall, RemoteApp, _Connection, remote_exception
from dojo.harness.streaming import (
    READ_TIMEOUT,
    STOP_GRACE,
    Chunk,
    Condition,
    StreamReport,
    _Leave,
)
from dojo.server.serverside import ERROR_HEADER, ERROR_SITE_HEADER, REPORTS_PATH, read_site
from dojo.server.streamwatch import STOP_TRIES_FOR, STREAM_PATH


class BodyCutOff(Exception):
    """The server closed the connection before the end of the body."""


class RemoteStreamer:
    """Requests to the served kata, read chunk by chunk."""

    def __init__(self, app: RemoteApp) -> None:
        self.app = app

    async def __call__(
        self,
        path: str,
        *,
        method: str = "GET",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        disconnect_after: float | None = None,
        disconnect_after_first_chunk: bool = False,
        disconnect_when: Condition | None = None,
        grace: float = STOP_GRACE,
        read_for: float = READ_TIMEOUT,
    ) -> StreamReport:
        """Send one request and read its response as it arrives (see ``Streamer``)."""
        report = StreamReport(method=method, path=path, start=time.perf_counter(), grace=grace)
        leave = _Leave(disconnect_after, disconnect_after_first_chunk, disconnect_when)
        async with self.app._probing(report.request_line) as probes:
            (connection,) = await self.app._connect(1)
            port = connection.writer.get_extra_info("sockname")[1]
            data = connection.request_bytes(method, path, body, headers or {}, browser=True)
            report.start = time.perf_counter()
            connection.writer.write(data)
            until = await self._read(connection, report, leave, grace, read_for)
            inside = await self._inside_report(port, until)
        report.end = time.perf_counter()
        add_inside_report(report, inside)
        if probes.longest > 0:
            report.stall = OutsideStall(probes.longest, _stall_site(inside), ())
        await self._reports(report.request_line, report.end - report.start)
        return report

    async def _read(
        self,
        connection: _Connection,
        report: StreamReport,
        leave: _Leave,
        grace: float,
        read_for: float,
    ) -> float:
        """Read the response until it ends, the client leaves or ``read_for`` is up; return
        until when the view may take to finish."""
        gone = asyncio.Event()

        def disconnect() -> None:
            if not gone.is_set():
                report.disconnected_at = time.perf_counter()
                gone.set()
                connection.close()

        reading = asyncio.ensure_future(self._receive(connection, report, leave, disconnect))
        watcher = asyncio.ensure_future(leave.watch(disconnect, gone))
        leaving = asyncio.ensure_future(gone.wait())
        try:
            await asyncio.wait(
                {reading, leaving}, timeout=read_for, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (reading, watcher, leaving):
                task.cancel()
            await asyncio.gather(reading, watcher, leaving, return_exceptions=True)
            connection.close()
        if report.disconnected_at is not None:
            return report.disconnected_at + grace
        if reading.done() and not reading.cancelled():
            return report.start + read_for  # the response ended: the view ends with it
        # Nothing more came within read_for: the client gives up, and the view is stopped.
        return time.perf_counter()

    async def _receive(
        self,
        connection: _Connection,
        report: StreamReport,
        leave: _Leave,
        disconnect: Callable[[], None],
    ) -> None:
        """Take the response off the socket as it comes, each piece of body with its time."""
        http = connection.http
        try:
            while True:
                event = http.next_event()
                if event is h11.NEED_DATA:
                    http.receive_data(await connection.reader.read(65536))
                elif isinstance(event, h11.Response):
                    report.status = event.status_code
                    for name, value in event.headers:
                        report.headers[name.decode("latin-1").lower()] = value.decode("latin-1")
                elif isinstance(event, h11.Data):
                    report.chunks.append(Chunk(time.perf_counter(), bytes(event.data)))
                    if event.data and leave.after_first_chunk:
                        disconnect()
                        return
                elif isinstance(event, h11.EndOfMessage):
                    # As Django's last message: an empty body that says no more comes.
                    report.chunks.append(Chunk(time.perf_counter(), b""))
                    return
                else:
                    return
        except (OSError, h11.ProtocolError):
            if report.disconnected_at is None:
                report.exception = BodyCutOff(
                    "the server closed the connection before the end of the body"
                    if report.status
                    else "the server closed the connection without an answer"
                )

    async def _inside_report(self, port: int, until: float) -> dict[str, Any]:
        """The worker's report of the request from ``port`` (empty if it gave none)."""
        query = urlencode({"port": port, "until": f"{until:.6f}"})
        patience = max(0.0, until - time.perf_counter()) + STOP_TRIES_FOR + REQUEST_DEADLINE
        with contextlib.suppress(OSError, h11.ProtocolError, TimeoutError, ValueError):
            (connection,) = await self.app._connect(1)
            with contextlib.closing(connection):
                connection.writer.write(
                    connection.request_bytes("GET", f"{STREAM_PATH}?{query}", b"", {})
                )
                async with asyncio.timeout(patience):
                    status, _, content = await connection.receive()
            answer = json.loads(content) if status == 200 else None
            if isinstance(answer, dict):
                return answer
        return {}

    async def _reports(self, what: str, wall: float) -> None:
        """Log here what the site logged while it served the stream, for ``caplog``, and
        note the busy waits, sleeps on the loop and clients dropped unclosed it reported."""
        with contextlib.suppress(OSError, h11.ProtocolError, TimeoutError, ValueError):
            (connection,) = await self.app._connect(1)
            with contextlib.closing(connection):
                connection.writer.write(connection.request_bytes("GET", REPORTS_PATH, b"", {}))
                async with asyncio.timeout(REQUEST_DEADLINE):
                    status, _, content = await connection.receive()
            if status == 200:
                reports = json.loads(content)
                self.app._log_again(reports.get("logs", []))
                if self.app.rules is not None:
                    self.app._note_loop_use(what, reports, wall)


def add_inside_report(report: StreamReport, inside: dict[str, Any]) -> None:
    """Add to ``report`` what the worker said (``dojo.server.streamwatch``), where it can
    only make the verdict worse: an error, a view that went on, messages sent after the
    client left."""
    report.view_entered_at = _number(inside.get("started"))
    finished = _number(inside.get("finished"))
    if finished is not None:
        # Only what the clock allows: not before the last of its body arrived, nor after
        # the report of it did (later would excuse what went on after the view).
        if report.chunks and report.disconnected_at is None:
            finished = max(finished, report.chunks[-1].at)
        finished = min(finished, report.end)
    report.finished_at = finished
    report.view_left_at = finished
    if report.disconnected_at is not None:
        report.sent_after_disconnect = max(0, int(inside.get("sent_after_gone") or 0))
    said = remote_exception(inside.get("error")) or remote_exception(
        report.headers.get(ERROR_HEADER.lower())
    )
    if said is not None:
        report.exception = said
    site = read_site(str(inside.get("error_site") or "")) or read_site(
        report.headers.get(ERROR_SITE_HEADER.lower(), "")
    )
    if report.exception is not None:
        report.error_site = site
    report.django_warnings = [str(text) for text in inside.get("warnings") or []]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _stall_site(inside: dict[str, Any]) -> CodeSite:
    stall = inside.get("stall")
    if isinstance(stall, list) and len(stall) == 2:
        site = read_site(str(stall[1]))
        if site is not None:
            return site
    return NOT_SAID
