"""Right: a fixed pool of 32 locks, picked by the key's hash; a currency shares its lock with
a few others at worst, and however many strings visitors send, the pool never grows."""

import asyncio
import zlib

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


_locks = [asyncio.Lock() for _ in range(32)]


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        async with _locks[zlib.crc32(key.encode()) % len(_locks)]:
            rates = await cache.aget(key)
            if rates is None:
                rates = await fetch_rates(base)
                await cache.aset(key, rates, RATES_TTL)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
