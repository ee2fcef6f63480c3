"""Ticket prices in the visitor's currency: the bank's sync client runs off the event loop."""

import pytest

CURRENCIES = ["NOK", "SEK", "DKK", "CHF", "GBP", "PLN", "CZK", "JPY"]
TICKET_PRICE_EUR = 45


@pytest.fixture
def currency(rng):
    return rng.choice(CURRENCIES)


@pytest.fixture
def rate(rng):
    """Today's exchange rate: a different one on every run."""
    return round(rng.uniform(0.5, 160.0), 4)


@pytest.fixture
def bank(upstream, rate):
    """The fake bank: answers every exchange-rate request after 0.4 s."""
    return upstream.get(
        "http://rates.example/latest",
        json=lambda request: {"to": request.url.params["to"], "rate": rate},
        latency=0.4,
    )


async def test_shows_the_ticket_price_in_the_currency(app, bank, currency, rate):
    response = await app.get(f"/tickets/{currency}/")
    response.assert_status(200, f"the ticket price in {currency}")
    body = response.json()
    expected = round(TICKET_PRICE_EUR * rate, 2)
    if body.get("currency") != currency or abs(body.get("price", 0) - expected) > 0.011:
        pytest.fail(
            f"{response.request_line} returned {body!r}.\nExpected "
            f"{{'currency': {currency!r}, 'price': {expected}}}: 45 EUR at today's rate {rate}.",
            pytrace=False,
        )


async def test_the_loop_stays_free_while_the_bank_answers(burst, bank, currency):
    report = await burst(f"/tickets/{currency}/", n=5)
    # A call to the bank holds the loop for 0.4 s or more; a free loop is never held 0.15 s.
    report.assert_loop_not_blocked(longer_than=0.15)
    report.assert_all_status(200, f"the ticket price in {currency}")


def test_the_view_is_async(assert_async_view):
    assert_async_view("/tickets/NOK/")
