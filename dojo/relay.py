"""A kata's server, shut in a sandbox with no network, still reaches the tests' fake upstream.

A graded kata's worker runs in a network namespace of its own (``dojo.sandbox``): its
127.0.0.1 is not the test process's, so the fake upstream's TCP port is out of its reach.
The fake also listens on a Unix socket in a folder the sandbox shares
(``SocketUpstream.serve_unix``); this relay, in the worker, listens on the worker's own
127.0.0.1 at the port ``dojo.redirect`` sends every call to, and joins each connection to
one of its own on that Unix socket. One connection in, one connection out: the fake sees
the connections the view's clients open and close, and a connection it drops is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path

HOST = "127.0.0.1"
CHUNK = 65536
START_TIMEOUT = 5.0


def relay_to_unix(port: int, path: Path) -> None:
    """From now on, connections to 127.0.0.1:``port`` in this process's network reach the
    Unix socket at ``path`` (in a thread of their own; it ends with the process)."""
    started = threading.Event()
    failure: list[BaseException] = []

    async def serve() -> None:
        async def join(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                far_reader, far_writer = await asyncio.open_unix_connection(str(path))
            except OSError:
                writer.close()
                return
            await asyncio.gather(
                _pump(reader, far_writer), _pump(far_reader, writer), return_exceptions=True
            )

        try:
            server = await asyncio.start_server(join, HOST, port)
        except OSError as error:
            failure.append(error)
            started.set()
            return
        started.set()
        async with server:
            await server.serve_forever()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True, name="relay")
    thread.start()
    started.wait(START_TIMEOUT)
    if failure:
        raise failure[0]


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy one direction until it ends; then close the other side too, as a dropped
    connection drops both ways."""
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
