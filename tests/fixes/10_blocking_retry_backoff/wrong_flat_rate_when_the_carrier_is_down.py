"""Wrong: awaits the pauses, and when ParcelPro still fails after three attempts, quotes a
flat rate instead of saying so: the checkout shows a price and a delivery time the carrier
never gave."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
BACKOFF = 0.15
FLAT_RATE = {"price": "6.90", "currency": "EUR", "days": 5}


class ParcelRefused(Exception):
    """ParcelPro answered 4xx: the request itself is wrong, and asking again cannot help."""


TRANSIENT = (httpx.HTTPStatusError, httpx.TransportError, ValueError)


async def ask_once(client, params):
    response = await client.get(CARRIER_RATES, params=params)
    if 400 <= response.status_code < 500:
        raise ParcelRefused(response.status_code)
    response.raise_for_status()
    return response.json()


async def ask_carrier(client, params):
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await ask_once(client, params)
        except TRANSIENT:
            if attempt == ATTEMPTS:
                return FLAT_RATE
        await asyncio.sleep(delay)
        delay *= 2


async def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            quote = await ask_carrier(client, params)
    except ParcelRefused:
        return JsonResponse({"error": "ParcelPro cannot ship this parcel"}, status=400)
    return JsonResponse(
        {
            "carrier": "ParcelPro",
            "price": quote["price"],
            "currency": quote["currency"],
            "days": quote["days"],
        }
    )
