"""Right: a counter of calls in flight guarded by an asyncio.Condition: a call waits until
fewer than three are out, and each one that ends wakes the next; a semaphore by hand."""

import asyncio
import json

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
    # A counter of calls in flight, guarded by a condition: a call waits until the counter is
    # below the limit, and wakes one waiter when it finishes.
    in_flight = 0
    free = asyncio.Condition()

    async def limited_price_of(client, sku):
        nonlocal in_flight
        async with free:
            await free.wait_for(lambda: in_flight < MAX_IN_FLIGHT)
            in_flight += 1
        try:
            return await price_of(client, sku)
        finally:
            async with free:
                in_flight -= 1
                free.notify()

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
