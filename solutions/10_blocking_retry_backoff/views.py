import asyncio

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
# Seconds to wait before the first retry; each retry waits twice as long as the one before.
BACKOFF = 0.15


async def ask_carrier(client, params):
    """GET a quote; on a server error (5xx), try again after a growing pause."""
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        response = await client.get(CARRIER_RATES, params=params)
        if response.status_code < 500 or attempt == ATTEMPTS:
            return response
        # time.sleep would freeze the event loop for the whole pause, and with it every
        # other request in the process. An awaited sleep pauses this request only.
        await asyncio.sleep(delay)
        delay *= 2


async def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    async with httpx.AsyncClient(timeout=5) as client:
        response = await ask_carrier(client, params)

    if response.status_code >= 500:
        return JsonResponse({"error": "ParcelPro is not answering, try again later"}, status=503)
    if response.status_code >= 400:
        return JsonResponse({"error": "ParcelPro cannot ship this parcel"}, status=400)
    quote = response.json()
    return JsonResponse(
        {
            "carrier": "ParcelPro",
            "price": quote["price"],
            "currency": quote["currency"],
            "days": quote["days"],
        }
    )
