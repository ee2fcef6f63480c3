"""The confirmation page waits for the payment to settle without making other customers wait."""

import asyncio
import time

import pytest

from dojo.harness.failures import FAILURES
from dojo.harness.timeline import current_timeline

CURRENCIES = ["EUR", "GBP", "NOK", "SEK", "CHF", "PLN"]
GATEWAY_ERRORS = (502, 503, 504)
# The fake payment provider takes this long to answer, like a network round trip...
LATENCY = 0.1
# ...and says "pending" to a request that arrives sooner than this after checkout: a pause
# of 0.3 s always asks later, a pause cut short asks sooner even on a busy machine.
SETTLES_AFTER = 0.29
# Customers whose provider is broken reach their pages this far apart.
ARRIVALS_APART = 0.03
# A customer who closes the page leaves this far into the pause; the call a view that carries
# on regardless makes comes at the pause's end (0.3 s), long before the test looks (0.8 s).
LEAVES_AFTER = 0.1
LOOKS_AFTER = 0.8


@pytest.fixture
def payments(upstream, rng):
    """payments.example: ``payments.order("declined")`` makes an order whose card payment
    settles that way, SETTLES_AFTER after ``order["checkout"]()`` (the moment the customer
    is sent to the confirmation page) or after the page was reached, whichever is later;
    until then the provider says "pending"."""
    used = set()

    class Payments:
        def order(self, outcome="paid"):
            checked_out = time.perf_counter()

            def checkout():
                nonlocal checked_out
                checked_out = time.perf_counter()

            def settled_at():
                # Counted from when the customers' requests reached the site, where the
                # harness sees it (in-process): a busy machine can take a while to get them
                # there, and a pause cut short must not pass for it.
                timeline = current_timeline.get()
                reached = (
                    [interval.start for interval in timeline.intervals.values()] if timeline else []
                )
                return max(checked_out, min(reached, default=checked_out)) + SETTLES_AFTER

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
                return payment if arrived >= settled_at() else {**payment, "status": "pending"}

            route = upstream.get(
                f"http://payments.example/orders/{order_id}/payment", json=answer, latency=LATENCY
            )
            return {
                "id": order_id,
                "path": f"/orders/{order_id}/confirmation/",
                **payment,
                "route": route,
                "checkout": checkout,
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

    order["checkout"]()
    response = await app.get(order["path"])

    response.assert_json(
        confirmation(order), f"the confirmation of order {order['id']} (payment declined)"
    )


async def test_pausing_for_one_customer_does_not_stop_the_others(burst, upstream, payments):
    order = payments.order("paid")
    # Slower answers than usual: on a busy server the five customers arrive a little apart,
    # and their calls must still meet in flight.
    order["route"].latency = 3 * LATENCY

    order["checkout"]()
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


async def test_a_broken_payment_provider_is_a_gateway_error_not_a_crash(app, payments):
    # Every way a provider fails, one customer each, nearly at once: the pause is long. A
    # provider that is down stays down, so a page that asks again meets the failure again.
    orders = [payments.order() for _ in FAILURES]
    for order, failure in zip(orders, FAILURES):
        order["route"].breaks(failure)

    async def customer(order, arrives_after):
        await asyncio.sleep(arrives_after)
        return await app.get(order["path"])

    # A little apart, as customers come: nine pauses ending in the same instant would run
    # nine pages' work back to back, which a server can take for a held loop.
    responses = await asyncio.gather(
        *(customer(order, i * ARRIVALS_APART) for i, order in enumerate(orders))
    )

    wrong = [
        (failure, response)
        for failure, response in zip(FAILURES, responses)
        if response.status not in GATEWAY_ERRORS
    ]
    if wrong:
        failure, response = wrong[0]
        what = response.explain()
        if response.status == 200:
            what += f"\nIts body: {response.text[:200]!r}"
        ways = "".join(f"\n  - {failure}" for failure in FAILURES)
        pytest.fail(
            f"{len(FAILURES)} customers opened their confirmation page at once, and the payment "
            f"provider failed a different way for each:{ways}\n"
            f"{len(wrong)} of them got no gateway error. The first, whose provider {failure}:"
            f"\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do), so the page says the payment "
            "cannot be checked yet: never a 500, and never a payment state the provider "
            "did not send.",
            pytrace=False,
        )


async def test_a_customer_who_leaves_during_the_pause_is_not_checked_for(app, stream, payments):
    # An earlier order's page first, read to the end: the site is warm, so the customer
    # below leaves during the pause, not before the view has even started.
    earlier = payments.order("paid")
    earlier["checkout"]()
    (await app.get(earlier["path"])).assert_status(200, "the confirmation page")
    order = payments.order("paid")
    order["checkout"]()
    report = await stream(order["path"], disconnect_after=LEAVES_AFTER)
    # A pause that holds the loop holds the customer's leaving too: that is the first fault.
    report.assert_loop_not_blocked()
    await asyncio.sleep(max(0.0, report.start + LOOKS_AFTER - time.perf_counter()))
    left = report.disconnected_at or report.start + LEAVES_AFTER
    calls = sum(1 for call in order["route"].calls if call.start > left)
    if calls:
        pytest.fail(
            f"The customer closed GET {order['path']} {LEAVES_AFTER:g} s into the pause, and "
            f"the payment provider was still asked {calls} time(s) afterwards, for nobody: the "
            "pause and the check went on without the page (a shielded or detached task).\n"
            "Expected the view to stop when the customer leaves: Django cancels it, and the "
            "cancellation must reach the pause, so the provider is never asked.",
            pytrace=False,
        )
