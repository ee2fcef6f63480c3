"""The order page behind the request-ID middleware: ids are kept or made, one per request
even when requests come at once, passed on to the orders service and back to the caller
(failed calls included), the middleware chain stays async (no thread held per request), and
it still works where a sync-only middleware comes after it."""

import asyncio
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

import pytest
from asgiref.sync import AsyncToSync
from django.dispatch import Signal

from dojo.harness.kept import holds, kept_values
from dojo.harness.loopwatch import site_of

REQUEST_ID = "katas.29_sync_only_middleware.middleware.RequestIDMiddleware"
STORE = "katas.29_sync_only_middleware.legacy.StoreMiddleware"

pytestmark = [
    pytest.mark.middleware(REQUEST_ID),
]

ORDERS_URL = "http://orders.example/orders/{}"
HEADER = "x-request-id"
GATEWAY_ERRORS = (502, 503, 504)


def fake_orders(upstream, rng, latency=0.05, on_call=None):
    """A random order; the orders service remembers the request ids it saw, and runs
    ``on_call`` while the view waits for it."""
    order_id = rng.randint(1000, 99999)
    order = {
        "id": order_id,
        "items": rng.randint(1, 9),
        "total": round(rng.uniform(5, 500), 2),
        "status": rng.choice(["paid", "shipped", "delivered"]),
    }
    seen = []

    def reply(request):
        seen.append(request.headers.get("X-Request-ID"))
        if on_call is not None:
            on_call()
        return order

    route = upstream.get(ORDERS_URL.format(order_id), json=reply, latency=latency)
    return order_id, order, seen, route


def a_request_id(rng):
    return f"{rng.getrandbits(64):016x}"


