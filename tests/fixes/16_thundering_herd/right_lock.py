"""Right: check, lock, check again; the first request to take the lock fills the cache and
the others, once they get the lock, find it filled. One lock for every currency makes the
fills of different currencies wait for each other, which is slower but still correct. (One
lock for the module is fine with one event loop per process; kata 35 is about sharing such
objects across loops.)"""

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


_fill_lock = asyncio.Lock()


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        async with _fill_lock:
            rates = await cache.aget(key)
            if rates is None:
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
