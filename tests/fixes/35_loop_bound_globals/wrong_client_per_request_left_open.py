"""Wrong: a lock per event loop, and a new client for every request that nobody closes: it
works on every loop, but leaves a client and its connections open behind every request (a
second bug, outside this kata's lesson: only the harness's house rules catch it)."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_locks = weakref.WeakKeyDictionary()


async def stock_level(request, sku):
    loop = asyncio.get_running_loop()
    if loop not in _locks:
        _locks[loop] = asyncio.Lock()
    client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
    try:
        async with _locks[loop]:
            response = await client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
