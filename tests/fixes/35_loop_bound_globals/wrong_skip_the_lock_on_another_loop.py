"""Wrong: keeps the module-level lock and client, and when the lock says it is bound to a
different event loop, makes the call without it: on any loop but the first, requests no
longer take turns, and the stock API answers 429."""

import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

stock_api_turn = asyncio.Lock()


async def call_stock_api(sku):
    async with httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"}) as client:
        return await client.get(f"{STOCK_API}/{sku}")


async def stock_level(request, sku):
    try:
        try:
            async with stock_api_turn:
                response = await call_stock_api(sku)
        except RuntimeError:
            response = await call_stock_api(sku)
        numbers = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
