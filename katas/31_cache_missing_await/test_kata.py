"""The exchange-rates page and its cache: the first request asks the rates service once,
the next ones are served from the cache for ten minutes, one entry per currency, a failure
of the service is a 502 that is not cached, and no cache call blocks the loop."""

import asyncio
import time

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem

from dojo.harness.failures import FAILURES

RATES_URL = "http://rates.example/latest"
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF", "SEK", "NOK", "CAD", "PLN", "BRL", "INR", "ZAR"]
MINUTE = 60


@pytest.fixture(autouse=True)
def quick_cache_server(network_cache):
    """A cache server close by: the tests see which thread waited for it, not how long."""
    network_cache.latency = 0.005
    return network_cache


def rates_for(base, rng):
    """Random rates against ``base``: new ones each time the service is asked."""
    return {
        "base": base,
        "rates": {c: round(rng.uniform(0.01, 150), 4) for c in CURRENCIES if c != base},
    }


def fake_rates_service(upstream, rng):
    """The rates service: every call answers fresh, different rates, so a second call
    would show. Each call takes its own time, so answers come back in another order than
    the calls went out."""
    return upstream.get(
        RATES_URL,
        json=lambda request: rates_for(request.url.params["base"], rng),
        latency=lambda request: rng.uniform(0.005, 0.05),
    )


@pytest.fixture
def cache_clock(monkeypatch):
    """The clock the cache reads to expire its entries, which a test can move forward
    (``cache_clock.advance(9 * MINUTE)``) without waiting."""

    class Clock:
        offset = 0.0

        def time(self):
            return time.time() + self.offset

        def advance(self, seconds):
            self.offset += seconds

    clock = Clock()
    # Django's cache computes each entry's expiry, and checks it, with time.time().
    monkeypatch.setattr(cache_base, "time", clock)
    monkeypatch.setattr(locmem, "time", clock)
    return clock


def expect_calls(route, expected, what):
    __tracebackhide__ = True
    if route.call_count != expected:
        pytest.fail(
            f"{what}, the rates service was asked {route.call_count} "
            f"time{'' if route.call_count == 1 else 's'}; expected {expected}.\n\n"
            f"{route.upstream.timeline(route.calls)}",
            pytrace=False,
        )


async def test_the_first_request_asks_the_rates_service_once(app, upstream, rng):
    base = rng.choice(CURRENCIES)
    first = rates_for(base, rng)
    route = fake_rates_service(upstream, rng).then_returns(first)
    response = await app.get(f"/rates/{base}/")
    response.assert_json(first, "the rates the service sent")
    expect_calls(route, 1, f"For the first request for {base}")


async def test_the_second_request_is_served_from_the_cache(app, upstream, rng):
    base = rng.choice(CURRENCIES)
    first = rates_for(base, rng)
    route = fake_rates_service(upstream, rng).then_returns(first)
    await app.get(f"/rates/{base}/")
    second = await app.get(f"/rates/{base}/")
    second.assert_json(first, "the rates cached by the first request")
    expect_calls(route, 1, f"For two requests for {base}")


async def test_each_currency_has_its_own_cache_entry(app, upstream, rng):
    route = fake_rates_service(upstream, rng)
    bases = rng.sample(CURRENCIES, 3)
    served = {}
    # Several currencies asked for at once, then all of them again, in another order.
    for round_ in (bases, rng.sample(bases, len(bases))):
        responses = await asyncio.gather(*(app.get(f"/rates/{base}/") for base in round_))
        for base, response in zip(round_, responses, strict=True):
            response.assert_status(200, f"the rates against {base}")
            answered = response.json().get("base")
            if answered != base:
                pytest.fail(
                    f"{response.request_line} answered rates against {answered}; expected "
                    f"rates against {base}.",
                    pytrace=False,
                )
            if base in served and response.json() != served[base]:
                pytest.fail(
                    f"{response.request_line}, asked again, answered other rates than the "
                    f"first time:\n    {response.json()!r}\nExpected the cached ones:\n"
                    f"    {served[base]!r}",
                    pytrace=False,
                )
            served[base] = response.json()
    expect_calls(route, len(bases), f"For {', '.join(bases)} asked for at once, then again at once")


