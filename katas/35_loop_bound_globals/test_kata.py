"""GET /stock/<sku>/ answers with the stock API's numbers, calling the API one request at a
time, and keeps working when it runs on another event loop (the next test, a sync caller)."""

import pytest

WAREHOUSES = ["Leeds", "Lyon", "Lodz", "Lille", "Linz"]


@pytest.fixture
def sku(rng):
    return f"SKU-{rng.randint(1000, 9999)}"


@pytest.fixture
def stock(upstream, rng, sku, cheap_http_clients):
    """The stock API: one call at a time per API key, 429 to a second one meanwhile."""
    numbers = {"in_stock": rng.randint(0, 500), "warehouse": rng.choice(WAREHOUSES)}
    route = upstream.get(f"http://stock.example/items/{sku}", json=numbers, latency=0.1)
    route.limit(1)
    route.numbers = numbers
    return route


async def serve_a_burst(burst, stock, sku, where):
    """Three requests at once: all answered, the stock API called one at a time."""
    __tracebackhide__ = True
    before = stock.call_count
    report = await burst(f"/stock/{sku}/", n=3)
    report.assert_all_status(200, f"the stock of {sku}, {where}")
    calls = stock.calls[before:]
    overlapping = stock.upstream.timeline(calls)
    assert len(calls) == 3, f"Expected 3 calls to the stock API {where}.\n{overlapping}"
    for response in report.responses:
        response.assert_json({"sku": sku, **stock.numbers}, f"the stock of {sku}, {where}")


async def test_the_stock_level_of_an_item(app, stock, sku):
    response = await app.get(f"/stock/{sku}/")
    response.assert_json({"sku": sku, **stock.numbers}, f"the stock of {sku}")


async def test_requests_take_turns_on_every_event_loop(burst, stock, sku, on_new_loop):
    await serve_a_burst(burst, stock, sku, "on this test's event loop")
    await on_new_loop(serve_a_burst, burst, stock, sku, "on a second event loop")


async def test_each_event_loop_uses_a_client_of_its_own(app, stock, sku, http_clients, on_new_loop):
    path = f"/stock/{sku}/"
    (await app.get(path)).assert_status(200, f"the stock of {sku}")
    (await on_new_loop(app.get, path)).assert_status(200, f"the stock of {sku}, on a second loop")
    http_clients.assert_each_on_one_loop()
