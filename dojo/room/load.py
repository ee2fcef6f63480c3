"""The room under a dojo's load, measured: pairs sending a light every few seconds while
dashboards watch the live stream. It proves three things on a real server over HTTP:
no light is lost (every one sent is stored and reaches every dashboard), how long a send
takes (p50, p95, max), and that the server's event loop never stalled (its own heartbeat,
read from ``/stats``).

``python -m dojo room-load`` runs the full proof (30 pairs, a light every 2 s for 60 s,
three dashboards); the tests run the same code for a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from dojo.course.catalog import REPO_ROOT
from dojo.errors import DojoError

# The loop may be late this long, at worst, while the room serves the load.
STALL_LIMIT = 0.2
START_TIMEOUT = 30.0
# A send that failed at the connection is tried again, as the pairs' sender does.
SEND_TRIES = 3
# How long the dashboards may take to show the last lights once the pairs stop.
DELIVERY_WAIT = 10.0
BANNER_URL = re.compile(
    r"Your dashboard:\s+(?P<url>http://\S+)/(?P<code>[a-z0-9]+)/#token=(?P<token>\S+)"
)
SAMPLE_DIFF = "".join(
    f"@@ -{n},1 +{n},1 @@\n-    time.sleep({n})\n+    await asyncio.sleep({n})\n"
    for n in range(1, 40)
)


@dataclass(frozen=True)
class RunningRoom:
    """A room server started for a test or a load run: where it is and its secrets."""

    base: str
    code: str
    token: str
    process: subprocess.Popen[str]

    @property
    def url(self) -> str:
        return f"{self.base}/{self.code}/"


@contextmanager
def running_room(room_dir: Path | None = None, port: int | None = 0) -> Iterator[RunningRoom]:
    """Start ``python -m dojo room`` on 127.0.0.1 with its data in ``room_dir`` (a temporary
    folder by default), on ``port`` (0: a free one; None: as ``make room`` picks it), and
    stop it on the way out as Ctrl-C does."""
    with tempfile.TemporaryDirectory(prefix="dojo-room-") as scratch:
        folder = room_dir or Path(scratch)
        process = subprocess.Popen(
            [sys.executable, "-m", "dojo", "room", "--dir", str(folder)]
            + ([] if port is None else ["--port", str(port)]),
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            yield _started(process)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            assert process.stdout is not None
            process.stdout.close()


def _started(process: subprocess.Popen[str]) -> RunningRoom:
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        found = BANNER_URL.search(line)
        if found:
            room = RunningRoom(found["url"], found["code"], found["token"], process)
            _wait_serving(room, deadline)
            return room
    raise DojoError("The room server did not start:\n" + "".join(seen[-12:]))


def _wait_serving(room: RunningRoom, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{room.base}/api/room", params={"code": room.code}, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise DojoError("The room server printed its address but does not answer.")


@dataclass
class LoadResult:
    """What a load run measured."""

    pairs: int
    every: float
    seconds: float
    dashboards: int
    sent: int = 0
    refused: list[str] = field(default_factory=list)
    stored: int = 0
    received: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    longest_stall: float = 0.0
    longest_late: float = 0.0
    load_average: float = field(default_factory=lambda: os.getloadavg()[0])

    @property
    def lost(self) -> int:
        """Lights sent but not stored, or stored but missing on some dashboard."""
        return max(self.sent - self.stored, 0) + sum(self.sent - got for got in self.received)

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def passed(self) -> bool:
        return self.lost == 0 and not self.refused and self.longest_stall < STALL_LIMIT

    def report(self) -> str:
        lines = [
            f"The room under load: {self.pairs} pairs, a light each every {self.every:g} s "
            f"for {self.seconds:g} s, "
            f"{self.dashboards} dashboards open",
            f"  lights sent      {self.sent}",
            f"  lights stored    {self.stored}",
            f"  on dashboards    {', '.join(str(n) for n in self.received)} (each should be {self.sent})",
            f"  refused          {len(self.refused)}"
            + (f": {self.refused[0]}" if self.refused else ""),
            f"  send p50         {self.percentile(0.50) * 1000:.1f} ms",
            f"  send p95         {self.percentile(0.95) * 1000:.1f} ms",
            f"  send max         {max(self.latencies, default=0.0) * 1000:.1f} ms",
            f"  loop's longest stall  {self.longest_stall * 1000:.1f} ms (limit "
            f"{STALL_LIMIT * 1000:.0f} ms; {self.longest_late * 1000:.1f} ms late by the clock, "
            "waits for a CPU included)",
            f"  machine          load average {self.load_average:.1f} on {os.cpu_count()} CPUs",
        ]
        verdict = "no light lost, the loop never blocked" if self.passed else "FAILED"
        lines.append(f"Verdict: {verdict}.")
        return "\n".join(lines)


async def load(
    room: RunningRoom, *, pairs: int, every: float, seconds: float, dashboards: int
) -> LoadResult:
    """``pairs`` senders posting a light every ``every`` seconds for ``seconds``, while
    ``dashboards`` streams listen; then the room's own figures."""
    result = LoadResult(pairs, every, seconds, dashboards)
    headers = {"X-Room-Token": room.token}
    limits = httpx.Limits(max_connections=pairs + dashboards + 4)
    async with httpx.AsyncClient(
        base_url=room.base, limits=limits, timeout=10.0, trust_env=False
    ) as client:
        seen: list[set[int]] = [set() for _ in range(dashboards)]
        ready = [asyncio.Event() for _ in range(dashboards)]
        arrived = asyncio.Condition()
        watchers = [
            asyncio.create_task(_watch(client, room, s, r, arrived))
            for s, r in zip(seen, ready, strict=True)
        ]
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in ready)), 10)
        await client.get(f"/{room.code}/stats", params={"reset": "1"}, headers=headers)
        ids: set[int] = set()
        async with asyncio.TaskGroup() as group:
            for number in range(pairs):
                group.create_task(
                    _pair(client, room, f"pair-{number:02d}", every, seconds, result, ids)
                )
        async with arrived:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    arrived.wait_for(lambda: all(ids <= s for s in seen)), DELIVERY_WAIT
                )
        for watcher in watchers:
            watcher.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
        stats = (await client.get(f"/{room.code}/stats", headers=headers)).json()
    result.stored = len(ids)
    result.received = [len(s & ids) for s in seen]
    result.longest_stall = float(stats["longest_stall"])
    result.longest_late = float(stats["longest_late"])
    result.load_average = os.getloadavg()[0]
    return result


