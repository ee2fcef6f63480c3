"""Right: keeps the sync client but runs the call in a worker thread with asyncio.to_thread;
the thread blocks, the event loop does not."""

import asyncio

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        response = await asyncio.to_thread(
            httpx.get, RATES_SERVICE, params={"base": source}, timeout=5
        )
        response.raise_for_status()
        rate = response.json()["rates"][target]
    except (httpx.HTTPError, ValueError):
        # 502 Bad Gateway: the product page then shows the price in the shop's own currency.
        return JsonResponse({"error": "exchange rates unavailable"}, status=502)

    return JsonResponse(
        {
            "amount": amount,
            "from": source,
            "to": target,
            "rate": rate,
            "converted": round(amount * rate, 2),
        }
    )
