import httpx
from django.http import JsonResponse

PRICES_URL = "http://prices.example/quotes/{}"


async def quote(request, symbol):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            reply = await client.get(PRICES_URL.format(symbol))
        reply.raise_for_status()
        price = reply.json()
    except (httpx.HTTPError, ValueError):
        # A prices service that fails is a 502, never a made-up price.
        return JsonResponse({"symbol": symbol, "error": "quote unavailable"}, status=502)
    return JsonResponse(price)
