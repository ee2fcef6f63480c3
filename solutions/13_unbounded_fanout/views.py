import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/price"
# The pricing service's rule: at most this many requests in flight per basket.
MAX_IN_FLIGHT = 3


async def price_of(client, sku):
    """Today's price of one item, in cents, from the pricing service."""
    response = await client.get(PRICING_SERVICE, params={"sku": sku})
    response.raise_for_status()
    return response.json()["price_cents"]


async def quote(request):
    skus = json.loads(request.body)["skus"]
    # gather starts one call per item at once, however long the basket is. A semaphore has
    # MAX_IN_FLIGHT slots: a call takes a slot for as long as it is in flight and the others
    # wait for a free one, so the fan-out stays concurrent but never exceeds the limit.
    slots = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def limited_price_of(client, sku):
        async with slots:
            return await price_of(client, sku)

    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(*(limited_price_of(client, sku) for sku in skus))

    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
