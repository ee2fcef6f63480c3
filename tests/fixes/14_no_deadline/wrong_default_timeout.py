"""Wrong: drops timeout=None and catches httpx's timeout; the page does get a 504 at last,
but after httpx's default of 5 s, ten times the page's budget."""

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        response.raise_for_status()
        estimate = response.json()
    except httpx.TimeoutException:
        return JsonResponse({"sku": sku, "error": "carrier timeout"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "carrier unavailable"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
