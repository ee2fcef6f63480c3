"""Wrong: an async wrapper for async views, but it calls the view, stops the clock, logs, and
only then awaits: calling an async view only makes a coroutine, so it logs ~0 ms."""

import functools
import logging
import time

import httpx
from asgiref.sync import iscoroutinefunction
from django.http import JsonResponse

logger = logging.getLogger("shop.timing")

STOCK_URL = "http://stock.example/items/{}"
SLOTS_URL = "http://courier.example/slots/{}"


def log_duration(view):
    """Log how long each call of ``view`` takes, for the slow-endpoints dashboard."""

    if not iscoroutinefunction(view):

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            started = time.perf_counter()
            response = view(request, *args, **kwargs)
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)
            return response

        return wrapper

    @functools.wraps(view)
    async def async_wrapper(request, *args, **kwargs):
        started = time.perf_counter()
        pending = view(request, *args, **kwargs)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)
        return await pending

    return async_wrapper


@log_duration
def delivery_slots(request, postcode):
    """One of the shop's older views, and sync: Django runs it in a worker thread, where a
    sync HTTP client may wait for the courier's answer."""
    try:
        with httpx.Client(timeout=5) as client:
            reply = client.get(SLOTS_URL.format(postcode))
        reply.raise_for_status()
        slots = reply.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "delivery slots unavailable"}, status=502)
    return JsonResponse(slots)


@log_duration
async def stock_level(request, sku):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            reply = await client.get(STOCK_URL.format(sku))
        reply.raise_for_status()
        level = reply.json()
    except (httpx.HTTPError, ValueError):
        # A stock service that fails is a 502, never a made-up stock level.
        return JsonResponse({"sku": sku, "error": "stock level unavailable"}, status=502)
    return JsonResponse(level)
