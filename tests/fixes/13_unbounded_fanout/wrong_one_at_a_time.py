"""Wrong: prices the items one after another; the service is never hammered, but the quote
takes one round trip per item instead of using the three parallel requests allowed."""

import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/price"


async def price_of(client, sku):
    response = await client.get(PRICING_SERVICE, params={"sku": sku})
    response.raise_for_status()
    return response.json()["price_cents"]


async def quote(request):
    skus = json.loads(request.body)["skus"]
    async with httpx.AsyncClient(timeout=5) as client:
        prices = [await price_of(client, sku) for sku in skus]

    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
