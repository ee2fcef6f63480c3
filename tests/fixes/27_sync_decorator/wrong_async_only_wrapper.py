"""Right: every view here is async, so the decorator has just an async wrapper; it awaits
the view, and its clock stops when the response is ready."""

import functools
import logging
import time

import httpx
from django.http import JsonResponse

logger = logging.getLogger("shop.timing")

STOCK_URL = "http://stock.example/items/{}"


def log_duration(view):
    """Log how long each call of ``view`` takes, for the slow-endpoints dashboard."""

    @functools.wraps(view)
    async def wrapper(request, *args, **kwargs):
        started = time.perf_counter()
        try:
            return await view(request, *args, **kwargs)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)

    return wrapper


@log_duration
async def stock_level(request, sku):
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.get(STOCK_URL.format(sku))
    reply.raise_for_status()
    return JsonResponse(reply.json())
