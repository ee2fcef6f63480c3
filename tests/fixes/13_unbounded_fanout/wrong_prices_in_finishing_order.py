"""Wrong: three workers take items from a queue and append each price as it comes back:
the prices come back in finishing order and are zipped with the items in basket order."""

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
    queue = asyncio.Queue()
    for sku in skus:
        queue.put_nowait(sku)
    prices = []

    async def worker(client):
        while not queue.empty():
            sku = queue.get_nowait()
            prices.append(await price_of(client, sku))

    async with httpx.AsyncClient(timeout=5) as client:
        await asyncio.gather(*(worker(client) for _ in range(3)))

    unpriced = [sku for sku, price in zip(skus, prices, strict=True) if price is None]
    if unpriced:
        return JsonResponse({"error": "could not price", "unpriced": unpriced}, status=502)
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
