"""Wrong: keeps one fetch task per currency for the life of the process; a crowd makes one
call, but the rates never change again, even after their minute is over."""

import asyncio

import httpx
from django.http import JsonResponse

BANK_RATES = "http://fx.example/latest"
RATES_TTL = 60


async def fetch_rates(base):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(BANK_RATES, params={"base": base})
    response.raise_for_status()
    return response.json()["rates"]


_fetches = {}


async def latest_rates(base):
    if base not in _fetches:
        _fetches[base] = asyncio.ensure_future(fetch_rates(base))
    return await _fetches[base]


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
