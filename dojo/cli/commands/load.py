"""Fire a burst of concurrent requests at a kata on a real server and compare: your code
(katas/) and the reference fix (solutions/), side by side, each in turn on uvicorn with
its upstream played by a local fake. Prints requests per second, latency p50/p95/max,
errors, a timeline of each, and the ratio. --url fires at a server already running on
this machine instead. Every server it starts, it stops; every request has a deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shlex
import socket
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from dojo.course.catalog import Kata, KataConfigError, find_kata, kata_dirs, load_kata
from dojo.errors import DojoError
from dojo.server.fakeupstream import RESET_PATH, STATS_PATH
from dojo.server.load import DEFAULT_BURST, DEFAULT_SECONDS, MAX_BURST, Run, fire
from dojo.server.loaddb import SESSION_KEY
from dojo.server.loadreport import report
from dojo.server.redirect import LOOPBACK_HOSTS
from dojo.server.serve import START_TIMEOUT, Server, Servers, Target, listen, resolve_target

HELP = "a burst over real HTTP, katas/ vs solutions/: N=8 (BURST=50, TARGET=, URL=, PORT=)"
MAX_SECONDS = 600.0
COMPARED = ("katas", "solutions")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", nargs="?", help="the kata's number, like 8 or 08")
    parser.add_argument(
        "--target",
        help="fire only at this copy ('katas', 'solutions' or a folder); default: compare "
        "katas/ and solutions/",
    )
    parser.add_argument("--url", help="fire at a server already running on this machine")
    parser.add_argument(
        "--burst",
        type=int,
        help=f"how many requests at once (default: the kata's, else {DEFAULT_BURST}; "
        f"at most {MAX_BURST})",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=DEFAULT_SECONDS,
        help=f"a request not answered by then counts as an error (default {DEFAULT_SECONDS:g})",
    )
    parser.add_argument("--port", type=int, help="the port of the kata's server (default: free)")


def main(args: argparse.Namespace) -> int:
    if args.burst is not None and not 1 <= args.burst <= MAX_BURST:
        raise DojoError(f"BURST={args.burst}: fire from 1 to {MAX_BURST} requests at once.")
    if not 0 < args.seconds <= MAX_SECONDS:
        raise DojoError(f"--seconds must be more than 0 and at most {MAX_SECONDS:g}.")
    if args.url:
        return fire_at_url(args)
    kata = find_kata(args.kata)
    if kata.load is None:
        print(not_about_load(kata))
        return 0
    names = [args.target] if args.target else list(COMPARED)
    targets = [resolve_target(kata, name) for name in names]
    burst = args.burst or kata.load.burst
    print(
        f"Kata {kata.number:02d} · {kata.title}: {burst} requests at once to "
        f"{kata.load.method} {kata.load.path}, on uvicorn, the upstream played by a local fake.",
        flush=True,
    )
    runs = run_targets(kata, targets, burst, args.seconds, args.port)
    print()
    legend = _legend(targets)
    if kata.load.cheap_http_clients:
        legend += (
            "\nAs in the tests, the server's httpx clients share one SSL context (the fake "
            "upstream speaks no TLS)."
        )
    print(report(runs, title=legend, measure=kata.load.measure), end="")
    return 0


def run_targets(
    kata: Kata, targets: list[Target], burst: int, seconds: float, port: int | None
) -> list[Run]:
    """Serve the kata from each target and fire a burst at each in turn. Every server starts
    before the first burst (an idle one costs nothing) and each stops after its burst."""
    assert kata.load is not None
    scenario = kata.load
    body = b"" if scenario.body is None else json.dumps(scenario.body).encode()
    runs: list[Run] = []
    lifetime = 2 * START_TIMEOUT + len(targets) * 2 * seconds
    print("  starting the servers...", flush=True)
    with Servers(kata, max_seconds=lifetime, log_to_files=True) as servers:
        upstream = servers.upstream()
        sites = [
            servers.site(target, upstream, _socket(port, index))
            for index, target in enumerate(targets)
        ]
        for server in (upstream, *sites):
            server.wait_ready()
        for target, site in zip(targets, sites, strict=True):
            print(f"  {target.label:<12} firing {burst} requests... ", end="", flush=True)
            run = asyncio.run(
                fire(
                    site.url(scenario.path),
                    burst,
                    seconds=seconds,
                    label=target.label,
                    method=scenario.method,
                    body=body,
                    warm_up=scenario.warm_up,
                    before_burst=lambda: _upstream_stats(upstream, RESET_PATH),
                    cookie=f"sessionid={SESSION_KEY}" if scenario.login else "",
                    probe=site.url(scenario.probe) if scenario.probe else "",
                )
            )
            run.upstream = _upstream_stats(upstream, STATS_PATH)
            run.expected = frozenset(scenario.expected)
            print(f"done in {run.finished - run.started:.2f} s.", flush=True)
            if run.errors:
                run.last_error = site.last_error(kata.root)
            site.stop()
            runs.append(run)
    return runs


def _upstream_stats(upstream: Server, path: str) -> dict[str, int] | None:
    """What reached the fake upstream since its last reset (``path``: read, or reset)."""
    method = "GET" if path == STATS_PATH else "POST"
    with (
        contextlib.suppress(httpx.HTTPError, ValueError),
        httpx.Client(trust_env=False, timeout=5) as client,
    ):
        answer = client.request(method, upstream.url(path))
        answer.raise_for_status()
        stats: dict[str, int] = answer.json()
        return stats
    return None


def _socket(port: int | None, index: int) -> socket.socket:
    """The listening socket of the ``index``-th site: PORT=, PORT+1, ... or free ones."""
    return listen(None if port is None else port + index)[0]


def fire_at_url(args: argparse.Namespace) -> int:
    """Fire one burst at a server that is already running on this machine."""
    if args.target:
        raise DojoError(
            "URL= fires at a server that is already running; TARGET= chooses what load starts "
            "itself. Give one or the other."
        )
    parts = urlsplit(args.url)
    host = parts.hostname or ""
    if parts.scheme != "http" or not (host in LOOPBACK_HOSTS or host.startswith("127.")):
        raise DojoError(
            f"URL={args.url}: load fires only at http:// servers on this machine "
            "(localhost, 127.0.0.1), like the one make serve prints."
        )
    title = f"GET {args.url}"
    if args.kata:
        kata = find_kata(args.kata)
        title = f"Kata {kata.number:02d} · {kata.title}: {title}"
    burst = args.burst or DEFAULT_BURST
    print(f"{title}: {burst} requests at once...", flush=True)
    run = asyncio.run(fire(args.url, burst, seconds=args.seconds, label="URL"))
    print()
    print(report([run], title=f"URL={shlex.quote(args.url)}"), end="")
    return 0


def not_about_load(kata: Kata) -> str:
    """The plain answer for a kata with no load scenario."""
    with_load = [str(other.number) for other in _readable_katas(kata.root) if other.load]
    others = (
        f" Katas whose lesson shows under load: {', '.join(with_load)} (make load N={with_load[0]})."
        if with_load
        else ""
    )
    return (
        f"Kata {kata.number:02d} · {kata.title}: this kata's lesson is not about load, so a "
        f"burst of requests would show nothing (its kata.toml has no [load] scenario). Its "
        f"tests show it: make kata N={kata.number}.{others}"
    )


def _readable_katas(root: Path) -> list[Kata]:
    """Every kata whose kata.toml reads well (a kata being written may not yet)."""
    katas = []
    for path in kata_dirs(root):
        with contextlib.suppress(KataConfigError):
            katas.append(load_kata(path))
    return katas


def _legend(targets: list[Target]) -> str:
    meanings = {
        "katas": "the code you edit (the starter until you fix it)",
        "solutions": "the reference fix",
    }
    return (
        "; ".join(
            f"{target.label} is {meanings.get(target.name, 'the folder you named')}"
            for target in targets
        )
        + "."
    )
