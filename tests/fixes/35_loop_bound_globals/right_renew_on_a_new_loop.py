"""Right: a client per request (closed each time) and one lock that is replaced whenever the
code finds itself on a different event loop from the one the lock was made on."""

import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_turn = None
_turn_loop = None


def stock_api_turn():
    global _turn, _turn_loop
    loop = asyncio.get_running_loop()
    if _turn_loop is not loop:
        _turn, _turn_loop = asyncio.Lock(), loop
    return _turn


async def stock_level(request, sku):
    try:
        async with (
            stock_api_turn(),
            httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"}) as client,
        ):
            response = await client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
