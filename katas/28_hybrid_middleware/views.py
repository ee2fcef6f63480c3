import httpx
from django.http import JsonResponse

PRICES_URL = "http://prices.example/quotes/{}"


async def quote(request, symbol):
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.get(PRICES_URL.format(symbol))
    reply.raise_for_status()
    return JsonResponse(reply.json())
