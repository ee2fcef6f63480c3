"""The quote page behind the Server-Timing middleware: the page works, the header tells the
real time spent (failures included), the middleware keeps the chain async on this ASGI site,
and it still works where a sync-only middleware comes after it."""

import asyncio
import re
import sys
import threading
from concurrent.futures import Future

import pytest
from asgiref.sync import AsyncToSync
from django.dispatch import Signal

from dojo.harness.loopwatch import site_of

SERVER_TIMING = "katas.28_hybrid_middleware.middleware.server_timing"
AUDIT = "katas.28_hybrid_middleware.audit.AuditMiddleware"

pytestmark = [
    pytest.mark.middleware(SERVER_TIMING),
]

PRICES_URL = "http://prices.example/quotes/{}"
TIMING = re.compile(r"app;dur=(\d+(?:\.\d+)?)")
GATEWAY_ERRORS = (502, 503, 504)


def fake_prices(upstream, rng, latency=0.05, on_call=None):
    """A quote with random prices for a random symbol, served after ``latency`` seconds;
    ``on_call`` runs while the view waits for it."""
    symbol = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
    quote = {
        "symbol": symbol,
        "bid": round(rng.uniform(10, 900), 2),
        "ask": round(rng.uniform(10, 900), 2),
        "volume": rng.randint(1_000, 9_000_000),
    }

    def reply(request):
        if on_call is not None:
            on_call()
        return quote

    route = upstream.get(PRICES_URL.format(symbol), json=reply, latency=latency)
    return f"/quotes/{symbol}/", quote, route


def reported_time(response):
    """The seconds the Server-Timing header reports; fails if there is no valid header."""
    __tracebackhide__ = True
    header = response.headers.get("server-timing")
    match = TIMING.fullmatch(header or "")
    if not match:
        pytest.fail(
            f"{response.request_line} answered {response.status} with Server-Timing: "
            f"{header!r}.\nExpected a header like 'app;dur=231.4' (milliseconds spent in "
            "Django) on every response.",
            pytrace=False,
        )
    return float(match[1]) / 1000


def assert_real_time(response, latency, meanwhile=""):
    __tracebackhide__ = True
    response.assert_status(200, "the quote")
    reported = reported_time(response)
    if not 0.9 * latency <= reported <= response.elapsed:
        pytest.fail(
            f"Server-Timing says Django spent {reported * 1000:.1f} ms, but the view waited "
            f"{latency * 1000:.0f} ms for the prices service{meanwhile}, and the whole "
            "request took "
            f"{response.elapsed * 1000:.0f} ms.\n"
            "Expected the time from before the view ran to after it answered.",
            pytrace=False,
        )


def threads_waiting_for_the_loop(code_roots):
    """The threads blocked right now until the event loop does some work for them (inside
    async_to_sync, or on a future's result), each with the line of the kata that put it
    there, if its stack has one. Django's own signal sending is not the kata's doing."""
    waits = {AsyncToSync.__call__.__code__, Future.result.__code__}
    found = {}
    for ident, frame in sys._current_frames().items():
        if ident == threading.get_ident():
            continue
        top, codes = frame, set()
        while frame is not None:
            codes.add(frame.f_code)
            frame = frame.f_back
        if codes & waits and Signal.send.__code__ not in codes:
            found[ident] = (
                site_of(top, code_roots)
                or "(none of your lines is on its stack: asyncio.to_thread or an "
                "executor handed it the work)"
            )
    return found


def site_behind_the_audit(request):
    """The site with the sync-only AuditMiddleware after server_timing; fails, as a server
    would not start, when Django cannot build that chain."""
    __tracebackhide__ = True
    try:
        site, problem = request.getfixturevalue("middleware_app"), None
    except Exception as error:
        problem = error
    # Failing outside the except block keeps "During handling of the above exception" out.
    if problem is not None:
        pytest.fail(
            "Django could not build a middleware chain with server_timing in front of the "
            f"sync-only AuditMiddleware: {type(problem).__name__}: {problem}\n"
            "server_timing says it can work sync (sync_capable), so there Django hands it a "
            "sync get_response and expects a sync middleware back. A server would not even "
            "start.",
            pytrace=False,
        )
    return site


@pytest.mark.middleware(SERVER_TIMING, AUDIT)
async def test_it_still_works_in_front_of_a_sync_only_middleware(request, upstream, rng):
    # AuditMiddleware (audit.py) declares nothing: Django adapts the chain to sync from there
    # on, and hands server_timing a sync get_response. Threads are held here whatever
    # server_timing does; what it must do is keep working.
    site = site_behind_the_audit(request)
    latency = rng.uniform(0.1, 0.15)
    path, quote, _ = fake_prices(upstream, rng, latency)
    response = await site.get(path)
    response.assert_json(quote, f"the quote for {quote['symbol']}, behind the audit middleware")
    assert_real_time(response, latency)


