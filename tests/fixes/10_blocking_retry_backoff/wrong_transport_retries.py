"""Wrong: replaces the loop by httpx's own retries (AsyncHTTPTransport(retries=2)). Those
retry only failed connections, never an answer such as 503: one call, and the customer gets
"not answering"."""

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"


async def ask_carrier(client, params):
    return await client.get(CARRIER_RATES, params=params)


async def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    transport = httpx.AsyncHTTPTransport(retries=2)
    async with httpx.AsyncClient(transport=transport, timeout=5) as client:
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
