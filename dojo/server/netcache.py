"""The served site's cache client, for server mode: the default cache is a server across
the network, and that server runs in the test process (``dojo.harness.cacheserver``).

Each operation is one round trip on a connection of its own (a line of JSON each way), on
127.0.0.1 or, for a worker in the grading sandbox, the Unix socket in the folder it
shares with the tests. The call blocks its thread until the answer comes, as a Redis or
memcached client does, so a sync call made from the async view holds the event loop for
as long as the server takes to answer, and the test process can see that from outside.

The value is pickled here and kept, unread, by the server: the test process never
unpickles what the learner's code stored. Each call also says whether it ran on the
event loop's thread, and the learner's line that made it: an inside report, which can
only add a failure (``network_cache.assert_never_blocked_the_loop()``), never remove one.
"""

from __future__ import annotations

import asyncio
import base64
import json
import pickle
import socket
import sys
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from dojo.harness.loopwatch import site_of

BACKEND = "dojo.server.netcache.NetworkCacheClient"
UNIX_PREFIX = "unix:"
# A cache call that waits longer than this has lost its server (the test has ended).
CALL_TIMEOUT = 10.0
READ_CHUNK = 65536


class NetworkCacheClient(BaseCache):
    """Django's cache API over the dojo's cache server at ``LOCATION`` (``host:port`` or
    ``unix:/path``); the async methods, and ``incr``, ``get_many`` and the like, are
    Django's defaults, built on these (the async ones run the sync ones in a thread)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.location = location

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        answer = self._call("get", key, version)
        return _loads(answer["value"]) if answer.get("found") else default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._call("set", key, version, value=_dumps(value), timeout=_timeout(timeout))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        answer = self._call("add", key, version, value=_dumps(value), timeout=_timeout(timeout))
        return bool(answer.get("result"))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return bool(self._call("touch", key, version, timeout=_timeout(timeout)).get("result"))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return bool(self._call("delete", key, version).get("result"))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return bool(self._call("has_key", key, version).get("result"))

    def clear(self) -> None:
        self._call("clear", "", None)

    def _call(self, operation: str, key: Any, version: int | None, **fields: Any) -> Any:
        from dojo.server.serverside import InsideReportMiddleware, _current_request, site_text

        site = site_of(sys._getframe(1), InsideReportMiddleware.code_roots)
        asked = {
            "operation": operation,
            "key": str(key),
            "version": version,
            **fields,
            "on_loop": _on_loop(),
            "site": site_text(site) if site is not None else None,
            "request": _current_request.get(),
        }
        with self._connect() as connection:
            connection.sendall(json.dumps(asked).encode() + b"\n")
            answer = _read_line(connection)
        if not answer:
            raise ConnectionError("the cache server closed the connection without an answer")
        reply = json.loads(answer)
        if "error" in reply:
            raise ValueError(f"the cache server refused cache.{operation}(): {reply['error']}")
        return reply

    def _connect(self) -> socket.socket:
        if self.location.startswith(UNIX_PREFIX):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(CALL_TIMEOUT)
            connection.connect(self.location.removeprefix(UNIX_PREFIX))
            return connection
        host, _, port = self.location.rpartition(":")
        return socket.create_connection((host, int(port)), timeout=CALL_TIMEOUT)


def _read_line(connection: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(READ_CHUNK)
        if not chunk:
            break
        data += chunk
    return data


def _dumps(value: Any) -> str:
    return base64.b64encode(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)).decode()


def _loads(blob: str) -> Any:
    # What this process stored: the server keeps it as it came, unread.
    return pickle.loads(base64.b64decode(blob))


def _timeout(timeout: Any) -> float | str | None:
    """The timeout as the view gave it (the server counts it on the tests' clock)."""
    return "default" if timeout is DEFAULT_TIMEOUT else timeout


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