async def test_the_quote_is_served(middleware_app, upstream, rng):
    path, quote, _ = fake_prices(upstream, rng)
    response = await middleware_app.get(path)
    response.assert_json(quote, f"the quote for {quote['symbol']}, as the prices service sent it")


async def test_server_timing_tells_the_real_time_spent(middleware_app, upstream, rng):
    latency = rng.uniform(0.1, 0.15)
    path, _, _ = fake_prices(upstream, rng, latency)
    response = await middleware_app.get(path)
    assert_real_time(response, latency)


async def test_overlapping_requests_are_each_timed_from_their_own_start(
    middleware_app, upstream, rng
):
    await assert_each_timed_from_its_own_start(middleware_app, upstream, rng)


@pytest.mark.middleware(SERVER_TIMING, AUDIT)
async def test_behind_a_sync_only_middleware_each_request_is_timed_from_its_own_start(
    request, upstream, rng
):
    # There Django calls server_timing's sync branch, in a worker thread per request: the
    # requests still overlap, so that branch must keep each one's start to itself too.
    site = site_behind_the_audit(request)
    await assert_each_timed_from_its_own_start(
        site, upstream, rng, ", behind the sync-only AuditMiddleware"
    )


async def assert_each_timed_from_its_own_start(site, upstream, rng, where=""):
    """A slow quote, while other quotes are asked for every 50 ms: its header tells its own
    time, not the time since the latest other request began."""
    __tracebackhide__ = True
    loop = asyncio.get_running_loop()
    first_is_waiting = asyncio.Event()
    first_latency, every = 0.4, 0.05

    def first_call_begins(request):
        loop.call_soon_threadsafe(first_is_waiting.set)
        return first_latency

    first_path, _, _ = fake_prices(upstream, rng, first_call_begins)
    other_path, _, _ = fake_prices(upstream, rng, 0.02)
    first = asyncio.ensure_future(site.get(first_path))
    # Other traders ask for another quote every 50 ms for as long as the first one waits.
    await first_is_waiting.wait()
    others = []
    while not first.done():
        await asyncio.sleep(every)
        others.append(asyncio.ensure_future(site.get(other_path)))
    response = await first
    for each in await asyncio.gather(*others):
        each.assert_status(200, "the quote")
    assert_real_time(
        response,
        first_latency,
        f" (meanwhile another quote was asked for every {every * 1000:.0f} ms{where}: each "
        "request is timed from its own start)",
    )


async def test_a_failed_quote_is_timed_too(middleware_app, upstream, rng, upstream_failure):
    path, _, prices = fake_prices(upstream, rng)
    prices.breaks(upstream_failure)
    response = await middleware_app.get(path)
    if response.status not in GATEWAY_ERRORS:
        pytest.fail(
            f"The prices service {upstream_failure}.\n{response.explain()}\n"
            "Expected the view's 502 Bad Gateway, untouched by the middleware.",
            pytrace=False,
        )
    reported = reported_time(response)
    if reported > response.elapsed:
        pytest.fail(
            f"Server-Timing says Django spent {reported * 1000:.1f} ms on a request that took "
            f"{response.elapsed * 1000:.0f} ms in all.",
            pytrace=False,
        )


async def test_requests_still_overlap(middleware_burst, upstream, rng):
    path, _, _ = fake_prices(upstream, rng, latency=0.2)
    report = await middleware_burst(path, n=5)
    report.assert_all_status(200)
    report.assert_served_concurrently()


async def test_the_middleware_chain_stays_async(middleware_app, upstream, rng):
    before = threads_waiting_for_the_loop(middleware_app.code_roots)
    held = {}

    def look_at_the_threads():
        # The prices service is answering: every request is inside the view, waiting.
        now = threads_waiting_for_the_loop(middleware_app.code_roots)
        held.update((ident, site) for ident, site in now.items() if ident not in before)

    path, _, _ = fake_prices(upstream, rng, latency=0.2, on_call=look_at_the_threads)
    report = await middleware_app.burst(path, n=5)
    report.assert_all_status(200)
    middleware_app.assert_chain_stays_async()
    if held:
        where = "\n".join(f"  {site}" for site in dict.fromkeys(map(str, held.values())))
        pytest.fail(
            f"While the requests were inside the view, {len(held)} worker thread"
            f"{'s' if len(held) > 1 else ''} sat blocked waiting for the event loop to finish "
            f"them (async_to_sync, or a future's result):\n{where}\n"
            "Every request in flight holds a thread of its own, as under WSGI.\n"
            "Expected the middleware chain to stay async: no thread waiting while the view runs.",
            pytrace=False,
        )
