"""Wrong: single flight done right, but the rates are cached with the cache's default timeout
(five minutes) instead of the bank's minute: rates a minute old are still served as today's."""

import asyncio

import httpx
from django.core.cache import cache
from django.http import JsonResponse

BANK_RATES = "http://fx.example/latest"
# The bank publishes new rates every minute: keep them that long.
RATES_TTL = 60
# The fills in flight, by cache key: the requests that miss the cache meanwhile share one.
_fills = {}


async def fetch_rates(base):
    """Today's exchange rates for ``base``, from the bank (which bills us per call)."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(BANK_RATES, params={"base": base})
    response.raise_for_status()
    return response.json()["rates"]


async def fill(key, base):
    # Check again: a request that missed the cache just before another fill finished would
    # otherwise fetch a second time.
    rates = await cache.aget(key)
    if rates is None:
        rates = await fetch_rates(base)
        await cache.aset(key, rates)
    return rates


async def latest_rates(base):
    """The rates for ``base``: from the cache when they are there, else from the bank."""
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        # Check-then-await is a race: every request that finds the cache empty while the
        # first one waits for the bank starts a fetch of its own. Single flight: the first
        # miss starts the fill as a task, one per key, and every later miss awaits that same
        # task. The task leaves _fills when it is done, whether it succeeded or failed, so a
        # failed fetch is not kept: the next miss starts a new one. shield() keeps a request
        # that goes away (its client hung up) from cancelling the fill that the others are
        # waiting for.
        task = _fills.get(key)
        if task is None:
            task = _fills[key] = asyncio.create_task(fill(key, base))
            task.add_done_callback(lambda _: _fills.pop(key, None))
        rates = await asyncio.shield(task)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        # No rates from the bank: say so, rather than show made-up ones.
        return JsonResponse({"base": base, "error": "the bank's rates are unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
