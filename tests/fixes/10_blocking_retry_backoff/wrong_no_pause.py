"""Wrong: retries at once, with no pause at all. Nothing blocks the loop any more, but three
calls in a row hammer a carrier that is already failing, and give it no time to recover."""

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3


async def ask_carrier(client, params):
    for attempt in range(1, ATTEMPTS + 1):
        response = await client.get(CARRIER_RATES, params=params)
        if response.status_code < 500 or attempt == ATTEMPTS:
            return response


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
