"""Wrong: a client and a lock per event loop, but kept in a dict keyed by id(loop) and
never let go: every loop that ends leaves its open client behind (a worker thread runs a
new loop for each async_to_sync call), and once a new loop is given a dead one's address,
it is handed the dead loop's client and lock."""

import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_per_loop = {}


def stock_api():
    key = id(asyncio.get_running_loop())
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
