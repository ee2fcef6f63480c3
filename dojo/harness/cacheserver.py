"""``network_cache`` in server mode: the cache server really is across the network, in the
test process, and the served site's default cache talks to it (``dojo.server.netcache``).

One server runs for the session, on an event loop of its own in a thread (as the fake
upstream does, ``dojo.harness.socketupstream``), on 127.0.0.1 and, for a worker in the
grading sandbox, on a Unix socket in the folder it shares with the tests. Each test puts its
``CacheServer`` in place with ``served_cache``, which also points the worker's ``CACHES``
at it (``configure_site``). So the test process itself sees every operation and its key,
and keeps the entries: in a local-memory cache of its own, whose expiry reads the test
process's clock (a test's ``cache_clock`` moves it as in-process). The values stay as the
worker pickled them: nothing the learner's code stored is ever unpickled here.

Whether a call blocked the worker's event loop is seen from outside, through the kernel
(``/proc/<pid>/task/<pid>/syscall``, as ``dojo.server.loopstate`` looks): the server holds
its answer while it looks at the worker's loop thread. A loop that is free is soon seen
waiting in its selector; a loop thread that made the call sleeps in the socket's read until
the answer comes, however busy the machine. Where ``/proc`` cannot tell, a probe request to
the worker's loop, answered while the answer is held, says the same. The worker also says
whether it made the call on the loop, and the learner's line: that report can only add a
failure (the call is answered at once then), and names the line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from django.core.cache.backends import locmem
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

from dojo.harness.houserules import HouseRules, Violation
from dojo.harness.loopwatch import CodeSite
from dojo.harness.plumbing import CacheCall, CacheServer
from dojo.harness.servermode import configure_site, kata_servers, site_for
from dojo.server.loopstate import EPOLL_SYSCALLS
from dojo.server.netcache import BACKEND, UNIX_PREFIX
from dojo.server.serverside import PROBE_PATH, read_site

HOST = "127.0.0.1"
# How long the worker's loop thread must be seen asleep on something other than its
# selector, while an answer is held, for the call to count as the loop's: a free loop is
# seen in its selector within milliseconds, one blocked on the answer sleeps until it comes.
HOLD = 0.3
# How long an answer is held, at most, while the loop's thread is only seen running.
UNDECIDED = 3.0
# futex (x86_64, arm64): a thread waiting for the GIL, or a lock, is busy, not blocked.
FUTEX_SYSCALLS = frozenset({202, 98})
# How often the loop's thread is looked at while an answer is held.
LOOK_INTERVAL = 0.002
STOP_TIMEOUT = 5.0
# The operations the in-process cache records (the others are built on them, or are the
# test's own).
RECORDED = frozenset({"get", "set", "add", "delete", "has_key"})
# The longest call the server reads (a key and a pickled value).
MAX_LINE = 16 * 1024 * 1024


@dataclass
class _Served:
    """What one test's cache server is: its record, its entries, and the worker it serves."""

    cache: CacheServer
    store: LocMemCache
    port: int
    loop: LoopThread
    rules: HouseRules | None


class SocketCache:
    """The session's cache server: one line of JSON in, one out, per connection."""

    def __init__(self) -> None:
        self._listener = socket.create_server((HOST, 0))
        self.port: int = self._listener.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._current: _Served | None = None
        self._servers: list[asyncio.Server] = []
        self.unix_path: Path | None = None

    def start(self) -> SocketCache:
        self._thread.start()
        self._servers.append(
            self._run(asyncio.start_server(self._connection, sock=self._listener, limit=MAX_LINE))
        )
        return self

    def serve_unix(self, path: Path) -> None:
        """Answer on a Unix socket at ``path`` too, which any user may connect to."""
        self._servers.append(
            self._run(asyncio.start_unix_server(self._connection, path=str(path), limit=MAX_LINE))
        )
        path.chmod(0o666)
        self.unix_path = path

    def location(self) -> str:
        """Where the worker reaches this server (its cache's ``LOCATION``)."""
        if self.unix_path is not None:
            return f"{UNIX_PREFIX}{self.unix_path}"
        return f"{HOST}:{self.port}"

    def close(self) -> None:
        if not self._thread.is_alive():
            self._listener.close()
            return
        for server in self._servers:
            self._loop.call_soon_threadsafe(server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_TIMEOUT)
        self._loop.close()

    @contextlib.contextmanager
    def serving(self, served: _Served) -> Iterator[None]:
        self._current = served
        try:
            yield
        finally:
            self._current = None

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(STOP_TIMEOUT)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            served = self._current
            if not line or served is None:
                return  # between tests: no cache server is there any more
            answer = await self._answer(served, line)
            writer.write(json.dumps(answer).encode() + b"\n")
            await writer.drain()
        except (ConnectionError, ValueError):
            return
        finally:
            writer.close()

    async def _answer(self, served: _Served, line: bytes) -> dict[str, Any]:
        try:
            asked = json.loads(line)
            operation, key = str(asked["operation"]), str(asked["key"])
            answer = _apply(served.store, operation, key, asked)
        except (KeyError, TypeError, ValueError) as error:
            return {"error": f"{type(error).__name__}: {error}"}
        # A round trip to the server: the answer comes after its latency, and never before
        # the worker's loop has been seen free, unless the worker says the loop made the
        # call, or one of this test's calls was seen to block it already (the test fails
        # either way: holding every call would only make each of its requests slow).
        latency = asyncio.ensure_future(asyncio.sleep(served.cache.latency))
        caught = any(call.on_loop for call in served.cache.calls)
        on_loop = asked.get("on_loop") is True or (not caught and await _held_the_loop(served))
        await latency
        if operation in RECORDED:
            site = read_site(asked.get("site") or "")
            served.cache.calls.append(CacheCall(operation, key, on_loop, site))
            if on_loop:
                _note_loop_held(served.rules, operation, key, site, asked.get("request"))
        return answer


