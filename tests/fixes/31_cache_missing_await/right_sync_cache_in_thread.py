"""Right: the sync cache API, but run in a worker thread with sync_to_async, which is what
Django's default aget() and aset() do for a backend without native async support."""

import httpx
from asgiref.sync import sync_to_async
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
    rates = await sync_to_async(cache.get)(key)
    if rates is None:
        rates = await fetch_rates(base)
        await sync_to_async(cache.set)(key, rates, CACHE_SECONDS)
    return JsonResponse(rates)
