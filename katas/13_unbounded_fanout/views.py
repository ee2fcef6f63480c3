import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"


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
    async with httpx.AsyncClient(timeout=5) as client:
        # TODO: how many requests does this send to the pricing service at once for a
        # basket of 2 items? Of 9? Of 90?
        prices = await asyncio.gather(*(price_of(client, sku) for sku in skus))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        # A total that leaves items out would be a lie: no quote, and say which items.
        return JsonResponse(
            {"error": "the pricing service could not price every item", "unpriced": unpriced},
            status=502,
        )
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
