"""The basket quote: prices every item with the pricing service, concurrently but never with
more requests in flight than the service allows, and never a total with an item left out."""

import pytest

PRICING_SERVICE = "http://pricing.example/prices"
# The pricing team's rule: at most this many of the shop's requests in flight (the real
# service answers 429 Too Many Requests above it).
ALLOWED_IN_FLIGHT = 3
# Each item takes its own time to price, so answers come back in another order than the
# requests went out.
FAST = (0.02, 0.1)
# Some items take much longer: a cap that starts the next requests on a timer, instead of
# when a request in flight has finished, sends a fourth while a slow one is still out.
SLOW = (0.45, 0.5)
# A free slot is taken by the next item within a loop turn or two; a cap kept by a clock
# leaves the service idle for most of a wave's gap. The longest pause with nothing in
# flight while items still wait: a right fix stays well under it, a timer far over it.
LONGEST_IDLE = 0.15


@pytest.fixture
def catalogue(rng):
    """Today's prices, in cents, of the shop's items; new ones on every run."""
    return {
        f"SKU-{number}": rng.randint(199, 19999) for number in rng.sample(range(1000, 9999), 16)
    }


@pytest.fixture
def pricing(upstream, catalogue, rng):
    """The pricing service, ``GET /prices/<sku>``: one fake route per item, each answering
    at its own speed."""
    return {
        sku: upstream.get(
            f"{PRICING_SERVICE}/{sku}",
            json={"sku": sku, "price_cents": cents},
            latency=rng.uniform(*FAST),
        )
        for sku, cents in catalogue.items()
    }


def basket_of(rng, catalogue, size):
    return rng.sample(sorted(catalogue), size)


def large_basket(rng, catalogue):
    """7 to 12 items, one of them twice (two boxes of the same screws)."""
    basket = basket_of(rng, catalogue, rng.randint(6, 11))
    basket.insert(rng.randrange(len(basket) + 1), rng.choice(basket))
    return basket


def quote_of(basket, catalogue):
    items = [{"sku": sku, "price_cents": catalogue[sku]} for sku in basket]
    return {"items": items, "total_cents": sum(item["price_cents"] for item in items)}


def has_json_error(response):
    if not response.headers.get("content-type", "").startswith("application/json"):
        return False
    body = response.json()
    return isinstance(body, dict) and "error" in body


def pricing_calls(upstream):
    return [call for call in upstream.calls if call.url.startswith(PRICING_SERVICE)]


def overlapping(call, calls):
    """How many of the other calls were in flight at some moment of ``call``."""
    return sum(
        other is not call and other.start < call.end and call.start < other.end for other in calls
    )


def longest_idle(calls):
    """The longest pause, before the last call started, with no call in flight."""
    longest, busy_until = 0.0, None
    for call in sorted(calls, key=lambda call: call.start):
        if busy_until is not None and call.start > busy_until:
            longest = max(longest, call.start - busy_until)
        busy_until = call.end if busy_until is None else max(busy_until, call.end)
    return longest


async def test_a_small_basket_is_quoted(app, pricing, catalogue, rng):
    basket = basket_of(rng, catalogue, rng.randint(2, 3))
    response = await app.post("/basket/quote/", json={"skus": basket})
    response.assert_json(
        quote_of(basket, catalogue), f"a price for each of the {len(basket)} items"
    )


async def test_a_basket_quoted_again_later_gets_the_prices_of_now(app, pricing, catalogue, rng):
    basket = basket_of(rng, catalogue, rng.randint(2, 3))
    (await app.post("/basket/quote/", json={"skus": basket})).assert_status(200, "a quote")
    # Prices change during the day: the pricing service is the one that knows them.
    for sku in basket:
        catalogue[sku] += rng.randint(1, 500)
        pricing[sku].returns({"sku": sku, "price_cents": catalogue[sku]})
    response = await app.post("/basket/quote/", json={"skus": basket})
    response.assert_json(
        quote_of(basket, catalogue),
        "the prices the pricing service gives now, not the ones it gave an earlier basket",
    )


async def test_an_empty_basket_is_quoted_without_asking_the_pricing_service(app, upstream, pricing):
    response = await app.post("/basket/quote/", json={"skus": []})
    response.assert_json({"items": [], "total_cents": 0}, "an empty quote")
    if pricing_calls(upstream):
        pytest.fail(
            f"POST /basket/quote/ with an empty basket asked the pricing service "
            f"{len(pricing_calls(upstream))} time(s); expected no request at all.",
            pytrace=False,
        )