def _note_loop_held(
    rules: HouseRules | None, operation: str, key: str, site: CodeSite | None, request: Any
) -> None:
    """A cache call made on the worker's loop breaks the house rule ``loop_held``, as the
    in-process cache's wait does there (the request is the worker's word: for the message)."""
    if rules is None or not rules.applies("loop_held"):
        return
    rules._note(
        Violation(
            "loop_held",
            str(request or ""),
            f"a sync cache call (cache.{operation}({key!r})) waited for the cache server's "
            "answer on the event loop's thread" + (", made at" if site is not None else "."),
            site,
            "A sync cache call blocks the thread it runs on, here the loop's: every request "
            "waits for the cache server with it. Await the a-prefixed API (cache.aget, "
            "cache.aset).",
        )
    )


def _apply(store: LocMemCache, operation: str, key: str, asked: dict[str, Any]) -> dict[str, Any]:
    """Do ``operation`` on the test's entries; the answer for the worker."""
    version = asked.get("version")
    if version is not None and not isinstance(version, int):
        raise TypeError(f"version {version!r} is not a number")
    timeout = asked.get("timeout")
    if timeout == "default":
        timeout = DEFAULT_TIMEOUT
    elif timeout is not None and not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout {timeout!r} is not a number of seconds")
    if operation == "get":
        missing = object()
        value = store.get(key, missing, version)
        return {"found": False} if value is missing else {"found": True, "value": value}
    if operation == "set":
        store.set(key, str(asked["value"]), timeout, version)
        return {}
    if operation == "add":
        return {"result": store.add(key, str(asked["value"]), timeout, version)}
    if operation == "touch":
        return {"result": store.touch(key, timeout, version)}
    if operation == "delete":
        return {"result": store.delete(key, version)}
    if operation == "has_key":
        return {"result": store.has_key(key, version)}
    if operation == "clear":
        store.clear()
        return {}
    raise ValueError(f"no such cache operation: {operation}")


async def _held_the_loop(served: _Served) -> bool:
    """Whether the call that waits for this answer is the worker's loop's own: its thread
    sleeps in a system call other than its selector's wait (the socket's) for ``HOLD``
    seconds while the answer is held, and is never seen in its selector. A loop that
    runs, or waits for a CPU or the GIL, proves nothing either way: it is looked at again,
    for up to ``UNDECIDED`` seconds, after which the call counts as not the loop's."""
    if not served.loop.works:
        return not await _probe_answered(served.port, HOLD)
    loop = asyncio.get_running_loop()
    give_up = loop.time() + UNDECIDED
    waited, last = 0.0, None
    while loop.time() < give_up:
        state, now = served.loop.state(), loop.time()
        if state == "free":
            return False
        if state == "waiting" and last is not None:
            waited += now - last
            if waited >= HOLD:
                return True
        last = now if state == "waiting" else None
        await asyncio.sleep(LOOK_INTERVAL)
    return False


class LoopThread:
    """What the kernel says the worker's loop thread (``tid`` = ``pid``) is doing now."""

    def __init__(self, pid: int) -> None:
        self._syscall = Path(f"/proc/{pid}/task/{pid}/syscall")
        self.works = self.state() is not None

    def state(self) -> str | None:
        """``free`` (in its selector's wait), ``waiting`` (asleep in another system call,
        such as a socket's read), ``busy`` (running, or waiting for a CPU or the GIL), or
        None where /proc cannot tell."""
        try:
            call = self._syscall.read_text().split()[0]
        except (OSError, IndexError):
            return None
        if call == "running":
            return "busy"
        try:
            number = int(call)
        except ValueError:
            return None
        if number in EPOLL_SYSCALLS:
            return "free"
        return "busy" if number in FUTEX_SYSCALLS else "waiting"


async def _probe_answered(port: int, within: float) -> bool:
    """Whether the worker's loop answers a probe request within ``within`` seconds."""
    try:
        async with asyncio.timeout(within):
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                writer.write(
                    f"GET {PROBE_PATH} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
                )
                await writer.drain()
                return bool(await reader.read(1))
            finally:
                writer.close()
    except TimeoutError:
        return False
    except OSError:
        return True  # no worker to hold: nothing was blocked here


cache_key = pytest.StashKey[SocketCache]()


def socket_cache(config: pytest.Config) -> SocketCache:
    """The session's cache server, started on first use (on the sandbox's shared folder too,
    when the workers run in one)."""
    server = config.stash.get(cache_key, None)
    if server is None:
        server = config.stash[cache_key] = SocketCache().start()
        config.add_cleanup(server.close)
        servers = kata_servers(config)
        if servers._sandbox is not None:
            server.serve_unix(servers._shared / "cache.sock")
    return server


@contextlib.contextmanager
def served_cache(request: pytest.FixtureRequest, cache: CacheServer) -> Iterator[None]:
    """Within this block, the served site's default cache is ``cache``, on a real socket."""
    site = site_for(request)
    server = socket_cache(request.config)
    location = f"dojo-served-{uuid4().hex}"
    rules = request.getfixturevalue("_dojo_house_rules")
    served = _Served(
        cache, LocMemCache(location, {}), site.port, LoopThread(site.worker_pid), rules
    )
    try:
        with server.serving(served):
            backend = {"BACKEND": BACKEND, "LOCATION": server.location()}
            configure_site(request, settings={"CACHES": {"default": backend}})
            yield
    finally:
        for store in ("_caches", "_expire_info", "_locks"):
            getattr(locmem, store).pop(location, None)
