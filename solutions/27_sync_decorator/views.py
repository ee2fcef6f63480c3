import functools
import logging
import time

import httpx
from asgiref.sync import iscoroutinefunction
from django.http import JsonResponse

logger = logging.getLogger("shop.timing")

STOCK_URL = "http://stock.example/items/{}"


def log_duration(view):
    """Log how long each call of ``view`` takes, for the slow-endpoints dashboard."""

    def log(request, started):
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info("%s %s took %.1f ms", request.method, request.path, elapsed_ms)

    # A decorator must wrap an async view in an async wrapper that awaits it: a plain def
    # wrapper makes Django call the view in a thread, gets back an unawaited coroutine, and
    # stops the clock before the view has even started. Django's own decorators branch too.
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
async def stock_level(request, sku):
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.get(STOCK_URL.format(sku))
    reply.raise_for_status()
    return JsonResponse(reply.json())
