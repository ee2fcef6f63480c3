"""Right: three workers in a TaskGroup take items from a shared queue; at most three requests
in flight, and a worker starts the next item as soon as it is free. A failed price raises,
which cancels the other workers, and the quote is a 502."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
WORKERS = 3


async def price_of(client, sku):
    response = await client.get(f"{PRICING_SERVICE}/{sku}")
    response.raise_for_status()
    return response.json()["price_cents"]


async def price_all(skus):
    todo = asyncio.Queue()
    for sku in skus:
        todo.put_nowait(sku)
    prices = {}

    async def worker(client):
        while not todo.empty():
            sku = todo.get_nowait()
            prices[sku] = await price_of(client, sku)

    async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as group:
        for _ in range(WORKERS):
            group.create_task(worker(client))
    return prices


async def quote(request):
    skus = json.loads(request.body)["skus"]
    try:
        prices = await price_all(skus)
    except* (httpx.HTTPError, ValueError):
        prices = None
    if prices is None:
        return JsonResponse({"error": "the pricing service failed"}, status=502)
    items = [{"sku": sku, "price_cents": prices[sku]} for sku in skus]
    return JsonResponse({"items": items, "total_cents": sum(prices[sku] for sku in skus)})
