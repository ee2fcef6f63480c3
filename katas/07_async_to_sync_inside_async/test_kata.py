"""The order status: an async view that asks the orders service, without leaving the loop."""

import pytest

STATUSES = ["received", "packed", "shipped", "out for delivery"]


@pytest.fixture
def order(upstream, rng):
    """An order, different on every run, served by the fake orders service."""
    order_id = rng.randint(1000, 99999)
    data = {
        "id": order_id,
        "status": rng.choice(STATUSES),
        "eta": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "items": rng.randint(1, 5),
    }
    upstream.get(f"http://orders.example/orders/{order_id}", json=data)
    return data


async def test_answers_200(app, order):
    response = await app.get(f"/orders/{order['id']}/status/")
    response.assert_status(200, "the order's status")


async def test_shows_the_status_from_the_orders_service(app, order):
    response = await app.get(f"/orders/{order['id']}/status/")
    response.assert_json(
        {"order": order["id"], "status": order["status"], "eta": order["eta"]},
        f"the status of order {order['id']}, from the orders service",
    )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/orders/1234/status/")
