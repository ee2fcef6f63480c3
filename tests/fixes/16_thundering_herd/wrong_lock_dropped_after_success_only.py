"""Wrong: a lock per currency, removed from the dict once the fill succeeded; a fill that
failed leaves its lock behind, so a bank outage grows the dict by every currency asked."""

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


_locks = {}


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        lock = _locks.setdefault(key, asyncio.Lock())
        async with lock:
            rates = await cache.aget(key)
            if rates is None:
                rates = await fetch_rates(base)
                await cache.aset(key, rates, RATES_TTL)
        _locks.pop(key, None)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
