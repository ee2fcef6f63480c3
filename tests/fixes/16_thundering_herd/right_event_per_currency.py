"""Right: the first miss for a currency puts an Event in a dict and fetches; the others wait
for the event, then read the cache. The event is set and removed however the fetch ends, and
a waiter that finds the cache still empty (the fetch failed, or its client left) goes round
again, where one of the waiters becomes the next to fetch."""

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


_filling = {}


async def latest_rates(base):
    key = f"fx-rates:{base}"
    while True:
        rates = await cache.aget(key)
        if rates is not None:
            return rates
        event = _filling.get(key)
        if event is not None:
            await event.wait()
            continue
        event = _filling[key] = asyncio.Event()
        try:
            rates = await fetch_rates(base)
            await cache.aset(key, rates, RATES_TTL)
            return rates
        finally:
            del _filling[key]
            event.set()


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
