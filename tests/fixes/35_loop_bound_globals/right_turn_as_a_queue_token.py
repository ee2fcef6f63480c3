"""Right, written otherwise: per event loop (found in a WeakKeyDictionary), a client and an
asyncio.Queue holding one token: a request takes the token for its call and puts it back in
a finally block, so a failed call gives its turn back too."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"


class StockApi:
    """What every request on one event loop shares: the client and the lock."""

    def __init__(self):
        self.client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
        # The warehouse's stock API serves one call at a time per API key, and answers
        # 429 Too Many Requests to a second call while the first is running.
        self.token = asyncio.Queue(maxsize=1)
        self.token.put_nowait(object())


# A lock and a client belong to the event loop they first run on, so share them per loop,
# not per process: each test, and each async_to_sync call from sync code, runs a new loop.
# The weak keys let a loop that is gone take its client and lock with it.
_per_loop = weakref.WeakKeyDictionary()


def stock_api():
    loop = asyncio.get_running_loop()
    if loop not in _per_loop:
        _per_loop[loop] = StockApi()
    return _per_loop[loop]


async def stock_level(request, sku):
    api = stock_api()
    try:
        token = await api.token.get()
        try:
            response = await api.client.get(f"{STOCK_API}/{sku}")
        finally:
            api.token.put_nowait(token)
        response.raise_for_status()
        numbers = response.json()
    # The stock API failed (an error status, a broken body, a connection that failed): the
    # widget says "stock unknown" rather than breaking the product page.
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
