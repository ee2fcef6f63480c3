"""The exchange rates: fetched from the bank, cached for a minute, and fetched once per
currency even when a crowd of requests finds the cache empty; a failed fetch is not kept,
and a client who leaves does not cancel the fetch the others are waiting for."""

import asyncio
import gc
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem

from dojo.harness.kept import holds, kept_values

# The tests share one event loop, as the requests of one server process do: a lock or a
# task the view keeps at module level lives across tests as it would across requests.
pytestmark = pytest.mark.asyncio(loop_scope="module")

BANK_RATES = "http://fx.example/latest"
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF", "SEK", "NOK", "PLN", "CZK", "AUD", "CAD"]
MINUTE = 60
CROWD = 12
# The crowd that waits for a fetch whose first client leaves.
WAITING = 5
# The bank's speed differs from test to test.
BANK_LATENCY = (0.02, 0.05)
# On the morning of the newsletter it is slower: a crowd arrives while the first fetch is
# still in flight.
BUSY_BANK_LATENCY = (0.15, 0.25)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts, and ends, with nothing cached."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cache_clock(monkeypatch):
    """The clock the cache reads to expire its entries, which a test can move forward
    (``cache_clock.advance(MINUTE)``) without waiting."""

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


def new_rates(rng, base):
    others = [currency for currency in CURRENCIES if currency != base]
    return {currency: round(rng.uniform(0.01, 150), 4) for currency in rng.sample(others, 4)}


@pytest.fixture
def todays_rates(rng):
    """Today's rates, against every base currency; new ones on every run."""
    return {base: new_rates(rng, base) for base in CURRENCIES}


@pytest.fixture
def bank(upstream, todays_rates, rng):
    """The bank's rates API, ``GET /latest?base=...``, billed per call."""
    return upstream.get(
        BANK_RATES,
        json=lambda request: {
            "base": request.url.params["base"],
            "rates": todays_rates[request.url.params["base"]],
        },
        latency=rng.uniform(*BANK_LATENCY),
    )


@pytest.fixture
def base(rng):
    return rng.choice(CURRENCIES)


def calls_for(bank, base):
    return [call for call in bank.calls if f"base={base}" in call.url]


def fail_on_bank_calls(bank, base, expected, what):
    __tracebackhide__ = True
    calls = len(calls_for(bank, base))
    if calls != expected:
        pytest.fail(
            f"{what} asked the bank for {base} {calls} time{'' if calls == 1 else 's'}; "
            f"expected {'once' if expected == 1 else f'{expected} times'}.\n\n"
            f"{bank.upstream.timeline()}",
            pytrace=False,
        )


def json_or_none(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def fail_unless_json_error(response, status, meaning):
    __tracebackhide__ = True
    response.assert_status(status, meaning)
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else None
    )
    if not isinstance(body, dict) or "error" not in body:
        pytest.fail(
            f"{response.request_line} answered {status} with {response.text[:200]!r}.\n"
            'Expected a JSON body with an "error" key.',
            pytrace=False,
        )


async def test_the_rates_come_from_the_bank(app, bank, todays_rates, base):
    response = await app.get(f"/rates/?base={base}")
    response.assert_json(
        {"base": base, "rates": todays_rates[base]}, f"the bank's rates for {base}"
    )


async def test_the_next_request_is_served_from_the_cache(app, bank, todays_rates, base):
    await app.get(f"/rates/?base={base}")
    response = await app.get(f"/rates/?base={base}")
    response.assert_json(
        {"base": base, "rates": todays_rates[base]}, f"the cached rates for {base}"
    )
    fail_on_bank_calls(bank, base, 1, "Two requests in a row")


