"""Right: awaits asyncio.sleep between attempts, with random jitter added to each pause so
that many clients retrying at once do not hit the recovering carrier in step."""

import asyncio
import random

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
BACKOFF = 0.15


async def ask_carrier(client, params):
    for attempt in range(ATTEMPTS):
        response = await client.get(CARRIER_RATES, params=params)
        if response.status_code < 500 or attempt == ATTEMPTS - 1:
            return response
        delay = BACKOFF * 2**attempt
        await asyncio.sleep(delay + random.uniform(0, delay / 2))


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
