"""Fire a burst of concurrent requests at a server over real HTTP, and report how it coped.

A run sends one warm-up request (not counted: it loads the view), then ``n`` identical
requests at once, each bounded by the same deadline. The report puts runs side by side:
requests per second (answers with a 2xx or an expected status, per second of the burst),
latency p50, p95 and max, errors, the longest time the server's event loop was blocked, and
where they tell something, when the first byte of the body came, the threads the server held
waiting for async code, and what reached the fake upstream (calls, the most in flight at
once, connections opened); then a timeline of when each request was inside the view, so
serial service (a staircase) and concurrent service (a block) show at a glance. The kata's
server stamps every response with both (``dojo.server.kata_site``); for a server that does not, the
timeline shows when each request was sent and answered instead. ``dojo.server.loadreport`` puts the
figures side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dojo.course.scenario import DEFAULT_BURST, MAX_BURST
from dojo.errors import DojoError
from dojo.harness.csrf import browser_headers
from dojo.harness.timeline import render_rows
from dojo.server.kata_site import LOOP_STALL_HEADER, VIEW_TIMING_HEADER
from dojo.server.sitethreads import THREADS_HEADER

__all__ = ["DEFAULT_BURST", "MAX_BURST", "Run", "Sample", "fire"]

DEFAULT_SECONDS = 60.0
TIMELINE_ROWS = 10
NO_ANSWER = "no answer in time"
# The pause between two probe requests (see fire()).
PROBE_INTERVAL = 0.02
# A view interval a little outside the client's send-to-answer window is clock noise;
# more than this means the two clocks do not compare, and the client's window is shown.
CLOCK_SLACK = 0.05


@dataclass
class Sample:
    """One request of a burst: when it was sent and answered, and what came back."""

    sent: float
    answered: float | None
    status: int | None = None
    problem: str = ""
    view: tuple[float, float] | None = None
    loop_stall: float | None = None
    first_byte: float | None = None  # when the first byte of the body came
    threads: int | None = None  # threads the server held waiting for async code

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def outcome(self) -> str:
        return str(self.status) if self.status is not None else self.problem

    @property
    def latency(self) -> float | None:
        return None if self.answered is None else self.answered - self.sent

    @property
    def to_first_byte(self) -> float | None:
        return None if self.first_byte is None else self.first_byte - self.sent


@dataclass
class Run:
    """A burst fired at one server, and its figures."""

    label: str
    url: str
    samples: list[Sample]
    started: float
    finished: float
    last_error: str = field(default="", repr=False)
    # What reached the fake upstream during the burst (UpstreamStats' fields), when known.
    upstream: dict[str, int] | None = None
    # Another page asked for meanwhile, one request at a time (fire()'s ``probe``).
    probes: list[Sample] = field(default_factory=list)
    # Statuses besides 2xx that are the right answer here (a 504 within the page's budget).
    expected: frozenset[int] = frozenset()

    def answered_right(self, sample: Sample) -> bool:
        """Whether ``sample`` got a 2xx, or a status the scenario expects."""
        return sample.ok or sample.status in self.expected

    @property
    def slowest_probe(self) -> float | None:
        """The longest another page waited for its answer during the burst, when asked."""
        if not self.probes:
            return None
        return max((sample.answered or self.finished) - sample.sent for sample in self.probes)

    @property
    def elapsed(self) -> float:
        return max(self.finished - self.started, 1e-6)

    @property
    def requests_per_second(self) -> float:
        return sum(self.answered_right(sample) for sample in self.samples) / self.elapsed

    def latency_percentile(self, percent: float) -> float | None:
        """The latency ``percent`` % of the answered requests stayed within (nearest rank)."""
        return _percentile([sample.latency for sample in self.samples], percent)

    def first_byte_percentile(self, percent: float) -> float | None:
        """The same, for the time to the body's first byte."""
        return _percentile([sample.to_first_byte for sample in self.samples], percent)

    def measure(self, name: str) -> float | None:
        """The figure ``name`` (one of ``dojo.course.scenario.MEASURES``) of this run, when known."""
        if name == "requests_per_second":
            return self.requests_per_second
        if name == "latency":
            return self.latency_percentile(50)
        if name == "first_byte":
            return self.first_byte_percentile(50)
        if name == "held_threads":
            return self.most_threads
        if name == "loop_stall":
            return self.longest_loop_stall
        if name == "probe_latency":
            return self.slowest_probe
        key = {"upstream_calls": "calls", "upstream_in_flight": "peak_in_flight"}[name]
        return None if self.upstream is None else self.upstream.get(key)

    @property
    def errors(self) -> Counter[str]:
        """How many requests failed, by outcome (a status, or what went wrong)."""
        return Counter(sample.outcome for sample in self.samples if not self.answered_right(sample))

    @property
    def view_timed(self) -> bool:
        """Whether every answered request says when it was inside the view, on our clock."""
        answered = [sample for sample in self.samples if sample.answered is not None]
        return bool(answered) and all(
            sample.view is not None
            and sample.answered is not None
            and sample.sent - CLOCK_SLACK
            <= sample.view[0]
            <= sample.view[1]
            <= sample.answered + CLOCK_SLACK
            for sample in answered
        )

    @property
    def most_threads(self) -> int | None:
        """The most threads the server held waiting for async code at once, when it says."""
        return max((s.threads for s in self.samples if s.threads is not None), default=None)

    @property
    def longest_loop_stall(self) -> float | None:
        """The longest time the server's event loop was blocked, when the server says."""
        stalls = [sample.loop_stall for sample in self.samples if sample.loop_stall is not None]
        return max(stalls, default=None)

    def timeline(self, rows: int = TIMELINE_ROWS) -> str:
        """When each request was inside the view (or in flight), for at most ``rows`` of them."""
        if self.view_timed:
            what = "when each request was inside the view (█)"
            spans = [
                (sample.view if sample.view else (sample.sent, self.finished), sample)
                for sample in self.samples
            ]
        else:
            what = "each request from sent to answered (█)"
            spans = [
                ((sample.sent, sample.answered or self.finished), sample) for sample in self.samples
            ]
        spans.sort(key=lambda span: span[0])
        picked = _evenly(len(spans), rows)
        shown = "" if len(picked) == len(spans) else f", {len(picked)} of {len(spans)} shown"
        return render_rows(
            f"{self.label}: {what}{shown}",
            [
                (f"#{index + 1}", spans[index][0][0], spans[index][0][1], spans[index][1].outcome)
                for index in picked
            ],
        )