async def test_a_large_basket_is_quoted_in_full(app, pricing, catalogue, rng):
    basket = large_basket(rng, catalogue)
    response = await app.post("/basket/quote/", json={"skus": basket})
    response.assert_json(
        quote_of(basket, catalogue), f"a price for each of the {len(basket)} items"
    )


async def test_never_more_requests_in_flight_than_the_service_allows(
    app, upstream, pricing, catalogue, rng
):
    basket = large_basket(rng, catalogue)
    # The first items are slow to price today: every slot is taken for a long while, and
    # the next item must wait that long for one (however long that is).
    slow = basket[:ALLOWED_IN_FLIGHT]
    for sku in slow:
        pricing[sku].latency = rng.uniform(*SLOW)
    response = await app.post("/basket/quote/", json={"skus": basket})
    calls = pricing_calls(upstream)
    peak = upstream.peak_in_flight
    if peak > ALLOWED_IN_FLIGHT:
        pytest.fail(
            f"POST /basket/quote/ with {len(basket)} items had {peak} requests to the pricing "
            f"service in flight at once; it allows {ALLOWED_IN_FLIGHT} (the real service "
            f"refuses the others with 429 Too Many Requests). {', '.join(slow)} took "
            f"{min(pricing[sku].latency for sku in slow):.2f} s or more to price today. The "
            f"quote came back "
            f"{response.outcome()}.\nExpected at most {ALLOWED_IN_FLIGHT} requests in flight "
            "at any moment: the next one starts only when one in flight has finished.\n\n"
            f"{upstream.timeline(calls)}",
            pytrace=False,
        )
    response.assert_json(
        quote_of(basket, catalogue), f"a price for each of the {len(basket)} items"
    )


async def test_a_large_basket_uses_all_3_requests_allowed_at_once(
    app, upstream, pricing, catalogue, rng
):
    basket = large_basket(rng, catalogue)
    response = await app.post("/basket/quote/", json={"skus": basket})
    # One at a time is safe, but a basket of 9 would take 9 round trips instead of 3.
    upstream.assert_calls_overlapped(ALLOWED_IN_FLIGHT)
    calls = pricing_calls(upstream)
    # With the slots kept busy, every call shares the service with the other two; only the
    # last one or two of a basket may find nobody left to share with.
    alone = [call for call in calls if overlapping(call, calls) < ALLOWED_IN_FLIGHT - 1]
    if len(alone) > ALLOWED_IN_FLIGHT - 1:
        pytest.fail(
            f"POST /basket/quote/ with {len(basket)} items sent {len(alone)} of its requests "
            f"to the pricing service with fewer than {ALLOWED_IN_FLIGHT} in flight, while "
            f"items were still waiting (the quote came back {response.outcome()}).\n"
            f"Expected {ALLOWED_IN_FLIGHT} requests in flight for as long as items wait: "
            "when one answers, the next item starts.\n\n"
            f"{upstream.timeline(calls)}",
            pytrace=False,
        )
    idle = longest_idle(calls)
    if idle > LONGEST_IDLE:
        pytest.fail(
            f"POST /basket/quote/ with {len(basket)} items left the pricing service with no "
            f"request at all for {idle:.2f} s while items were still waiting to be priced "
            f"(the quote came back {response.outcome()}).\nExpected the next item to start as "
            "soon as a request in flight has answered, not after a pause on a clock.\n\n"
            f"{upstream.timeline(calls)}",
            pytrace=False,
        )


async def test_an_item_the_service_cannot_price_makes_the_quote_a_502(
    app, upstream, pricing, catalogue, rng, upstream_failure
):
    basket = basket_of(rng, catalogue, rng.randint(2, 3))
    broken = rng.choice(basket)
    pricing[broken].breaks(upstream_failure)
    response = await app.post("/basket/quote/", json={"skus": basket})
    if response.status == 200:
        pytest.fail(
            f"The pricing service {upstream_failure} when asked for {broken}, and "
            f"POST /basket/quote/ still answered 200:\n    {response.text[:300]}\n"
            f'Expected 502 (Bad Gateway) with an "error": a quote without {broken}\'s price '
            "would be a lie.",
            pytrace=False,
        )
    response.assert_status(502, f"Bad Gateway: the pricing service {upstream_failure}")
    if not has_json_error(response):
        pytest.fail(
            f"POST /basket/quote/ answered 502 with {response.text[:200]!r}.\n"
            'Expected a JSON body with an "error" key, for the basket page to show.',
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/basket/quote/")
