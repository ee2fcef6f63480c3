"""Wrong: makes the lock inside the view, so it is never bound to an old loop, but every
request has its own lock: nothing takes turns, and the stock API answers 429."""

import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"


async def stock_level(request, sku):
    async with asyncio.Lock(), httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"{STOCK_API}/{sku}")
    response.raise_for_status()
    return JsonResponse({"sku": sku, **response.json()})
