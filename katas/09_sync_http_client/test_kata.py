"""Prices are converted with today's rate without holding up the other visitors."""

import pytest

# Creating an httpx client per request costs CPU on the loop as well: that is kata 34's
# lesson, so here it is made free.
pytestmark = pytest.mark.usefixtures("cheap_http_clients")

CURRENCIES = ["USD", "GBP", "NOK", "SEK", "DKK", "CHF", "JPY", "PLN"]
# The rates service takes this long to answer, like a network round trip.
LATENCY = 0.2


@pytest.fixture
def rates(rng):
    return {currency: round(rng.uniform(0.2, 160.0), 4) for currency in CURRENCIES}


@pytest.fixture
def rates_service(upstream, rates):
    """rates.example: today's rates for the ``?base=`` currency."""
    return upstream.get(
        "http://rates.example/latest",
        json=lambda request: {"base": request.url.params["base"], "rates": rates},
        latency=LATENCY,
    )


@pytest.fixture
def price(rng, rates):
    """A price in EUR to convert, its page, and the conversion the page must show."""
    amount = rng.randint(1, 900)
    target = rng.choice(CURRENCIES)
    rate = rates[target]
    return {
        "path": f"/prices/convert/?amount={amount}&from=EUR&to={target}",
        "expected": {
            "amount": amount,
            "from": "EUR",
            "to": target,
            "rate": rate,
            "converted": round(amount * rate, 2),
        },
    }


async def test_converts_a_price_with_todays_rate(app, rates_service, price):
    response = await app.get(price["path"])

    response.assert_json(price["expected"], "the price converted with today's rate")
    assert rates_service.call_count == 1, (
        f"Expected one call to the rates service, but the view made {rates_service.call_count}."
    )


async def test_visitors_are_served_at_the_same_time(burst, upstream, rates_service, price):
    report = await burst(price["path"], n=5)

    report.assert_all_status(200, "the converted price")
    report.assert_served_concurrently()
    upstream.assert_calls_overlapped(5, route=rates_service)


async def test_the_event_loop_stays_free_while_the_rates_load(burst, rates_service, price):
    report = await burst(price["path"], n=5)

    report.assert_all_status(200, "the converted price")
    report.assert_loop_not_blocked()
