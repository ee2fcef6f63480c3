"""Wrong: awaits the read, but hands the write to a task of its own and answers at once.
Nobody waits for that task: if the cache server is slow, the next request misses the entry
and asks the rates service again, and a write that fails fails where no one sees it."""

import asyncio
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
    # Timeouts, refused or dropped connections, error statuses, and a body that is not JSON.
    except (httpx.HTTPError, ValueError) as error:
        raise RatesUnavailable(f"{type(error).__name__}: {error}") from error


async def exchange_rates(request, base):
    key = f"rates:{base}"
    # aget() is a coroutine function: without await, `rates` is a coroutine object, which
    # is always truthy, so the view believed it had rates and never asked for them.
    rates = await cache.aget(key)
    if rates is None:
        try:
            rates = await fetch_rates(base)
        except RatesUnavailable as error:
            logger.warning("no rates for %s: %s", base, error)
            return JsonResponse({"error": "The rates service is unavailable."}, status=502)
        # Why wait for the cache? The customer wants the rates.
        asyncio.create_task(cache.aset(key, rates, CACHE_SECONDS))
    return JsonResponse(rates)
