"""Shipping quotes retry a struggling carrier without freezing the site while they wait."""

import asyncio
import itertools
import time

import pytest

from dojo.harness.failures import FAILURES

CARRIER_RATES = "http://parcelpro.example/v2/rates"
# ParcelPro answers this fast, when it answers at all.
LATENCY = 0.05
GATEWAY_ERRORS = (502, 503, 504)
# The ways a busy carrier fails that a retry can cure. (A body cut off half-way may be
# retried or reported: see its own test.)
TRANSIENT = [failure for failure in FAILURES if failure.name != "malformed_json"]
# The policy: the pause before the first retry, and before the second.
POLICY = (0.15, 0.30)
# "Growing": the second pause is at least this many times the first (the policy says 2).
GROWTH = 1.25
# Pauses are measured from the carrier's call log, so a loop that wakes late lengthens
# them. A run during which the loop woke later than this is measured again.
QUIET = 0.02
MEASUREMENTS = 4
# Customers failed together. A pause drawn anywhere from nothing ("full jitter", up to twice
# the backoff) is under 0.1 s for one of twelve in all but 0.8% of runs (of six: 9%).
TOGETHER = 12


@pytest.fixture
def parcel(rng):
    """A parcel to ship, its own postcode each time: ``parcel()`` gives its page."""
    postcodes = iter(rng.sample(range(1000, 10000), k=100))

    def new():
        postcode = str(next(postcodes))
        return {
            "postcode": postcode,
            "path": f"/shipping/quote/?postcode={postcode}&weight_kg={rng.randint(1, 30)}",
        }

    return new


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


def calls_about(carrier, parcel):
    return [call for call in carrier.calls if f"postcode={parcel['postcode']}" in call.url]


def pauses(calls):
    """The seconds between the end of each call and the start of the next."""
    return [after.start - before.end for before, after in itertools.pairwise(calls)]


async def get_timing_the_loop(app, *paths):
    """GET every path at once, and each time the event loop woke meanwhile: (when, how late)."""
    wakes = []

    async def heartbeat():
        while True:
            asleep = time.perf_counter()
            await asyncio.sleep(0.005)
            woke = time.perf_counter()
            wakes.append((woke, woke - asleep - 0.005))

    beat = asyncio.create_task(heartbeat())
    try:
        responses = await asyncio.gather(*(app.get(path) for path in paths))
    finally:
        beat.cancel()
    return (*responses, wakes)


def latest(wakes, start=float("-inf"), end=float("inf")):
    """How late the loop woke, at worst, between ``start`` and ``end``."""
    return max((late for woke, late in wakes if start <= woke <= end), default=0.0)


async def test_retries_with_growing_pauses_until_the_carrier_answers(
    app, upstream, carrier, parcel, quote, rng
):
    failure = rng.choice(TRANSIENT)
    runs = []
    for _ in range(MEASUREMENTS):
        shipment = parcel()
        carrier.breaks(failure, times=2)

        response, wakes = await get_timing_the_loop(app, shipment["path"])
        late = latest(wakes)

        response.assert_json({"carrier": "ParcelPro", **quote}, "the quote of the third attempt")
        calls = calls_about(carrier, shipment)
        assert len(calls) == 3, (
            f"Expected 3 calls to ParcelPro (it {failure} twice, then sent the quote), but the "
            f"view made {len(calls)}.\n\n{upstream.timeline()}"
        )
        runs.append((late, calls))
        # A loop as late as a whole pause was held by the view itself: measuring again would
        # not help (and the house rules say so).
        if late <= QUIET or late >= POLICY[0]:
            break
    # A loop that wakes late only ever lengthens a pause: the shortest first pause and the
    # shortest second one, over the runs, say most about the view's own pauses.
    first = min(pauses(calls)[0] for _, calls in runs)
    second = min(pauses(calls)[1] for _, calls in runs)
    # The timeline: the run the loop was most punctual in.
    _, calls = min(runs, key=lambda run: run[0])
    shortest = f" (the shortest of {len(runs)} checkouts)" if len(runs) > 1 else ""
    assert first >= 0.1 and second >= GROWTH * first, (
        "Expected a pause of at least 0.1 s before the first retry and a longer one (about "
        "twice as long) before the second, to give the carrier time to recover; the pauses "
        f"were {first:.2f} s and {second:.2f} s{shortest}.\n\n{upstream.timeline(calls)}"
    )


