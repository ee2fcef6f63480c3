"""Right: a small SingleFlight class (one task per key, shielded for each caller) whose task
removes itself in a finally, so it goes whether the fill worked, failed or lost its first client."""

import asyncio

import httpx
from django.core.cache import cache
from django.http import JsonResponse

BANK_RATES = "http://fx.example/latest"
# The bank publishes new rates every minute: keep them that long.
RATES_TTL = 60


class SingleFlight:
    """At most one call in flight per key; callers that arrive meanwhile share its result."""

    def __init__(self):
        self._calls = {}

    async def do(self, key, make_call):
        task = self._calls.get(key)
        if task is None:
            task = self._calls[key] = asyncio.create_task(self._run(key, make_call))
        # One caller leaving must not cancel the call the others wait for.
        return await asyncio.shield(task)

    async def _run(self, key, make_call):
        try:
            return await make_call()
        finally:
            del self._calls[key]


_rates_flight = SingleFlight()


async def fetch_rates(base):
    """Today's exchange rates for ``base``, from the bank (which bills us per call)."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(BANK_RATES, params={"base": base})
    response.raise_for_status()
    return response.json()["rates"]


async def latest_rates(base):
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is not None:
        return rates

    async def fill():
        # Another flight may have filled the cache since this request looked.
        rates = await cache.aget(key)
        if rates is None:
            rates = await fetch_rates(base)
            await cache.aset(key, rates, RATES_TTL)
        return rates

    return await _rates_flight.do(key, fill)


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        # No rates from the bank: say so, rather than show made-up ones.
        return JsonResponse({"base": base, "error": "the bank's rates are unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
