"""Wrong: a lock around the fill, but when the bank fails the page answers 200 with rates of
1.0 for everything, "better than an error": made-up rates that a reader could convert with."""

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
FALLBACK = {"USD": 1.0, "GBP": 1.0, "JPY": 1.0, "CHF": 1.0}


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        async with _fill_lock:
            rates = await cache.aget(key)
            if rates is None:
                try:
                    rates = await fetch_rates(base)
                except (httpx.HTTPError, ValueError):
                    return FALLBACK
                await cache.aset(key, rates, RATES_TTL)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
