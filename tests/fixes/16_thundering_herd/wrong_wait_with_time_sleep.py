"""Wrong: the first miss marks the fill in the cache and fetches; the others wait for the
rates in a loop with time.sleep(0.01). Each nap is short, but nine requests napping in turn
hold the event loop nearly all the time the fetch takes. (Only the house rules see it: the
loop held, in slices.)"""

import time

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
    if rates is not None:
        return rates
    if await cache.aadd(f"{key}:filling", True, 10):
        try:
            rates = await fetch_rates(base)
            await cache.aset(key, rates, RATES_TTL)
            return rates
        finally:
            await cache.adelete(f"{key}:filling")
    for _ in range(500):
        time.sleep(0.01)
        rates = await cache.aget(key)
        if rates is not None:
            return rates
    raise httpx.TimeoutException("no rates after waiting for another request's fetch")


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
