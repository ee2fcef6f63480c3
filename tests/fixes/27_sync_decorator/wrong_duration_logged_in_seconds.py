"""Wrong: the right two wrappers, but the number logged as milliseconds is the duration in
seconds: the dashboard reads 0.2 ms for a page that took 200 ms."""

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

    def log(request, started):
        elapsed_ms = time.perf_counter() - started
        logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)

    # A decorator gives back the same kind of view it was given, as Django's own do. An
    # async view needs an async wrapper that awaits it: a plain def wrapper makes Django
    # call the view in a thread, gets back an unawaited coroutine, and stops the clock
    # before the view has even started. A sync view keeps a plain wrapper, and stays sync.
    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def wrapper(request, *args, **kwargs):
            started = time.perf_counter()
            response = await view(request, *args, **kwargs)
            log(request, started)
            return response

    else:

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            started = time.perf_counter()
            response = view(request, *args, **kwargs)
            log(request, started)
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
