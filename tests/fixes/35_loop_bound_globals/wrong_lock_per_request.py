"""Wrong: makes the lock inside the view, so it is never bound to an old loop, but every
request has its own lock: nothing takes turns, and the stock API answers 429."""

import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"


async def stock_level(request, sku):
    try:
        async with asyncio.Lock(), httpx.AsyncClient(timeout=5) as client:
            response = await client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
