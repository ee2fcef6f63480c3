"""Wrong: caps only the connections kept alive between calls (max_keepalive_connections),
not the connections open at once: the whole basket still goes out together."""

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
    limits = httpx.Limits(max_keepalive_connections=3)
    async with httpx.AsyncClient(timeout=5, limits=limits) as client:
        prices = await asyncio.gather(*(price_of(client, sku) for sku in skus))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        return JsonResponse({"error": "could not price", "unpriced": unpriced}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
