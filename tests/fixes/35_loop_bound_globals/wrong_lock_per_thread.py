"""Wrong: a client per request (closed each time) and the lock kept per thread
(threading.local), since async_to_sync runs each call in a thread of its own; but two loops
in one thread, one after the other (the next test's, the next loop of a long-lived worker
thread), share the first loop's lock, and the second one fails."""

import asyncio
import threading

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_local = threading.local()


def stock_api_turn():
    if not hasattr(_local, "turn"):
        _local.turn = asyncio.Lock()
    return _local.turn


async def stock_level(request, sku):
    try:
        async with (
            stock_api_turn(),
            httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"}) as client,
        ):
            response = await client.get(f"{STOCK_API}/{sku}")
        numbers = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
