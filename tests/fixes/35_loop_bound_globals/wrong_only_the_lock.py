"""Wrong: gives each event loop its own lock, but keeps one client for the process, whose
connections belong to the first loop (a real network fails on the next one)."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
_locks = weakref.WeakKeyDictionary()


async def stock_level(request, sku):
    lock = _locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    try:
        async with lock:
            response = await client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
