"""Wrong: a client and a lock per event loop, in a plain dict keyed by the loop: it never
lets go, so every loop that ends (a worker thread runs a new one for each async_to_sync
call) leaves its loop, its lock and its open client behind, for ever."""

import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_per_loop = {}


def stock_api():
    key = asyncio.get_running_loop()
    if key not in _per_loop:
        client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
        _per_loop[key] = (client, asyncio.Lock())
    return _per_loop[key]


async def stock_level(request, sku):
    client, turn = stock_api()
    try:
        async with turn:
            response = await client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
