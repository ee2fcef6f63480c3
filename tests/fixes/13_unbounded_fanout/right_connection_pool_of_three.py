"""Right: one client whose connection pool holds 3 connections, so at most 3 requests are in flight and the rest wait for a free connection."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
MAX_IN_FLIGHT = 3


async def price_of(client, sku):
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        return response.json()["price_cents"]
    except (httpx.HTTPError, ValueError):
        return None


async def quote(request):
    skus = json.loads(request.body)["skus"]
    # A request waits for one of the pool's connections before it goes out: the pool is
    # the cap. No pool timeout: an item waits as long as the slow ones take.
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT)
    timeout = httpx.Timeout(5, pool=None)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        prices = await asyncio.gather(*(price_of(client, sku) for sku in skus))
    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        return JsonResponse(
            {"error": "some items could not be priced", "unpriced": unpriced}, status=502
        )
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