async def test_the_rates_are_kept_for_a_minute_then_fetched_again(
    app, bank, rng, base, cache_clock
):
    earlier, later = new_rates(rng, base), new_rates(rng, base)
    bank.then_returns({"base": base, "rates": earlier}, {"base": base, "rates": later})
    await app.get(f"/rates/?base={base}")

    cache_clock.advance(MINUTE - 5)
    response = await app.get(f"/rates/?base={base}")
    response.assert_json(
        {"base": base, "rates": earlier}, "the rates cached 55 s ago: they are kept a minute"
    )
    fail_on_bank_calls(bank, base, 1, "A request, then another 55 s later,")

    cache_clock.advance(10)
    response = await app.get(f"/rates/?base={base}")
    response.assert_json(
        {"base": base, "rates": later}, "the bank's new rates: the cached ones are 65 s old"
    )
    fail_on_bank_calls(bank, base, 2, "Requests at 0, 55 and 65 s")


async def test_a_crowd_on_an_empty_cache_asks_the_bank_once_per_currency(
    app, bank, todays_rates, rng
):
    bank.latency = rng.uniform(*BUSY_BANK_LATENCY)
    bases = rng.sample(CURRENCIES, 3)
    crowd = [bases[i % len(bases)] for i in range(CROWD)]
    rng.shuffle(crowd)
    responses = await asyncio.gather(*(app.get(f"/rates/?base={base}") for base in crowd))
    for base, response in zip(crowd, responses, strict=True):
        response.assert_json(
            {"base": base, "rates": todays_rates[base]}, f"the bank's rates for {base}"
        )
    asked = Counter(call.url.rsplit("base=", 1)[-1] for call in bank.calls)
    if any(asked[base] != 1 for base in bases):
        counts = ", ".join(f"{base} {asked[base]} time(s)" for base in bases)
        pytest.fail(
            f"{CROWD} requests that arrived together on an empty cache, for "
            f"{', '.join(bases)}, asked the bank for {counts}.\nExpected one call per "
            "currency: the first request for a currency fetches, the others wait for its "
            f"answer.\n\n{bank.upstream.timeline()}",
            pytrace=False,
        )


async def test_a_failed_fetch_is_a_502_and_the_next_request_asks_again(
    app, bank, todays_rates, base, upstream_failure
):
    bank.breaks(upstream_failure, times=1)
    response = await app.get(f"/rates/?base={base}")
    if response.status == 200:
        pytest.fail(
            f"The bank {upstream_failure}, and {response.request_line} still answered 200:\n"
            f'    {response.text[:300]}\nExpected 502 (Bad Gateway) with an "error": rates '
            "the bank did not give are made up.",
            pytrace=False,
        )
    fail_unless_json_error(response, 502, f"Bad Gateway: the bank {upstream_failure}")
    response = await app.get(f"/rates/?base={base}")
    response.assert_json(
        {"base": base, "rates": todays_rates[base]},
        f"the bank's rates for {base}: it failed once, then answered again",
    )
    fail_on_bank_calls(bank, base, 2, "A request while the bank failed, then another one,")


async def test_a_client_who_leaves_does_not_cancel_the_fetch_for_the_others(
    app, stream, bank, todays_rates, base
):
    bank.latency = 0.6
    path = f"/rates/?base={base}"
    others_waiting = asyncio.Event()
    # The first client starts the fetch, then leaves while the others wait for it.
    leaver = asyncio.create_task(stream(path, disconnect_when=others_waiting.is_set))
    while not calls_for(bank, base) and not leaver.done():
        await asyncio.sleep(0.005)
    others = [asyncio.create_task(stream(path)) for _ in range(WAITING)]
    # Time for the others to find the cache empty and join the fetch in flight (they take
    # about 0.15 s to get there).
    await asyncio.sleep(0.4)
    others_waiting.set()
    await leaver
    for outcome in await asyncio.gather(*others, return_exceptions=True):
        if isinstance(outcome, BaseException):
            what = (
                f"its GET {path} was cancelled: the cancellation meant for the client who "
                "left went into the fetch it was waiting for."
                if isinstance(outcome, asyncio.CancelledError)
                else f"its GET {path} raised {type(outcome).__name__}: {outcome}"
            )
        elif outcome.status != 200 or outcome.exception is not None:
            what = outcome.explain()
        elif json_or_none(outcome.text) != {"base": base, "rates": todays_rates[base]}:
            what = f"its GET {path} answered {outcome.text[:200]!r}, not the bank's rates."
        else:
            continue
        pytest.fail(
            f"The first client of {path} left while {WAITING} others waited for the "
            f"bank's answer to its fetch; for one of the others, {what}\nExpected the others to "
            "get the rates all the same: one client leaving must not cancel the fetch that "
            f"everyone else is waiting for.\n\n{bank.upstream.timeline()}",
            pytrace=False,
        )
    calls = len(calls_for(bank, base))
    if calls > 2:
        pytest.fail(
            f"The first client of {path} left while {WAITING} others waited for the "
            f"bank's answer to its fetch; they got the rates, but asked the bank {calls} "
            "times for them.\nExpected at most one more call than the one the leaver "
            "started: the others share one fetch, even when its first client has gone.\n\n"
            f"{bank.upstream.timeline()}",
            pytrace=False,
        )


