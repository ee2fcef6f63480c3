"""Right: per event loop, a Semaphore(1) for the stock API's single turn and a client of its
own, found by the running loop in a WeakKeyDictionary."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_clients = weakref.WeakKeyDictionary()
_turns = weakref.WeakKeyDictionary()


async def stock_level(request, sku):
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = httpx.AsyncClient(
            timeout=5, headers={"X-Api-Key": "dojo-demo-key"}
        )
    turn = _turns.setdefault(loop, asyncio.Semaphore(1))
    try:
        async with turn:
            response = await client.get(f"{STOCK_API}/{sku}")
        numbers = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