def assert_id_kept(response, request_id, seen):
    """Fail unless the caller's id came back unchanged and the orders service saw it."""
    __tracebackhide__ = True
    returned = response.headers.get(HEADER)
    if returned != request_id:
        pytest.fail(
            f"{response.request_line} sent with X-Request-ID: {request_id} came back with "
            f"X-Request-ID: {returned!r}.\nExpected the caller's id back, unchanged.",
            pytrace=False,
        )
    if seen != [request_id]:
        pytest.fail(
            f"The orders service saw X-Request-ID {seen!r}; expected [{request_id!r}].",
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


def holders_of(ids):
    """The lists, sets and dicts the kata's code keeps at module level, directly or on one
    of its module-level objects or middleware instances, holding one of ``ids`` (as a key
    or a value)."""
    wanted = set(ids)
    found = {
        id(value): value
        for _, value in kept_values(Path(__file__).parent, instances=True)
        if holds(value, lambda item: type(item) is str and item in wanted, depth=1)
    }
    return list(found.values())


def site_behind_the_store(request):
    """The site with the sync-only StoreMiddleware after RequestIDMiddleware; fails, as a
    server would not start, when Django cannot build that chain."""
    __tracebackhide__ = True
    try:
        site, problem = request.getfixturevalue("middleware_app"), None
    except Exception as error:
        problem = error
    # Failing outside the except block keeps "During handling of the above exception" out.
    if problem is not None:
        pytest.fail(
            "Django could not build a middleware chain with RequestIDMiddleware in front of "
            f"the sync-only StoreMiddleware: {type(problem).__name__}: {problem}\n"
            "Where the rest of the chain is sync, Django hands a middleware that says it can "
            "work sync (sync_capable, True unless it says otherwise) a sync get_response, and "
            "expects a sync middleware back. A server would not even start.",
            pytrace=False,
        )
    return site


@pytest.mark.middleware(REQUEST_ID, STORE)
async def test_it_still_works_in_front_of_a_sync_only_middleware(request, upstream, rng):
    # StoreMiddleware (legacy.py) declares nothing: Django adapts the chain to sync from
    # there on. Threads are held here whatever RequestIDMiddleware does; what it must do is
    # keep working, with a sync get_response if it says it can work sync.
    site = site_behind_the_store(request)
    order_id, order, seen, _ = fake_orders(upstream, rng)
    request_id = a_request_id(rng)
    response = await site.get(f"/orders/{order_id}/", headers={HEADER: request_id})
    response.assert_json(order, f"order {order_id}, behind the store middleware")
    assert_id_kept(response, request_id, seen)


@pytest.mark.middleware(REQUEST_ID, STORE)
async def test_behind_a_sync_only_middleware_requests_at_once_keep_their_own_ids(
    request, upstream, rng
):
    # There Django calls RequestIDMiddleware's sync side, if it has one, in a worker thread
    # per request: requests still overlap, so nothing of one may be kept where another finds it.
    site = site_behind_the_store(request)
    orders = [fake_orders(upstream, rng, rng.uniform(0.1, 0.2)) for _ in range(4)]
    request_ids = [a_request_id(rng) for _ in orders]
    responses = await asyncio.gather(
        *(
            site.get(f"/orders/{order_id}/", headers={HEADER: request_id})
            for (order_id, _, _, _), request_id in zip(orders, request_ids, strict=True)
        )
    )
    for response, request_id, (order_id, order, seen, _) in zip(
        responses, request_ids, orders, strict=True
    ):
        response.assert_json(order, f"order {order_id}, behind the store middleware")
        assert_id_kept(response, request_id, seen)


async def test_the_callers_request_id_is_kept_and_passed_on(middleware_app, upstream, rng):
    order_id, order, seen, _ = fake_orders(upstream, rng)
    request_id = a_request_id(rng)
    response = await middleware_app.get(f"/orders/{order_id}/", headers={HEADER: request_id})
    response.assert_json(order, f"order {order_id}, as the orders service sent it")
    assert_id_kept(response, request_id, seen)


async def test_requests_without_an_id_each_get_a_new_one(middleware_app, upstream, rng):
    # Several customers at once, each with an order of their own.
    orders = [fake_orders(upstream, rng, rng.uniform(0.1, 0.2)) for _ in range(4)]
    responses = await asyncio.gather(
        *(middleware_app.get(f"/orders/{order_id}/") for order_id, _, _, _ in orders)
    )
    ids = [response.headers.get(HEADER) for response in responses]
    for response, (order_id, order, seen, _) in zip(responses, orders, strict=True):
        response.assert_json(order, f"order {order_id}, as the orders service sent it")
        if seen != [response.headers.get(HEADER)]:
            pytest.fail(
                f"{response.request_line} came back with X-Request-ID "
                f"{response.headers.get(HEADER)!r}, but the orders service saw {seen!r} for "
                f"it.\nAll the ids the callers got: {ids!r}\n"
                "Expected the same id on both sides, for each request: one request's id must "
                "never reach another's.",
                pytrace=False,
            )
    if not all(ids) or len(set(ids)) != len(ids):
        pytest.fail(
            f"{len(ids)} requests without an id, sent at once, came back with X-Request-ID "
            f"{ids!r}.\nExpected a new, different id for each.",
            pytrace=False,
        )


async def test_an_id_is_never_given_twice(middleware_app, upstream, rng):
    # One customer after another; some come through a proxy that sends an empty header.
    ids = []
    for turn in range(4):
        order_id, order, seen, _ = fake_orders(upstream, rng, 0.01)
        sent = {HEADER: ""} if turn % 2 else {}
        response = await middleware_app.get(f"/orders/{order_id}/", headers=sent)
        response.assert_json(order, f"order {order_id}, as the orders service sent it")
        returned = response.headers.get(HEADER)
        how = "with an empty X-Request-ID header" if sent else "without an X-Request-ID"
        if not returned or seen != [returned]:
            pytest.fail(
                f"{response.request_line}, sent {how}, came back with X-Request-ID "
                f"{returned!r}, and the orders service saw {seen!r}.\n"
                "Expected a new id, the same on both sides: an empty header is no id.",
                pytrace=False,
            )
        ids.append(returned)
    if len(set(ids)) != len(ids):
        pytest.fail(
            f"{len(ids)} requests, one after another, came back with X-Request-ID {ids!r}.\n"
            "Expected an id never given before for each: a repeated id ties unrelated "
            "requests together in the logs.",
            pytrace=False,
        )


async def test_nothing_of_a_request_is_kept_once_it_has_answered(middleware_app, upstream, rng):
    # On a server that runs for weeks, whatever is kept per request only grows; and what
    # is kept by the request's address (id(request)) or its task reaches a later request,
    # once Python hands the freed address or task slot to it.
    ids = []
    for turn in range(4):
        order_id, _, _, orders = fake_orders(upstream, rng, 0.01)
        if turn == 3:
            orders.breaks("status_503_json")
        sent = {HEADER: a_request_id(rng)} if turn % 2 else {}
        response = await middleware_app.get(f"/orders/{order_id}/", headers=sent)
        if response.status not in (200, *GATEWAY_ERRORS):
            response.assert_status(200, f"order {order_id}")
        ids.append(response.headers.get(HEADER))
        del response
    kept = holders_of([i for i in ids if i])
    if kept:
        pytest.fail(
            f"4 requests to the order page had answered (the last one a 502), and a "
            f"{type(kept[0]).__name__} of {len(kept[0])} entries holding their request ids "
            "was still held in memory.\nSomething keeps a piece of every request, keyed by the "
            "request, its address (id(request)) or its task, and never lets go: it only "
            "grows, and once Python gives a freed request's address to a new request, the "
            "new one is handed the old one's id.\n"
            "Expected each request's id to go away with the request.",
            pytrace=False,
        )


async def test_a_failed_order_page_still_carries_its_request_id(
    middleware_app, upstream, rng, upstream_failure
):
    order_id, _, _, orders = fake_orders(upstream, rng)
    orders.breaks(upstream_failure)
    request_id = a_request_id(rng)
    response = await middleware_app.get(f"/orders/{order_id}/", headers={HEADER: request_id})
    if response.status not in GATEWAY_ERRORS:
        pytest.fail(
            f"The orders service {upstream_failure}.\n{response.explain()}\n"
            "Expected the view's 502 Bad Gateway, untouched by the middleware.",
            pytrace=False,
        )
    returned = response.headers.get(HEADER)
    if returned != request_id:
        pytest.fail(
            f"{response.request_line} failed ({response.status}) and came back with "
            f"X-Request-ID: {returned!r}; expected {request_id!r}.\n"
            "A failed request is the one support needs to find in the logs by its id.",
            pytrace=False,
        )


async def test_requests_still_overlap(middleware_burst, upstream, rng):
    order_id, _, _, _ = fake_orders(upstream, rng, latency=0.2)
    report = await middleware_burst(f"/orders/{order_id}/", n=5)
    report.assert_all_status(200)
    report.assert_served_concurrently()


async def test_the_middleware_chain_stays_async(middleware_app, upstream, rng):
    before = threads_waiting_for_the_loop(middleware_app.code_roots)
    held = {}

    def look_at_the_threads():
        # The orders service is answering: every request is inside the view, waiting.
        now = threads_waiting_for_the_loop(middleware_app.code_roots)
        held.update((ident, site) for ident, site in now.items() if ident not in before)

    order_id, _, _, _ = fake_orders(upstream, rng, latency=0.2, on_call=look_at_the_threads)
    report = await middleware_app.burst(f"/orders/{order_id}/", n=5)
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
