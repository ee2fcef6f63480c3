"""Right, written otherwise: a class-based decorator, one class per kind of view, the async
one marked as a coroutine function; each call keeps its own start time."""

import functools
import logging
import time

import httpx
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import JsonResponse

logger = logging.getLogger("shop.timing")

STOCK_URL = "http://stock.example/items/{}"
SLOTS_URL = "http://courier.example/slots/{}"


class log_duration:
    """Log how long each call of ``view`` takes, for the slow-endpoints dashboard."""

    def __new__(cls, view):
        if iscoroutinefunction(view):
            return markcoroutinefunction(super().__new__(AsyncLogDuration))
        return super().__new__(cls)

    def __init__(self, view):
        self.view = view
        functools.update_wrapper(self, view)

    def log(self, request, started):
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)

    def __call__(self, request, *args, **kwargs):
        started = time.perf_counter()
        response = self.view(request, *args, **kwargs)
        self.log(request, started)
        return response


class AsyncLogDuration(log_duration):
    async def __call__(self, request, *args, **kwargs):
        started = time.perf_counter()
        response = await self.view(request, *args, **kwargs)
        self.log(request, started)
        return response


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
