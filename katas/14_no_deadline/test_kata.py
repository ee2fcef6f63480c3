"""The delivery estimate: asks the carrier, answers 504 within the page's budget when the
carrier does not answer, a gateway error when it is broken, and leaves nothing waiting for
it, whether the deadline passed or the customer left."""

import asyncio
from urllib.parse import urlencode

import pytest

# The product page waits at most this long for the carrier (see the README).
BUDGET = 0.5
# From the moment the view asks the carrier, the 504 must come within this: three times the
# budget, so a busy machine never fails a right answer.
ALLOWED = 3 * BUDGET
# The tests wait this long for any answer before they give up on the view.
PATIENCE = 3.0
# On a normal day the carrier answers well within the budget (at least 3 times faster).
NORMAL_DAY = (0.03, 0.15)
# On a bad day it answers, but late: past the budget, yet sooner than a deadline of "half a
# second and a bit to spare" (0.75 s) would notice. The view's deadline and the carrier's late
# answer are timers on the same event loop, and the carrier's starts later, so which comes
# first does not depend on the machine's speed.
TOO_LATE = (0.65, 0.7)
# Statuses that tell the page "no estimate from the carrier right now".
GATEWAY_ERRORS = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
CARRIERS = ["ParcelPost", "SwiftShip", "GreenCourier", "NordFreight", "Ček & Co"]
POSTCODES = ["10115", "80331", "1010", "8001", "75002", "SW1A 1AA", "1012 AB", "H3Z 2Y7"]


@pytest.fixture
def estimate(rng):
    earliest = rng.randint(1, 20)
    return {
        "carrier": rng.choice(CARRIERS),
        "earliest": f"2025-08-{earliest:02d}",
        "latest": f"2025-08-{earliest + rng.randint(1, 5):02d}",
    }


@pytest.fixture
def carrier(upstream, estimate, rng):
    """The carrier's API: an estimate, well within the page's budget on a normal day."""
    return upstream.get(
        "http://carrier.example/estimate", json=estimate, latency=rng.uniform(*NORMAL_DAY)
    )


@pytest.fixture
def product(rng):
    """The SKU and the postcode the page asks about."""
    return {"sku": f"SKU-{rng.randint(1000, 9999)}", "postcode": rng.choice(POSTCODES)}


@pytest.fixture
def path(product):
    return f"/products/{product['sku']}/delivery/?{urlencode({'postcode': product['postcode']})}"


async def get_within(app, path, seconds=PATIENCE):
    """GET ``path``; fail the test, rather than hang it, if no answer comes in time."""
    __tracebackhide__ = True
    try:
        async with asyncio.timeout(seconds):
            return await app.get(path)
    except TimeoutError:
        pass
    pytest.fail(
        f"GET {path} had not answered after {seconds:g} s: the view was still waiting for "
        f"the carrier, which never answers.\nExpected a 504 once the page's budget of "
        f"{BUDGET:g} s is spent.",
        pytrace=False,
    )


def is_json_with_error(response):
    if not response.headers.get("content-type", "").startswith("application/json"):
        return False
    body = response.json()
    return isinstance(body, dict) and "error" in body


def fail_unless_json_error(response, path):
    __tracebackhide__ = True
    if not is_json_with_error(response):
        pytest.fail(
            f"GET {path} returned {response.status} with {response.text[:200]!r}.\n"
            'Expected a JSON body with an "error" key, for the page to show.',
            pytrace=False,
        )


def fail_if_still_waiting(carrier, when):
    __tracebackhide__ = True
    still_waiting = [call for call in carrier.calls if not call.finished]
    if still_waiting:
        pytest.fail(
            f"{when}, but its call to the carrier was still waiting: the view walked away "
            "from it without cancelling it. Every such request leaves one more call waiting "
            "for ever.\nExpected the call to the carrier to be cancelled as well.\n\n"
            f"{carrier.upstream.timeline()}",
            pytrace=False,
        )


