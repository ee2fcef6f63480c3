"""Ticket prices in the visitor's currency: the bank's sync client runs off the event loop,
visitors are priced at the same time, and a failing bank is a 502."""

import asyncio
import inspect
from importlib import import_module

import pytest

# Creating an httpx client per request costs CPU on the loop as well: that is kata 34's
# lesson, so here it is made free (a fix that asks the bank with its own AsyncClient is fine).
CURRENCIES = ["NOK", "SEK", "DKK", "CHF", "GBP", "PLN", "CZK", "HUF", "ISK", "RON", "JPY", "USD"]
TICKET_PRICE_EUR = 45
# The bank answers in this long, like a network round trip...
LATENCY = 0.05
# ...and this long in the tests of concurrency: long enough for every visitor's call to
# have started before the first one ends, and for a call to the bank on the loop to hold it
# three times the longest stall a free loop is allowed.
SLOW_LATENCY = 0.3
STALL_ALLOWED = 0.1
GATEWAY_ERRORS = (502, 503, 504)


@pytest.fixture
def currency(rng):
    return rng.choice(CURRENCIES)


@pytest.fixture
def rates(rng):
    """Today's exchange rate of every currency: different ones on every run."""
    return {currency: round(rng.uniform(0.5, 400.0), 4) for currency in CURRENCIES}


@pytest.fixture
def bank(upstream, rates):
    """The fake bank: answers ``?to=...`` with how many of that currency one euro buys."""

    def rate_for(request):
        to = request.url.params.get("to")
        return {"from": "EUR", "to": to, "rate": rates.get(to)}

    return upstream.get("http://rates.example/latest", json=rate_for, latency=LATENCY)


def assert_priced(response, currency, rate):
    __tracebackhide__ = True
    response.assert_status(200, f"the ticket price in {currency}")
    try:
        body = response.json()
    except ValueError:
        body = response.text[:200]
    expected = round(TICKET_PRICE_EUR * rate, 2)
    price = body.get("price") if isinstance(body, dict) else None
    right_price = isinstance(price, int | float) and abs(price - expected) <= 0.011
    if not right_price or body.get("currency") != currency:
        pytest.fail(
            f"{response.request_line} returned {body!r}.\nExpected "
            f"{{'currency': {currency!r}, 'price': {expected}}}: 45 EUR at today's rate {rate}.",
            pytrace=False,
        )


async def test_shows_the_ticket_price_in_the_currency(app, bank, currency, rates):
    response = await app.get(f"/tickets/{currency}/")
    assert_priced(response, currency, rates[currency])


async def test_visitors_in_several_currencies_are_priced_at_the_same_time(
    app, upstream, bank, rates, rng
):
    bank.latency = SLOW_LATENCY
    currencies = rng.sample(CURRENCIES, 4)
    responses = await asyncio.gather(*(app.get(f"/tickets/{c}/") for c in currencies))
    for response, currency in zip(responses, currencies, strict=True):
        assert_priced(response, currency, rates[currency])
    # Four visitors priced one after another wait four round trips to the bank.
    upstream.assert_calls_overlapped(len(currencies), route=bank)


async def test_the_loop_stays_free_while_the_bank_answers(burst, bank, currency):
    bank.latency = SLOW_LATENCY
    report = await burst(f"/tickets/{currency}/", n=5)
    report.assert_loop_not_blocked(longer_than=STALL_ALLOWED)
    report.assert_all_status(200, f"the ticket price in {currency}")


async def test_a_broken_bank_is_a_502_not_a_crash(app, bank, currency, upstream_failure):
    # Rates move: the one the bank gave before it failed is not today's.
    await app.get(f"/tickets/{currency}/")
    before = f"gave a rate for {currency}, then " if bank.call_count else ""
    bank.breaks(upstream_failure)
    response = await app.get(f"/tickets/{currency}/")
    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nIts body: {response.text[:200]!r}"
        pytest.fail(
            f"The bank {before}{upstream_failure}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do), so the shop shows prices in "
            "euros meanwhile: never a 500, and never a price at a rate the bank did not give "
            "(nor at the one it gave before it failed).",
            pytrace=False,
        )


async def test_the_invoicing_code_still_gets_a_rate_from_the_helper(bank, currency, rates):
    # The invoicing code is sync: it calls exchange_rate("NOK") from its own thread and
    # wants a number back. Fixing the view must not take that from it.
    views = import_module("katas.06_sync_to_async_call_shape.views")
    helper = getattr(views, "exchange_rate", None)
    rate = None if helper is None else await asyncio.to_thread(helper, currency)
    if inspect.isawaitable(rate):
        rate.close()
    if rate != rates[currency]:
        got = "there is no exchange_rate any more" if helper is None else f"it returned {rate!r}"
        pytest.fail(
            f"The sync invoicing code called exchange_rate({currency!r}) from its thread, and "
            f"{got}.\nExpected {rates[currency]}, the bank's rate: the invoicing code uses the "
            "helper too. Change how the view calls it, not the helper.",
            pytrace=False,
        )


async def test_the_invoicing_code_hears_when_the_bank_fails(bank, currency):
    # An invoice billed at a made-up rate is worse than one that waits: the sync helper
    # must keep telling its callers that the bank failed, as it always did, by raising.
    views = import_module("katas.06_sync_to_async_call_shape.views")
    bank.fails(503)
    try:
        rate = await asyncio.to_thread(views.exchange_rate, currency)
    except Exception:
        return
    if inspect.isawaitable(rate):
        rate.close()
    pytest.fail(
        f"The bank answered 503, and exchange_rate({currency!r}), called by the sync invoicing "
        f"code, returned {rate!r}.\nExpected it to raise, as it did before: the invoicing code "
        "must hear that the bank failed, never get a rate the bank did not give. Let the view "
        "turn the failure into a 502, around its call of the helper.",
        pytrace=False,
    )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/tickets/NOK/")
