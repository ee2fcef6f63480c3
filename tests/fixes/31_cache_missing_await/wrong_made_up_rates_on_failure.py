"""Wrong: awaits the cache, and when the rates service fails answers 200 with no rates at
all ("better than an error page"): a converter that silently converts nothing."""

import logging

import httpx
from django.core.cache import cache
from django.http import JsonResponse

RATES_URL = "http://rates.example/latest"
# The rates service bills per call and updates hourly: ten minutes in the cache is plenty.
CACHE_SECONDS = 600

logger = logging.getLogger(__name__)


class RatesUnavailable(Exception):
    """The rates service gave no usable rates."""


async def fetch_rates(base):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            reply = await client.get(RATES_URL, params={"base": base})
        reply.raise_for_status()
        return reply.json()
    except (httpx.HTTPError, ValueError) as error:
        raise RatesUnavailable(f"{type(error).__name__}: {error}") from error


async def exchange_rates(request, base):
    key = f"rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        try:
            rates = await fetch_rates(base)
        except RatesUnavailable as error:
            logger.warning("no rates for %s: %s", base, error)
            return JsonResponse({"base": base, "rates": {}})
        await cache.aset(key, rates, CACHE_SECONDS)
    return JsonResponse(rates)
