"""Right: a lock kept in the cache itself (cache.aadd sets a key only if it is absent): the
request that adds it looks once more (the rates may have come in meanwhile), then fetches;
the others poll the cache until the rates are there. Works across server processes too; the
lock is released even when the fetch fails or its client leaves."""

import asyncio

import httpx
from django.core.cache import cache
from django.http import JsonResponse

BANK_RATES = "http://fx.example/latest"
RATES_TTL = 60


async def fetch_rates(base):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(BANK_RATES, params={"base": base})
    response.raise_for_status()
    return response.json()["rates"]


LOCK_TTL = 10


async def latest_rates(base):
    key = f"fx-rates:{base}"
    for _ in range(200):
        rates = await cache.aget(key)
        if rates is not None:
            return rates
        if await cache.aadd(f"{key}:filling", True, LOCK_TTL):
            try:
                # Another request may have filled the cache between the look above and
                # taking the lock: look again before asking the bank.
                rates = await cache.aget(key)
                if rates is not None:
                    return rates
                rates = await fetch_rates(base)
                await cache.aset(key, rates, RATES_TTL)
                return rates
            finally:
                await cache.adelete(f"{key}:filling")
        await asyncio.sleep(0.02)
    raise httpx.TimeoutException("no rates after waiting for another request's fetch")


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
