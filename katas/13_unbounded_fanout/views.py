import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/price"


async def price_of(client, sku):
    """Today's price of one item, in cents, from the pricing service."""
    response = await client.get(PRICING_SERVICE, params={"sku": sku})
    response.raise_for_status()
    return response.json()["price_cents"]


async def quote(request):
    skus = json.loads(request.body)["skus"]
    async with httpx.AsyncClient(timeout=5) as client:
        # TODO: how many requests does this send to the pricing service at once for a
        # basket of 2 items? Of 9? Of 90?
        prices = await asyncio.gather(*(price_of(client, sku) for sku in skus))

    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