async def test_the_estimate_comes_from_the_carrier(app, carrier, estimate, product, path):
    response = await get_within(app, path)
    response.assert_json({**product, **estimate}, "the carrier's delivery estimate")


async def test_a_carrier_that_never_answers_gets_a_504_within_the_budget(app, carrier, path):
    carrier.hangs()
    response = await get_within(app, path)
    response.assert_status(504, "Gateway Timeout: the carrier did not answer in time")
    fail_unless_json_error(response, path)
    asked_at = carrier.calls[0].start if carrier.calls else response.start
    waited = response.end - asked_at
    if waited > ALLOWED:
        pytest.fail(
            f"GET {path} answered 504, but {waited:.2f} s after it asked the carrier.\n"
            f"Expected the 504 once the page's budget of {BUDGET:g} s is spent (the tests "
            f"allow up to {ALLOWED:g} s).",
            pytrace=False,
        )
    fail_if_still_waiting(carrier, f"GET {path} answered 504 after {response.elapsed:.2f} s")
    if len(carrier.calls) > 1:
        pytest.fail(
            f"GET {path} answered 504, {waited:.2f} s after it first asked the carrier, but "
            f"it asked {len(carrier.calls)} times: each new try starts the wait again, and the "
            f"page waits longer than its budget of {BUDGET:g} s.\nExpected one call, given up "
            f"on when the budget is spent.\n\n{carrier.upstream.timeline()}",
            pytrace=False,
        )


async def test_a_carrier_that_answers_past_the_budget_gets_a_504(app, carrier, path, rng):
    carrier.latency = rng.uniform(*TOO_LATE)
    response = await get_within(app, path)
    if response.status == 200:
        pytest.fail(
            f"The carrier took {carrier.latency:.2f} s to answer, and GET {path} waited for it "
            f"and answered 200 after {response.elapsed:.2f} s.\nExpected a 504 once the "
            f"page's budget of {BUDGET:g} s is spent: the page cannot wait longer than that, "
            "whether the carrier answers late or never.",
            pytrace=False,
        )
    response.assert_status(504, "Gateway Timeout: the carrier did not answer in time")
    fail_unless_json_error(response, path)
    fail_if_still_waiting(carrier, f"GET {path} answered 504 after {response.elapsed:.2f} s")


async def test_a_broken_carrier_is_a_gateway_error_not_a_crash(
    app, carrier, path, upstream_failure
):
    carrier.breaks(upstream_failure)
    response = await get_within(app, path)
    if response.status not in GATEWAY_ERRORS:
        wanted = " or ".join(f"{status} ({name})" for status, name in GATEWAY_ERRORS.items())
        body = f"\nBody: {response.text[:200]!r}" if response.status == 200 else ""
        pytest.fail(
            f"The carrier {upstream_failure}.\n{response.explain()}{body}\n"
            f'Expected {wanted}, with an "error" in the JSON body: the page then shows '
            '"delivery date unavailable", never a crash or a made-up date.',
            pytrace=False,
        )
    fail_unless_json_error(response, path)


async def test_a_customer_who_leaves_stops_the_call_to_the_carrier(stream, carrier, path):
    carrier.hangs()
    # The customer closes the page while the view waits for the carrier.
    report = await stream(path, disconnect_when=lambda: bool(carrier.calls))
    report.assert_view_stopped()
    if report.sent_after_disconnect:
        pytest.fail(
            f"The customer left GET {path} while the view waited for the carrier, and the "
            "view still sent an answer afterwards, to nobody: it caught the cancellation "
            "Django sent it and carried on as if the deadline had passed.\nExpected the view "
            "to let the cancellation through (a deadline raises TimeoutError, a customer "
            f"leaving raises CancelledError: only the first is a 504).\n\n{report.timeline()}",
            pytrace=False,
        )
    fail_if_still_waiting(carrier, f"The customer left GET {path} and the view stopped")


def test_the_view_is_async(assert_async_view):
    assert_async_view("/products/SKU-1/delivery/")
