"""Wrong: gives up on the cache server and keeps the rates in a dict of the module. Each
server process keeps its own copy (and pays the rates service for it), and nothing ever
expires it: the page shows the rates of the day the process started."""

import logging

import httpx
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


_rates = {}


async def exchange_rates(request, base):
    rates = _rates.get(base)
    if rates is None:
        try:
            rates = await fetch_rates(base)
        except RatesUnavailable as error:
            logger.warning("no rates for %s: %s", base, error)
            return JsonResponse({"error": "The rates service is unavailable."}, status=502)
        _rates[base] = rates
    return JsonResponse(rates)
