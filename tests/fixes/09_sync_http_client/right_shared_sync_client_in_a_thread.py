"""Right: one sync httpx.Client for the process (it is thread-safe and reuses its
connections), each call run in a worker thread with asyncio.to_thread: the thread waits for
the network, the event loop does not."""

import asyncio

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
CLIENT = httpx.Client(timeout=5)


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        response = await asyncio.to_thread(CLIENT.get, RATES_SERVICE, params={"base": source})
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