async def fire(
    url: str,
    n: int = DEFAULT_BURST,
    *,
    seconds: float = DEFAULT_SECONDS,
    label: str = "",
    method: str = "GET",
    body: bytes = b"",
    warm_up: bool = True,
    before_burst: Callable[[], object] | None = None,
    cookie: str = "",
    probe: str = "",
) -> Run:
    """One warm-up request, then ``n`` requests of ``url`` at once; none waits past
    ``seconds``. ``before_burst`` is called between the two. With ``probe`` (a URL),
    another page is asked for over and over while the burst lasts, one request at a time,
    as a visitor (or a load balancer's health check) would. A DojoError when nothing
    answers at ``url``."""
    target = _Target.of(url, method, body, cookie)
    first = await _request(target, time.perf_counter() + seconds) if warm_up else None
    if first is not None and first.status is None and first.problem != NO_ANSWER:
        raise DojoError(f"Nothing answered at {url} ({first.problem}). Is the server running?")
    if before_burst is not None:
        before_burst()
    started = time.perf_counter()
    deadline = started + seconds
    burst_over = asyncio.Event()
    probing = asyncio.create_task(_probe(probe, deadline, burst_over)) if probe else None
    samples = await asyncio.gather(*(_request(target, deadline) for _ in range(n)))
    burst_over.set()
    probes = await probing if probing is not None else []
    answered = [sample.answered for sample in samples if sample.answered is not None]
    finished = deadline if len(answered) < n else max(answered, default=deadline)
    return Run(label or url, url, list(samples), started, finished, probes=probes)


