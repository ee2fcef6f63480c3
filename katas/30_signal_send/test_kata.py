"""Placing an order: the view answers 201, and the order_placed signal reaches its async
receiver, which reserves the stock at the warehouse before the customer is told."""

import json

import pytest

pytestmark = pytest.mark.usefixtures("cheap_http_clients")

WAREHOUSE_URL = "http://warehouse.example/reservations"


def an_order(rng):
    """An order with random lines."""
    return {
        "id": rng.randint(10_000, 99_999),
        "lines": [
            {"sku": f"SKU-{rng.randint(1000, 9999)}", "quantity": rng.randint(1, 5)}
            for _ in range(rng.randint(1, 4))
        ],
    }


def fake_warehouse(upstream):
    """The warehouse service; it remembers the reservations it was sent."""
    received = []

    def reserve(request):
        received.append(request.read())
        return {"reserved": True}

    route = upstream.post(WAREHOUSE_URL, json=reserve)
    return route, received


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
    sent = json.loads(received[0])
    expected = {"order": order["id"], "lines": order["lines"]}
    if sent != expected:
        pytest.fail(f"The warehouse received {sent}; expected {expected}.", pytrace=False)
    call = route.calls[0]
    if call.end is None or call.end > response.end:
        pytest.fail(
            f"{response.request_line} answered before the warehouse had confirmed the "
            "reservation.\nExpected the view to wait for its receivers: the customer is told "
            "'placed' only once the stock is reserved.",
            pytrace=False,
        )
