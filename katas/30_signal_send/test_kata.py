"""Placing an order: the view answers 201 once every receiver of the order_placed signal has
run (the async one reserves the stock at the warehouse, sync ones run off the event loop),
orders placed at once are served at once, and an order whose reservation fails is never
"placed"."""

import asyncio
import json
import logging
import time

import pytest

from .signals import order_placed

WAREHOUSE_URL = "http://warehouse.example/reservations"
NOT_PLACED = (502, 503, 504)


def an_order(rng):
    """An order with random lines."""
    order_id = rng.randint(10_000, 99_999)
    return {
        "id": order_id,
        "lines": [
            {"sku": f"SKU-{rng.randint(1000, 9999)}", "quantity": rng.randint(1, 5)}
            for _ in range(rng.randint(1, 4))
        ],
    }


def fake_warehouse(upstream, latency=0.05):
    """The warehouse service; it remembers the reservations it was sent."""
    received = []

    def reserve(request):
        received.append(json.loads(request.read()))
        return {"reserved": True}

    route = upstream.post(WAREHOUSE_URL, json=reserve, latency=latency)
    return route, received


def on_the_event_loop():
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def other_teams():
    """Two more receivers, connected as other teams connect theirs: a sync one (loyalty
    points, written like most Django code) and an async one (the confirmation e-mail). Each
    notes the orders it saw and when; the sync one, whether it ran on the event loop."""
    seen = {"sync": [], "async": []}

    def add_loyalty_points(sender, order, **kwargs):
        seen["sync"].append((order["id"], on_the_event_loop(), time.perf_counter()))

    async def send_confirmation(sender, order, **kwargs):
        await asyncio.sleep(0.01)
        seen["async"].append((order["id"], time.perf_counter()))

    order_placed.connect(add_loyalty_points, weak=False, dispatch_uid="kata30.loyalty")
    order_placed.connect(send_confirmation, weak=False, dispatch_uid="kata30.confirmation")
    try:
        yield seen
    finally:
        order_placed.disconnect(dispatch_uid="kata30.loyalty")
        order_placed.disconnect(dispatch_uid="kata30.confirmation")


def test_the_view_stays_async(assert_async_view):
    assert_async_view("/orders/")


async def test_an_order_is_placed(app, upstream, rng):
    fake_warehouse(upstream)
    order = an_order(rng)
    response = await app.post("/orders/", json=order)
    response.assert_status(201, "the order placed")
    expected = {"order": order["id"], "status": "placed"}
    if response.json() != expected:
        pytest.fail(
            f"{response.request_line} answered {response.text}; expected {expected}.",
            pytrace=False,
        )


async def test_the_warehouse_reserves_the_stock_before_the_answer(app, upstream, rng):
    route, received = fake_warehouse(upstream)
    order = an_order(rng)
    response = await app.post("/orders/", json=order)
    response.assert_status(201, "the order placed")
    if route.call_count != 1:
        pytest.fail(
            f"{response.request_line} answered 201, but the warehouse received "
            f"{route.call_count} reservations.\nExpected exactly one: the async receiver "
            "reserve_stock() must run when the order_placed signal is sent.",
            pytrace=False,
        )
    call = route.calls[0]
    if call.end is None or call.end > response.end or not received:
        pytest.fail(
            f"{response.request_line} answered before the warehouse had confirmed the "
            "reservation.\nExpected the view to wait for its receivers: the customer is told "
            "'placed' only once the stock is reserved.",
            pytrace=False,
        )
    expected = {"order": order["id"], "lines": order["lines"]}
    if received[0] != expected:
        pytest.fail(f"The warehouse received {received[0]}; expected {expected}.", pytrace=False)


async def test_every_receiver_runs_before_the_answer_sync_ones_off_the_loop(
    app, upstream, rng, other_teams
):
    fake_warehouse(upstream)
    order = an_order(rng)
    response = await app.post("/orders/", json=order)
    response.assert_status(201, "the order placed")
    for kind, receiver in (("sync", "add_loyalty_points"), ("async", "send_confirmation")):
        calls = other_teams[kind]
        if [call[0] for call in calls] != [order["id"]] or calls[0][-1] > response.end:
            pytest.fail(
                f"{response.request_line} answered 201; the {kind} receiver {receiver}() "
                f"was called {len(calls)} time{'' if len(calls) == 1 else 's'}"
                f"{' (after the answer)' if calls and calls[0][-1] > response.end else ''}.\n"
                "Expected every receiver of order_placed, sync or async, to run once, with the "
                "order, before the view answers.",
                pytrace=False,
            )
    if other_teams["sync"][0][1]:
        pytest.fail(
            "The sync receiver add_loyalty_points() ran on the event loop's thread.\n"
            "Sync receivers are sync code: they may query the database or call a service, "
            "and on the loop that blocks every request (Django refuses its ORM there).\n"
            "Expected the sync receivers to run in a worker thread.",
            pytrace=False,
        )


