"""Right: a TaskGroup and a BoundedSemaphore; a failed price raises, the group cancels the
other calls, and the quote is a 502."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"


class Unpriced(Exception):
    pass


async def quote(request):
    skus = json.loads(request.body)["skus"]
    slots = asyncio.BoundedSemaphore(3)

    async def price_of(client, sku):
        async with slots:
            try:
                response = await client.get(f"{PRICING_SERVICE}/{sku}")
                response.raise_for_status()
                return response.json()["price_cents"]
            except (httpx.HTTPError, ValueError, KeyError) as error:
                raise Unpriced(sku) from error

    unpriced = []
    try:
        async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as group:
            tasks = [group.create_task(price_of(client, sku)) for sku in skus]
    except* Unpriced as failed:
        unpriced = [str(error) for error in failed.exceptions]
    if unpriced:
        return JsonResponse(
            {"error": "could not price every item", "unpriced": unpriced}, status=502
        )
    prices = [task.result() for task in tasks]
    items = [{"sku": sku, "price_cents": price} for sku, price in zip(skus, prices, strict=True)]
    return JsonResponse({"items": items, "total_cents": sum(prices)})
