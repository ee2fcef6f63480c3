"""Wrong: keeps the module-level client and lock, and rebuilds both when the lock raises
RuntimeError (bound to a different event loop): the request that finds out takes the new
lock while another still holds the old one, so the stock API sees two calls at once."""

import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"


def fresh():
    return (
        httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"}),
        asyncio.Lock(),
    )


client, stock_api_turn = fresh()


async def call_stock_api(sku):
    async with stock_api_turn:
        return await client.get(f"{STOCK_API}/{sku}")


async def stock_level(request, sku):
    global client, stock_api_turn
    try:
        try:
            response = await call_stock_api(sku)
        except RuntimeError:
            # "is bound to a different event loop": start again with a lock of this loop.
            client, stock_api_turn = fresh()
            response = await call_stock_api(sku)
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
