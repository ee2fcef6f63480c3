"""Right: fills the cache with aadd(), which leaves an entry another request put there
first; the rates are kept ten minutes either way, and a failure is never cached."""

import httpx
from django.core.cache import cache
from django.http import JsonResponse

RATES_URL = "http://rates.example/latest"
TEN_MINUTES = 10 * 60


async def exchange_rates(request, base):
    key = f"exchange-rates:{base}"
    rates = await cache.aget(key)
    if rates is not None:
        return JsonResponse(rates)
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            reply = await client.get(RATES_URL, params={"base": base})
        reply.raise_for_status()
        rates = reply.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "The rates service is unavailable."}, status=502)
    await cache.aadd(key, rates, timeout=TEN_MINUTES)
    return JsonResponse(rates)
