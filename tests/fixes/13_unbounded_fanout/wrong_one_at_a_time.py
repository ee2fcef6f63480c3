"""Wrong: prices the items one after another; the service is never hammered, but the quote
takes one round trip per item instead of using the three parallel requests allowed."""

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
    async with httpx.AsyncClient(timeout=5) as client:
        prices = [await price_of(client, sku) for sku in skus]

    if None in prices:
        return JsonResponse({"error": "some items could not be priced"}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
