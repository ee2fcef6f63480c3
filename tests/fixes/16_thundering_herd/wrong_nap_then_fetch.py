"""Wrong: the first miss marks the fill in the cache and fetches; the others nap 0.3 s,
"long enough for the bank", then read the cache, and fetch for themselves if it is still
empty. On a day the bank is slower than the nap, or its first client leaves, the crowd asks
the bank all over again."""

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


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        if not await cache.aadd(f"{key}:filling", True, 5):
            await asyncio.sleep(0.3)
            rates = await cache.aget(key)
        if rates is None:
            try:
                rates = await fetch_rates(base)
                await cache.aset(key, rates, RATES_TTL)
            finally:
                await cache.adelete(f"{key}:filling")
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
