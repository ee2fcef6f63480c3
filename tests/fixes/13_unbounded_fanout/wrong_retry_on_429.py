"""Wrong: keeps the unbounded gather and retries every 429 after a pause; the quote comes out
right, but each round still sends more requests at once than the service allows."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"


async def price_of(client, sku):
    try:
        for _ in range(10):
            response = await client.get(f"{PRICING_SERVICE}/{sku}")
            if response.status_code != 429:
                break
            await asyncio.sleep(0.05)
        response.raise_for_status()
        return response.json()["price_cents"]
    except (httpx.HTTPError, ValueError):
        return None


async def quote(request):
    skus = json.loads(request.body)["skus"]
    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(*(price_of(client, sku) for sku in skus))

    if None in prices:
        return JsonResponse({"error": "some items could not be priced"}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
