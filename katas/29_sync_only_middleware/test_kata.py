"""The order page behind the request-ID middleware: ids are kept or made, passed on to the
orders service, and the middleware chain stays async (no thread held per request)."""

import pytest

pytestmark = [
    pytest.mark.middleware("katas.29_sync_only_middleware.middleware.RequestIDMiddleware"),
    pytest.mark.usefixtures("cheap_http_clients"),
]

ORDERS_URL = "http://orders.example/orders/{}"
HEADER = "x-request-id"


def fake_orders(upstream, rng):
    """An order with random content; the orders service remembers the request ids it saw."""
    order_id = rng.randint(1000, 9999)
    order = {
        "id": order_id,
        "items": rng.randint(1, 9),
        "total": round(rng.uniform(5, 500), 2),
        "status": rng.choice(["paid", "shipped", "delivered"]),
    }
    seen = []

    def reply(request):
        seen.append(request.headers.get("X-Request-ID"))
        return order

    upstream.get(ORDERS_URL.format(order_id), json=reply)
    return order_id, order, seen


async def test_the_callers_request_id_is_kept_and_passed_on(middleware_app, upstream, rng):
    order_id, order, seen = fake_orders(upstream, rng)
    request_id = f"{rng.getrandbits(64):016x}"
    response = await middleware_app.get(f"/orders/{order_id}/", headers={HEADER: request_id})
    response.assert_json(order, f"order {order_id}, as the orders service sent it")
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


async def test_a_request_without_an_id_gets_a_new_one(middleware_app, upstream, rng):
    order_id, order, seen = fake_orders(upstream, rng)
    first = await middleware_app.get(f"/orders/{order_id}/")
    second = await middleware_app.get(f"/orders/{order_id}/")
    first.assert_json(order, f"order {order_id}, as the orders service sent it")
    ids = [first.headers.get(HEADER), second.headers.get(HEADER)]
    if not all(ids) or ids[0] == ids[1]:
        pytest.fail(
            f"Two requests without an id came back with X-Request-ID {ids!r}.\n"
            "Expected a new, different id for each.",
            pytrace=False,
        )
    if seen != ids:
        pytest.fail(
            f"The orders service saw X-Request-ID {seen!r}, the caller got {ids!r}.\n"
            "Expected the same id on both sides.",
            pytrace=False,
        )


async def test_requests_still_overlap(middleware_burst, upstream, rng):
    order_id, _, _ = fake_orders(upstream, rng)
    report = await middleware_burst(f"/orders/{order_id}/", n=5)
    report.assert_all_status(200)
    report.assert_served_concurrently()


async def test_the_middleware_chain_stays_async(middleware_app, upstream, rng):
    order_id, _, _ = fake_orders(upstream, rng)
    report = await middleware_app.burst(f"/orders/{order_id}/", n=5)
    report.assert_all_status(200)
    middleware_app.assert_chain_stays_async()
