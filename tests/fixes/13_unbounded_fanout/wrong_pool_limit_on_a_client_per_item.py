"""Wrong: a pool of three connections, but each item gets a client (and so a pool) of its
own: nothing limits the calls in flight."""

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


async def priced(sku):
    async with httpx.AsyncClient(timeout=5, limits=httpx.Limits(max_connections=3)) as client:
        return await price_of(client, sku)


async def quote(request):
    skus = json.loads(request.body)["skus"]
    prices = await asyncio.gather(*(priced(sku) for sku in skus))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        return JsonResponse({"error": "could not price", "unpriced": unpriced}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
