"""The delivery estimate: asks the carrier, and answers 504 within the page's budget when the
carrier does not answer, leaving nothing waiting for it."""

import asyncio

import pytest

# The product page waits at most this long for the carrier (see the README).
BUDGET = 0.5
# From the moment the view asks the carrier, the 504 must come within this: three times the
# budget, so a busy machine never fails a right answer.
ALLOWED = 3 * BUDGET
# The tests wait this long for any answer before they give up on the view.
PATIENCE = 3.0
CARRIERS = ["ParcelPost", "SwiftShip", "GreenCourier", "NordFreight"]
POSTCODES = ["10115", "80331", "1010", "8001", "75002", "1050"]


@pytest.fixture
def estimate(rng):
    earliest = rng.randint(1, 20)
    return {
        "carrier": rng.choice(CARRIERS),
        "earliest": f"2025-08-{earliest:02d}",
        "latest": f"2025-08-{earliest + rng.randint(1, 5):02d}",
    }


@pytest.fixture
def carrier(upstream, estimate):
    """The carrier's API: an estimate in 0.15 s on a normal day."""
    return upstream.get("http://carrier.example/estimate", json=estimate, latency=0.15)


@pytest.fixture
def path(rng):
    return f"/products/SKU-{rng.randint(1000, 9999)}/delivery/?postcode={rng.choice(POSTCODES)}"


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


async def test_the_estimate_comes_from_the_carrier(app, carrier, estimate, path):
    response = await get_within(app, path)
    sku = path.split("/")[2]
    postcode = path.rsplit("=", 1)[1]
    response.assert_json(
        {"sku": sku, "postcode": postcode, **estimate}, "the carrier's delivery estimate"
    )


async def test_a_carrier_that_never_answers_gets_a_504_within_the_budget(app, carrier, path):
    carrier.hangs()
    response = await get_within(app, path)
    response.assert_status(504, "Gateway Timeout: the carrier did not answer in time")
    if not is_json_with_error(response):
        pytest.fail(
            f"GET {path} returned 504 with {response.text[:200]!r}.\n"
            'Expected a JSON body with an "error" key, for the page to show.',
            pytrace=False,
        )
    asked_at = carrier.calls[0].start if carrier.calls else response.start
    waited = response.end - asked_at
    if waited > ALLOWED:
        pytest.fail(
            f"GET {path} answered 504, but {waited:.2f} s after it asked the carrier.\n"
            f"Expected the 504 once the page's budget of {BUDGET:g} s is spent (the tests "
            f"allow up to {ALLOWED:g} s).",
            pytrace=False,
        )
    still_waiting = [call for call in carrier.calls if not call.finished]
    if still_waiting:
        pytest.fail(
            f"GET {path} answered 504 after {response.elapsed:.2f} s, but its call to the "
            "carrier was still waiting: the view walked away from it without cancelling it. "
            "Every timed-out request leaves one more call waiting for ever.\n"
            "Expected the call to the carrier to be cancelled when the deadline passed.\n\n"
            f"{carrier.upstream.timeline()}",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/products/SKU-1/delivery/")
