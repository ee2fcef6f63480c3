"""Wrong: marks the fill as in progress and answers 503 "try again" to everyone who comes
meanwhile; the bank gets one call, but most customers in the crowd get an error."""

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
        if not await cache.aadd(f"{key}:filling", True, 10):
            raise httpx.HTTPError("rates are being refreshed, try again")
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
