"""Wrong: awaits the cache, but stores the rates without a timeout: the cache's default
(five minutes) applies, not the ten minutes the rates service is paid for."""

import httpx
from django.core.cache import cache
from django.http import JsonResponse

RATES_URL = "http://rates.example/latest"


async def exchange_rates(request, base):
    key = f"rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                reply = await client.get(RATES_URL, params={"base": base})
            reply.raise_for_status()
            rates = reply.json()
        except (httpx.HTTPError, ValueError):
            return JsonResponse({"error": "The rates service is unavailable."}, status=502)
        await cache.aset(key, rates)
    return JsonResponse(rates)
