"""Wrong: one fill in flight for the whole site, whatever the currency: a request for GBP
that arrives while EUR is being fetched waits for that fetch and answers EUR's rates."""

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


_fill = None


async def fill(key, base):
    rates = await fetch_rates(base)
    await cache.aset(key, rates, RATES_TTL)
    return rates


def _forget(task):
    global _fill
    if _fill is task:
        _fill = None


async def latest_rates(base):
    global _fill
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        if _fill is None:
            _fill = asyncio.create_task(fill(key, base))
            _fill.add_done_callback(_forget)
        rates = await asyncio.shield(_fill)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
