"""The confirmation page waits for the payment to settle without making other customers wait."""

import time

import pytest

from dojo.failures import FAILURES

CURRENCIES = ["EUR", "GBP", "NOK", "SEK", "CHF", "PLN"]
GATEWAY_ERRORS = (502, 503, 504)
# The fake payment provider takes this long to answer, like a network round trip...
LATENCY = 0.1
# ...and says "pending" to a request that arrives sooner than this after the order was placed.
SETTLES_AFTER = 0.25


@pytest.fixture
def payments(upstream, rng):
    """payments.example: ``payments.order("declined")`` makes an order whose card payment
    settles that way, SETTLES_AFTER from now; until then the provider says "pending"."""
    used = set()

    class Payments:
        def order(self, outcome="paid"):
            settled_at = time.perf_counter() + SETTLES_AFTER
            order_id = rng.randint(10_000, 99_999)
            while order_id in used:
                order_id = rng.randint(10_000, 99_999)
            used.add(order_id)
            payment = {
                "order": order_id,
                "status": outcome,
                "amount": f"{rng.randint(500, 50_000) / 100:.2f}",
                "currency": rng.choice(CURRENCIES),
            }

            def answer(request):
                # The provider decides when a request arrives; with equal latencies, the
                # earliest call still in flight is the one being answered.
                arrived = min(call.start for call in route.calls if not call.finished)
                return payment if arrived >= settled_at else {**payment, "status": "pending"}

            route = upstream.get(
                f"http://payments.example/orders/{order_id}/payment", json=answer, latency=LATENCY
            )
            return {
                "id": order_id,
                "path": f"/orders/{order_id}/confirmation/",
                **payment,
                "route": route,
            }

    return Payments()


def confirmation(order):
    return {
        "order": order["id"],
        "payment": order["status"],
        "amount": order["amount"],
        "currency": order["currency"],
    }


async def test_the_page_shows_how_the_payment_settled(app, payments):
    # A declined card here, paid ones in the burst below: a page that always says "paid"
    # cannot pass both.
    order = payments.order("declined")

    response = await app.get(order["path"])

    response.assert_json(
        confirmation(order), f"the confirmation of order {order['id']} (payment declined)"
    )


async def test_pausing_for_one_customer_does_not_stop_the_others(burst, upstream, payments):
    order = payments.order("paid")

    report = await burst(order["path"], n=5)

    report.assert_all_status(200, "the confirmation page")
    report.assert_loop_not_blocked()
    for response in report.responses:
        response.assert_json(confirmation(order), "the confirmation of the settled payment")
    peak = order["route"].peak_in_flight
    if peak < 5:
        pytest.fail(
            f"The five customers' pages all answered, but their calls to the payment provider "
            f"went out one after another (at most {peak} in flight at once): each customer's "
            "pause waited for the pause of the one before.\n"
            "Expected the five pauses to run at the same time, so that all five calls are in "
            f"flight together.\n\n{upstream.timeline()}",
            pytrace=False,
        )


async def test_a_broken_payment_provider_is_a_gateway_error_not_a_crash(burst, payments):
    # Every way a provider fails, one per customer, all at once: the pause is long.
    order = payments.order()
    for failure in FAILURES:
        order["route"].breaks(failure, times=1)

    report = await burst(order["path"], n=len(FAILURES))

    wrong = [response for response in report.responses if response.status not in GATEWAY_ERRORS]
    if wrong:
        what = wrong[0].explain()
        if wrong[0].status == 200:
            what += f"\nIts body: {wrong[0].text[:200]!r}"
        ways = "".join(f"\n  - {failure}" for failure in FAILURES)
        pytest.fail(
            f"{len(FAILURES)} customers opened their confirmation page at once, and the payment "
            f"provider failed a different way for each:{ways}\n"
            f"{len(wrong)} of them got no gateway error. The first:\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do), so the page says the payment "
            "cannot be checked yet: never a 500, and never a payment state the provider "
            "did not send.",
            pytrace=False,
        )
