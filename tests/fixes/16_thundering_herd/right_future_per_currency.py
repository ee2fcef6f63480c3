"""Right: single flight on a bare Future: the first miss creates it and starts the fetch
as a task that settles the Future however it ends and then forgets it; every miss awaits the
Future through shield(), so a client who leaves cancels only its own wait."""

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


_pending = {}
_fetches = set()


async def _fill(key, base, future):
    try:
        rates = await fetch_rates(base)
        await cache.aset(key, rates, RATES_TTL)
    except Exception as error:
        future.set_exception(error)
    else:
        future.set_result(rates)
    finally:
        del _pending[key]


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is not None:
        return rates
    future = _pending.get(key)
    if future is None:
        future = _pending[key] = asyncio.get_running_loop().create_future()
        fetch = asyncio.create_task(_fill(key, base, future))
        _fetches.add(fetch)
        fetch.add_done_callback(_fetches.discard)
    return await asyncio.shield(future)


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"base": base, "error": "rates unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
