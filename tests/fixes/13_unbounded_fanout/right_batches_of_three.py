"""Right: prices the basket in batches of three, each batch gathered at once; never more than
three requests in flight, and all three slots used."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
BATCH = 3


async def price_of(client, sku):
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        return response.json()["price_cents"]
    except (httpx.HTTPError, ValueError):
        return None


async def quote(request):
    skus = json.loads(request.body)["skus"]
    prices = []
    async with httpx.AsyncClient(timeout=5) as client:
        for start in range(0, len(skus), BATCH):
            batch = skus[start : start + BATCH]
            prices += await asyncio.gather(*(price_of(client, sku) for sku in batch))

    if None in prices:
        return JsonResponse({"error": "some items could not be priced"}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
