"""Wrong: a lock around the fetch, but no second look at the cache once it is held: the
crowd queues up and each of them asks the bank in turn."""

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


_lock = asyncio.Lock()


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        async with _lock:
            rates = await fetch_rates(base)
            await cache.aset(key, rates, RATES_TTL)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
