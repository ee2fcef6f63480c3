"""Right: keeps a window of at most three calls as tasks, and starts the next one as soon as
asyncio.wait says one has finished."""

import asyncio
import json

import httpx
from django.http import JsonResponse

PRICING_SERVICE = "http://pricing.example/prices"
WINDOW = 3


class Unpriced(Exception):
    pass


async def price_of(client, sku):
    try:
        response = await client.get(f"{PRICING_SERVICE}/{sku}")
        response.raise_for_status()
        return sku, response.json()["price_cents"]
    except (httpx.HTTPError, ValueError) as error:
        raise Unpriced(sku) from error


async def quote(request):
    skus = json.loads(request.body)["skus"]
    prices, waiting, in_flight = {}, list(skus), set()
    async with httpx.AsyncClient(timeout=5) as client:
        try:
            while waiting or in_flight:
                while waiting and len(in_flight) < WINDOW:
                    in_flight.add(asyncio.create_task(price_of(client, waiting.pop(0))))
                done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    sku, price = task.result()
                    prices[sku] = price
        except Unpriced as error:
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)
            return JsonResponse({"error": f"no price for {error}"}, status=502)

    items = [{"sku": sku, "price_cents": prices[sku]} for sku in skus]
    return JsonResponse({"items": items, "total_cents": sum(prices[sku] for sku in skus)})
