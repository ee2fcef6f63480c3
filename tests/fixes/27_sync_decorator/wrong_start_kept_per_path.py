"""Wrong: the right two wrappers, but each start time kept in a module-level dict by the
request's path: two customers opening the same item's page at once share one entry, and the
first to finish logs from the second one's start (or the second finds no start at all)."""

import functools
import logging
import time

import httpx
from asgiref.sync import iscoroutinefunction
from django.http import JsonResponse

logger = logging.getLogger("shop.timing")

STOCK_URL = "http://stock.example/items/{}"
SLOTS_URL = "http://courier.example/slots/{}"


_started = {}


def log_duration(view):
    """Log how long each call of ``view`` takes, for the slow-endpoints dashboard."""

    def log(request):
        elapsed_ms = (time.perf_counter() - _started.pop(request.path)) * 1000
        logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)

    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def wrapper(request, *args, **kwargs):
            _started[request.path] = time.perf_counter()
            response = await view(request, *args, **kwargs)
            log(request)
            return response

    else:

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            _started[request.path] = time.perf_counter()
            response = view(request, *args, **kwargs)
            log(request)
            return response

    return wrapper


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
