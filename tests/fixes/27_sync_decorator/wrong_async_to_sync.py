"""Wrong: runs the async view with async_to_sync inside the sync wrapper. It answers and times
right, but the view is no longer a coroutine function: each request holds a worker thread."""

import functools
import logging
import time

import httpx
from asgiref.sync import async_to_sync
from django.http import JsonResponse

logger = logging.getLogger("shop.timing")

STOCK_URL = "http://stock.example/items/{}"


def log_duration(view):
    """Log how long each call of ``view`` takes, for the slow-endpoints dashboard."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        started = time.perf_counter()
        response = async_to_sync(view)(request, *args, **kwargs)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)
        return response

    return wrapper


@log_duration
async def stock_level(request, sku):
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.get(STOCK_URL.format(sku))
    reply.raise_for_status()
    return JsonResponse(reply.json())