async def _pair(
    client: httpx.AsyncClient,
    room: RunningRoom,
    name: str,
    every: float,
    seconds: float,
    result: LoadResult,
    ids: set[int],
) -> None:
    key = secrets.token_urlsafe(12)
    await client.post("/api/join", json={"code": room.code, "pair": name, "key": key})
    await asyncio.sleep(random.uniform(0, every))  # pairs run their tests when they like
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < seconds:
        light = {
            "code": room.code,
            "pair": name,
            "key": key,
            "id": f"{name}-{sent}",
            "kata": "08_blocking_sleep",
            "colour": random.choice(["red", "red", "amber", "green", "timeout"]),
            "passed": random.randint(0, 5),
            "failed": random.randint(0, 5),
            "duration": round(random.uniform(0.3, 2.0), 2),
            "diff": SAMPLE_DIFF,
        }
        began = time.perf_counter()
        answer = await _send(client, light)
        result.latencies.append(time.perf_counter() - began)
        result.sent += 1
        sent += 1
        if isinstance(answer, str):
            result.refused.append(answer)
        elif answer.status_code in (200, 201):  # 200: stored by an earlier try
            ids.add(int(answer.json()["id"]))
        else:
            result.refused.append(f"{answer.status_code} {answer.text[:200]}")
        await asyncio.sleep(max(0.0, started + sent * every - time.monotonic()))


async def _send(client: httpx.AsyncClient, light: dict[str, object]) -> httpx.Response | str:
    """Post a light as the pairs' sender does: once more, with the same id, when the
    connection fails (the room stores it once); a sentence when every try failed."""
    for attempt in range(SEND_TRIES):
        try:
            return await client.post("/api/lights", json=light)
        except httpx.TransportError as error:
            failure = f"{type(error).__name__} on try {attempt + 1}: {error}"
    return failure


async def _watch(
    client: httpx.AsyncClient,
    room: RunningRoom,
    seen: set[int],
    ready: asyncio.Event,
    arrived: asyncio.Condition,
) -> None:
    """A dashboard: read the stream, note every light's id."""
    async with client.stream("GET", f"/{room.code}/events", timeout=None) as stream:
        kind = ""
        async for line in stream.aiter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
                if kind == "snapshot":
                    seen.update(light["id"] for light in data["lights"])
                    ready.set()
                elif kind == "light":
                    seen.add(data["light"]["id"])
                    async with arrived:
                        arrived.notify_all()


def run_load(*, pairs: int, every: float, seconds: float, dashboards: int) -> LoadResult:
    """Start a room of its own, load it, stop it: the figures."""
    with running_room() as room:
        return asyncio.run(
            load(room, pairs=pairs, every=every, seconds=seconds, dashboards=dashboards)
        )
