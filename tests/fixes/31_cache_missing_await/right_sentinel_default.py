"""Right: awaits aget() with a sentinel default, so a cached value of any kind counts as a
hit, and stores the rates with an explicit timeout keyword."""

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


MISSING = object()


async def exchange_rates(request, base):
    key = f"rates:{base}"
    rates = await cache.aget(key, MISSING)
    if rates is MISSING:
        try:
            rates = await fetch_rates(base)
        except RatesUnavailable as error:
            logger.warning("no rates for %s: %s", base, error)
            return JsonResponse({"error": "The rates service is unavailable."}, status=502)
        await cache.aset(key, rates, timeout=CACHE_SECONDS)
    return JsonResponse(rates)
