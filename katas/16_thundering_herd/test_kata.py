"""The exchange rates: fetched from the bank, cached for a minute, and fetched once even when
a crowd of requests finds the cache empty."""

import pytest
from django.core.cache import cache

CURRENCIES = ["USD", "GBP", "JPY", "CHF", "SEK", "NOK", "PLN", "CZK", "AUD", "CAD"]
CROWD = 10


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts, and ends, with nothing cached."""
    cache.clear()
    yield
    cache.clear()


def new_rates(rng):
    return {currency: round(rng.uniform(0.2, 9.0), 4) for currency in rng.sample(CURRENCIES, 4)}


@pytest.fixture
def todays_rates(rng):
    return new_rates(rng)


@pytest.fixture
def bank(upstream, todays_rates):
    """The bank's rates API: 0.2 s per call, billed per call."""
    return upstream.get(
        "http://fx.example/latest",
        json=lambda request: {"base": request.url.params["base"], "rates": todays_rates},
        latency=0.2,
    )


def fail_on_bank_calls(bank, expected, what):
    __tracebackhide__ = True
    calls = bank.call_count
    if calls != expected:
        pytest.fail(
            f"{what} asked the bank {calls} time{'' if calls == 1 else 's'}; expected "
            f"{'once' if expected == 1 else f'{expected} times'}.\n\n{bank.upstream.timeline()}",
            pytrace=False,
        )


async def test_the_rates_come_from_the_bank(app, bank, todays_rates):
    response = await app.get("/rates/?base=EUR")
    response.assert_json({"base": "EUR", "rates": todays_rates}, "the bank's rates for EUR")


async def test_the_next_request_is_served_from_the_cache(app, bank, todays_rates):
    await app.get("/rates/?base=EUR")
    response = await app.get("/rates/?base=EUR")
    response.assert_json({"base": "EUR", "rates": todays_rates}, "the cached rates for EUR")
    fail_on_bank_calls(bank, 1, "Two requests in a row")


async def test_the_rates_are_fetched_again_when_the_cache_entry_expires(app, bank, rng):
    earlier, later = new_rates(rng), new_rates(rng)
    bank.then_returns({"base": "EUR", "rates": earlier}, {"base": "EUR", "rates": later})
    await app.get("/rates/?base=EUR")
    cache.clear()  # the minute is over: the cached entry is gone
    response = await app.get("/rates/?base=EUR")
    response.assert_json(
        {"base": "EUR", "rates": later}, "the bank's new rates, once the cached ones expired"
    )
    fail_on_bank_calls(bank, 2, "A request, the cache entry expiring, then another request")


async def test_a_crowd_on_an_empty_cache_asks_the_bank_once(burst, bank, todays_rates):
    report = await burst("/rates/?base=EUR", n=CROWD)
    report.assert_all_status(200, "the rates")
    expected = {"base": "EUR", "rates": todays_rates}
    for response in report.responses:
        response.assert_json(expected, "the bank's rates for EUR")
    fail_on_bank_calls(
        bank,
        1,
        f"{CROWD} requests that arrived together on an empty cache (the first one fetches, "
        f"the other {CROWD - 1} should wait for its answer)",
    )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/rates/")
