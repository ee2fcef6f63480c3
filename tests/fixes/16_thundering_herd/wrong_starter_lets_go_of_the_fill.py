"""Wrong: single flight with a shielded task, let go of by the request that started it, after
success or an Exception; when that client leaves (CancelledError), the done fill stays for ever."""

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
        await cache.aset(key, rates, RATES_TTL)
    return rates


async def latest_rates(base):
    """The rates for ``base``: from the cache when they are there, else from the bank."""
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is not None:
        return rates
    task = _fills.get(key)
    if task is not None:
        # Another request is fetching these rates: wait for its fetch.
        return await asyncio.shield(task)
    task = _fills[key] = asyncio.create_task(fill(key, base))
    try:
        rates = await asyncio.shield(task)
    except Exception:
        # A failed fill must not be kept: the next request asks the bank again.
        _fills.pop(key, None)
        raise
    _fills.pop(key, None)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        # No rates from the bank: say so, rather than show made-up ones.
        return JsonResponse({"base": base, "error": "the bank's rates are unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
