"""Right: prices the basket in batches of three, each batch gathered at once; never more than
three requests in flight, and all three slots used."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/price"
BATCH = 3


async def price_of(client, sku):
    response = await client.get(PRICING_SERVICE, params={"sku": sku})
    response.raise_for_status()
    return response.json()["price_cents"]


async def quote(request):
    skus = json.loads(request.body)["skus"]
    prices = []
    async with httpx.AsyncClient(timeout=5) as client:
        for start in range(0, len(skus), BATCH):
            batch = skus[start : start + BATCH]
            prices += await asyncio.gather(*(price_of(client, sku) for sku in batch))

    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
