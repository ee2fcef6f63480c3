"""The shop's views under the timing decorator: the async stock page works, stays a
coroutine function, runs on the event loop and logs its real duration; the shop's older
sync views keep working under the same decorator, as sync views."""

import asyncio
import logging
import re
import sys
import threading
from concurrent.futures import Future

import pytest
from asgiref.sync import AsyncToSync, iscoroutinefunction
from django.dispatch import Signal
from django.urls import resolve

from dojo.harness.loopwatch import site_of

STOCK_URL = "http://stock.example/items/{}"
SLOTS_URL = "http://courier.example/slots/{}"
TOOK = re.compile(r"took (\d+(?:\.\d+)?) ms")
GATEWAY_ERRORS = (502, 503, 504)


def fake_stock(upstream, rng, latency=0.05, on_call=None):
    """A stock level with random numbers for a random item, served after ``latency``."""
    sku = f"SKU-{rng.randint(10000, 99999)}"
    level = {
        "sku": sku,
        "in_stock": rng.randint(0, 500),
        "reserved": rng.randint(0, 50),
        "warehouse": rng.choice(["Leeds", "Lyon", "Leipzig", "Lisbon", "Łódź"]),
    }

    def reply(request):
        if on_call is not None:
            on_call()
        return level

    route = upstream.get(STOCK_URL.format(sku), json=reply, latency=latency)
    return f"/stock/{sku}/", level, route


def fake_slots(upstream, rng, latency):
    """The courier's delivery slots for a random postcode, served after ``latency``."""
    postcode = f"{rng.choice(['LS', 'M', 'BS', 'EH'])}{rng.randint(1, 29)}{rng.randint(1, 9)}AB"
    slots = {
        "postcode": postcode,
        "slots": sorted(rng.sample(["08-10", "10-12", "12-14", "14-16", "16-18", "18-20"], 3)),
    }
    upstream.get(SLOTS_URL.format(postcode), json=slots, latency=latency)
    return f"/delivery/{postcode}/", slots


