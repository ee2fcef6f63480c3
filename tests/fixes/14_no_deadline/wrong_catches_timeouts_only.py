"""Wrong: a half-second client timeout answered with 504, and nothing else caught: a carrier
that answers 503, sends a broken body, refuses or drops the connection turns the delivery
line into a 500 error page."""

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    async with httpx.AsyncClient(timeout=0.5) as client:
        try:
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        except httpx.TimeoutException:
            return JsonResponse({"sku": sku, "error": "carrier timeout"}, status=504)
    response.raise_for_status()
    return JsonResponse({"sku": sku, "postcode": postcode, **response.json()})
