"""Wrong: waves of three on a timer, 0.6 s apart, a guess long enough for any price: the
service sits idle between waves while items wait, and the first item slower than the guess
is still in flight when the next wave goes out."""

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


def answer(skus, prices):
    if any(price is None for price in prices):
        return JsonResponse({"error": "some items could not be priced"}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})


async def delayed(client, sku, delay):
    await asyncio.sleep(delay)
    return await price_of(client, sku)


async def quote(request):
    skus = json.loads(request.body)["skus"]
    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(
            *(delayed(client, sku, (i // 3) * 0.6) for i, sku in enumerate(skus))
        )
    return answer(skus, prices)
