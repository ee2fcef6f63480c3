"""Right: one async wrapper for async views, marked so Django sees a coroutine function,
and the view's own function returned as it was for sync ones timed by a sync wrapper;
timed with the wall clock, which is fine for durations this long."""

import functools
import logging
import time

import httpx
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import JsonResponse

logger = logging.getLogger("shop.timing")

STOCK_URL = "http://stock.example/items/{}"
SLOTS_URL = "http://courier.example/slots/{}"


def log_duration(view):
    """Log how long each call of ``view`` takes, for the slow-endpoints dashboard."""

    def log(request, started):
        logger.info(
            "%s %s took %.1f ms", request.method, request.path, (time.time() - started) * 1000
        )

    if iscoroutinefunction(view):

        def wrapper(request, *args, **kwargs):
            async def timed():
                started = time.time()
                try:
                    return await view(request, *args, **kwargs)
                finally:
                    log(request, started)

            return timed()

        return markcoroutinefunction(functools.wraps(view)(wrapper))

    @functools.wraps(view)
    def sync_wrapper(request, *args, **kwargs):
        started = time.time()
        try:
            return view(request, *args, **kwargs)
        finally:
            log(request, started)

    return sync_wrapper


@log_duration
def delivery_slots(request, postcode):
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
        return JsonResponse({"sku": sku, "error": "stock level unavailable"}, status=502)
    return JsonResponse(level)
