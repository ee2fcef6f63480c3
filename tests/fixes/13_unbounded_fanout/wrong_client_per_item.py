"""Wrong: capped at three, but each item gets an AsyncClient of its own that is never closed:
every quote leaves a dozen clients and their connections open."""

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
    slots = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def limited_price_of(sku):
        async with slots:
            # A client of its own per item, so slow items do not share a connection.
            return await price_of(httpx.AsyncClient(timeout=5), sku)

    prices = await asyncio.gather(*(limited_price_of(sku) for sku in skus))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        # A total that leaves items out would be a lie: no quote, and say which items.
        return JsonResponse(
            {"error": "the pricing service could not price every item", "unpriced": unpriced},
            status=502,
        )
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
