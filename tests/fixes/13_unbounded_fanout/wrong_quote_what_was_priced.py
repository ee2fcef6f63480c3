"""Wrong: caps the calls with a semaphore, but quotes only the items that got a price and
drops the others without a word: the customer sees a total that is too low."""

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


async def quote(request):
    skus = json.loads(request.body)["skus"]
    slots = asyncio.Semaphore(3)

    async def limited(client, sku):
        async with slots:
            return await price_of(client, sku)

    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(*(limited(client, sku) for sku in skus))

    items = [
        {"sku": sku, "price_cents": price}
        for sku, price in zip(skus, prices, strict=True)
        if price is not None
    ]
    return JsonResponse({"items": items, "total_cents": sum(i["price_cents"] for i in items)})
