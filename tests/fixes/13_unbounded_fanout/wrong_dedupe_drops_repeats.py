"""Wrong: prices each SKU once (good), but quotes each SKU once too: a basket with two of
the same item is quoted, and totalled, for one."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"


async def price_of(client, sku):
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        return response.json()["price_cents"]
    except (httpx.HTTPError, ValueError):
        return None


def answer(skus, prices):
    if any(price is None for price in prices):
        return JsonResponse({"error": "some items could not be priced"}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})


async def quote(request):
    skus = list(dict.fromkeys(json.loads(request.body)["skus"]))
    slots = asyncio.Semaphore(3)

    async def limited(client, sku):
        async with slots:
            return await price_of(client, sku)

    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(*(limited(client, sku) for sku in skus))
    return answer(skus, prices)