def kept_for(bases):
    """What the kata's code keeps at module level (in a dict, set or list, on a module-level
    object or class, or in a function's ``functools.cache``) that names one of ``bases``."""
    gc.collect()
    kata = Path(__file__).parent
    found = {}
    for name, value in kept_values(kata):
        if kata.name in getattr(value, "__module__", "").split(".") and hasattr(
            value, "cache_info"
        ):
            size = value.cache_info().currsize
            if size >= len(bases):
                found[id(value)] = f"the cache of {name}() ({size} entries)"
        elif holds(value, lambda item: isinstance(item, str) and any(b in item for b in bases)):
            found[id(value)] = f"{name}, a {type(value).__name__} of {len(value)} entries"
    return list(found.values())


async def test_nothing_is_kept_per_currency_once_its_fetch_is_done(app, bank, rng):
    bases = rng.sample(CURRENCIES, 6)
    fine, failing = bases[:3], bases[3:]
    # A crowd per currency: fills in flight are shared, then done with. The bank fails the
    # fetches of the second half: a failed fill must be let go of too.
    await asyncio.gather(*(app.get(f"/rates/?base={base}") for base in fine * 3))
    bank.breaks("status_503_json", times=3 * len(failing))
    await asyncio.gather(*(app.get(f"/rates/?base={base}") for base in failing * 3))
    await asyncio.sleep(0.01)
    kept = kept_for(bases)
    if kept:
        pytest.fail(
            f"Crowds asked for the rates of {', '.join(bases)} (the bank failed for "
            f"{', '.join(failing)}), and once every answer was sent, the view's module still "
            f"kept something naming them: {'; '.join(kept)}.\nThe currency comes from the "
            "query string, so a visitor can send any string there: whatever is kept per "
            "currency and never let go grows for the life of the server.\nExpected what a fill "
            "needs (a lock, a task, an event) to go away once the fill is done, whether it "
            "worked or failed; the rates themselves belong in Django's cache, which expires "
            "them.",
            pytrace=False,
        )


async def test_a_fill_whose_first_client_left_is_let_go_of_too(app, stream, bank, base):
    bank.latency = 0.3
    path = f"/rates/?base={base}"
    other_waiting = asyncio.Event()
    # The first client starts the fetch and leaves while another one waits for it.
    leaver = asyncio.create_task(stream(path, disconnect_when=other_waiting.is_set))
    while not calls_for(bank, base) and not leaver.done():
        await asyncio.sleep(0.005)
    other = asyncio.create_task(app.get(path))
    await asyncio.sleep(0.15)
    other_waiting.set()
    await asyncio.gather(leaver, other)
    await asyncio.sleep(0.01)
    kept = kept_for([base])
    if kept:
        pytest.fail(
            f"The first client of {path} left while another waited for the bank's answer to "
            f"its fetch; once every answer was sent, the view's module still kept something "
            f"naming {base}: {'; '.join(kept)}.\nExpected the fill to be let go of when it is "
            "done, whoever is still there to see it end: kept, it grows with every currency a "
            "visitor sends, and a done fill found there later hands out rates the cache has "
            "already expired.",
            pytrace=False,
        )


async def test_the_view_is_async(assert_async_view):
    assert_async_view("/rates/")
