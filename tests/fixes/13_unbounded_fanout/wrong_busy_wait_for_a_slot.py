"""Wrong: counts the calls in flight and, while three are out, spins on
`await asyncio.sleep(0)` until one comes back. The cap holds, but the waiting calls keep the
event loop busy doing nothing, burning a core for as long as a slow item is out. (Only the
house rules see it: no busy waiting.)"""

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
    in_flight = 0

    async def limited(client, sku):
        nonlocal in_flight
        while in_flight >= MAX_IN_FLIGHT:
            await asyncio.sleep(0)
        in_flight += 1
        try:
            return await price_of(client, sku)
        finally:
            in_flight -= 1

    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(*(limited(client, sku) for sku in skus))

    if None in prices:
        return JsonResponse({"error": "some items could not be priced"}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
