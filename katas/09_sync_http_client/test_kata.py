"""Prices are converted with today's rate without holding up the other visitors."""

import pytest

CURRENCIES = ["EUR", "USD", "GBP", "NOK", "SEK", "DKK", "CHF", "JPY", "PLN"]
GATEWAY_ERRORS = (502, 503, 504)
# The rates service takes this long to answer, like a network round trip.
LATENCY = 0.2


@pytest.fixture
def worth(rng):
    """Today's market: what one unit of each currency is worth, in a common unit."""
    return {currency: rng.uniform(0.005, 1.5) for currency in CURRENCIES}


def todays_rate(worth, base, target):
    """How many ``target`` one ``base`` buys today, as the rates service says it."""
    return round(worth[base] / worth[target], 6)


@pytest.fixture
def rates_service(upstream, worth):
    """rates.example: today's rates for the ``?base=`` currency, into every other one."""

    def rates(request):
        base = request.url.params["base"]
        others = [currency for currency in CURRENCIES if currency != base]
        known = base in worth
        return {
            "base": base,
            "rates": {target: todays_rate(worth, base, target) for target in others if known},
        }

    return upstream.get("http://rates.example/latest", json=rates, latency=LATENCY)


@pytest.fixture
def convert(rng, worth):
    """A price to convert, from any currency into any other: its page and its conversion."""

    def price(source=None):
        # Shop prices, in whole units and cents, as the product page shows them ("24.90").
        amount = rng.randint(100, 90_000) / 100
        source = source or rng.choice(CURRENCIES)
        target = rng.choice([currency for currency in CURRENCIES if currency != source])
        rate = todays_rate(worth, source, target)
        return {
            "path": f"/prices/convert/?amount={amount:.2f}&from={source}&to={target}",
            "expected": {
                "amount": amount,
                "from": source,
                "to": target,
                "rate": rate,
                "converted": round(amount * rate, 2),
            },
        }

    return price


@pytest.fixture
def price(convert):
    return convert()


def assert_converted(response, expected, meaning):
    """The conversion as JSON; the converted price may be rounded another way (half up, with
    Decimal), so a cent either way of Python's round() is the same price."""
    __tracebackhide__ = True
    try:
        body = response.json()
    except ValueError:
        body = None
    converted = body.get("converted") if isinstance(body, dict) else None
    if isinstance(converted, int | float) and abs(converted - expected["converted"]) <= 0.011:
        expected = {**expected, "converted": converted}
    response.assert_json(expected, meaning)


async def test_converts_a_price_with_todays_rate(app, rates_service, price):
    response = await app.get(price["path"])

    assert_converted(response, price["expected"], "the price converted with today's rate")
    assert rates_service.call_count == 1, (
        f"Expected one call to the rates service, but the view made {rates_service.call_count}."
    )


async def test_converts_from_any_currency_into_any_other(app, rates_service, convert, rng):
    rates_service.latency = 0.02  # this test is about the answers, not about time
    for source in rng.sample(CURRENCIES, k=3):
        price = convert(source)

        response = await app.get(price["path"])

        expected = price["expected"]
        assert_converted(
            response,
            expected,
            f"{expected['amount']} {expected['from']} converted into {expected['to']} at "
            "today's rate",
        )


async def test_a_price_asked_for_again_is_converted_at_the_rate_of_now(
    app, rates_service, convert, rng, worth
):
    rates_service.latency = 0.02  # this test is about the answers, not about time
    first = convert()
    (await app.get(first["path"])).assert_status(200, "the converted price")
    # The market moves during the day, and the rates service with it.
    for currency in worth:
        worth[currency] *= rng.uniform(0.8, 1.25)
    again = convert(first["expected"]["from"])

    response = await app.get(again["path"])

    expected = again["expected"]
    assert_converted(
        response,
        expected,
        f"{expected['amount']} {expected['from']} converted into {expected['to']} at the rate "
        "the rates service gives now: the market moved since the first price",
    )


async def test_visitors_are_served_at_the_same_time(burst, upstream, rates_service, price):
    # All five calls must be in flight at one moment, so the first answer must not come back
    # before the fifth call goes out: on a busy machine, starting five worker threads (or
    # five clients) can take longer than one round trip.
    rates_service.latency = 2 * LATENCY
    report = await burst(price["path"], n=5)

    report.assert_all_status(200, "the converted price")
    report.assert_served_concurrently()
    upstream.assert_calls_overlapped(5, route=rates_service)


async def test_the_event_loop_stays_free_while_the_rates_load(burst, rates_service, price):
    report = await burst(price["path"], n=5)

    report.assert_all_status(200, "the converted price")
    report.assert_loop_not_blocked()


async def test_a_broken_rates_service_is_a_gateway_error_not_a_crash(
    app, rates_service, price, upstream_failure
):
    # The same price was converted a moment ago: the rate of then is not the rate of now.
    await app.get(price["path"])
    before = "gave today's rates, then " if rates_service.call_count else ""
    rates_service.breaks(upstream_failure)

    response = await app.get(price["path"])

    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nIts body: {response.text[:200]!r}"
        pytest.fail(
            f"The rates service {before}{upstream_failure}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do), so the product page falls back "
            "to the shop's own currency: never a 500, and never a rate the service did not send "
            "(nor the one it sent before it failed).",
            pytrace=False,
        )
