"""Wrong: capped at three, but each call "rests" with time.sleep(0.03) before freeing its
slot: the whole event loop stops each time, for every request the server holds."""

import asyncio
import json
import time

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
# The pricing service's rule: at most this many requests in flight per basket.
MAX_IN_FLIGHT = 3


async def price_of(client, sku):
    """Today's price of one item, in cents, from the pricing service; None when the service
    could not give it (an error, a broken answer, no connection)."""
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        return response.json()["price_cents"]
    except (httpx.HTTPError, ValueError):
        return None


async def quote(request):
    skus = json.loads(request.body)["skus"]
    slots = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def limited_price_of(client, sku):
        async with slots:
            price = await price_of(client, sku)
            # Be polite to the pricing service: a short breather before the slot is freed.
            time.sleep(0.03)
            return price

    async with httpx.AsyncClient(timeout=5) as client:
        prices = await asyncio.gather(*(limited_price_of(client, sku) for sku in skus))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        # A total that leaves items out would be a lie: no quote, and say which items.
        return JsonResponse(
            {"error": "the pricing service could not price every item", "unpriced": unpriced},
            status=502,
        )
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
