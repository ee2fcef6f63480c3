"""Wrong: a cap kept by the clock: the items go out in waves of three, each wave 0.3 s after
the one before, on the guess that a price takes 0.2 s. The first time an item takes longer,
the next wave starts while it is still in flight: four requests at once."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
WAVE = 3
WAVE_GAP = 0.3


async def price_of(client, sku, delay):
    await asyncio.sleep(delay)
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        return response.json()["price_cents"]
    except (httpx.HTTPError, ValueError):
        return None


async def quote(request):
    skus = json.loads(request.body)["skus"]
    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(
            *(price_of(client, sku, (i // WAVE) * WAVE_GAP) for i, sku in enumerate(skus))
        )

    if None in prices:
        return JsonResponse({"error": "some items could not be priced"}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
