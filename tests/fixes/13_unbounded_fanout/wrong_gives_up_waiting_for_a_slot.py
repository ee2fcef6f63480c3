"""Wrong: waits a quarter of a second at most for a free slot, then calls anyway: when slow
items hold every slot longer than that, the waiting calls all go out at once."""

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
        try:
            await asyncio.wait_for(slots.acquire(), timeout=0.25)
        except TimeoutError:
            return await price_of(client, sku)
        try:
            return await price_of(client, sku)
        finally:
            slots.release()

    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(*(limited(client, sku) for sku in skus))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        return JsonResponse({"error": "could not price", "unpriced": unpriced}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
