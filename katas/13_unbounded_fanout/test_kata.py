"""The basket quote: prices every item with the pricing service, concurrently but never with
more requests in flight than the service allows."""

import pytest

# The pricing service answers 429 Too Many Requests above this many requests in flight.
ALLOWED_IN_FLIGHT = 3
LARGE_BASKET = 9


@pytest.fixture
def catalogue(rng):
    """Today's prices, in cents, of a few items; new ones on every run."""
    return {
        f"SKU-{number}": rng.randint(199, 19999) for number in rng.sample(range(1000, 9999), 12)
    }


@pytest.fixture
def pricing(upstream, catalogue):
    """The pricing service: ``GET /price?sku=...``, 0.2 s per request, 3 in flight at most."""
    return upstream.get(
        "http://pricing.example/price",
        json=lambda request: {
            "sku": request.url.params["sku"],
            "price_cents": catalogue[request.url.params["sku"]],
        },
        latency=0.2,
    ).limit(ALLOWED_IN_FLIGHT)


def quote_of(basket, catalogue):
    items = [{"sku": sku, "price_cents": catalogue[sku]} for sku in basket]
    return {"items": items, "total_cents": sum(item["price_cents"] for item in items)}


async def test_a_small_basket_is_quoted(app, pricing, catalogue, rng):
    basket = rng.sample(sorted(catalogue), 2)
    response = await app.post("/basket/quote/", json={"skus": basket})
    response.assert_json(quote_of(basket, catalogue), "a price for each of the 2 items")


async def test_a_large_basket_is_quoted_in_full(app, pricing, catalogue, rng):
    basket = rng.sample(sorted(catalogue), LARGE_BASKET)
    response = await app.post("/basket/quote/", json={"skus": basket})
    response.assert_json(
        quote_of(basket, catalogue), f"a price for each of the {LARGE_BASKET} items"
    )


async def test_never_more_requests_in_flight_than_the_service_allows(
    app, upstream, pricing, catalogue, rng
):
    basket = rng.sample(sorted(catalogue), LARGE_BASKET)
    response = await app.post("/basket/quote/", json={"skus": basket})
    peak = pricing.peak_in_flight
    if peak > ALLOWED_IN_FLIGHT:
        refused = sum(1 for call in pricing.calls if call.status == 429)
        pytest.fail(
            f"POST /basket/quote/ with {LARGE_BASKET} items sent {peak} requests to the pricing "
            f"service at once; it allows {ALLOWED_IN_FLIGHT}, and refused {refused} of them "
            f"with 429 Too Many Requests. The quote came back {response.outcome()}.\n"
            f"Expected at most {ALLOWED_IN_FLIGHT} requests in flight at any moment.\n\n"
            f"{upstream.timeline()}",
            pytrace=False,
        )


async def test_a_large_basket_uses_all_3_requests_allowed_at_once(
    app, upstream, pricing, catalogue, rng
):
    basket = rng.sample(sorted(catalogue), LARGE_BASKET)
    await app.post("/basket/quote/", json={"skus": basket})
    # One at a time is safe, but a basket of 9 would take 9 round trips instead of 3.
    upstream.assert_calls_overlapped(ALLOWED_IN_FLIGHT, route=pricing)


def test_the_view_is_async(assert_async_view):
    assert_async_view("/basket/quote/")
