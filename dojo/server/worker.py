"""The child process of ``make serve`` and ``make load``: one uvicorn server on a listening
socket that its parent opened on 127.0.0.1 and handed down (so the port is never raced for).

    python -m dojo.server.worker site --fd 5 --ready-fd 7 --kata 08_blocking_sleep \\
        --upstream-port 41234 [--target-dir solutions] [--cheap-http-clients] [--log] \\
        [--server-mode [--database /tmp/dojo-test-123.sqlite3] [--cache-dir /tmp/cache]]
    python -m dojo.server.worker upstream --fd 6 --ready-fd 8 --routes '[...]' [--log]

With ``--server-mode`` the site serves the kata tests' requests (see dojo.harness.remote): it also
answers the loop probe and reports a 500's exception (see dojo.server.serverside), and with
``--database`` and ``--cache-dir`` it answers from the tests' own database and cache.

It writes ``ready`` to ``--ready-fd`` once it serves. A watchdog thread stops it when its
parent goes away or ``--max-seconds`` have passed, and ends the process a few seconds later
if the server cannot stop (a kata's view may hold the event loop): no server outlives the
command that started it.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import socket
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn

READY = b"ready\n"
# After a stop is asked for, how long a graceful shutdown may take before the process ends.
GRACE_SECONDS = 3.0
WATCH_INTERVAL = 0.05


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dojo.server.worker", description=__doc__)
    parser.add_argument("role", choices=("site", "upstream"))
    parser.add_argument("--fd", type=int, required=True, help="the listening socket")
    parser.add_argument("--ready-fd", type=int, required=True, help="where to write 'ready'")
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    parser.add_argument("--log", action="store_true", help="print one line per request")
    parser.add_argument("--kata", help="site: the kata folder's name, like 08_blocking_sleep")
    parser.add_argument("--target-dir", type=Path, help="site: where the learner files come from")
    parser.add_argument("--upstream-port", type=int, help="site: the fake upstream's port")
    parser.add_argument(
        "--upstream-socket",
        type=Path,
        help="site, in a sandbox: the fake upstream's Unix socket, every httpx call's way out",
    )
    parser.add_argument(
        "--cheap-http-clients", action="store_true", help="site: httpx clients share SSL context"
    )
    parser.add_argument("--routes", default="[]", help="upstream: the routes, as JSON")
    parser.add_argument(
        "--middleware",
        action="append",
        default=[],
        help="site: a middleware to add (a dotted path), as the kata's tests do; repeatable",
    )
    parser.add_argument(
        "--load-database", type=Path, help="site: a SQLite file to make and seed for the run"
    )
    parser.add_argument(
        "--server-mode",
        action="store_true",
        help="site: serve the kata tests (a probe endpoint, inside reports on 500s)",
    )
    parser.add_argument(
        "--database", help="site, server mode: the test database's file, shared with the tests"
    )
    parser.add_argument(
        "--cache-dir", help="site, server mode: the default cache's folder, shared with the tests"
    )
    return parser


def application(args: argparse.Namespace) -> Any:
    """The ASGI application the role serves."""
    if args.role == "upstream":
        from dojo.course.scenario import parse_route
        from dojo.server.fakeupstream import FakeUpstream

        routes = [
            parse_route(f"route {i}", route) for i, route in enumerate(json.loads(args.routes))
        ]
        return FakeUpstream(routes, log=args.log)
    from dojo.server.kata_site import build_application
    from dojo.server.redirect import redirect_httpx, share_ssl_context, through_unix_socket

    redirect_httpx(args.upstream_port)
    if args.upstream_socket is not None:
        through_unix_socket(args.upstream_socket)
    if args.cheap_http_clients:
        share_ssl_context()
    if not args.server_mode:
        from django.conf import settings as django_settings

        from dojo.server.sitethreads import THREADS_MIDDLEWARE

        # The kata's own middleware, as its tests add it; the thread count next to the view.
        django_settings.MIDDLEWARE = [
            *django_settings.MIDDLEWARE,
            *args.middleware,
            THREADS_MIDDLEWARE,
        ]
        if args.load_database is not None:
            from dojo.server import loaddb

            loaddb.prepare(args.load_database, Path.cwd(), args.kata)
        site = build_application(args.kata, args.target_dir, log=args.log)
        if args.load_database is not None:
            loaddb.seed(Path.cwd(), args.kata)
        return site
    from django.conf import settings

    from dojo.server import backgroundwork, serverside, streamwatch

    root = Path.cwd()
    roots = (root / "katas", root / "solutions", *([args.target_dir] if args.target_dir else []))
    serverside.InsideReportMiddleware.code_roots = tuple(dict.fromkeys(roots))
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, serverside.INSIDE_REPORT_MIDDLEWARE]
    if args.database:
        serverside.use_database(args.database)
    if args.cache_dir:
        serverside.share_cache(args.cache_dir)
    serverside.watch_queries()
    site = build_application(args.kata, args.target_dir, log=args.log)
    serverside.watch_errors()  # after Django's logging is configured, which would reset it
    serverside.report_where_stuck(serverside.InsideReportMiddleware.code_roots)
    serverside.tag_sync_calls_on_loop()
    serverside.watch_loop_use()
    backgroundwork.parked_calls()
    serverside.warm_up_httpx(args.upstream_port)
    streamwatch.keep_warnings()
    return streamwatch.watched(serverside.with_probe(site))


def watch(server: uvicorn.Server, ready_fd: int, parent: int, deadline: float) -> None:
    """Say ready once the server serves; stop it when the parent is gone or time is up."""
    announced = False
    while not server.should_exit:
        if not announced and server.started:
            # A parent gone while this one started breaks the pipe: noticed just below.
            with contextlib.suppress(OSError):
                os.write(ready_fd, READY)
            os.close(ready_fd)
            announced = True
        if os.getppid() != parent or time.monotonic() > deadline:
            server.should_exit = True
        time.sleep(WATCH_INTERVAL)
    time.sleep(GRACE_SECONDS)
    os._exit(0)


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    listener = socket.socket(fileno=args.fd)
    app = application(args)
    # What start-up made (Django, httpx, the kata's modules) lives as long as the server: a
    # full collection need not look through it again. Unfrozen, one that came due among the
    # requests held the loop 40 ms (0.1-0.2 s on a loaded machine), which a probe from
    # outside cannot tell from the learner's code holding it.
    gc.collect()
    gc.freeze()
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    deadline = time.monotonic() + args.max_seconds
    threading.Thread(
        target=watch, args=(server, args.ready_fd, os.getppid(), deadline), daemon=True
    ).start()
    server.run(sockets=[listener])


if __name__ == "__main__":
    main()
