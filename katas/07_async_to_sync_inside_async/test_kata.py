"""The order status: an async view that asks the orders service, without leaving the loop."""

import sys
import threading

import pytest

STATUSES = ["received", "packed", "shipped", "out for delivery", "delivered", "returned"]
GATEWAY_ERRORS = (502, 503, 504)
# Error statuses with which the orders service turns this server away: the service is
# failing, and the order exists all the same.
TURNED_AWAY = {401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests"}
# The orders service answers this fast, like a network round trip.
LATENCY = 0.05
# The frames of a bridge from sync code into async code, while it waits for what it runs.
BRIDGES = {
    "AsyncToSync.__call__": "async_to_sync(...)",
    "Runner.run": "asyncio.run(...)",
    "BaseEventLoop.run_until_complete": "loop.run_until_complete(...)",
}
# The frame of a thread pool's worker while it runs a job (asyncio.to_thread, run_in_executor,
# sync_to_async): a thread that waits there for the order waits for the loop to fetch it.
POOL_JOB = "_WorkItem.run"


def threads_in_a_bridge():
    """The threads that are inside a bridge from sync into async code, or inside a thread
    pool's job, each with the name of what holds it."""
    found = {}
    for thread, frame in sys._current_frames().items():
        bridge = job = None
        while frame is not None:
            # The outermost bridge names it best: asyncio.run runs run_until_complete.
            name = frame.f_code.co_qualname
            if name in BRIDGES:
                bridge = BRIDGES[name]
            elif name == POOL_JOB and frame.f_code.co_filename.endswith("thread.py"):
                job = "a thread pool's job (asyncio.to_thread, run_in_executor, sync_to_async)"
            frame = frame.f_back
        if bridge or job:
            found[thread] = bridge or job
    return found


@pytest.fixture
def order(upstream, rng):
    """An order, different on every run, served by the fake orders service, which notes,
    at each call, where the view was while it waited for the answer."""
    order_id = rng.randint(1000, 99999)
    data = {
        "id": order_id,
        "status": rng.choice(STATUSES),
        "eta": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "items": rng.randint(1, 5),
    }
    loop_thread = threading.get_ident()
    # A thread an earlier test left in a bridge is none of this view's doing.
    already_bridging = set(threads_in_a_bridge())
    seen = []

    def answer(request):
        bridges = threads_in_a_bridge()
        bridges.pop(loop_thread, None)  # the test's own loop runs under asyncio's runner
        seen.append(
            {
                "thread": threading.current_thread().name,
                "on_the_loop": threading.get_ident() == loop_thread,
                "bridges": sorted(
                    {name for thread, name in bridges.items() if thread not in already_bridging}
                ),
            }
        )
        return data

    route = upstream.get(f"http://orders.example/orders/{order_id}", json=answer, latency=LATENCY)
    return {**data, "route": route, "seen": seen, "service": data}


async def test_answers_200(app, order):
    response = await app.get(f"/orders/{order['id']}/status/")
    response.assert_status(200, "the order's status")


async def test_shows_the_status_from_the_orders_service(app, order):
    response = await app.get(f"/orders/{order['id']}/status/")
    response.assert_json(
        {"order": order["id"], "status": order["status"], "eta": order["eta"]},
        f"the status of order {order['id']}, from the orders service",
    )
    calls = order["route"].call_count
    if calls != 1:
        pytest.fail(
            f"GET /orders/{order['id']}/status/ asked the orders service {calls} times; "
            "expected once.",
            pytrace=False,
        )


async def test_a_customer_who_checks_again_sees_where_the_parcel_is_now(app, order, rng):
    path = f"/orders/{order['id']}/status/"
    (await app.get(path)).assert_status(200, "the order's status")
    # The parcel moves on between two visits, as parcels do.
    now = {
        "status": rng.choice([status for status in STATUSES if status != order["status"]]),
        "eta": f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
    order["service"].update(now)

    response = await app.get(path)

    response.assert_json(
        {"order": order["id"], **now},
        f"the status of order {order['id']} as the orders service gives it now: the parcel "
        f"moved on from {order['status']!r} to {now['status']!r} since the first visit",
    )


async def test_the_order_is_awaited_on_the_views_own_event_loop(app, order):
    response = await app.get(f"/orders/{order['id']}/status/")
    response.assert_status(200, "the order's status")
    for seen in order["seen"]:
        if seen["bridges"]:
            what = (
                f"a worker thread sat inside {' and '.join(seen['bridges'])}, waiting for the "
                "answer: a thread held per customer, just to wait"
            )
        elif not seen["on_the_loop"]:
            what = (
                f"the call was made from thread {seen['thread']!r}, on an event loop of its "
                "own: a thread and a new event loop per customer, just to wait"
            )
        else:
            continue
        pytest.fail(
            f"GET /orders/{order['id']}/status/ answered, but while the orders service was "
            f"being asked, {what}.\n"
            "That is the cost the async view was meant to save.\n"
            "Expected the view to await the order itself, on the event loop it runs on.",
            pytrace=False,
        )


async def test_an_order_the_service_does_not_know_is_a_404(app, upstream, rng):
    order_id = rng.randint(1000, 99999)
    upstream.get(f"http://orders.example/orders/{order_id}", latency=LATENCY).fails(404)

    response = await app.get(f"/orders/{order_id}/status/")

    response.assert_status(404, f"Not Found: the orders service knows no order {order_id}")


@pytest.mark.parametrize("status", TURNED_AWAY)
async def test_an_orders_service_turning_us_away_is_a_gateway_error_not_an_unknown_order(
    app, order, status
):
    # The status says it all; the body, as gateways write it, need not say "error".
    order["route"].returns({"detail": TURNED_AWAY[status], "retry_after": 30}, status=status)

    response = await app.get(f"/orders/{order['id']}/status/")

    if response.status not in GATEWAY_ERRORS:
        pytest.fail(
            f"The orders service answered {status} {TURNED_AWAY[status]}.\n"
            f"{response.explain()}\n"
            "Expected 502 Bad Gateway (503 or 504 would do): the orders service is failing, "
            "and the customer's order exists. Only its 404 means there is no such order.",
            pytrace=False,
        )


async def test_a_broken_orders_service_is_a_gateway_error_not_a_crash(app, order, upstream_failure):
    order["route"].breaks(upstream_failure)

    response = await app.get(f"/orders/{order['id']}/status/")

    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nIts body: {response.text[:200]!r}"
        pytest.fail(
            f"The orders service {upstream_failure}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do), so the page says it cannot see "
            "the order right now: never a 500, and never a status the service did not send.",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/orders/1234/status/")
