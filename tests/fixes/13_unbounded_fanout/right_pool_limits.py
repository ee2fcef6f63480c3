"""Right: the usual production cap. The client's connection pool allows three connections,
so at most three requests are in flight and the fourth waits for a free connection; the
gather itself stays unbounded. (Needs the dojo's fake network below httpx's pool: a mock
that replaces the pool would ignore the limit.)"""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
POOL = httpx.Limits(max_connections=3)


async def price_of(client, sku):
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        return response.json()["price_cents"]
    except (httpx.HTTPError, ValueError):
        return None


async def quote(request):
    skus = json.loads(request.body)["skus"]
    async with httpx.AsyncClient(timeout=5, limits=POOL) as client:
        prices = await asyncio.gather(*(price_of(client, sku) for sku in skus))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        return JsonResponse({"error": "could not price", "unpriced": unpriced}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
