"""The exchange-rates page and its cache: the first request asks the rates service once,
the next ones are served from the cache, one entry per currency, without blocking the loop."""

import pytest

pytestmark = pytest.mark.usefixtures("network_cache", "cheap_http_clients")

RATES_URL = "http://rates.example/latest"
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF", "SEK", "NOK", "CAD"]


def rates_for(base, rng):
    """Random rates against ``base``: new ones each time the service is asked."""
    return {
        "base": base,
        "rates": {c: round(rng.uniform(0.01, 150), 4) for c in CURRENCIES if c != base},
    }


def fake_rates_service(upstream, rng):
    """The rates service: every call answers fresh, different rates, so a second call
    would show."""
    return upstream.get(RATES_URL, json=lambda request: rates_for(request.url.params["base"], rng))


def expect_calls(route, expected, what):
    if route.call_count != expected:
        pytest.fail(
            f"{what}, the rates service was asked {route.call_count} times; expected "
            f"{expected}.\n\n{route.upstream.timeline(route.calls)}",
            pytrace=False,
        )


async def test_the_first_request_asks_the_rates_service_once(app, upstream, rng):
    first = rates_for("EUR", rng)
    route = fake_rates_service(upstream, rng).then_returns(first)
    response = await app.get("/rates/EUR/")
    response.assert_json(first, "the rates the service sent")
    expect_calls(route, 1, "For the first request for EUR")


async def test_the_second_request_is_served_from_the_cache(app, upstream, rng):
    first = rates_for("USD", rng)
    route = fake_rates_service(upstream, rng).then_returns(first)
    await app.get("/rates/USD/")
    second = await app.get("/rates/USD/")
    second.assert_json(first, "the rates cached by the first request")
    expect_calls(route, 1, "For two requests for USD")


async def test_each_currency_has_its_own_cache_entry(app, upstream, rng):
    route = fake_rates_service(upstream, rng)
    bases = rng.sample(CURRENCIES, 2)
    for base in bases * 2:
        response = await app.get(f"/rates/{base}/")
        response.assert_status(200, f"the rates against {base}")
        if response.json().get("base") != base:
            pytest.fail(
                f"{response.request_line} answered rates against {response.json().get('base')}"
                f"; expected rates against {base}.",
                pytrace=False,
            )
    expect_calls(route, 2, f"For two requests each for {bases[0]} and {bases[1]}")


async def test_cache_calls_do_not_block_the_loop(app, upstream, rng, network_cache):
    fake_rates_service(upstream, rng)
    for _ in range(2):
        response = await app.get("/rates/GBP/")
        response.assert_status(200, "the rates against GBP")
    network_cache.assert_never_blocked_the_loop()