async def _probe(url: str, deadline: float, burst_over: asyncio.Event) -> list[Sample]:
    """GETs of ``url``, one after another, until the burst is over."""
    target = _Target.of(url)
    probes: list[Sample] = []
    while not burst_over.is_set():
        probes.append(await _request(target, deadline))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(burst_over.wait(), PROBE_INTERVAL)
    return probes


@dataclass(frozen=True)
class _Target:
    """Where a request goes, and its bytes."""

    host: str
    port: int
    request: bytes

    @classmethod
    def of(cls, url: str, method: str = "GET", body: bytes = b"", cookie: str = "") -> _Target:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        content = (
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            if method != "GET"
            else ""
        )
        # Each visitor posts from a page of the site, with the CSRF token it was given.
        sent = browser_headers(
            method, {"cookie": cookie} if cookie else {}, f"http://{parts.netloc}"
        )
        content += "".join(f"{name.title()}: {value}\r\n" for name, value in sent.items())
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: dojo-load\r\n"
            f"{content}Connection: close\r\n\r\n"
        )
        return cls(parts.hostname or "", parts.port or 80, head.encode("latin-1") + body)


async def _request(target: _Target, deadline: float) -> Sample:
    """One request on a connection of its own, like one of many visitors. A bare HTTP/1.1
    exchange on asyncio streams: the load generator's CPU is taken from the server's
    (same machine), so it spends as little as it can."""
    sent = time.perf_counter()
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(max(deadline - sent, 0)):
            reader, writer = await asyncio.open_connection(target.host, target.port)
            writer.write(target.request)
            head = await reader.readuntil(b"\r\n\r\n")
            # The body: the server closes the connection after it.
            first_byte = time.perf_counter() if await reader.read(1) else None
            await reader.read()
        status, headers = _parse_head(head)
    except TimeoutError:
        return Sample(sent, None, problem=NO_ANSWER)
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        return Sample(sent, time.perf_counter(), problem=_problem(error))
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
    return Sample(
        sent,
        time.perf_counter(),
        status=status,
        view=_view_interval(headers.get(VIEW_TIMING_HEADER.lower())),
        loop_stall=_seconds_header(headers.get(LOOP_STALL_HEADER.lower())),
        first_byte=first_byte,
        threads=_count_header(headers.get(THREADS_HEADER.lower())),
    )


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """The status and headers (names in lower case) of a response's head."""
    status_line, *lines = head.decode("latin-1").split("\r\n")
    version, status, *_ = status_line.split(" ", 2)
    if not version.startswith("HTTP/"):
        raise ValueError(f"not an HTTP response: {status_line[:40]!r}")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status), headers


def _problem(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, asyncio.IncompleteReadError | ConnectionResetError):
        return "connection closed without an answer"
    if isinstance(error, ValueError):
        return "not an HTTP answer"
    return type(error).__name__


def _view_interval(header: str | None) -> tuple[float, float] | None:
    try:
        start, end = (float(value) for value in (header or "").split())
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _count_header(header: str | None) -> int | None:
    return int(header) if header is not None and header.isdigit() else None


def _seconds_header(header: str | None) -> float | None:
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None


def _percentile(values: Sequence[float | None], percent: float) -> float | None:
    """The value ``percent`` % of the known ``values`` stay within (nearest rank)."""
    known = sorted(value for value in values if value is not None)
    if not known:
        return None
    rank = max(1, math.ceil(percent / 100 * len(known)))
    return known[rank - 1]


def _evenly(count: int, most: int) -> list[int]:
    """Up to ``most`` indices out of ``count``, evenly spread, first and last included."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})
