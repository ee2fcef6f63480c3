"""Wrong: a client and locks per event loop, but one lock per item (SKU): two requests for
the same item take turns, two for different items call the stock API at once, and the API,
which allows one call at a time per API key, answers 429 to one of them."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"


class StockApi:
    def __init__(self):
        self.client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
        self.turns = {}

    def turn(self, sku):
        return self.turns.setdefault(sku, asyncio.Lock())


_per_loop = weakref.WeakKeyDictionary()


async def stock_level(request, sku):
    loop = asyncio.get_running_loop()
    if loop not in _per_loop:
        _per_loop[loop] = StockApi()
    api = _per_loop[loop]
    try:
        async with api.turn(sku):
            response = await api.client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