async def test_the_rates_are_kept_for_ten_minutes(app, upstream, rng, cache_clock):
    base = rng.choice(CURRENCIES)
    first, fresh = rates_for(base, rng), rates_for(base, rng)
    route = fake_rates_service(upstream, rng).then_returns(first, fresh)
    (await app.get(f"/rates/{base}/")).assert_json(first, "the rates the service sent")

    cache_clock.advance(9.5 * MINUTE)
    response = await app.get(f"/rates/{base}/")
    response.assert_json(first, "the rates cached 9.5 minutes ago: they are kept for ten")
    expect_calls(route, 1, f"For a request for {base}, then another 9.5 minutes later")

    cache_clock.advance(1 * MINUTE)
    response = await app.get(f"/rates/{base}/")
    response.assert_json(fresh, "new rates from the service: the cached ones are 10.5 minutes old")
    expect_calls(route, 2, f"For requests for {base} at 0, 9.5 and 10.5 minutes")


async def test_a_broken_rates_service_is_a_502_that_is_not_cached(
    app, upstream, rng, upstream_failure
):
    base = rng.choice(CURRENCIES)
    fresh = rates_for(base, rng)
    route = fake_rates_service(upstream, rng).breaks(upstream_failure, times=1)
    route.then_returns(fresh)
    response = await app.get(f"/rates/{base}/")
    if response.status not in (502, 503, 504):
        body = f"\nBody: {response.text[:200]!r}" if response.status == 200 else ""
        pytest.fail(
            f"The rates service {upstream_failure}.\n{response.explain()}{body}\n"
            "Expected 502 Bad Gateway (or 503, 504): the page cannot give rates it does not "
            "have, and must not make some up.",
            pytrace=False,
        )
    response = await app.get(f"/rates/{base}/")
    response.assert_json(
        fresh,
        "the rates, asked of the service again now that it works: the failure must not "
        "have been cached",
    )
    expect_calls(route, 2, f"For a request that met a failure, then another for {base}")


async def test_expired_rates_are_never_shown_when_the_service_fails(
    app, upstream, rng, cache_clock
):
    base = rng.choice(CURRENCIES)
    first, fresh = rates_for(base, rng), rates_for(base, rng)
    route = fake_rates_service(upstream, rng).then_returns(first)
    (await app.get(f"/rates/{base}/")).assert_json(first, "the rates the service sent")

    cache_clock.advance(10.5 * MINUTE)
    failure = rng.choice(FAILURES)
    route.breaks(failure, times=1).then_returns(fresh)
    response = await app.get(f"/rates/{base}/")
    if response.status not in (502, 503, 504):
        body = f"\nBody: {response.text[:200]!r}" if response.status == 200 else ""
        pytest.fail(
            f"The rates for {base} were cached 10.5 minutes ago, and have expired; then the "
            f"rates service {failure}.\n{response.explain()}{body}\n"
            "Expected 502 Bad Gateway (or 503, 504): rates are kept for ten minutes, no "
            "longer, and older ones shown as today's are made-up rates too.",
            pytrace=False,
        )
    response = await app.get(f"/rates/{base}/")
    response.assert_json(fresh, "the rates, asked of the service again now that it works")


async def test_cache_calls_do_not_block_the_loop(app, upstream, rng, network_cache):
    fake_rates_service(upstream, rng)
    base = rng.choice(CURRENCIES)
    for _ in range(2):
        response = await app.get(f"/rates/{base}/")
        response.assert_status(200, f"the rates against {base}")
    network_cache.assert_never_blocked_the_loop()
