"""Serve one kata on a real server: uvicorn on 127.0.0.1, the kata at the root of the site,
and the services its view calls played by a local fake upstream (its own process, with
the latency and payloads of the kata's [load] scenario). Prints the URL to try and a curl
line, then one line per request. Ctrl-C stops both servers; they also stop by themselves
after --minutes.
"""

from __future__ import annotations

import argparse
import json
import shlex
import time

from dojo.course.catalog import Kata, find_kata
from dojo.errors import DojoError
from dojo.server.loaddb import SESSION_KEY
from dojo.server.serve import DEFAULT_PORT, Server, Servers, Target, listen, resolve_target

HELP = "serve one kata on a real server: N=8 (TARGET=solutions for the fix, PORT=)"
DEFAULT_MINUTES = 60.0
# The children's own limit comes a little after the parent's, which stops them first.
CHILD_MARGIN_SECONDS = 15.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", nargs="?", help="the kata's number, like 8 or 08")
    parser.add_argument(
        "--target",
        default="katas",
        help="'katas' (your code, the default), 'solutions' (the reference fix), or a folder",
    )
    parser.add_argument(
        "--port", type=int, help=f"the port on 127.0.0.1 (default {DEFAULT_PORT}, or a free one)"
    )
    parser.add_argument(
        "--minutes",
        type=float,
        default=DEFAULT_MINUTES,
        help=f"stop by itself after this long (default {DEFAULT_MINUTES:g})",
    )


def main(args: argparse.Namespace) -> int:
    kata = find_kata(args.kata)
    target = resolve_target(kata, args.target)
    if not 0 < args.minutes <= 24 * 60:
        raise DojoError("--minutes must be more than 0 and at most a day (1440).")
    seconds = args.minutes * 60
    sock, note = listen(args.port, default=DEFAULT_PORT)
    with (
        sock,
        Servers(kata, max_seconds=seconds + CHILD_MARGIN_SECONDS, log_to_files=False) as servers,
    ):
        upstream = servers.upstream(log=True)
        site = servers.site(target, upstream, sock, log=True)
        upstream.wait_ready()
        site.wait_ready()
        print(banner(kata, target, site, upstream, note, args.minutes), flush=True)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for server in (site, upstream):
                if not server.running:
                    raise DojoError(
                        f"The {server.role} server stopped (exit {server.process.returncode}); "
                        "its output is above."
                    )
            time.sleep(0.2)
        print(f"Stopped after {args.minutes:g} minutes (--minutes).")
    return 0


def banner(
    kata: Kata, target: Target, site: Server, upstream: Server, note: str, minutes: float
) -> str:
    """What is served where, and how to try it."""
    whose = {"katas": "your code", "solutions": "the reference fix"}.get(target.name, "")
    lines = [
        f"Kata {kata.number:02d} · {kata.title}, from {target.label}"
        + (f" ({whose})" if whose else "")
    ]
    if note:
        lines.append(note)
    if kata.load is None:
        lines += [
            f"  site      {site.url()}  (routes: {kata.path.name}/urls.py)",
            f"  upstream  none: kata {kata.number}'s lesson is not about load; the fake "
            f"upstream on {upstream.url()} answers 502 to any call.",
        ]
        try_lines = [f"  curl -si {site.url()}"]
    else:
        url = site.url(kata.load.path)
        lines.append(f"  site      {url}")
        for route in kata.load.upstream:
            lines.append(
                f"  upstream  {route.method} {route.url} answers in {route.latency:.2f} s "
                f"(a fake, on 127.0.0.1:{upstream.port})"
            )
        quoted = shlex.quote(url)
        if kata.load.method == "POST":
            body = shlex.quote(json.dumps(kata.load.body or {}))
            quoted = f"-H 'Content-Type: application/json' -d {body} {quoted}"
        if kata.load.login:
            # The session the site opened for the scenario's user (dojo.server.loaddb).
            quoted = f"-b sessionid={SESSION_KEY} {quoted}"
        burst = f"  a burst of {kata.load.burst}:  make load N={kata.number}"
        try_lines = [
            f"  curl -s {quoted}",
            "  five at once, each line one request's time:",
            "    seq 5 | xargs -P 5 -I{} curl -s -o /dev/null -w '%{time_total} s\\n' " + quoted,
            burst + (f" URL={shlex.quote(url)}" if kata.load.method == "GET" else ""),
        ]
    lines += ["", "Try it from another terminal:", *try_lines, ""]
    lines.append(
        f"One line per request below. Ctrl-C stops both servers "
        f"(they stop by themselves after {minutes:g} minutes)."
    )
    return "\n".join(lines)
