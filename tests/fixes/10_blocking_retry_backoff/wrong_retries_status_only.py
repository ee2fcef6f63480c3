"""Wrong: rewrites the retry loop around the status code alone, with an awaited pause. A 5xx
is retried, but a timeout or a refused or dropped connection raises before there is any
status: the first one ends the checkout with "not answering", although one more try would
have got the quote."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
BACKOFF = 0.15


async def ask_carrier(client, params):
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        response = await client.get(CARRIER_RATES, params=params)
        if response.status_code < 500 or attempt == ATTEMPTS:
            return response
        await asyncio.sleep(delay)
        delay *= 2


async def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await ask_carrier(client, params)
        if response.status_code >= 500:
            raise httpx.HTTPStatusError("server error", request=response.request, response=response)
        if response.status_code >= 400:
            return JsonResponse({"error": "ParcelPro cannot ship this parcel"}, status=400)
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "ParcelPro is not answering, try again later"}, status=503)
    return JsonResponse(
        {
            "carrier": "ParcelPro",
            "price": quote["price"],
            "currency": quote["currency"],
            "days": quote["days"],
        }
    )