async def test_every_transient_failure_is_retried(app, upstream, carrier, parcel, quote, rng):
    # Each way ParcelPro fails, met once: four customers at once, each failed twice (the first
    # four failures go to first attempts, the next four to second ones), and every third
    # attempt gets the quote. All at once, so it takes one backoff.
    ways = rng.sample(TRANSIENT, k=len(TRANSIENT))
    for failure in ways:
        carrier.breaks(failure, times=1)
    shipments = [parcel() for _ in range(len(ways) // 2)]

    responses = await asyncio.gather(*(app.get(shipment["path"]) for shipment in shipments))

    wrong = [response for response in responses if response.status != 200]
    if wrong:
        listed = "".join(f"\n  - {failure}" for failure in ways)
        pytest.fail(
            f"{len(responses)} customers asked for a quote at once, and ParcelPro failed "
            f"each of them twice, in these ways:{listed}\n"
            f"{len(wrong)} of them got no quote. The first:\n{wrong[0].explain()}\n"
            "Expected the view to retry a server error, a timeout or a lost connection, and "
            "to answer with the quote of the third attempt.\n\n"
            f"{upstream.timeline()}",
            pytrace=False,
        )
    for response in responses:
        response.assert_json({"carrier": "ParcelPro", **quote}, "the quote of the third attempt")
    # From each customer's first attempt to their last: a busy machine may start the
    # customers late, but each one's own pauses should still take one backoff.
    attempts = [calls_about(carrier, shipment) for shipment in shipments]
    took = max(calls[-1].start - calls[0].start for calls in attempts)
    if took > 3 * sum(POLICY):
        pytest.fail(
            f"{len(responses)} customers' attempts failed at the same moments, and each "
            f"should then have waited its own pauses ({POLICY[0]:.2f} s, then "
            f"{POLICY[1]:.2f} s); but one customer's last attempt went out {took:.2f} s after "
            "their first: the pauses queued behind each other.\n"
            "Expected every checkout to wait its own pauses, all at the same time.\n\n"
            f"{upstream.timeline()}",
            pytrace=False,
        )


async def test_checkouts_failing_together_pause_together(app, upstream, carrier, parcel, quote):
    # Customers each failed once at the same moment: each should retry one pause later,
    # all of them at about the same time. Jitter, even as long as the pause, spreads the
    # retries over less than one pause; a lock, or a cap letting two customers pause at once,
    # spreads them over two pauses or more, as the last customers wait for the first ones.
    runs = []
    for _ in range(MEASUREMENTS):
        shipments = [parcel() for _ in range(TOGETHER)]
        carrier.fails(503, times=len(shipments))

        *responses, wakes = await get_timing_the_loop(app, *(s["path"] for s in shipments))

        for response in responses:
            response.assert_json({"carrier": "ParcelPro", **quote}, "the quote of the retry")
        calls = [calls_about(carrier, shipment)[:2] for shipment in shipments]
        # Where calls are capped, a customer's first call may come after another's retry,
        # when the failures are spent: it gets the quote at once, with no pause to measure.
        calls = [pair for pair in calls if len(pair) == 2]
        first_pauses = [pauses(pair)[0] for pair in calls]
        # A loop that woke late while they paused may have lengthened some pauses (or
        # shortened some, by ending a call late) and not others: measure again.
        late = latest(wakes, min(c[0].end for c in calls), max(c[1].start for c in calls))
        runs.append((late, first_pauses, calls))
        # As above: a loop as late as a whole pause was held by the view itself.
        if late <= QUIET or late >= POLICY[0]:
            break
    late, first_pauses, calls = min(runs, key=lambda run: run[0])
    # Jitter may lengthen a pause, never cut it short (see TOGETHER).
    if min(first_pauses) < 0.1 - late:
        listed = ", ".join(f"{pause:.2f} s" for pause in sorted(first_pauses))
        pytest.fail(
            f"{len(calls)} customers asked for a quote at once, and ParcelPro answered each "
            f"of them 503 at the same moment. Their pauses before retrying were {listed}.\n"
            "Expected every pause to be at least 0.1 s, to give the carrier time to recover: "
            "jitter may add to the pause, never take it below the backoff's floor.\n\n"
            f"{upstream.timeline([call for pair in calls for call in pair])}",
            pytrace=False,
        )
    if max(first_pauses) - min(first_pauses) > 1.5 * POLICY[0] + late:
        listed = ", ".join(f"{pause:.2f} s" for pause in sorted(first_pauses))
        pytest.fail(
            f"{len(calls)} customers asked for a quote at once, and ParcelPro answered "
            "each of them 503 at the same moment. Each should then have paused "
            f"{POLICY[0]:.2f} s and retried, all at about the same time; but their pauses "
            f"were {listed}: the last customers waited for the first ones' pauses before "
            "their own.\n"
            "Expected every checkout to wait its own pause, all at the same time: look for a "
            "lock, a semaphore or a shared thread that customers take turns on.\n\n"
            f"{upstream.timeline([call for pair in calls for call in pair])}",
            pytrace=False,
        )


async def test_a_garbled_quote_is_retried_or_reported_never_a_crash(
    app, upstream, carrier, parcel, quote
):
    shipment = parcel()
    carrier.breaks("malformed_json", times=1)

    response = await app.get(shipment["path"])

    if response.status == 200:
        response.assert_json({"carrier": "ParcelPro", **quote}, "the quote of the second attempt")
    elif response.status not in GATEWAY_ERRORS:
        pytest.fail(
            "ParcelPro answered 200 with a body cut off half-way, not valid JSON.\n"
            f"{response.explain()}\n"
            "Expected the view to try again (and answer with the quote), or to answer 503 "
            "(502 or 504 would do): never a 500.",
            pytrace=False,
        )


async def test_gives_up_after_three_attempts(app, upstream, carrier, parcel, rng):
    # Another parcel was quoted a moment ago: its price is not this parcel's.
    await app.get(parcel()["path"])
    failure = rng.choice(TRANSIENT)
    carrier.breaks(failure)
    shipment = parcel()

    response = await app.get(shipment["path"])

    if response.status not in GATEWAY_ERRORS:
        pytest.fail(
            f"ParcelPro {failure}, at every attempt.\n{response.explain()}\n"
            "Expected 503 Service Unavailable (502 or 504 would do): the carrier is not "
            "answering; never a 500, and never a quote ParcelPro did not send.",
            pytrace=False,
        )
    calls = len(calls_about(carrier, shipment))
    assert calls == 3, (
        f"Expected the view to give up after 3 calls, but it made {calls}.\n\n{upstream.timeline()}"
    )


async def test_a_refused_parcel_is_not_retried(app, upstream, carrier, parcel, rng):
    # Four customers, one after the other, each refused with another 4xx.
    refusals = rng.sample([400, 404, 409, 422], k=4)
    for status in refusals:
        carrier.fails(status, times=1)

    for _ in refusals:
        response = await app.get(parcel()["path"])

        response.assert_status(400, "the carrier cannot ship this parcel")
    assert carrier.call_count == len(refusals), (
        f"Expected a single call per parcel ({len(refusals)} in all): a 4xx answer means the "
        "request itself is wrong, and asking again cannot change that. The view made "
        f"{carrier.call_count}.\n\n{upstream.timeline()}"
    )


async def test_waiting_to_retry_leaves_the_event_loop_free(burst, carrier, parcel, rng):
    carrier.breaks(rng.choice(TRANSIENT), times=1)

    report = await burst(parcel()["path"], n=1)

    report.assert_all_status(200, "the quote of the second attempt")
    report.assert_loop_not_blocked()
