"""Wrong: the first miss puts an Event in a dict and fetches; the others wait for the
event. The entry is removed however the fetch ends, but the event is set only when it
succeeds: the requests already waiting on a failed fetch never get an answer."""

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


_filling = {}


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is not None:
        return rates
    event = _filling.get(key)
    if event is not None:
        await event.wait()
        return await latest_rates(base)
    event = _filling[key] = asyncio.Event()
    try:
        rates = await fetch_rates(base)
        await cache.aset(key, rates, RATES_TTL)
    finally:
        del _filling[key]
    event.set()
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
