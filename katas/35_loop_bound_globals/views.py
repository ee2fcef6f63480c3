import asyncio

import httpx
from django.http import JsonResponse

STOCK_API = "http://stock.example/items"

# The warehouse's stock API serves one call at a time per API key, and answers
# 429 Too Many Requests to a second call while the first is running.
# TODO: made once, when this module is imported. Which event loop do they belong to?
client = httpx.AsyncClient(timeout=5, headers={"X-Api-Key": "dojo-demo-key"})
stock_api_turn = asyncio.Lock()


async def stock_level(request, sku):
    try:
        async with stock_api_turn:
            response = await client.get(f"{STOCK_API}/{sku}")
        response.raise_for_status()
        numbers = response.json()
    # The stock API failed (an error status, a broken body, a connection that failed): the
    # widget says "stock unknown" rather than breaking the product page.
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "The stock API is unavailable."}, status=502)
    return JsonResponse({"sku": sku, **numbers})