def logged_duration(caplog, response, latency, what, same_path=()):
    """The duration the decorator logged for ``response``; fails unless it is real: at least
    the upstream's ``latency``, at most the whole request. ``same_path``: other responses of
    the same path, shorter, whose lines are told from it by being the shorter ones."""
    __tracebackhide__ = True
    logged = [record.getMessage() for record in caplog.records]
    durations = [
        float(match[1]) / 1000
        for line in logged
        if response.path in line and (match := TOOK.search(line))
    ]
    if not durations:
        pytest.fail(
            f"{response.request_line} logged no duration; expected a line like "
            f"'{response.request_line} took 231.4 ms'.\nLogged: {logged!r}",
            pytrace=False,
        )
    took = max(durations) if same_path else durations[-1]
    if not 0.9 * latency <= took <= max(each.elapsed for each in (response, *same_path)):
        pytest.fail(
            f"The decorator logged '{response.request_line} took {took * 1000:.1f} ms', but "
            f"the view waited {latency * 1000:.0f} ms for {what}, and the whole request took "
            f"{response.elapsed * 1000:.0f} ms.\n"
            "Expected the time from the view's start to its response.",
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


def test_the_view_stays_a_coroutine_function():
    view = resolve("/stock/SKU-12345/").func
    if not iscoroutinefunction(view):
        pytest.fail(
            f"views.stock_level, as decorated, is {view.__qualname__}(), not a coroutine "
            "function: @log_duration replaced the async view with a plain function.\n"
            "Django checks iscoroutinefunction(view) to decide how to call a view. This one it "
            "calls in a worker thread, and what it gets back is a coroutine nobody awaits.\n"
            "Expected the decorated view to stay a coroutine function.",
            pytrace=False,
        )


async def test_the_stock_level_is_served(app, upstream, rng):
    path, level, _ = fake_stock(upstream, rng)
    response = await app.get(path)
    response.assert_json(level, f"the stock level of {level['sku']}")


async def test_the_logged_duration_is_real(app, upstream, rng, caplog):
    caplog.set_level(logging.INFO)
    latency = rng.uniform(0.1, 0.15)
    path, _, _ = fake_stock(upstream, rng, latency)
    response = await app.get(path)
    response.assert_status(200, "the stock level")
    logged_duration(caplog, response, latency, "the stock service")


async def test_overlapping_requests_each_log_their_own_duration(app, upstream, rng, caplog):
    caplog.set_level(logging.INFO)
    loop = asyncio.get_running_loop()
    every = 0.05
    other_path, _, others_route = fake_stock(upstream, rng, 0.02)
    # The lesson needs another stock page opened while the first waits; on a machine too
    # busy for that to happen in time, the first waits longer, and the scene plays again.
    for first_latency in (0.4, 0.8, 1.6):
        first_is_waiting = asyncio.Event()

        def first_call_begins(request, latency=first_latency, waiting=first_is_waiting):
            if waiting.is_set():
                # Another customer's look at the same item, answered quickly.
                return 0.02
            loop.call_soon_threadsafe(waiting.set)
            return latency

        first_path, _, first_route = fake_stock(upstream, rng, first_call_begins)
        first = asyncio.ensure_future(app.get(first_path))
        # Other customers open another stock page every 50 ms for as long as the first waits,
        # and one, near the end of that wait, the very same item's page.
        await first_is_waiting.wait()
        waiting_since = loop.time()
        others, same_item = [], []
        while not first.done():
            await asyncio.sleep(every)
            others.append(asyncio.ensure_future(app.get(other_path)))
            if not same_item and loop.time() - waiting_since >= 0.75 * first_latency:
                same_item.append(asyncio.ensure_future(app.get(first_path)))
        response = await first
        same_item = await asyncio.gather(*same_item)
        for each in (response, *same_item, *await asyncio.gather(*others)):
            each.assert_status(200, "the stock level")
        waited, *again = sorted(first_route.calls, key=lambda call: call.start)
        if any(waited.start < call.start < waited.end for call in others_route.calls) and any(
            waited.start < call.start < waited.end for call in again
        ):
            break
    logged_duration(
        caplog,
        response,
        first_latency,
        f"the stock service (meanwhile another stock page was opened every {every * 1000:.0f}"
        " ms, and the same item's page once: each call of the view has its own start time)",
        same_item,
    )


async def test_a_broken_stock_service_is_a_502_not_a_crash(app, upstream, rng, upstream_failure):
    path, _, stock = fake_stock(upstream, rng)
    stock.breaks(upstream_failure)
    response = await app.get(path)
    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nIts body: {response.text[:200]!r}"
        pytest.fail(
            f"The stock service {upstream_failure}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do): never a 500, and never a stock "
            "level the service did not send.",
            pytrace=False,
        )


async def test_several_items_are_served_at_once_on_the_event_loop(app, upstream, rng):
    before = threads_waiting_for_the_loop(app.code_roots)
    held = {}

    def look_at_the_threads():
        # The stock service is answering: the view is waiting for it, on the event loop.
        held.update(
            (ident, site)
            for ident, site in threads_waiting_for_the_loop(app.code_roots).items()
            if ident not in before
        )

    items = [
        fake_stock(upstream, rng, rng.uniform(0.15, 0.25), look_at_the_threads)
        for _ in range(rng.randint(3, 5))
    ]
    responses = await asyncio.gather(*(app.get(path) for path, _, _ in items))
    for response, (_, level, _) in zip(responses, items, strict=True):
        response.assert_json(level, f"the stock level of {level['sku']}")
    upstream.assert_calls_overlapped(len(items))
    if held:
        where = "\n".join(f"  {site}" for site in dict.fromkeys(map(str, held.values())))
        pytest.fail(
            f"While the views waited for the stock service, {len(held)} worker thread"
            f"{'s' if len(held) > 1 else ''} sat blocked waiting for the event loop to run "
            f"them (async_to_sync, or a future's result):\n{where}\n"
            "The view runs from a thread that waits for it: one thread held per request in "
            "flight, as if the view were sync.\n"
            "Expected the decorator to await the view on the event loop itself.",
            pytrace=False,
        )


def test_a_decorated_sync_view_stays_sync():
    view = resolve("/delivery/LS11AB/").func
    if iscoroutinefunction(view):
        pytest.fail(
            f"views.delivery_slots, a sync view, is a coroutine function once decorated "
            f"({view.__qualname__}): @log_duration turned it into an async view.\n"
            "Django would now call it on the event loop, where its sync HTTP client blocks "
            "every other request.\nExpected the decorator to give back the same kind of view "
            "it was given: a sync view stays sync.",
            pytrace=False,
        )


async def test_a_decorated_sync_view_works_and_logs_its_real_duration(app, upstream, rng, caplog):
    caplog.set_level(logging.INFO)
    latency = rng.uniform(0.1, 0.15)
    path, slots = fake_slots(upstream, rng, latency)
    response = await app.get(path)
    response.assert_json(slots, f"the delivery slots for {slots['postcode']}")
    logged_duration(caplog, response, latency, "the courier service")
