"""The confirmation page waits for the payment to settle without making other customers wait."""

import time

import pytest

# Creating an httpx client per request costs CPU on the loop as well: that is kata 34's
# lesson, so here it is made free.
pytestmark = pytest.mark.usefixtures("cheap_http_clients")

CURRENCIES = ["EUR", "GBP", "NOK", "SEK", "CHF", "PLN"]
# The fake payment provider takes this long to answer, like a network round trip...
LATENCY = 0.2
# ...and says "pending" to a request that arrives sooner than this after the test starts.
SETTLES_AFTER = 0.25


@pytest.fixture
def order_id(rng):
    return rng.randint(10_000, 99_999)


@pytest.fixture
def payment(rng, order_id):
    return {
        "order": order_id,
        "status": "paid",
        "amount": f"{rng.randint(500, 50_000) / 100:.2f}",
        "currency": rng.choice(CURRENCIES),
    }


@pytest.fixture
def payments(upstream, order_id, payment):
    """payments.example: the order's payment, "pending" until it has settled."""
    settled_at = time.perf_counter() + SETTLES_AFTER

    def answer(request):
        arrived = route.calls[-1].start  # when the latest request for the payment arrived
        return payment if arrived >= settled_at else {**payment, "status": "pending"}

    route = upstream.get(
        f"http://payments.example/orders/{order_id}/payment", json=answer, latency=LATENCY
    )
    return route


def confirmation(payment):
    return {
        "order": payment["order"],
        "payment": "paid",
        "amount": payment["amount"],
        "currency": payment["currency"],
    }


async def test_the_page_confirms_the_settled_payment(app, payments, order_id, payment):
    response = await app.get(f"/orders/{order_id}/confirmation/")

    response.assert_json(confirmation(payment), "the confirmation of the settled payment")


async def test_pausing_for_one_customer_does_not_stop_the_others(
    burst, payments, order_id, payment
):
    report = await burst(f"/orders/{order_id}/confirmation/", n=5)

    report.assert_all_status(200, "the confirmation page")
    report.assert_loop_not_blocked()
    for response in report.responses:
        response.assert_json(confirmation(payment), "the confirmation of the settled payment")
