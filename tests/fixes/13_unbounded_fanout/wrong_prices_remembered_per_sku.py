"""Wrong: caps the fan-out with a semaphore, and remembers every price it was given, for
ever: tomorrow's basket is quoted at yesterday's prices, and the dict grows with every SKU."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
# Prices already asked for, so a second basket with the same item costs no call.
KNOWN_PRICES = {}
# The pricing service's rule: at most this many requests in flight per basket.
MAX_IN_FLIGHT = 3


async def price_of(client, sku):
    """Today's price of one item, in cents, from the pricing service; None when the service
    could not give it (an error, a broken answer, no connection)."""
    if sku in KNOWN_PRICES:
        return KNOWN_PRICES[sku]
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        KNOWN_PRICES[sku] = response.json()["price_cents"]
        return KNOWN_PRICES[sku]
    except (httpx.HTTPError, ValueError):
        return None


async def quote(request):
    skus = json.loads(request.body)["skus"]
    # gather starts one call per item at once, however long the basket is. A semaphore has
    # MAX_IN_FLIGHT slots: a call takes a slot for as long as it is in flight and the others
    # wait for a free one, so the fan-out stays concurrent but never exceeds the limit, however
    # long any one call takes.
    slots = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def limited_price_of(client, sku):
        async with slots:
            return await price_of(client, sku)

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
