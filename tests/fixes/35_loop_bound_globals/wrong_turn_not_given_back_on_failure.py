"""Wrong: a client and a lock per event loop, but the lock taken and released by hand: when
a call fails, the exception skips the release, and every later request waits for ever."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"


class StockApi:
    def __init__(self):
        self.client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
        self.turn = asyncio.Lock()


_per_loop = weakref.WeakKeyDictionary()


async def stock_level(request, sku):
    loop = asyncio.get_running_loop()
    if loop not in _per_loop:
        _per_loop[loop] = StockApi()
    api = _per_loop[loop]
    try:
        await api.turn.acquire()
        response = await api.client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
        api.turn.release()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
