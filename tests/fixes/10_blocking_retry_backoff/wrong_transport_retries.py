"""Wrong: replaces the loop by httpx's own retries (AsyncHTTPTransport(retries=2)). Those
retry only failed connections, never an answer such as 503, nor a read timeout: one call, and
the customer gets "not answering"."""

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"


async def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    transport = httpx.AsyncHTTPTransport(retries=2)
    try:
        async with httpx.AsyncClient(transport=transport, timeout=5) as client:
            response = await client.get(CARRIER_RATES, params=params)
        if 400 <= response.status_code < 500:
            return JsonResponse({"error": "ParcelPro cannot ship this parcel"}, status=400)
        response.raise_for_status()
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
