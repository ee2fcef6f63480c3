"""Right: no lock at all. One client per event loop whose connection pool holds a single
connection (httpx.Limits(max_connections=1)): the pool itself makes the requests take turns
for the stock API, as it would in production."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

_clients = weakref.WeakKeyDictionary()


def stock_client():
    loop = asyncio.get_running_loop()
    if loop not in _clients:
        _clients[loop] = httpx.AsyncClient(
            timeout=5,
            headers={"X-Api-Key": "dojo-demo-key"},
            limits=httpx.Limits(max_connections=1),
        )
    return _clients[loop]


async def stock_level(request, sku):
    try:
        response = await stock_client().get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