def assert_not_placed(response, caplog, what_failed):
    """Fail unless the order was refused (503, or 502/504) and the error logged."""
    __tracebackhide__ = True
    if response.status not in NOT_PLACED:
        pytest.fail(
            f"{what_failed}.\n{response.explain()}\n"
            "Expected 503 Service Unavailable (502 or 504 would do), telling the customer the "
            "order could not be placed: never 'placed' when a receiver failed, never a 500.",
            pytrace=False,
        )
    if not any(record.levelno >= logging.ERROR for record in caplog.records):
        pytest.fail(
            f"{what_failed}; {response.request_line} answered {response.status}, but nothing "
            "was logged as an error.\n"
            "Expected the receiver's error in the logs, so someone finds out why orders fail.",
            pytrace=False,
        )


async def test_a_failed_reservation_is_never_placed(app, upstream, rng, caplog, upstream_failure):
    route, _ = fake_warehouse(upstream)
    route.breaks(upstream_failure)
    response = await app.post("/orders/", json=an_order(rng))
    assert_not_placed(
        response, caplog, f"The warehouse {upstream_failure}, so reserve_stock() raised"
    )
    if route.call_count > 1:
        pytest.fail(
            f"The warehouse {upstream_failure}, and it was asked {route.call_count} times to "
            "reserve the stock of one order: the signal was sent again after a receiver "
            "failed.\nA second send runs every receiver again, not only the one that failed: "
            "other teams' loyalty points added twice, two confirmation e-mails for one order.\n"
            "Expected the signal sent once per order; a receiver that failed means the order "
            "is not placed.",
            pytrace=False,
        )


class NoLoyaltyAccount(LookupError):
    """Another team's sync receiver failed."""


class MailServerDown(ConnectionError):
    """Another team's async receiver failed."""


@pytest.mark.parametrize(
    "how", ["out_of_stock", "a_sync_receiver_fails", "an_async_receiver_fails"]
)
async def test_an_order_any_receiver_fails_is_never_placed(app, upstream, rng, caplog, how):
    route, _ = fake_warehouse(upstream)

    def add_loyalty_points(sender, order, **kwargs):
        raise NoLoyaltyAccount(f"no loyalty account for order {order['id']}")

    async def send_confirmation(sender, order, **kwargs):
        await asyncio.sleep(0.01)
        raise MailServerDown("the mail server refused the connection")

    failing, what_failed = {
        "out_of_stock": (
            None,
            "The warehouse answered that it could not reserve the stock (out of stock), so "
            "reserve_stock() raised StockNotReserved",
        ),
        "a_sync_receiver_fails": (
            add_loyalty_points,
            "Another team's sync receiver, add_loyalty_points(), raised NoLoyaltyAccount",
        ),
        "an_async_receiver_fails": (
            send_confirmation,
            "Another team's async receiver, send_confirmation(), raised MailServerDown",
        ),
    }[how]
    if failing is None:
        route.returns({"reserved": False, "reason": "out of stock"})
    else:
        order_placed.connect(failing, weak=False, dispatch_uid="kata30.failing")
    try:
        response = await app.post("/orders/", json=an_order(rng))
    finally:
        order_placed.disconnect(dispatch_uid="kata30.failing")
    assert_not_placed(response, caplog, what_failed)


async def test_orders_placed_at_once_are_served_at_once(burst, upstream, rng):
    route, received = fake_warehouse(upstream, latency=0.2)
    order = an_order(rng)
    n = rng.randint(3, 5)
    report = await burst("/orders/", n=n, method="POST", body=json.dumps(order).encode())
    report.assert_all_status(201, "the order placed")
    expected = {"order": order["id"], "lines": order["lines"]}
    if received != [expected] * n:
        pytest.fail(
            f"{n} orders placed at once; the warehouse received these reservations:\n"
            f"    {received}\nExpected {n}, each {expected}",
            pytrace=False,
        )
    upstream.assert_calls_overlapped(n, route)
