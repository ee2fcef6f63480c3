"""The quote page behind the Server-Timing middleware: the page works, the header tells the
real time spent, and the middleware keeps the chain async on this ASGI site."""

import re

import pytest

pytestmark = [
    pytest.mark.middleware("katas.28_hybrid_middleware.middleware.server_timing"),
    pytest.mark.usefixtures("cheap_http_clients"),
]

PRICES_URL = "http://prices.example/quotes/{}"
TIMING = re.compile(r"app;dur=(\d+(?:\.\d+)?)")


def fake_prices(upstream, rng, latency=0.2):
    """A quote with random prices, served after ``latency`` seconds."""
    symbol = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
    quote = {
        "symbol": symbol,
        "bid": round(rng.uniform(10, 900), 2),
        "ask": round(rng.uniform(10, 900), 2),
        "volume": rng.randint(1_000, 9_000_000),
    }
    upstream.get(PRICES_URL.format(symbol), json=quote, latency=latency)
    return f"/quotes/{symbol}/", quote


async def test_the_quote_is_served(middleware_app, upstream, rng):
    path, quote = fake_prices(upstream, rng)
    response = await middleware_app.get(path)
    response.assert_json(quote, f"the quote for {quote['symbol']}, as the prices service sent it")


async def test_server_timing_tells_the_real_time_spent(middleware_app, upstream, rng):
    latency = rng.uniform(0.2, 0.3)
    path, _ = fake_prices(upstream, rng, latency)
    response = await middleware_app.get(path)
    response.assert_status(200, "the quote")
    header = response.headers.get("server-timing")
    match = TIMING.fullmatch(header or "")
    if not match:
        pytest.fail(
            f"{response.request_line} answered with Server-Timing: {header!r}.\n"
            "Expected a header like 'app;dur=231.4' (milliseconds spent in Django).",
            pytrace=False,
        )
    reported = float(match[1]) / 1000
    if not 0.9 * latency <= reported <= response.elapsed:
        pytest.fail(
            f"Server-Timing says Django spent {reported * 1000:.1f} ms, but the view waited "
            f"{latency * 1000:.0f} ms for the prices service, and the whole request took "
            f"{response.elapsed * 1000:.0f} ms.\n"
            "Expected the time from before the view ran to after it answered.",
            pytrace=False,
        )


async def test_requests_still_overlap(middleware_burst, upstream, rng):
    path, _ = fake_prices(upstream, rng)
    report = await middleware_burst(path, n=5)
    report.assert_all_status(200)
    report.assert_served_concurrently()


async def test_the_middleware_chain_stays_async(middleware_app, upstream, rng):
    path, _ = fake_prices(upstream, rng)
    report = await middleware_app.burst(path, n=5)
    report.assert_all_status(200)
    middleware_app.assert_chain_stays_async()
