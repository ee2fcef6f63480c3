"""Wrong: keeps the lock and the client per thread (threading.local), since async_to_sync
runs each call in a thread of its own; but two loops in one thread, one after the other (the
next test's, the next loop of a long-lived worker thread), share the first loop's lock."""

import asyncio
import threading

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_local = threading.local()


def stock_api():
    if not hasattr(_local, "client"):
        _local.client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
        _local.turn = asyncio.Lock()
    return _local.client, _local.turn


async def stock_level(request, sku):
    client, turn = stock_api()
    try:
        async with turn:
            response = await client.get(f"{STOCK_API}/{sku}")
        numbers = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
