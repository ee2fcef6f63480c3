"""Wrong: "full jitter": each pause is drawn anywhere between nothing and twice the backoff,
so the first retry can come at once, and the second sooner than the first."""

import asyncio
import random

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
BACKOFF = 0.15


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
    for attempt in range(ATTEMPTS):
        try:
            return await ask_once(client, params)
        except TRANSIENT:
            if attempt == ATTEMPTS - 1:
                raise
        delay = BACKOFF * 2**attempt
        await asyncio.sleep(random.uniform(0, 2 * delay))


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
    except TRANSIENT:
        return JsonResponse({"error": "ParcelPro is not answering, try again later"}, status=503)
    return JsonResponse(
        {
            "carrier": "ParcelPro",
            "price": quote["price"],
            "currency": quote["currency"],
            "days": quote["days"],
        }
    )
