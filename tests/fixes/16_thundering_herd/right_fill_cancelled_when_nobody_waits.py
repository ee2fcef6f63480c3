"""Right: one fill per currency, shared by every request that misses the cache; the fill is
cancelled only when the last request waiting for it has gone, and forgotten once it ends."""

import asyncio

import httpx
from django.core.cache import cache
from django.http import JsonResponse

BANK_RATES = "http://fx.example/latest"
RATES_TTL = 60


class _Fill:
    def __init__(self, task):
        self.task = task
        self.waiting = 0


_fills = {}


async def fetch_rates(base):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(BANK_RATES, params={"base": base})
    response.raise_for_status()
    return response.json()["rates"]


async def fill(key, base):
    rates = await cache.aget(key)
    if rates is None:
        rates = await fetch_rates(base)
        await cache.aset(key, rates, RATES_TTL)
    return rates


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is not None:
        return rates
    shared = _fills.get(key)
    if shared is None:
        shared = _fills[key] = _Fill(asyncio.create_task(fill(key, base)))
        shared.task.add_done_callback(
            lambda task: _fills.pop(key, None) if _fills.get(key) is shared else None
        )
    shared.waiting += 1
    try:
        return await asyncio.shield(shared.task)
    finally:
        shared.waiting -= 1
        # Nobody is left to read the answer: stop asking the bank for it.
        if shared.waiting == 0 and not shared.task.done():
            shared.task.cancel()


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "the bank's rates are unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
