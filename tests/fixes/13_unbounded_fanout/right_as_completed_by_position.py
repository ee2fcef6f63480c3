"""Right: a semaphore of three around each call, the answers collected with as_completed
and put back at their item's position, so finishing order does not matter."""

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
    prices = [None] * len(skus)

    async def priced(client, position, sku):
        async with slots:
            return position, await price_of(client, sku)

    async with httpx.AsyncClient(timeout=5) as client:
        for next_done in asyncio.as_completed(
            [priced(client, position, sku) for position, sku in enumerate(skus)]
        ):
            position, price = await next_done
            prices[position] = price

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        return JsonResponse({"error": "could not price", "unpriced": unpriced}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
