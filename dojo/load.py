"""Fire a burst of concurrent requests at a server over real HTTP, and report how it coped.

A run sends one warm-up request (not counted: it loads the view), then ``n`` identical
requests at once, each bounded by the same deadline. The report puts runs side by side:
requests per second (answers with a 2xx status, per second of the burst), latency p50,
p95 and max, errors, the longest time the server's event loop was blocked, and a timeline
of when each request was inside the view, so serial service (a staircase) and concurrent
service (a block) show at a glance. The kata's server stamps every response with both
(``dojo.kata_site``); for a server that does not, the timeline shows when each request
was sent and answered instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dojo.errors import DojoError
from dojo.kata_site import LOOP_STALL_HEADER, VIEW_TIMING_HEADER
from dojo.timeline import render_rows

DEFAULT_BURST = 50
MAX_BURST = 1000
DEFAULT_SECONDS = 60.0
TIMELINE_ROWS = 10
NO_ANSWER = "no answer in time"
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

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def outcome(self) -> str:
        return str(self.status) if self.status is not None else self.problem

    @property
    def latency(self) -> float | None:
        return None if self.answered is None else self.answered - self.sent


@dataclass
class Run:
    """A burst fired at one server, and its figures."""

    label: str
    url: str
    samples: list[Sample]
    started: float
    finished: float
    last_error: str = field(default="", repr=False)

    @property
    def elapsed(self) -> float:
        return max(self.finished - self.started, 1e-6)

    @property
    def requests_per_second(self) -> float:
        return sum(sample.ok for sample in self.samples) / self.elapsed

    def latency_percentile(self, percent: float) -> float | None:
        """The latency ``percent`` % of the answered requests stayed within (nearest rank)."""
        latencies = sorted(
            latency for sample in self.samples if (latency := sample.latency) is not None
        )
        if not latencies:
            return None
        rank = max(1, math.ceil(percent / 100 * len(latencies)))
        return latencies[rank - 1]

    @property
    def errors(self) -> Counter[str]:
        """How many requests failed, by outcome (a status, or what went wrong)."""
        return Counter(sample.outcome for sample in self.samples if not sample.ok)

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
    url: str, n: int = DEFAULT_BURST, *, seconds: float = DEFAULT_SECONDS, label: str = ""
) -> Run:
    """One warm-up request, then ``n`` GETs of ``url`` at once; none waits past ``seconds``.
    A DojoError when nothing answers at ``url``."""
    target = _Target.of(url)
    warm_up = await _request(target, time.perf_counter() + seconds)
    if warm_up.status is None and warm_up.problem != NO_ANSWER:
        raise DojoError(f"Nothing answered at {url} ({warm_up.problem}). Is the server running?")
    started = time.perf_counter()
    deadline = started + seconds
    samples = await asyncio.gather(*(_request(target, deadline) for _ in range(n)))
    answered = [sample.answered for sample in samples if sample.answered is not None]
    finished = deadline if len(answered) < n else max(answered, default=deadline)
    return Run(label or url, url, list(samples), started, finished)


@dataclass(frozen=True)
class _Target:
    """Where a request goes, and its bytes."""

    host: str
    port: int
    request: bytes

    @classmethod
    def of(cls, url: str) -> _Target:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: dojo-load\r\n"
            "Connection: close\r\n\r\n"
        )
        return cls(parts.hostname or "", parts.port or 80, request.encode("latin-1"))


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
            await reader.read()  # the body: the server closes the connection after it
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


def _seconds_header(header: str | None) -> float | None:
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None


def _evenly(count: int, most: int) -> list[int]:
    """Up to ``most`` indices out of ``count``, evenly spread, first and last included."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


# The report ---------------------------------------------------------------------------------


def report(runs: Sequence[Run], *, title: str) -> str:
    """The figures of the runs side by side, their timelines, and the ratio of the last two."""
    lines = [title, "", _table(runs), ""]
    for run in runs:
        if run.errors:
            lines.append(_errors(run))
    if any(run.errors for run in runs):
        lines.append("")
    for run in runs:
        lines += [run.timeline(), ""]
    if len(runs) >= 2:
        lines.append(ratio(runs[0], runs[-1]))
    return "\n".join(lines).rstrip() + "\n"


def ratio(before: Run, after: Run) -> str:
    """One line: how many times the requests per second of ``before`` ``after`` served."""
    if before.requests_per_second == 0:
        if after.requests_per_second == 0:
            return f"Neither {before.label} nor {after.label} answered a request successfully."
        return (
            f"{after.label} served {after.requests_per_second:.1f} requests per second; "
            f"{before.label} answered none successfully."
        )
    times = after.requests_per_second / before.requests_per_second
    return (
        f"{after.label} served {times:.1f}x the requests per second of {before.label} "
        f"({after.requests_per_second:.1f} vs {before.requests_per_second:.1f})."
    )


def _table(runs: Sequence[Run]) -> str:
    rows: list[tuple[str, list[str]]] = [
        ("requests per second", [f"{run.requests_per_second:.1f}" for run in runs]),
        ("latency p50", [_seconds(run.latency_percentile(50)) for run in runs]),
        ("latency p95", [_seconds(run.latency_percentile(95)) for run in runs]),
        ("latency max", [_seconds(run.latency_percentile(100)) for run in runs]),
        ("errors", [str(sum(run.errors.values())) for run in runs]),
        ("event loop blocked, longest", [_seconds(run.longest_loop_stall) for run in runs]),
        ("burst took", [f"{run.finished - run.started:.2f} s" for run in runs]),
    ]
    label_width = max(len(label) for label, _ in rows)
    width = max(12, *(len(run.label) + 2 for run in runs))
    lines = [" " * (label_width + 2) + "".join(f"{run.label:>{width}}" for run in runs)]
    for label, values in rows:
        lines.append(f"  {label:<{label_width}}" + "".join(f"{v:>{width}}" for v in values))
    return "\n".join(lines)


def _errors(run: Run) -> str:
    counts = ", ".join(f"{outcome} x{count}" for outcome, count in run.errors.most_common())
    line = f"{run.label} errors: {counts}."
    if run.last_error:
        line += f" The last one in the server's log:\n    {run.last_error}"
    return line


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"
