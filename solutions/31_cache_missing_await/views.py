import httpx
from django.core.cache import cache
from django.http import JsonResponse

RATES_URL = "http://rates.example/latest"
# The rates service bills per call and updates hourly: ten minutes in the cache is plenty.
CACHE_SECONDS = 600


async def fetch_rates(base):
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.get(RATES_URL, params={"base": base})
    reply.raise_for_status()
    return reply.json()


async def exchange_rates(request, base):
    key = f"rates:{base}"
    # aget() is a coroutine function: without await, `rates` is a coroutine object, which
    # is always truthy, so the view believed it had rates and never asked for them.
    rates = await cache.aget(key)
    if rates is None:
        rates = await fetch_rates(base)
        await cache.aset(key, rates, CACHE_SECONDS)
    return JsonResponse(rates)
