"""Wrong: moves time.sleep into an `async def` helper and awaits it. Awaiting a coroutine
does not make its body non-blocking: the pause still freezes the event loop."""

import time

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
# Seconds to wait before the first retry; each retry waits twice as long as the one before.
BACKOFF = 0.15


async def pause(seconds):
    time.sleep(seconds)


async def ask_carrier(client, params):
    """GET a quote; on a server error (5xx), try again after a growing pause."""
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        response = await client.get(CARRIER_RATES, params=params)
        if response.status_code < 500 or attempt == ATTEMPTS:
            return response
        await pause(delay)
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
