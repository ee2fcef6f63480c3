"""Shipping quotes retry a struggling carrier without freezing the site while they wait."""

import itertools

import pytest

# Creating an httpx client per request costs CPU on the loop as well: that is kata 34's
# lesson, so here it is made free.
pytestmark = pytest.mark.usefixtures("cheap_http_clients")

CARRIER_RATES = "http://parcelpro.example/v2/rates"
# ParcelPro answers this fast, when it answers at all.
LATENCY = 0.05


@pytest.fixture
def parcel(rng):
    """A parcel to ship: its postcode, its weight and the quote page's path."""
    postcode = f"{rng.randint(1000, 9999)}"
    weight = rng.randint(1, 30)
    return {
        "postcode": postcode,
        "path": f"/shipping/quote/?postcode={postcode}&weight_kg={weight}",
    }


@pytest.fixture
def quote(rng):
    return {
        "price": f"{rng.randint(450, 4500) / 100:.2f}",
        "currency": rng.choice(["EUR", "GBP", "CHF"]),
        "days": rng.randint(1, 6),
    }


@pytest.fixture
def carrier(upstream, quote):
    """parcelpro.example: answers the quote, unless a test tells it to fail first."""
    return upstream.get(CARRIER_RATES, json=quote, latency=LATENCY)


def pauses(route):
    """The seconds between the end of each call and the start of the next."""
    calls = route.calls
    return [after.start - before.end for before, after in itertools.pairwise(calls)]


async def test_retries_with_growing_pauses_until_the_carrier_answers(
    app, upstream, carrier, parcel, quote
):
    carrier.fails(503, times=2)

    response = await app.get(parcel["path"])

    response.assert_json({"carrier": "ParcelPro", **quote}, "the quote of the third attempt")
    assert carrier.call_count == 3, (
        f"Expected 3 calls to ParcelPro (two 503s, then the quote), but the view made "
        f"{carrier.call_count}.\n\n{upstream.timeline()}"
    )
    assert f"postcode={parcel['postcode']}" in carrier.calls[0].url, (
        f"Expected ParcelPro to be asked about postcode {parcel['postcode']}, "
        f"but the view asked {carrier.calls[0].url}"
    )
    first, second = pauses(carrier)
    assert first >= 0.1 and second > first, (
        "Expected a pause of at least 0.1 s before the first retry and a longer one before "
        f"the second, to give the carrier time to recover; the pauses were {first:.2f} s "
        f"and {second:.2f} s.\n\n{upstream.timeline()}"
    )


async def test_gives_up_after_three_attempts(app, upstream, carrier, parcel):
    carrier.fails(503)

    response = await app.get(parcel["path"])

    response.assert_status(503, "the carrier is not answering")
    assert carrier.call_count == 3, (
        f"Expected the view to give up after 3 calls, but it made {carrier.call_count}."
        f"\n\n{upstream.timeline()}"
    )


async def test_a_refused_parcel_is_not_retried(app, upstream, carrier, parcel):
    carrier.fails(422)

    response = await app.get(parcel["path"])

    response.assert_status(400, "the carrier cannot ship this parcel")
    assert carrier.call_count == 1, (
        "Expected a single call: a 4xx answer means the request itself is wrong, and asking "
        f"again cannot change that. The view made {carrier.call_count}.\n\n{upstream.timeline()}"
    )


async def test_waiting_to_retry_leaves_the_event_loop_free(burst, carrier, parcel):
    carrier.fails(503, times=2)

    report = await burst(parcel["path"], n=1)

    report.assert_all_status(200, "the quote of the third attempt")
    report.assert_loop_not_blocked()
